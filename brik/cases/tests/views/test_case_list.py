import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from brik.cases import services
from brik.cases.selectors import case_list
from brik.cases.tests.views.conftest import login
from brik.core import choices as c
from brik.testing.factories import referral_kwargs


def listing(client, **params) -> str:
    response = client.get(reverse("cases:list"), params)
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def three_cases(dave, police, alice, bob, immigration):
    """2021: an identified Nigerian woman (sexual + criminal, by the immigration service),
    a Thai man referred by the centre itself and decided by the centre (forced labour);
    2022: a Romanian woman, only referred."""
    with time_machine.travel(dt.date(2022, 6, 1), tick=False):
        nigerian = services.case_refer(
            actor=dave, referring_organisation=police, assigned_to=alice, **referral_kwargs()
        )
        services.assessment_decide(
            actor=alice,
            case=nigerian,
            decided_on=dt.date(2021, 3, 10),
            deciding_authority=c.DecidingAuthority.IMMIGRATION,
            outcome=c.Outcome.IDENTIFIED,
            forms=[c.ExploitationForm.SEXUAL, c.ExploitationForm.CRIMINAL],
        )
        thai = services.case_refer(
            actor=bob,
            referring_organisation=bob.organisation,
            assigned_to=bob,
            **referral_kwargs(
                gender=c.Gender.MAN,
                citizenships=["TH"],
                referred_on=dt.date(2021, 8, 1),
                identity={"given_names": "Other"},
            ),
        )
        services.assessment_decide(
            actor=bob,
            case=thai,
            decided_on=dt.date(2022, 1, 5),
            deciding_authority=c.DecidingAuthority.CENTRE,
            outcome=c.Outcome.IDENTIFIED,
            forms=[c.ExploitationForm.FORCED_LABOUR],
        )
        romanian = services.case_refer(
            actor=dave,
            referring_organisation=police,
            **referral_kwargs(
                citizenships=["RO"],
                referred_on=dt.date(2022, 2, 1),
                identity={"given_names": "Third"},
            ),
        )
    return nigerian, thai, romanian


def codes_in(page, cases):
    return [case.code in page for case in cases]


def test_the_list_shows_every_case_by_default(alice_client, three_cases):
    assert codes_in(listing(alice_client), three_cases) == [True, True, True]


def test_the_list_never_shows_names(alice_client, three_cases):
    page = listing(alice_client)
    assert "Syntetisk" not in page
    assert "Testa" not in page


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"q": "2021-0001"}, [True, False, False]),
        ({"status": "referred"}, [False, False, True]),
        ({"open": "open"}, [True, True, True]),
        ({"referred_year": "2022"}, [False, False, True]),
        ({"decided_year": "2022"}, [False, True, False]),
        ({"authority": "immigration"}, [True, False, False]),
        ({"form": "criminal"}, [True, False, False]),
        ({"form": "forced_labour"}, [False, True, False]),
        ({"citizenship": "TH"}, [False, True, False]),
        # A name in either language works as well as the code (without JavaScript).
        ({"citizenship": "Thailand"}, [False, True, False]),
        ({"citizenship": "rumænien"}, [False, False, True]),
        ({"assigned": "none"}, [False, False, True]),
    ],
)
def test_the_list_filters(alice_client, three_cases, params, expected):
    assert codes_in(listing(alice_client, **params), three_cases) == expected


def test_the_list_filters_by_contact_person(alice_client, three_cases, bob):
    assert codes_in(listing(alice_client, assigned=str(bob.pk)), three_cases) == [
        False,
        True,
        False,
    ]


def test_the_list_filters_by_referring_organisation(alice_client, three_cases, police):
    assert codes_in(listing(alice_client, organisation=str(police.pk)), three_cases) == [
        True,
        False,
        True,
    ]


def test_a_filter_it_does_not_understand_is_ignored_with_a_message(alice_client, three_cases):
    page = listing(alice_client, status="teleported")
    assert codes_in(page, three_cases) == [True, True, True]
    assert "Some filters were not understood" in page


@pytest.mark.parametrize(
    ("sort", "first", "last"),
    [("-referred", 2, 0), ("referred", 0, 2), ("code", 0, 2), ("-code", 2, 0)],
)
def test_the_list_sorts(alice_client, three_cases, sort, first, last):
    page = listing(alice_client, sort=sort)
    assert page.index(three_cases[first].code) < page.index(three_cases[last].code)


