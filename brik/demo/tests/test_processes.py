"""The demo made on two cores (brik.demo.processes): the same data as one process makes,
errors of the making process reach the command, and nothing of a failed run is kept."""

import os
from datetime import date

import pytest
from django.apps import apps
from django.core.management.color import no_style
from django.db import connection
from django.utils import translation

from brik.audit.models import ActionLog
from brik.audit.services import audit_chain_verify
from brik.cases.models import Case, Person, PersonIdentity
from brik.demo import generator, history, processes
from brik.demo.generator import flush, generate
from brik.demo.tests.conftest import rows_digest
from brik.search.models import PersonSearchToken

TODAY = date(2026, 3, 10)


def _log() -> list[tuple]:
    """The action log's entries apart from the logins' (made on the real clock)."""
    return list(
        ActionLog.objects.exclude(object_type__in=("accounts.user", "accounts.organisation"))
        .order_by("sequence")
        .values_list("created_at", "actor_id", "action", "object_type", "object_id", "data")
    )


def _keys() -> list[tuple]:
    """The primary keys the rows were given, and what the search index holds."""
    return [
        tuple(Person.objects.order_by("pk").values_list("pk", "code")),
        tuple(Case.objects.order_by("pk").values_list("pk", "person_id", "sequence")),
        tuple(PersonSearchToken.objects.order_by("pk").values_list("person_id", "kind", "value")),
    ]


def _numbering_restarted() -> None:
    """Every table's primary keys counted again from its highest row, as on a new database:
    the second run's organisations and logins get the first run's keys."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            for model in apps.get_models(include_auto_created=True):
                table, quote = model._meta.db_table, connection.ops.quote_name
                cursor.execute(
                    "UPDATE sqlite_sequence SET seq = "  # noqa: S608 - the models' tables
                    f"(SELECT COALESCE(MAX({quote(model._meta.pk.column)}), 0) "
                    f"FROM {quote(table)}) WHERE name = %s",
                    [table],
                )
        else:
            models = apps.get_models(include_auto_created=True)
            for sql in connection.ops.sequence_reset_sql(no_style(), models):
                cursor.execute(sql)


def test_two_processes_make_the_same_rows_keys_and_log_as_one(db, monkeypatch):
    # Small batches: several pass through the pipe, each after the rows before it, and
    # the cooperation stage's rows in parts.
    monkeypatch.setattr(generator, "PERSONS_PER_BATCH", 70)
    monkeypatch.setattr(processes, "PENDING_ROWS", 400)
    _numbering_restarted()  # PostgreSQL's sequences keep the earlier tests' numbers
    generate(seed=5, persons=300, today=TODAY, processes=1)
    one = rows_digest(), _log(), _keys()
    flush()
    _numbering_restarted()
    generate(seed=5, persons=300, today=TODAY, processes=2)
    two = rows_digest(), _log(), _keys()

    assert two[0] == one[0]
    assert two[1] == one[1]
    assert len(two[1]) > 3000
    assert two[2] == one[2]
    assert audit_chain_verify().ok
    # The writing process encrypted what the making process left plain.
    identity = PersonIdentity.objects.order_by("pk").first()
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT family_name FROM {PersonIdentity._meta.db_table} WHERE id = %s",  # noqa: S608
            [identity.pk],
        )
        (raw,) = cursor.fetchone()
    assert identity.family_name
    assert raw.startswith("enc1:")
    assert identity.family_name not in raw


def test_an_error_in_the_making_process_is_raised_here_and_nothing_is_kept(db, monkeypatch):
    built = history.build
    calls = []

    def failing(slot, ctx, rows):
        calls.append(slot)
        if len(calls) == 150:
            raise ValueError("a history that cannot be played")
        return built(slot, ctx, rows)

    monkeypatch.setattr(history, "build", failing)
    monkeypatch.setattr(generator, "PERSONS_PER_BATCH", 70)
    with pytest.raises(ValueError, match="a history that cannot be played") as raised:
        generate(seed=5, persons=300, today=TODAY, processes=2)
    assert any("In the process making the demo's rows" in note for note in raised.value.__notes__)
    assert calls == []  # the histories were built in the other process
    assert not generator.has_data()
    assert not PersonSearchToken.objects.exists()


def test_a_making_process_that_dies_stops_the_run_with_a_clear_error(db, monkeypatch):
    def dying(slot, ctx, rows):
        os._exit(3)

    monkeypatch.setattr(history, "build", dying)
    with (
        translation.override("en"),
        pytest.raises(processes.MakingProcessFailed, match="ended before it finished"),
    ):
        generate(seed=5, persons=300, today=TODAY, processes=2)
    assert not generator.has_data()


def test_the_making_process_may_not_query_the_database(db, monkeypatch):
    """Its connection is the writing process's, inside the demo's transaction."""

    def querying(slot, ctx, rows):
        Person.objects.exists()

    monkeypatch.setattr(history, "build", querying)
    with pytest.raises(RuntimeError, match="may not use the database"):
        generate(seed=5, persons=300, today=TODAY, processes=2)
    assert not generator.has_data()


def test_the_command_makes_the_demo_on_two_cores_when_it_has_them(db, monkeypatch):
    from django.core.management import call_command

    used = []
    made = generator.generate

    def recording(**kwargs):
        used.append(kwargs.get("processes"))
        return made(**kwargs)

    monkeypatch.setattr(generator, "generate", recording)
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    call_command("demo", "--persons", "100", "--today", "2026-03-10", "--no-progress", verbosity=0)
    monkeypatch.setattr(os, "cpu_count", lambda: 1)
    call_command("demo", "--flush", "--persons", "100", "--today", "2026-03-10", verbosity=0)
    assert used == [2, 1]
