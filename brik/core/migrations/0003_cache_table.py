"""Django's cache table (settings.CACHES: DatabaseCache "brik_cache").

`createcachetable` makes it (and nothing when the cache is not the database's), so
that `brik migrate` is the one step a new installation and an upgrade need."""

from django.conf import settings
from django.core.management import call_command
from django.db import migrations

DATABASE_CACHE = "django.core.cache.backends.db.DatabaseCache"


def create_cache_table(apps, schema_editor):
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


def drop_cache_table(apps, schema_editor):
    for cache in settings.CACHES.values():
        if cache["BACKEND"] == DATABASE_CACHE:
            schema_editor.execute(
                f"DROP TABLE IF EXISTS {schema_editor.quote_name(cache['LOCATION'])}"
            )


class Migration(migrations.Migration):
    dependencies = [("core", "0002_formsubmission_fingerprint_and_more")]

    operations = [migrations.RunPython(create_cache_table, drop_cache_table)]
