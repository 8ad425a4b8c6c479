"""The WSGI entry point for production (gunicorn, uWSGI: brik.wsgi:application).

Before it serves anything it makes the files it writes private (umask 077)
and checks that the configured keys can read this database: with keys that
cannot, it refuses to start (ImproperlyConfigured, naming the variable)
instead of accepting writes nobody could read later (brik.protection.keycheck).
"""

import os

from django.core.wsgi import get_wsgi_application

from brik.protection.files import private_umask

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "brik.settings")
private_umask()
application = get_wsgi_application()


def _refuse_wrong_keys() -> None:
    from django.db import connections

    from brik.protection.keycheck import keys_require_valid

    try:
        keys_require_valid()
    finally:
        connections.close_all()  # not shared with the worker processes a server forks


_refuse_wrong_keys()
