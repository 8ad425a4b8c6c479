"""brik.core.kept: a query's SQL compiled once, its rows made into the same instances
as the ORM's, and any query it cannot keep safely run through the ORM."""

import datetime as dt
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
from django.db.models import Exists, OuterRef
from django.db.models.sql.compiler import SQLCompiler

from brik.audit.models import ActionLog
from brik.audit.selectors import READ_ACTIONS, case_change_rows
from brik.cases import services as case_services
from brik.cases.models import Case, Interview, PersonCitizenship
from brik.cases.selectors.detail import case_detail, case_page_detail
from brik.core import kept
from brik.testing.factories import referral_kwargs

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("nothing_kept")]

CPH = ZoneInfo("Europe/Copenhagen")


@pytest.fixture
def compiled():
    """How many times the ORM compiles a query."""
    with mock.patch.object(
        SQLCompiler, "as_sql", autospec=True, side_effect=SQLCompiler.as_sql
    ) as as_sql:
        yield as_sql


def _case_query(pk):
    return (
        Case.objects.select_related("person__identity", "assigned_to", "assessment")
        .defer("closing_note", "person__identity__phone")
        .annotate(has_interviews=Exists(Interview.objects.filter(case=OuterRef("pk"))))
        .filter(pk=pk)
    )


def _values(instance):
    """Every loaded column of an instance (deferred ones are not read)."""
    deferred = instance.get_deferred_fields()
    return {
        f.attname: getattr(instance, f.attname)
        for f in instance._meta.concrete_fields
        if f.attname not in deferred
    }


def _snapshot(case):
    identity = case.person.identity
    return {
        "case": _values(case),
        "deferred": sorted(case.get_deferred_fields()),
        "person": _values(case.person),
        "identity": _values(identity),
        "identity deferred": sorted(identity.get_deferred_fields()),
        "assigned to": _values(case.assigned_to) if case.assigned_to else None,
        "assessment": _values(case.assessment) if hasattr(case, "assessment") else None,
        "has_interviews": case.has_interviews,
    }


def test_kept_get_gives_the_orms_instance_and_compiles_once(
    identified_case, referred_case, alice, police, dave, compiled, django_assert_num_queries
):
    second = case_services.case_refer(
        actor=dave,
        referring_organisation=police,
        assigned_to=None,
        referred_on=dt.date(2021, 4, 1),
        gender="man",
        birth_year=1990,
        citizenships=["RO"],
        identity={"given_names": "Andra", "family_name": "Syntetisk", "phone": "+45 1234"},
    )
    for case in (identified_case, second):
        expected = _snapshot(_case_query(case.pk).get())
        got = kept.kept_get("test: case", Case, _case_query, case.pk)
        assert _snapshot(got) == expected
        assert got.person.identity.given_names in ("Testa", "Andra")  # decrypted
        assert got._state.adding is False
        assert got._state.db == "default"
    compiled.reset_mock()
    with django_assert_num_queries(1):
        again = kept.kept_get("test: case", Case, _case_query, second.pk)
    assert compiled.call_count == 0
    assert _snapshot(again) == _snapshot(_case_query(second.pk).get())
    # A deferred column is still read when asked for, as the ORM's instance does.
    assert again.person.identity.phone == "+45 1234"


def test_nothing_found_is_does_not_exist(referred_case):
    with pytest.raises(Case.DoesNotExist):
        kept.kept_get("test: missing", Case, _case_query, referred_case.pk + 1000)
    with pytest.raises(Case.DoesNotExist):  # now from the kept SQL
        kept.kept_get("test: missing", Case, _case_query, referred_case.pk + 1001)
    assert (
        kept.kept_get("test: missing", Case, _case_query, referred_case.pk).pk == referred_case.pk
    )


