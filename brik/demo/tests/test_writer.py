"""The demo's writer stores what the ORM and log_action would have stored."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from hypothesis import given
from hypothesis import strategies as st

from brik.cases.models import Case, Person
from brik.core import choices as c
from brik.demo.records import make
from brik.demo.writer import Writer


def test_rows_written_in_bulk_read_back_as_the_orm_would_have_saved_them(db):
    person = make(Person, code="BRK-2021-0001", gender=c.Gender.WOMAN, birth_year=1990)
    person.created_at = person.updated_at = dt.datetime(2021, 3, 1, 9, tzinfo=dt.UTC)
    case = make(Case, person=person, referred_on=dt.date(2021, 3, 1), status="referred")
    case.created_at = case.updated_at = dt.datetime(2021, 3, 1, 10, 15, tzinfo=dt.UTC)
    writer = Writer()
    writer.insert([person])
    writer.insert([case])
    writer.reset_sequences()
    saved = Case.objects.select_related("person").get()
    assert saved.person.code == "BRK-2021-0001"
    assert saved.person.languages == []
    assert saved.created_at == dt.datetime(2021, 3, 1, 10, 15, tzinfo=dt.UTC)
    assert saved.sequence == 1
    # The database's own numbering continues after the demo's rows.
    later = Person.objects.create(code="BRK-2021-0002")
    assert later.pk > person.pk


def test_encrypted_identity_fields_written_in_bulk_decrypt_as_the_orm_reads_them(db):
    from brik.cases.models import PersonIdentity

    person = make(Person, code="BRK-2021-0003")
    person.created_at = person.updated_at = dt.datetime(2021, 3, 1, 9, tzinfo=dt.UTC)
    identity = make(
        PersonIdentity,
        person=person,
        given_names="Ærø Maria",
        family_name="",
        date_of_birth=dt.date(1990, 5, 17),
    )
    identity.created_at = identity.updated_at = person.created_at
    writer = Writer()
    writer.insert([person])
    writer.insert([identity])
    saved = PersonIdentity.objects.get()
    assert (saved.given_names, saved.family_name) == ("Ærø Maria", "")
    assert saved.date_of_birth == dt.date(1990, 5, 17)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT given_names, family_name FROM {PersonIdentity._meta.db_table}")  # noqa: S608
        stored = cursor.fetchone()
    assert stored[0].startswith("enc1:")
    assert "Maria" not in stored[0]
    assert stored[1] == ""


def test_the_demo_snapshot_and_changes_are_the_services_own():
    from brik.audit import services
    from brik.cases.models import PersonIdentity
    from brik.demo import history

    case = make(Case, referred_on=dt.date(2021, 3, 1), status="referred", sequence=1)
    identity = make(PersonIdentity, given_names="Anna", phone="")
    for obj, change in ((case, {"status": "assessed"}), (identity, {"given_names": "Maria"})):
        before = history.snapshot(obj)
        assert before == services.snapshot(obj)
        for attname, value in change.items():
            setattr(obj, attname, value)
        assert history.changes_since(obj, before) == services.changes_since(obj, before)
        assert history.changes_since(obj, before)


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's own JSON text")
def test_json_values_are_the_text_the_backend_would_store():
    from brik.audit.models import ActionLog

    field = ActionLog._meta.get_field("data")
    adapt = Writer()._adapter(field)
    for value in ({"b": [1, 2.5, None], "a": "Ærø"}, [], {"n": True}, "text"):
        assert adapt(value) == connection.ops.adapt_json_value(value, field.encoder)


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's own datetime text")
@given(
    st.datetimes(
        # Hypothesis takes naive bounds; these keep clear of year 1 and 9999 in any zone.
        min_value=dt.datetime(1900, 1, 1),  # noqa: DTZ001
        max_value=dt.datetime(2200, 1, 1),  # noqa: DTZ001
        timezones=st.timezones(),
    )
)
def test_datetimes_are_the_text_the_backend_would_store(value):
    from brik.audit.models import ActionLog

    adapt = Writer()._adapter(ActionLog._meta.get_field("created_at"))
    assert adapt(value) == str(value.astimezone(dt.UTC).replace(tzinfo=None))
    assert adapt(value) == connection.ops.adapt_datetimefield_value(value)


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's own datetime text")
def test_the_datetime_comparison_can_fail():
    from brik.audit.models import ActionLog

    adapt = Writer()._adapter(ActionLog._meta.get_field("created_at"))
    value = dt.datetime(2021, 3, 1, 9, 30, tzinfo=ZoneInfo("Europe/Copenhagen"))
    assert adapt(value) == "2021-03-01 08:30:00"
    assert adapt(value) != str(value.replace(tzinfo=None))


def _constraints(table: str) -> dict:
    with connection.cursor() as cursor:
        return connection.introspection.get_constraints(cursor, table)


@pytest.mark.skipif(connection.vendor != "sqlite", reason="indexes are deferred on SQLite only")
def test_deferred_indexes_are_dropped_for_the_load_and_come_back_as_they_were(db):
    from brik.audit.models import ActionLog
    from brik.demo.writer import _plain_indexes
    from brik.search.models import PersonSearchToken

    tables = [m._meta.db_table for m in (ActionLog, PersonSearchToken)]
    before = {t: _constraints(t) for t in tables}
    plain = {t: _plain_indexes(t) for t in tables}
    assert all(plain.values())
    with Writer().indexes_deferred(ActionLog, PersonSearchToken):
        during = {t: _constraints(t) for t in tables}
        assert not any(_plain_indexes(t) for t in tables)
        for t in tables:
            # What enforces something stays: primary keys and unique indexes.
            kept = {n for n, c in before[t].items() if c["unique"] or c["primary_key"]}
            assert kept <= set(during[t])
            assert not {n for n, _sql in plain[t]} & set(during[t])
    assert {t: _constraints(t) for t in tables} == before
    assert {t: _plain_indexes(t) for t in tables} == plain


def _schema_indexes() -> list[tuple[str, str]]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL"
            " ORDER BY name"
        )
        return list(cursor.fetchall())


@pytest.mark.skipif(connection.vendor != "sqlite", reason="indexes are deferred on SQLite only")
def test_a_demo_run_leaves_every_index_as_the_migrations_made_it(db):
    from brik.demo.generator import PERSON_STAGE_TABLES, generate

    before = _schema_indexes()
    deferred = {m._meta.db_table for m in PERSON_STAGE_TABLES}
    # The run defers the indexes of these tables, and each has some to defer.
    assert all(_plain_indexes_of(table) for table in deferred)
    generate(seed=3, persons=150)
    assert _schema_indexes() == before


def _plain_indexes_of(table: str) -> list:
    from brik.demo.writer import _plain_indexes

    return _plain_indexes(table)


def test_the_action_log_written_a_part_at_a_time_is_the_same_as_all_at_once(db, monkeypatch):
    """Writer.audit chains and writes AUDIT_CHUNK entries at a time: the same entries in
    the same order (by time, ties as given) as one part, and the chain holds across parts."""
    from brik.audit.models import ActionLog
    from brik.audit.services import audit_chain_verify
    from brik.demo import writer
    from brik.demo.records import AuditRecord, Saved

    person = make(Person, code="BRK-2021-0001", gender=c.Gender.WOMAN, birth_year=1990)
    person.created_at = person.updated_at = dt.datetime(2021, 3, 1, 9, tzinfo=dt.UTC)
    case = make(Case, person=person, referred_on=dt.date(2021, 3, 1), status="referred")
    case.created_at = case.updated_at = dt.datetime(2021, 3, 1, 10, tzinfo=dt.UTC)
    Writer().insert([person])
    Writer().insert([case])
    start = dt.datetime(2021, 3, 2, 9, tzinfo=dt.UTC)
    records = [
        AuditRecord(
            start + dt.timedelta(minutes=(n * 7) % 5),  # out of order, with ties
            None,
            "brik.case.noted",
            case,
            Saved(case.pk),
            {"n": n},
        )
        for n in range(11)
    ]

    def content(rows):
        return [(r.created_at, r.action, r.object_id, r.case_id, r.data) for r in rows]

    monkeypatch.setattr(writer, "AUDIT_CHUNK", 10_000)
    Writer().audit(records)
    whole = list(ActionLog.objects.order_by("sequence"))
    monkeypatch.setattr(writer, "AUDIT_CHUNK", 3)
    Writer().audit(records)
    parts = list(ActionLog.objects.order_by("sequence"))[len(whole) :]

    assert content(parts) == content(whole)
    assert [r.data["n"] for r in whole[:3]] == [0, 5, 10]  # the earliest minute, as given
    assert [r.sequence for r in parts] == list(range(12, 23))
    assert audit_chain_verify().ok
