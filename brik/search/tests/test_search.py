"""Finding persons: ranking, visibility per role, audit, keeping the tokens in step."""

import datetime as dt

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from brik.audit.events import AuditEvent
from brik.audit.models import ActionLog
from brik.cases import services as case_services
from brik.cases.models import Person, PersonIdentity
from brik.core import choices as c
from brik.search import selectors, services
from brik.search import tokens as t
from brik.search.models import PersonSearchToken
from brik.search.query import parse
from brik.testing.factories import referral_kwargs

PEOPLE = [
    # given, family, aliases, date of birth, phone
    ("Mohammed", "Hassan", "", dt.date(1990, 4, 3), "+45 12 34 56 78"),
    ("Thi Lan", "Nguyen", "Lan", dt.date(1995, 1, 20), ""),
    ("Søren", "Ågård", "", None, ""),
    ("Amina", "Okafor", "Mina Oka", dt.date(2001, 7, 9), "+234 803 555 0101"),
    ("Maria", "Jensen", "", dt.date(1988, 12, 1), ""),
    ("Marie", "Hansen", "", None, ""),
    ("Олена", "Коваленко", "", dt.date(1999, 3, 3), ""),
]


def refer(actor, organisation, given, family, aliases="", born=None, phone="", on=None):
    identity = {"given_names": given, "family_name": family}
    if aliases:
        identity["aliases"] = aliases
    if born:
        identity["date_of_birth"] = born
    if phone:
        identity["phone"] = phone
    return case_services.case_refer(
        actor=actor,
        referring_organisation=organisation,
        **referral_kwargs(
            identity=identity,
            referred_on=on or dt.date(2021, 3, 1),
            birth_year=born.year if born else None,
        ),
    )


@pytest.fixture
def people(dave, police):
    return {p[0]: refer(dave, police, *p) for p in PEOPLE}


def codes(outcome):
    return [r.person.code for r in outcome.results]


def found(alice, people, query):
    return [r.person.pk for r in selectors.search_persons(alice, query, 20).results]


@pytest.mark.parametrize(
    ("query", "who"),
    [
        ("Muhammad", "Mohammed"),
        ("mohamed hassan", "Mohammed"),
        ("Hassan Mohammed", "Mohammed"),  # any order
        ("Ngyuen", "Thi Lan"),
        ("nguyen thi", "Thi Lan"),
        ("Soren Agard", "Søren"),
        ("Soeren Aagaard", "Søren"),
        ("SØREN", "Søren"),
        ("Mina", "Amina"),  # an alias
        ("Okaf", "Amina"),  # a part of a name
        ("Olena Kovalenko", "Олена"),  # transliterated
        ("03-04-1990", "Mohammed"),
        ("1990-04-03", "Mohammed"),
        ("Hassan 1990", "Mohammed"),
        ("12345678", "Mohammed"),
        ("+45 12 34 56 78", "Mohammed"),
        ("+234 803 555 0101", "Amina"),
    ],
)
def test_a_person_is_found_by_any_part_of_a_name_date_or_phone(alice, people, query, who):
    assert found(alice, people, query)[:1] == [people[who].person_id]


def test_the_case_code_is_searched_too(alice, carol, people):
    code = people["Amina"].person.code
    assert codes(selectors.search_persons(alice, code)) == [code]
    assert codes(selectors.search_persons(carol, code.lower())) == [code]


def test_a_wrong_date_or_year_drops_the_name_match(alice, people):
    assert found(alice, people, "Mohammed 04-03-1990") == []
    assert found(alice, people, "Mohammed 1991") == []


def test_results_are_ranked_best_first(alice, dave, police, people):
    exact = people["Maria"].person_id
    near = people["Marie"].person_id
    assert found(alice, people, "Maria") == [exact, near] or found(alice, people, "Maria") == [
        exact
    ]
    ranked = found(alice, people, "Marie Hansen")
    assert ranked[0] == near


def test_dissimilar_names_are_not_found(alice, people):
    assert found(alice, people, "Zbigniew") == []
    assert found(alice, people, "Hansen Olga") == []


def test_an_analyst_may_search_case_codes_only_and_learns_nothing_of_names(carol, people):
    outcome = selectors.search_persons(carol, "Mohammed")
    assert outcome.refused
    assert outcome.results == []