def test_the_sorted_column_says_so_to_screen_readers(alice_client, three_cases):
    page = listing(alice_client, sort="code")
    assert 'aria-sort="ascending"' in page


def test_the_list_is_paginated(alice_client, dave, police):
    for n in range(52):
        services.case_refer(
            actor=dave,
            referring_organisation=police,
            **referral_kwargs(identity={"given_names": f"P{n}"}),
        )
    first = listing(alice_client, sort="code")
    second = listing(alice_client, sort="code", page="2")
    assert "BRK-2021-0001" in first
    assert "BRK-2021-0051" not in first
    assert "BRK-2021-0051" in second
    assert "Page 2 of 2" in second


def test_the_list_counts_to_the_cap_and_lists_that_many(
    alice, alice_client, dave, police, monkeypatch
):
    """Beyond COUNT_CAP (1,000; 51 here, so that a test makes few cases) the list says
    "more than", lists the first COUNT_CAP cases and says how to find the others."""
    monkeypatch.setattr(case_list, "COUNT_CAP", 51)
    for n in range(53):
        services.case_refer(
            actor=dave,
            referring_organisation=police,
            **referral_kwargs(identity={"given_names": f"P{n}"}),
        )
    first = listing(alice_client, citizenship="NG", sort="code")
    assert "More than 51 cases · filtered" in first
    assert "Only the first 51" not in first  # said where the list ends
    last = listing(alice_client, citizenship="NG", sort="code", page="2")
    assert "Page 2 of 2" in last
    assert "BRK-2021-0051" in last
    assert "BRK-2021-0052" not in last
    assert "Only the first 51 cases are listed. Narrow the filters" in last
    beyond = listing(alice_client, citizenship="NG", sort="code", page="3")
    assert "BRK-2021-0052" not in beyond  # the last listed page instead
    assert "Mere end 51 sager" in listing(login(alice, "da"), citizenship="NG")
    assert "More than 51 cases</p>" in listing(alice_client, sort="code")  # not filtered
    monkeypatch.setattr(case_list, "COUNT_CAP", 53)
    assert "53 cases · filtered" in listing(alice_client, citizenship="NG")
    assert "53 cases</p>" in listing(alice_client)


# Per request, besides the page: the session, the user (with their organisation,
# which the menu shows) and the 2FA device that verified the session (a read renews
# the session at most once a minute).
CASE_LIST_QUERIES = 10


# The filtered lists and the code search: the same queries whatever the number of
# cases (a name search adds the person search's own, pinned in brik/search).
FILTERS = [
    pytest.param({}, CASE_LIST_QUERIES, id="unfiltered"),
    pytest.param({"citizenship": "NG"}, CASE_LIST_QUERIES, id="citizenship"),
    # One more: the persons holding the code, found once for the page and its count.
    pytest.param({"q": "BRK-2021"}, CASE_LIST_QUERIES + 1, id="code search"),
    pytest.param(
        {"status": "identified", "form": "sexual", "authority": "immigration", "sort": "code"},
        CASE_LIST_QUERIES,
        id="status, form, authority, by code",
    ),
    pytest.param({"referred_year": "2021", "sort": "-decided"}, CASE_LIST_QUERIES, id="year"),
]


@pytest.mark.parametrize(("params", "queries"), FILTERS)
def test_the_list_runs_a_fixed_number_of_queries(
    alice_client, django_assert_num_queries, dave, police, alice, params, queries
):
    def add(count, start):
        for n in range(start, start + count):
            case = services.case_refer(
                actor=dave,
                referring_organisation=police,
                **referral_kwargs(identity={"given_names": f"P{n}"}, citizenships=["NG", "GH"]),
            )
            services.assessment_decide(
                actor=alice,
                case=case,
                decided_on=dt.date(2021, 3, 10),
                deciding_authority="immigration",
                outcome="identified",
                forms=["sexual", "criminal"],
            )

    with time_machine.travel(dt.date(2021, 6, 1), tick=False):
        add(3, 0)
        with django_assert_num_queries(queries):
            few = listing(alice_client, **params)
        add(12, 3)
        with django_assert_num_queries(queries):
            page = listing(alice_client, **params)
    assert page.count("Nigeria") >= 15
    assert page.count("Nigeria") > few.count("Nigeria")


