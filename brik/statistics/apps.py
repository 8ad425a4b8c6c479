from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StatisticsConfig(AppConfig):
    name = "brik.statistics"
    label = "statistics"
    verbose_name = _("Statistics and the annual report")

    def ready(self):
        from django.db.models.signals import post_migrate, pre_migrate

        from brik.statistics import checks  # noqa: F401 (registers the world map's check)
        from brik.statistics.changes import on_post_migrate, on_pre_migrate

        # The change triggers follow the tables' columns: made again after every migrate
        # (on SQLite dropped before one that changes something).
        pre_migrate.connect(on_pre_migrate, sender=self, dispatch_uid="brik.statistics.changes")
        post_migrate.connect(on_post_migrate, sender=self, dispatch_uid="brik.statistics.changes")