@pytest.mark.parametrize("user", ["dave", "erin", "frank", "oscar"])
def test_partners_and_others_without_the_case_list_find_nobody(request, people, user):
    someone = request.getfixturevalue(user)
    code = people["Mohammed"].person.code
    for query in ("Mohammed", code):
        assert selectors.search_persons(someone, query).results == []


def test_every_search_is_audited_without_what_was_typed(alice, people):
    selectors.search_persons(alice, "Mohammed 1990")
    entry = ActionLog.objects.filter(action=AuditEvent.PERSON_SEARCHED).get()
    assert entry.actor == alice
    assert entry.data == {
        "searched": ["name", "year_of_birth"],
        "results": 1,
        "persons": [people["Mohammed"].person.code],
    }
    assert "ohammed" not in str(entry.data).lower()


def test_tokens_are_stored_truncated_and_keyed(people):
    identity = PersonIdentity.objects.get(person=people["Mohammed"].person)
    values = set(
        PersonSearchToken.objects.filter(person=identity.person).values_list("kind", "value")
    )
    assert values == {(tok.kind, tok.value) for tok in services.identity_tokens(identity)}
    assert max(v for _, v in values) < 2**15


def test_the_query_count_does_not_grow_with_the_results(alice, dave, police):
    for n in range(3):
        refer(dave, police, "Maria", f"Testesen{n}")
    with CaptureQueriesContext(connection) as few:
        assert len(selectors.search_persons(alice, "Maria").results) == 3
    for n in range(3, 15):
        refer(dave, police, "Maria", f"Testesen{n}")
    with CaptureQueriesContext(connection) as many:
        assert len(selectors.search_persons(alice, "Maria").results) == 15
    assert len(many) == len(few)
    assert len(few) <= 8


def test_rotate_keys_reindex_rebuilds_the_tokens_under_the_new_key(alice, people, settings):
    before = set(PersonSearchToken.objects.values_list("person", "kind", "value"))
    settings.BLIND_INDEX_KEY = "a-different-blind-index-key-for-this-test"
    assert found(alice, people, "Mohammed") == []  # the old tokens no longer match
    call_command("rotate_keys", reindex=True, verbosity=0)
    after = set(PersonSearchToken.objects.values_list("person", "kind", "value"))
    assert after != before
    assert len(after) > 0.9 * len(before)
    assert found(alice, people, "Muhammad")[:1] == [people["Mohammed"].person_id]


def test_reindex_search_builds_tokens_for_an_existing_database(alice, people):
    PersonSearchToken.objects.all().delete()
    assert found(alice, people, "Amina") == []
    call_command("reindex_search", verbosity=0)
    assert found(alice, people, "Amina") == [people["Amina"].person_id]
    assert ActionLog.objects.filter(action=AuditEvent.SEARCH_REINDEXED).count() == 1


def test_retention_deletes_the_tokens_with_the_identity(alice, people):
    case = people["Amina"]
    case_services.case_close(
        actor=alice,
        case=case,
        closed_on=dt.date(2021, 6, 1),
        reason=c.ClosingReason.DISAPPEARED,
    )
    with time_machine.travel(dt.date(2026, 6, 2)):
        call_command("apply_retention", verbosity=0)
    assert not PersonSearchToken.objects.filter(person=case.person).exists()
    assert found(alice, people, "Amina") == []
    assert PersonSearchToken.objects.filter(person=people["Maria"].person).exists()


def test_tokens_never_hold_a_person_back_from_deletion(people):
    """Persons are anonymised, not deleted, by retention; should one ever be
    deleted, their tokens go with them and do not block it."""
    field = PersonSearchToken._meta.get_field("person")
    assert field.remote_field.on_delete.__name__ == "CASCADE"
    person = Person.objects.get(pk=people["Maria"].person_id)
    assert PersonSearchToken.objects.filter(person=person).exists()


def test_a_truncated_token_shared_with_someone_else_is_dropped_by_the_check(alice, dave, police):
    """Two different words with the same 8-bit token: the database offers both
    persons, the check after decryption keeps only the right one."""
    import itertools

    from brik.search.models import TokenKind

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(t, "token_bits", lambda: 8)
        target = t.token(TokenKind.WORD, "zorander").value
        twin = next(
            w
            for w in ("".join(p) for p in itertools.product("bdfgklmnprstvz", repeat=5))
            if t.token(TokenKind.WORD, w).value == target
        )
        right = refer(dave, police, "Zorander", "Testesen")
        wrong = refer(dave, police, twin.capitalize(), "Testesen")
        rows = selectors._candidates(selectors.parse("Zorander"), grams=False)
        assert {right.person_id, wrong.person_id} <= {pk for pk, _ in rows}
        assert found(alice, None, "Zorander") == [right.person_id]


