"""brik.core.kept on SQLite: a kept query's constants (a status, a day, a limit) are
written into its SQL, its values stay parameters; the rows are the ORM's. SQLite plans
a partial index only for a condition written in the SQL (a parameter's value is not
known when the query is planned)."""

import datetime as dt

import pytest
from django.db import connection
from django.utils import timezone

from brik.accounts.models import Organisation
from brik.cases.models import Case
from brik.core import kept
from brik.testing.factories import OrganisationFactory

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.usefixtures("nothing_kept"),
    pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's kept SQL"),
]


def _sent(run):
    """run()'s result and the statements it sent: (SQL, parameters), as the driver got them."""
    sent = []

    def capture(execute, sql, params, many, context):
        sent.append((sql, list(params or [])))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(capture):
        result = run()
    return result, sent


def _assigned_referred_since(user_id):
    """A value (the contact person) and three constants: a status, a day, a limit."""
    return (
        Case.objects.filter(
            assigned_to=user_id, status="referred", referred_on__gte=dt.date(2021, 3, 5)
        )
        .order_by("referred_on", "id")
        .values_list("id", "referred_on")[:3]
    )


def test_a_kept_querys_constants_are_written_in_and_its_values_are_parameters(
    four_cases, alice, bob
):
    expected = {user.pk: list(_assigned_referred_since(user.pk)) for user in (alice, bob)}
    assert [len(rows) for rows in expected.values()] == [3, 0]
    for _ in range(2):  # compiled, then kept
        for user in (alice, bob):
            rows, sent = _sent(
                lambda user=user: kept.kept_values(
                    "test: since", Case, _assigned_referred_since, (user.pk,)
                )
            )
            assert rows == expected[user.pk]
    [(sql, params)] = sent
    assert "= 'referred'" in sql
    assert "'2021-03-05'" in sql
    assert "LIMIT 3" in sql
    assert params == [bob.pk]


def test_a_constant_text_is_quoted_and_one_with_a_nul_stays_a_parameter(alice):
    names = ["Brik's 100% test; DROP TABLE x --", "Nul\x00in the name"]
    organisations = [OrganisationFactory(name=name) for name in names]
    OrganisationFactory(name="Another")

    for name, organisation in zip(names, organisations, strict=True):

        def named(pk, name=name):
            return Organisation.objects.filter(pk__gte=pk, name=name).values_list("pk", "name")

        kept_as = f"test: {name}"
        for _ in range(2):
            rows, sent = _sent(
                lambda named=named, kept_as=kept_as: kept.kept_values(
                    kept_as, Organisation, named, (1,)
                )
            )
            assert rows == [(organisation.pk, name)]
            assert kept.kept_values(kept_as, Organisation, named, (10**6,)) == []
        [(sql, params)] = sent
        if "\x00" in name:
            assert params == [name, 1]
        else:
            # Django's marks: a percent sign is written %% in SQL that has parameters.
            assert "'Brik''s 100%% test; DROP TABLE x --'" in sql
            assert params == [1]


def test_a_moment_is_written_in_as_djangos_sqlite_backend_sends_it(four_cases, alice):
    moment = timezone.now() - dt.timedelta(days=1)

    def created_since(user_id):
        return Case.objects.filter(assigned_to=user_id, created_at__gte=moment).values_list("id")

    expected = list(created_since(alice.pk))
    assert len(expected) == 4
    for _ in range(2):
        rows, sent = _sent(
            lambda: kept.kept_values("test: since a moment", Case, created_since, (alice.pk,))
        )
        assert sorted(rows) == sorted(expected)
    [(sql, params)] = sent
    written = connection.ops.adapt_datetimefield_value(moment)
    assert f"\"created_at\" >= '{written}'" in sql
    assert params == [alice.pk]
