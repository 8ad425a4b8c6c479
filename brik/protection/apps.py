import contextlib

from django.apps import AppConfig
from django.db.backends.signals import connection_created
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _database_row(sender, using, **kwargs):
    """After `migrate` (and `flush`): the key check value and the audit key exist."""
    from brik.protection.keycheck import KeyCheckError, database_row_ensure

    # With wrong keys nothing is written; the key check reports them.
    with contextlib.suppress(KeyCheckError):
        database_row_ensure(using)


class ProtectionConfig(AppConfig):
    name = "brik.protection"
    label = "protection"
    verbose_name = _("Protection")

    def ready(self):
        from brik.protection import checks  # noqa: F401 (registers Brik's system checks)
        from brik.protection.files import sqlite_connection_created

        connection_created.connect(sqlite_connection_created, dispatch_uid="brik.private_sqlite")
        post_migrate.connect(_database_row, sender=self, dispatch_uid="brik.database_row")