@pytest.mark.parametrize("few_enough", [True, False])
def test_a_code_search_finds_the_same_cases_by_ids_or_by_the_join(
    alice_client, dave, police, monkeypatch, few_enough
):
    """A code held by at most CODE_SEARCH_IDS persons filters by their ids, one held
    by more by the code in the join: the same cases and count either way."""
    cases = [
        services.case_refer(actor=dave, referring_organisation=police, **referral_kwargs())
        for _ in range(3)
    ]
    # Every code holds its prefix: 3 persons match; 1 allowed means the join.
    monkeypatch.setattr(case_list, "CODE_SEARCH_IDS", 10 if few_enough else 1)
    prefix = cases[0].code[:4]
    page = listing(alice_client, q=prefix)
    assert all(case.code in page for case in cases)
    assert "3 cases" in page
    one = listing(alice_client, q=cases[1].code)
    assert cases[1].code in one
    assert cases[0].code not in one
    assert cases[2].code not in one
    # A part of a code, not its start (the codes' trigram index), in small letters.
    part = listing(alice_client, q=cases[1].code[-6:].lower())
    assert cases[1].code in part
    assert cases[0].code not in part
    assert cases[2].code not in part


def test_the_citizenship_filter_names_an_unknown_country_and_keeps_it(alice_client, three_cases):
    body = listing(alice_client, citizenship="Atlantis")
    assert "Unknown country: Atlantis." in body
    assert 'value="Atlantis"' in body


def test_the_citizenship_filter_carries_no_list_of_countries(alice_client, three_cases):
    body = listing(alice_client, citizenship="TH")
    assert f'data-url="{reverse("cases:countries")}"' in body
    assert 'data-codes="TH"' in body
    assert 'value="Thailand"' in body
    assert body.count("<option") < 100  # the other selects only


def test_the_countries_search_finds_a_country_by_any_of_its_names(alice_client):
    def found(query, language="en"):
        response = alice_client.get(
            reverse("cases:countries"), {"q": query}, HTTP_ACCEPT_LANGUAGE=language
        )
        return [(r["value"], r["text"]) for r in response.json()["results"]]

    assert found("nig")[:2] == [("NE", "Niger"), ("NG", "Nigeria")]
    assert ("MM", "Myanmar (Burma)") in found("burma")
    assert ("RU", "Russia") in found("Rusland")
    assert ("TR", "Tyrkiet") in found("Turkey", "da")
    assert found("") == []


def test_the_rows_read_through_kept_sql_are_the_orms_rows(three_cases):
    """case_list_rows runs its three queries from SQL compiled once (kept_rows): the
    same values, of the same types, as the ORM's values_list gives; a second call
    (the SQL kept) gives them again, and for another number of ids too."""
    from brik.cases.models import Case, ExploitationForm, PersonCitizenship
    from brik.cases.selectors import case_list as selector
    from brik.core import kept as kept_sql

    kept_sql._ROWS_SQL.clear()
    pks = list(Case.objects.order_by("pk").values_list("pk", flat=True))
    orm = list(Case.objects.filter(pk__in=pks).values_list(*selector.LIST_COLUMNS))
    for ids in (pks, pks, pks[:2]):
        kept = kept_sql.kept_rows(
            "case list: rows",
            Case,
            lambda i: Case.objects.filter(pk__in=i).values_list(*selector.LIST_COLUMNS),
            ids,
        )
        wanted = [row for row in orm if row[0] in ids]
        assert sorted(kept) == sorted(wanted)
        assert [tuple(map(type, row)) for row in sorted(kept)] == [
            tuple(map(type, row)) for row in sorted(wanted)
        ]
    assert any(row[5] is None for row in orm)
    assert any(row[5] is not None for row in orm)
    assert len(kept_sql._ROWS_SQL) == 2
    rows = selector.case_list_rows(pks)
    assert [row.pk for row in rows] == pks
    for row, case in zip(rows, Case.objects.filter(pk__in=pks).order_by("pk"), strict=True):
        assert row.referred_on == case.referred_on
        assert row.decided_on == case.decided_on
        assert row.urgent is case.urgent
        assert row.citizenships == sorted(
            PersonCitizenship.objects.filter(person=case.person).values_list("country", flat=True)
        )
        assessment = getattr(case, "assessment", None)
        assert row.forms == (
            sorted(
                ExploitationForm.objects.filter(assessment=assessment).values_list(
                    "form", flat=True
                )
            )
            if assessment
            else []
        )


