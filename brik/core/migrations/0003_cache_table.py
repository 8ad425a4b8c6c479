"""Django's cache table, so that `brik migrate` is the one step a new installation and
an upgrade need.

Brik's settings keep the cache in the database, in the table `brik_cache`. The
table is made whatever the running settings say (the tests keep their own cache in
memory, but the app servers they start use the settings' cache on the test
database), and so is the table of any other database cache the settings name."""

from django.core.management import call_command
from django.core.management.commands.createcachetable import Command as CreateCacheTable
from django.db import migrations

TABLE = "brik_cache"


def create_cache_tables(apps, schema_editor):
    alias = schema_editor.connection.alias
    command = CreateCacheTable()
    command.verbosity = 0
    # create_table does nothing when the table is there already.
    command.create_table(alias, TABLE, dry_run=False)
    call_command("createcachetable", database=alias, verbosity=0)


def drop_cache_table(apps, schema_editor):
    schema_editor.execute(f"DROP TABLE IF EXISTS {schema_editor.quote_name(TABLE)}")


class Migration(migrations.Migration):
    dependencies = [("core", "0002_formsubmission_fingerprint_and_more")]

    operations = [migrations.RunPython(create_cache_tables, drop_cache_table)]
