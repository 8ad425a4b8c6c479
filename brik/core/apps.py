from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "brik.core"
    label = "core"

    def ready(self):
        from brik.core import (
            checks,  # noqa: F401 (registers Brik's system checks)
            lookups,
        )

        lookups.register()