@pytest.mark.parametrize("grams", [False, True])
def test_candidates_are_scored_by_the_weights_of_the_tokens_they_share(people, grams):
    query = selectors.parse("Maria Hansen 1988")
    wanted = {
        (int(kind), t.token(kind, text).value) for kind, text in query.token_texts(grams=grams)
    }
    assert len({kind for kind, _value in wanted}) >= 3  # words, sounds, a year (and n-grams)
    scores: dict[int, int] = {}
    for person_id, kind, value in PersonSearchToken.objects.values_list("person", "kind", "value"):
        if (kind, value) in wanted:
            scores[person_id] = scores.get(person_id, 0) + t.WEIGHTS[kind]
    expected = sorted(scores.items(), key=lambda item: (-item[1], -item[0]))
    assert len(expected) >= 2
    assert selectors._candidates(query, grams=grams) == expected[: selectors.CANDIDATES]


def test_the_search_page_and_the_header_box(client, alice, people):
    client.force_login(alice)
    page = client.get(reverse("search:results"), {"q": "Muhammad"})
    assert page.status_code == 200
    html = page.content.decode()
    assert people["Mohammed"].person.code in html
    assert "Mohammed Hassan" in html
    assert 'role="search"' in client.get(reverse("cases:my_work")).content.decode()


def test_the_header_box_is_not_shown_to_partners(client, dave):
    client.force_login(dave)
    assert 'id="header-search"' not in client.get(reverse("cases:referrals")).content.decode()


def test_the_case_list_q_searches_names_for_caseworkers(client, alice, carol, people):
    client.force_login(alice)
    html = client.get(reverse("cases:list"), {"q": "ngyuen"}).content.decode()
    assert people["Thi Lan"].person.code in html
    assert people["Maria"].person.code not in html
    client.force_login(carol)
    html = client.get(reverse("cases:list"), {"q": "ngyuen"}).content.decode()
    assert people["Thi Lan"].person.code not in html


def _prepared(part: str) -> list[tuple[str, list[str]]]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement, parameter_types::text[] FROM pg_prepared_statements")
        return [(sql, types) for sql, types in cursor.fetchall() if part in sql]


def test_on_postgresql_the_searchs_statements_are_prepared_once_for_any_number_of_persons(
    alice, people, dave, police
):
    """The token values and the candidates' ids go to PostgreSQL as arrays (`= ANY(%s)`):
    the statements' texts are the same whatever the number of persons and of tokens, so
    each is prepared once and its plan kept (brik.core.kept.fetch_fixed). For a reader
    who sees every case the candidates, cases and identities are one statement; for
    others the cases and the identities are two."""
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's prepared statements")
    for n in range(3):
        refer(dave, police, "Maria", f"Hansen{n}")
    # One word each, of different numbers of sounds, found in different numbers of persons.
    assert len(found(alice, people, "Maria")) != len(found(alice, people, "Okafor"))
    read = _prepared("WITH ranked AS")
    assert read
    assert all("= ANY($" in sql and " IN (" not in sql for sql, _types in read)
    assert all(types and all(t.endswith("[]") for t in types) for _sql, types in read)
    assert len(found(alice, people, "Hansen")) > 1
    assert len(_prepared("WITH ranked AS")) == len(read)  # nothing new for another word
    # A reader who does not see every case (a partner: the search itself asks for the
    # case list, so only its reading is called) has the cases through cases_visible_to.
    for query in ["Maria", "Hansen", "Maria Hansen", "Jensen"]:
        _c, visible, _s = selectors._read_candidates(
            dave, parse(query), selectors.IDENTITY_SHOWN, grams=True
        )
        assert visible
    identities = _prepared('FROM "cases_personidentity" WHERE')
    assert len(identities) == 1
    # A search by case code reads the cases of the persons found by one statement too.
    codes = sorted(case.person.code for case in people.values())
    for code in (codes[0], codes[0][:-1], codes[0][:-2]):  # one person, then more
        selectors.search_persons(alice, code, 20)
    cases = _prepared('FROM "cases_case" c')
    assert len(cases) == 1
    assert "= ANY($1)" in identities[0][0]
    assert identities[0][1] == ["bigint[]"]