def test_a_list_keeps_its_order(identified_case, alice, compiled):
    person = identified_case.person
    for country in ("SE", "AF", "NG", "DE"):
        PersonCitizenship.objects.get_or_create(person=person, country=country)

    def make(pk):
        return PersonCitizenship.objects.filter(person_id=pk).order_by("-country")

    expected = [(c.pk, c.country) for c in make(person.pk)]
    assert [
        (c.pk, c.country) for c in kept.kept_list("test: list", PersonCitizenship, make, person.pk)
    ] == expected
    compiled.reset_mock()
    assert [
        (c.pk, c.country) for c in kept.kept_list("test: list", PersonCitizenship, make, person.pk)
    ] == expected
    assert compiled.call_count == 0
    assert expected[0][1] == "SE"
    assert len(expected) == 4


def test_a_value_used_otherwise_is_not_kept(referred_case, identified_case):
    """Where a parameter is derived from the value (not the value itself), the query is
    run through the ORM every time and nothing is kept."""

    def make(pk):
        return Case.objects.filter(pk=pk, sequence__lte=pk + 5)

    for case in (referred_case, identified_case):
        assert kept.kept_get("test: derived", Case, make, case.pk).pk == case.pk
    assert not kept._KEPT


def test_a_query_that_matches_nothing_is_not_kept(referred_case):
    assert (
        kept.kept_list("test: none", Case, lambda pk: Case.objects.none(), referred_case.pk) == []
    )
    assert not kept._KEPT


@pytest.fixture
def referred_again(closed_case, dave, police, alice):
    """The person of the closed case, referred again (re-trafficking): two cases."""
    return case_services.case_refer(
        actor=dave,
        referring_organisation=police,
        assigned_to=alice,
        person=closed_case.person,
        **referral_kwargs(referred_on=dt.date(2022, 2, 1)),
    )


@pytest.fixture
def extended_case(identified_case, alice):
    """In a reflection period since 10 March 2021, extended twice."""
    period = case_services.reflection_start(
        actor=alice, case=identified_case, starts_on=dt.date(2021, 3, 10)
    )
    for days, extended_on in ((10, dt.date(2021, 3, 20)), (20, dt.date(2021, 3, 25))):
        case_services.reflection_extend(
            actor=alice,
            case=identified_case,
            new_ends_on=period.ends_on + dt.timedelta(days=days),
            reason="special_reasons",
            extended_on=extended_on,
        )
    return identified_case


@pytest.mark.parametrize("which", ["returned_case", "referred_again", "extended_case"])
def test_the_case_page_reads_the_same_case_as_without_kept_sql(
    which, request, alice, django_assert_num_queries
):
    """case_detail's kept query and lists give what its ORM queries give: every column,
    the related rows, the flags, and the lists in their order, read without a query."""
    case = request.getfixturevalue(which)
    PersonCitizenship.objects.get_or_create(person=case.person, country="AF")
    if which == "returned_case":
        for held_on, status in (
            (dt.date(2021, 5, 3), "on_track"),
            (dt.date(2021, 4, 20), "no_contact"),
        ):
            case_services.follow_up_add(actor=alice, case=case, held_on=held_on, status=status)
    if which == "extended_case":
        for kind in ("medical", "accommodation"):
            case_services.support_add(
                actor=alice,
                case=case,
                kind=kind,
                starts_on=dt.date(2021, 3, 21),
                provider=alice.organisation,
            )

    def lists(case):
        assessment = getattr(case, "assessment", None)
        period = getattr(case, "reflection_period", None)
        return {
            "citizenships": [(c.pk, c.country) for c in case.person.citizenships.all()],
            "forms": [(f.pk, f.form) for f in assessment.forms.all()] if assessment else None,
            "extensions": [e.pk for e in period.extensions.all()] if period else None,
            "cases": [(k.pk, k.sequence) for k in case.person.cases.all()],
            "returns": [
                (r.pk, r.reintegration_partner_id and r.reintegration_partner.name)
                for r in case.returns.all()
            ],
            "follow_ups": [[f.pk for f in r.follow_ups.all()] for r in case.returns.all()],
            "interviews": [(i.pk, i.status) for i in case.interviews.all()],
            "support": [
                (m.pk, m.provider_id and m.provider.name) for m in case.support_measures.all()
            ],
        }

    plain = case_detail(user=alice, pk=case.pk)
    for _ in range(2):  # compiled, then kept
        page = case_page_detail(user=alice, pk=case.pk)
        with django_assert_num_queries(0):
            assert lists(page) == lists(plain)
            assert page.has_notes is False
            assert page.has_attachments is False
            for name in (
                "has_interviews",
                "has_support_measures",
                "has_returns",
                "has_other_cases",
            ):
                assert getattr(page, name) == getattr(plain, name)
        deferred = page.get_deferred_fields()
        assert {k: v for k, v in _values(plain).items() if k not in deferred} == _values(page)
    shown = lists(plain)
    assert len(shown["citizenships"]) == 2
    if which == "returned_case":
        assert shown["forms"]
        assert shown["returns"]
        assert shown["interviews"]
        assert [len(follow_ups) for follow_ups in shown["follow_ups"]] == [2]
    elif which == "extended_case":
        assert len(shown["extensions"]) == 2
        assert shown["forms"]
        assert len(shown["support"]) == 2
    else:
        assert len(shown["cases"]) == 2
        assert page.has_other_cases