def test_the_filter_choices_read_as_values_are_the_forms_choices_from_models(
    three_cases, alice, bob, police
):
    """case_list_filter_choices (plain values, SQL kept) gives the filter form the same
    contact persons and organisations, in the same order, as case_list_choices' models;
    twice (the second time from the kept SQL) and after a change (no stale choice)."""
    from brik.cases.forms import CaseFilterForm
    from brik.cases.selectors import case_list as selector
    from brik.core import kept as kept_sql

    def from_models():
        staff, referrers = selector.case_list_choices()
        form = CaseFilterForm(staff=staff, referrers=referrers)
        return form.fields["assigned"].choices, form.fields["organisation"].choices

    def from_values():
        form = CaseFilterForm(choice_pairs=selector.case_list_filter_choices())
        return form.fields["assigned"].choices, form.fields["organisation"].choices

    kept_sql._ROWS_SQL.clear()
    assert from_values() == from_models()
    assert (str(alice.pk), alice.get_full_name() or alice.username) in from_values()[0]
    assert (str(police.pk), police.name) in from_values()[1]
    bob.first_name = "Aaron"
    bob.save()
    police.name = "Renamed police"
    police.save()
    assert from_values() == from_models()
    assert (str(police.pk), "Renamed police") in from_values()[1]
    assert {key[0] for key in kept_sql._ROWS_SQL} == {"case list: staff", "case list: referrers"}


def test_the_citizenship_filter_counts_each_case_once(alice_client, dave, police, alice):
    """The count (IN the country's citizens) and the page (EXISTS) agree: a person of
    two citizenships counts once, a person referred twice counts twice, a citizen of
    another country not at all."""
    with time_machine.travel(dt.date(2021, 6, 1), tick=False):
        two = services.case_refer(
            actor=dave,
            referring_organisation=police,
            **referral_kwargs(identity={"given_names": "Two"}, citizenships=["NG", "GH"]),
        )
        services.case_close(
            actor=alice, case=two, closed_on=dt.date(2021, 4, 1), reason="disappeared"
        )
        services.case_refer(
            actor=dave,
            referring_organisation=police,
            person=two.person,
            **referral_kwargs(referred_on=dt.date(2021, 5, 1)),
        )
        for name, countries in (("One", ["NG"]), ("Other", ["GH"])):
            services.case_refer(
                actor=dave,
                referring_organisation=police,
                **referral_kwargs(identity={"given_names": name}, citizenships=countries),
            )
        page = listing(alice_client, citizenship="NG", lang="en")
    assert "3 cases" in page
    assert page.count("<tr") - 1 == 3
    assert "3 cases" in listing(alice_client, citizenship="GH", lang="en")
    assert "0 cases" in listing(alice_client, citizenship="SE", lang="en")


@pytest.mark.parametrize(
    "params", [{"status": "closed"}, {"status": "closed", "citizenship": "RO"}]
)
def test_a_status_filtered_page_is_read_in_the_lists_order(
    alice_client, alice, three_cases, params
):
    """The page of a status (with or without a citizenship) is read from an index in the
    list's order and stops at the page's end: no sort of all the status's cases (most
    cases are closed: 19 ms at 100,000 persons with the sort, before the (status,
    referred_on, id) index). SQLite's plan, which has no table statistics to go by at
    any size."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    if connection.vendor != "sqlite":
        pytest.skip("SQLite's query plan")
    romanian = three_cases[2]
    with time_machine.travel(dt.date(2022, 6, 2), tick=False):
        services.case_close(
            actor=alice, case=romanian, closed_on=dt.date(2022, 6, 2), reason="disappeared"
        )
    with CaptureQueriesContext(connection) as queries:
        assert romanian.code in listing(alice_client, **params)
    page = next(
        q["sql"]
        for q in queries.captured_queries
        if q["sql"].startswith('SELECT "cases_case"."id" AS "pk"') and "LIMIT" in q["sql"]
    )
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN QUERY PLAN {page}")
        plan = " / ".join(row[-1] for row in cursor.fetchall())
    assert "cases_case USING" in plan
    assert "INDEX" in plan
    assert "TEMP B-TREE" not in plan


def _a_citizenships_count(client) -> str:
    """The SQL of the case list's count, filtered by a citizenship (capped)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        assert "1 case · filtered" in listing(client, citizenship="TH")
    # Django's count of a sliced query, or the same subquery in the kept count
    # (brik.core.kept.kept_counts: SELECT (SELECT COUNT(*) FROM (...) counted_0)).
    count = next(
        q["sql"]
        for q in queries.captured_queries
        if q["sql"].startswith(("SELECT COUNT", "SELECT (SELECT COUNT"))
    )
    assert f"LIMIT {case_list.COUNT_CAP + 1}" in count
    return count


