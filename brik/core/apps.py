from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "brik.core"
    label = "core"