def test_the_cases_changes_are_the_orms(returned_case):
    def orm(case):
        return list(
            ActionLog.objects.filter(case=case)
            .exclude(action__in=READ_ACTIONS)
            .select_related("actor", "organisation")
            .order_by("created_at", "id")
        )

    def seen(rows):
        return [
            (
                r.pk,
                r.action,
                r.changes,
                r.actor.username,
                r.organisation.name if r.organisation else None,
            )
            for r in rows
        ]

    for _ in range(2):  # compiled, then kept
        rows = case_change_rows(returned_case)
        assert seen(rows) == seen(orm(returned_case))
    assert len(rows) >= 5


@pytest.mark.parametrize("pk", [2**63, -(2**63) - 1, 10**30])
def test_a_key_no_column_can_hold_matches_nothing(referred_case, pk):
    """As the ORM: no error from the database's driver, and no row."""
    assert kept.kept_get("test: huge", Case, _case_query, referred_case.pk).pk == referred_case.pk
    with pytest.raises(Case.DoesNotExist):
        kept.kept_get("test: huge", Case, _case_query, pk)
    assert kept.kept_get("test: huge", Case, _case_query, referred_case.pk).pk == referred_case.pk


# --- values lists with several parameters (kept_values, kept_counts) ---------------------


def _cases_referred(user_id, since, status):
    """Cases of a contact person referred since a day, in a status: three values."""
    return (
        Case.objects.filter(assigned_to=user_id, referred_on__gte=since, status=status)
        .order_by("referred_on", "id")
        .values_list("id", "referred_on", "urgent", "person__code")
    )


def test_kept_values_are_the_orms_for_other_values_and_compile_once(
    four_cases, alice, bob, compiled, django_assert_num_queries
):
    asked = [
        (alice.pk, dt.date(2021, 3, 1), "referred"),
        (alice.pk, dt.date(2021, 3, 6), "referred"),
        (alice.pk, dt.date(2021, 3, 6), "closed"),
        (bob.pk, dt.date(2021, 3, 1), "referred"),
        (alice.pk, dt.date(2021, 3, 13), "referred"),
    ]
    expected = [[tuple(row) for row in _cases_referred(*values)] for values in asked]
    assert [len(rows) for rows in expected] == [4, 2, 0, 0, 1]
    assert isinstance(expected[0][0][1], dt.date)  # a date, converted as by the ORM
    kept.kept_values("test: referred", Case, _cases_referred, asked[0])
    compiled.reset_mock()
    for values, rows in zip(asked, expected, strict=True):
        with django_assert_num_queries(1):
            assert kept.kept_values("test: referred", Case, _cases_referred, values) == rows
    assert compiled.call_count == 0


