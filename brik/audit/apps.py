from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "brik.audit"
    label = "audit"
    verbose_name = _("Audit")

    def ready(self):
        from brik.audit import signals  # noqa: F401 (connects the login receivers)
