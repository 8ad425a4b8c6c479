from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    default = True
    name = "brik.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self):
        from brik.accounts import signals  # noqa: F401 (records cleared lockouts)


class BrikAdminConfig(admin_apps.AdminConfig):
    """Django's admin, with Brik's site as the default (brik.accounts.admin_site)."""

    default = False
    default_site = "brik.accounts.admin_site.BrikAdminSite"
