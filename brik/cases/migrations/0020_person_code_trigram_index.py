# A search for a part of a code ("2019-50", "0504") reads an index of the codes' trigrams
# instead of comparing every code (issue 13; at 100,000 persons 22 ms -> under 1 ms on
# PostgreSQL, 6 ms -> under 1 ms on SQLite). brik.cases.models.codes_containing writes
# the query that each reads.
#
# PostgreSQL: a GIN index of UPPER(code) with pg_trgm (shipped with PostgreSQL and
# trusted: the database's owner may create it). It matches the query Django writes for
# "contains, in any case" (UPPER(code) LIKE UPPER('%...%')). Where the extension cannot
# be created (a managed database that does not offer it) the migration says so and goes
# on: the search finds the same, only slower.
#
# SQLite: an FTS5 table with the trigram tokenizer over the persons' codes (external
# content: it holds the index only, the codes stay in cases_person), kept up to date by
# triggers on every insert, change and deletion of a person.

import sys

from django.db import DatabaseError, migrations, transaction

INDEX = "person_code_trigram_idx"
TABLE = "person_code_trigram"

SQLITE = [
    f"CREATE VIRTUAL TABLE {TABLE} USING fts5("
    "code, tokenize = 'trigram', content = 'cases_person', content_rowid = 'id')",
    f"CREATE TRIGGER {TABLE}_insert AFTER INSERT ON cases_person BEGIN "
    f"INSERT INTO {TABLE} (rowid, code) VALUES (new.id, new.code); END",
    f"CREATE TRIGGER {TABLE}_delete AFTER DELETE ON cases_person BEGIN "
    f"INSERT INTO {TABLE} ({TABLE}, rowid, code) VALUES ('delete', old.id, old.code); END",
    f"CREATE TRIGGER {TABLE}_update AFTER UPDATE OF id, code ON cases_person BEGIN "
    f"INSERT INTO {TABLE} ({TABLE}, rowid, code) VALUES ('delete', old.id, old.code); "
    f"INSERT INTO {TABLE} (rowid, code) VALUES (new.id, new.code); END",
    # The persons already there.
    f"INSERT INTO {TABLE} ({TABLE}) VALUES ('rebuild')",
]


def create(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        for statement in SQLITE:
            schema_editor.execute(statement)
    elif vendor == "postgresql":
        try:
            with transaction.atomic(using=schema_editor.connection.alias):
                schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
                schema_editor.execute(
                    f"CREATE INDEX IF NOT EXISTS {INDEX} ON cases_person "
                    "USING gin (UPPER(code) gin_trgm_ops)"
                )
        except DatabaseError as error:
            print(
                f"\n  Brik: no trigram index of the case codes ({str(error).strip()}); "
                "a search for part of a code reads every code.",
                file=sys.stderr,
            )


def drop(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        for trigger in ("insert", "delete", "update"):
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {TABLE}_{trigger}")
        schema_editor.execute(f"DROP TABLE IF EXISTS {TABLE}")
    elif vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0019_case_status_list_index"),
    ]

    operations = [migrations.RunPython(create, drop, elidable=False)]
