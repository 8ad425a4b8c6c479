from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "brik.core"
    label = "core"

    def ready(self):
        from brik.core import lookups

        lookups.register()
