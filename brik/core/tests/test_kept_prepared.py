"""brik.core.kept on PostgreSQL: the kept queries run as prepared statements, their
constant parameters written into the SQL, their values bound on the server; the rows
are the ORM's, and Django still counts and logs each query."""

import datetime as dt

import pytest
from django.db import connection, transaction
from django.test import override_settings

from brik.accounts.models import Organisation
from brik.cases.models import Case
from brik.core import kept
from brik.testing.factories import OrganisationFactory

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.usefixtures("nothing_kept"),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="PostgreSQL's prepared statements"
    ),
]


def _prepared() -> list[tuple[str, list[str]]]:
    """This connection's prepared statements: (SQL, parameter types)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement, parameter_types::text[] FROM pg_prepared_statements")
        return [(sql, list(types)) for sql, types in cursor.fetchall()]


def _assigned_referred_since(user_id):
    """A value (the contact person) and three constants: a status, a day, a limit."""
    return (
        Case.objects.filter(
            assigned_to=user_id, status="referred", referred_on__gte=dt.date(2021, 3, 5)
        )
        .order_by("referred_on", "id")
        .values_list("id", "referred_on")[:3]
    )


def test_a_kept_query_is_prepared_with_its_constants_written_in(
    four_cases, alice, bob, django_assert_num_queries
):
    expected = {user.pk: list(_assigned_referred_since(user.pk)) for user in (alice, bob)}
    assert [len(rows) for rows in expected.values()] == [3, 0]
    for _ in range(3):
        for user in (alice, bob):
            with django_assert_num_queries(1) as logged:  # counted and logged as any query
                rows = kept.kept_values("test: since", Case, _assigned_referred_since, (user.pk,))
            assert rows == expected[user.pk]
            [query] = logged.captured_queries
            assert f'"assigned_to_id" = {user.pk}' in query["sql"]  # the SQL as it ran
    prepared = [(sql, types) for sql, types in _prepared() if "cases_case" in sql]
    assert len(prepared) == 1
    sql, types = prepared[0]
    # The status, the day and the limit are in the SQL; only the contact person is a
    # parameter, so that one plan serves every contact person.
    assert "= 'referred'" in sql
    assert "'2021-03-05'::date" in sql
    assert "LIMIT 3" in sql
    assert "$1" in sql
    assert "$2" not in sql
    assert len(types) == 1


def test_a_constant_text_is_quoted(alice):
    name = "Brik's 100% test; DROP TABLE x --"
    organisation = OrganisationFactory(name=name)
    OrganisationFactory(name="Another")

    def named(pk):
        return Organisation.objects.filter(pk__gte=pk, name=name).values_list("pk", "name")

    for _ in range(2):
        assert kept.kept_values("test: named", Organisation, named, (1,)) == [
            (organisation.pk, name)
        ]
        assert kept.kept_values("test: named", Organisation, named, (organisation.pk + 1,)) == []
    [(sql, _types)] = [(s, t) for s, t in _prepared() if "accounts_organisation" in s]
    assert "'Brik''s 100% test; DROP TABLE x --'" in sql


def test_the_counts_and_lists_of_ids_are_prepared_too(four_cases, alice, bob):
    def mine(user_id):
        return Case.objects.filter(assigned_to=user_id, status="referred")

    counted = [("mine", mine, (alice.pk,)), ("bob's", mine, (bob.pk,))]
    for _ in range(2):
        assert kept.kept_counts("test", Case, counted, 10) == [4, 0]
    ids = [case.pk for case in four_cases[:2]]
    for _ in range(2):
        rows = kept.kept_rows(
            "test: codes",
            Case,
            lambda ids: Case.objects.filter(pk__in=ids).order_by("pk").values_list("pk"),
            ids,
        )
        assert rows == [(pk,) for pk in sorted(ids)]
    statements = [sql for sql, _types in _prepared()]
    assert any("COUNT(*)" in sql and "'referred'" in sql for sql in statements)
    assert any('"cases_case"."id" IN ($1, $2)' in sql for sql in statements)


def test_a_rolled_back_transaction_drops_nothing_needed(four_cases, alice):
    """psycopg forgets its prepared statements when a transaction is rolled back (they
    may have gone with it); the query is prepared again."""
    kept.kept_values("test: since", Case, _assigned_referred_since, (alice.pk,))

    def prepared_then_rolled_back():
        with transaction.atomic():
            kept.kept_values("test: since", Case, _assigned_referred_since, (alice.pk,))
            raise RuntimeError

    with pytest.raises(RuntimeError):
        prepared_then_rolled_back()
    assert kept.kept_values("test: since", Case, _assigned_referred_since, (alice.pk,)) == list(
        _assigned_referred_since(alice.pk)
    )


@override_settings(PG_PREPARED_STATEMENTS=False)
def test_without_prepared_statements_nothing_is_prepared(four_cases, alice):
    for _ in range(3):
        rows = kept.kept_values("test: since", Case, _assigned_referred_since, (alice.pk,))
        assert rows == list(_assigned_referred_since(alice.pk))
    assert not [sql for sql, _types in _prepared() if "cases_case" in sql]


def test_a_kept_statement_is_planned_once_for_any_values(four_cases, alice, bob):
    """PostgreSQL keeps one plan from the first run (plan_cache_mode): left to itself it
    plans the first five runs for their values, and some statements on every run."""
    for _ in range(4):
        for user in (alice, bob):
            kept.kept_values("test: since", Case, _assigned_referred_since, (user.pk,))
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT generic_plans, custom_plans FROM pg_prepared_statements"
            " WHERE statement LIKE %s",
            ["%cases_case%"],
        )
        assert cursor.fetchall() == [(8, 0)]
