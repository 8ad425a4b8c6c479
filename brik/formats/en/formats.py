from django.conf.locale.en_GB.formats import *  # noqa: F403
