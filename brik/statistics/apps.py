from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StatisticsConfig(AppConfig):
    name = "brik.statistics"
    label = "statistics"
    verbose_name = _("Statistics and the annual report")

    def ready(self):
        from brik.statistics import checks  # noqa: F401 (registers the world map's check)