def test_a_filtered_count_stops_at_the_cap_without_a_sort_or_a_scan(alice_client, three_cases):
    """The count of the list reads the first COUNT_CAP + 1 cases it finds: no sort, no
    scan of the cases, a citizenship's cases found from its citizens (the count then
    costs the same at any size). SQLite's plan."""
    from django.db import connection

    if connection.vendor != "sqlite":
        pytest.skip("SQLite's query plan")
    count = _a_citizenships_count(alice_client)
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN QUERY PLAN {count}")
        plan = " / ".join(row[-1] for row in cursor.fetchall())
    assert "USING COVERING INDEX citizenship_country_idx (country=?)" in plan
    assert "LIST SUBQUERY" not in plan  # not every citizen listed first
    assert "SCAN cases_case" not in plan
    assert "TEMP B-TREE" not in plan


def test_a_citizenships_count_does_not_go_through_the_persons_table(alice_client, three_cases):
    """PostgreSQL merges the citizenship index with the cases' person index for IN; a
    join through the persons' table read a third index besides. PostgreSQL's plan."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's query")
    count = _a_citizenships_count(alice_client)
    assert 'JOIN "cases_person" ' not in count
    assert '"person_id" IN (SELECT U0."person_id"' in count


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"status": c.CaseStatus.IDENTIFIED},
        {"open": "open"},
        {"open": "closed"},
        {"referred_year": "2021"},
        {"decided_year": "2022"},
        {"authority": c.DecidingAuthority.IMMIGRATION},
        {"form": c.ExploitationForm.FORCED_LABOUR},
        {"citizenship": "TH"},
        {"assigned": "none"},
        {"assigned": "alice"},
        {"organisation": "police"},
        {"referred_year": "2022", "open": "open", "citizenship": "RO", "organisation": "police"},
        {"sort": "code", "status": c.CaseStatus.IDENTIFIED, "page": "1"},
    ],
)
def test_every_filter_is_listed_from_kept_sql_as_the_orm_lists_it(
    alice_client, alice, police, three_cases, params, nothing_kept, monkeypatch
):
    """Without a search, the page's count and ids run with their SQL compiled once per
    kind of filter (case_list._KeptFilters; brik.core.kept). The same cases, counted
    the same, as through the ORM; and the kept SQL is what the ORM compiles (VERIFY)."""
    from brik.core import kept

    if params.get("open") == "closed":
        with time_machine.travel(dt.date(2022, 6, 2), tick=False):
            services.case_close(
                actor=alice,
                case=three_cases[2],
                closed_on=dt.date(2022, 6, 2),
                reason="disappeared",
            )
    params = {
        **params,
        **{k: str(alice.pk) for k, v in params.items() if v == "alice"},
        **{k: str(police.pk) for k, v in params.items() if v == "police"},
    }
    monkeypatch.setattr(kept, "VERIFY", True)
    kept_page = listing(alice_client, **params)
    names = [name for name, _alias, _vendor in kept._PARAMETRIZED]
    assert any(name.startswith("case list: ") and ": ids by " in name for name in names)
    counted = f": cases: {case_list.COUNT_CAP}"
    assert any(name.startswith("case list: ") and name.endswith(counted) for name in names)
    assert not [name for name, _alias, _vendor in kept._NOT_KEPT if "ids by" in name]
    again = listing(alice_client, **params)  # from the kept SQL, checked again
    assert codes_in(again, three_cases) == codes_in(kept_page, three_cases)

    monkeypatch.setattr(case_list._KeptFilters, "of", classmethod(lambda cls, user, filters: None))
    orm_page = listing(alice_client, **params)
    assert codes_in(kept_page, three_cases) == codes_in(orm_page, three_cases)
    shown = [case for case in three_cases if case.code in orm_page]
    assert shown
    assert f"{len(shown)} case" in orm_page
    assert f"{len(shown)} case" in kept_page


def test_a_search_and_a_partner_are_listed_through_the_orm(alice, three_cases):
    """A search's persons are a list, and a reader who does not see every case has the
    access policy's condition in the SQL: neither is kept."""
    assert case_list._KeptFilters.of(alice, {"q": "Other"}) is None
    assert case_list._KeptFilters.of(alice, {"person_ids": [1, 2]}) is None
    assert case_list._KeptFilters.of(alice, {"citizenship": "TH"}) is not None
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(case_list, "sees_every_case", lambda user: False)
        assert case_list._KeptFilters.of(alice, {"citizenship": "TH"}) is None