def test_a_datetime_is_put_in_as_the_database_takes_it(referred_case, alice, compiled):
    for day in (2, 3, 4):
        case_services.interview_plan(
            actor=alice,
            case=referred_case,
            planned_for=dt.datetime(2021, 3, day, 10, tzinfo=dt.UTC),
            place=f"Room {day}",
        )

    def planned_before(moment):
        return (
            Interview.objects.filter(planned_for__lt=moment)
            .order_by("planned_for")
            .values_list("place", "planned_for")
        )

    moments = (
        dt.datetime(2021, 3, 3, 11, tzinfo=dt.UTC),
        dt.datetime(2021, 3, 3, 11, 30, tzinfo=CPH),  # 10:30 UTC: after the one at 10
        dt.datetime(2021, 3, 3, 10, 30, tzinfo=CPH),  # 9:30 UTC: before it
    )
    expected = [[tuple(row) for row in planned_before(moment)] for moment in moments]
    kept.kept_values("test: planned", Interview, planned_before, (moments[0],))
    compiled.reset_mock()
    for moment, rows in zip(moments, expected, strict=True):
        assert kept.kept_values("test: planned", Interview, planned_before, (moment,)) == rows
    assert compiled.call_count == 0  # kept, the time put in as the database takes it
    assert [place for place, _ in rows] == ["Room 2"]
    assert rows[0][1] == dt.datetime(2021, 3, 2, 10, tzinfo=dt.UTC)  # aware, as the ORM's


def test_a_value_that_changes_the_sql_is_not_put_in(referred_case, alice):
    """None makes another SQL (IS NULL): never put into the SQL kept for a number."""

    def assigned(user_id):
        return Case.objects.filter(assigned_to=user_id).values_list("id")

    assert kept.kept_values("test: assigned", Case, assigned, (alice.pk,)) == [(referred_case.pk,)]
    Case.objects.filter(pk=referred_case.pk).update(assigned_to=None)
    assert kept.kept_values("test: assigned", Case, assigned, (None,)) == [(referred_case.pk,)]
    assert kept.kept_values("test: assigned", Case, assigned, (alice.pk,)) == []


def test_a_value_used_otherwise_leaves_the_query_to_the_orm(four_cases, alice):
    def around(since):
        return Case.objects.filter(
            referred_on__gte=since, referred_on__lt=since + dt.timedelta(days=5)
        ).values_list("id")

    for day in (1, 5, 9):
        since = dt.date(2021, 3, day)
        assert kept.kept_values("test: around", Case, around, (since,)) == list(around(since))
    assert not kept._PARAMETRIZED
    assert [name for name, _alias, _vendor in kept._NOT_KEPT] == ["test: around"]


def test_the_counts_are_the_orms_in_one_query(four_cases, alice, bob, django_assert_num_queries):
    def mine(user_id):
        return Case.objects.filter(assigned_to=user_id)

    def since(user_id, day):
        return _cases_referred(user_id, day, "referred")

    def everyone():
        return Case.objects.all()

    counted = [
        ("mine", mine, (alice.pk,)),
        ("since", since, (alice.pk, dt.date(2021, 3, 5))),
        ("bob's", mine, (bob.pk,)),
        ("everyone", everyone, ()),
    ]
    for cap in (2, 10):
        expected = [make(*values)[: cap + 1].count() for _, make, values in counted]
        for _ in range(2):  # compiled, then kept
            with django_assert_num_queries(1):
                assert kept.kept_counts("test", Case, counted, cap) == expected
        assert expected == ([3, 3, 0, 3] if cap == 2 else [4, 3, 0, 4])


def test_verify_finds_a_name_that_stands_for_two_queries(four_cases, alice, monkeypatch):
    def before(day):
        return Case.objects.filter(referred_on__lt=day).values_list("id")

    def after(day):
        return Case.objects.filter(referred_on__gt=day).values_list("id")

    day = dt.date(2021, 3, 6)
    kept.kept_values("test: one name", Case, before, (day,))
    monkeypatch.setattr(kept, "VERIFY", True)
    assert kept.kept_values("test: one name", Case, before, (day,)) == list(before(day))
    with pytest.raises(AssertionError, match="test: one name"):
        kept.kept_values("test: one name", Case, after, (day,))
