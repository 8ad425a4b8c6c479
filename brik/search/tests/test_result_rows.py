"""The search page's result rows are written by a tag (brik_search.search_result_rows):
it must write what the template loop it replaced wrote, byte for byte, in English and
Danish, and escape what a name holds. The search reads its rows as values and decrypts
an identity's fields only as far as it reads them."""

import datetime as dt

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation

from brik.accounts.permissions import cases_visible_to
from brik.cases import services as case_services
from brik.core import choices as c
from brik.protection import crypto
from brik.search import selectors
from brik.search.tests.test_search import PEOPLE, refer
from brik.testing.factories import referral_kwargs

# The loop as search/results.html wrote it before the tag.
LOOP = (
    "{% for result in outcome.results %}\n"
    "        {% with case=result.latest_case %}\n"
    "        <tr>\n"
    "          <td>{% if perms_case_view %}<a href=\"{% url 'cases:detail' case.pk %}\">"
    "{{ case.code }}</a>{% else %}{{ case.code }}{% endif %}</td>\n"
    "          {% if outcome.query.personal %}\n"
    '          <td>{{ result.identity.full_name|default:"—" }}</td>\n'
    '          <td>{{ result.identity.aliases|default:"—" }}</td>\n'
    '          <td>{{ result.identity.date_of_birth|date:"SHORT_DATE_FORMAT"|default:"—" }}</td>\n'
    "          {% endif %}\n"
    '          <td>{{ result.person.birth_year|default:"—" }}</td>\n'
    '          <td>{% include "cases/_status.html" %}</td>\n'
    '          <td>{% for what in result.matched %}{% if what == "code" %}'
    '{% translate "case code" %}{% elif what == "name" %}{% translate "name" %}'
    '{% elif what == "date_of_birth" %}{% translate "date of birth" %}'
    '{% elif what == "year_of_birth" %}{% translate "year of birth" %}'
    '{% elif what == "phone" %}{% translate "phone" %}{% endif %}'
    "{% if not forloop.last %}, {% endif %}{% endfor %}</td>\n"
    "        </tr>\n"
    "        {% endwith %}\n"
    "      {% endfor %}"
)
TAG = "{% search_result_rows outcome perms_case_view %}"
MARKUP = ("Amélie <script>alert(1)</script>", "Dupont & Fils", 'Mimi "Lili" <b>O\'Hara</b>')


def render(source: str, outcome, perms_case_view: bool) -> str:
    context = Context({"outcome": outcome, "perms_case_view": perms_case_view})
    return Template("{% load i18n brik_search %}" + source).render(context)


@pytest.fixture
def found(alice, dave, police):
    """PEOPLE, a person whose name is markup, and one with a later case."""
    people = {p[0]: refer(dave, police, *p) for p in PEOPLE}
    people["markup"] = refer(dave, police, *MARKUP, dt.date(1991, 2, 3), "+45 87 65 43 21")
    case_services.case_close(
        actor=alice,
        case=people["Maria"],
        closed_on=dt.date(2021, 6, 1),
        reason=c.ClosingReason.DISAPPEARED,
    )
    people["Maria"] = case_services.case_refer(
        actor=dave,
        referring_organisation=police,
        person=people["Maria"].person,
        **referral_kwargs(referred_on=dt.date(2022, 1, 5), identity=None),
    )
    return people


QUERIES = [
    "Maria",  # two passages: the later case
    "Mohammed 1990",  # name and year
    "03-04-1990",  # a date of birth
    "+45 12 34 56 78",  # a phone number
    "Amelie Dupont",  # markup in the name and aliases
    "Lili",  # an alias
    "Søren",  # no date of birth
    "Olena",
    "BRK-",  # every person by their code
    "Nobody",
]


@pytest.mark.parametrize("language", ["en", "da"])
def test_the_rows_are_written_as_the_template_loop_wrote_them(found, alice, language):
    with translation.override(language):
        for query in QUERIES:
            outcome = selectors.search_persons(alice, query, 50)
            for perms_case_view in (True, False):
                expected = render(LOOP, outcome, perms_case_view)
                assert render(TAG, outcome, perms_case_view) == expected, query


def test_the_comparison_sees_every_kind_of_row(found, alice):
    with translation.override("en"):
        rows = "".join(render(LOOP, selectors.search_persons(alice, q, 50), True) for q in QUERIES)
    assert "/2</a>" in rows  # a later case
    assert "<td>—</td>" in rows  # no date of birth, no aliases
    assert "name, year of birth" in rows
    for what in ("case code", "date of birth</td>", "phone</td>"):
        assert what in rows


def test_a_name_is_shown_escaped(found, alice):
    outcome = selectors.search_persons(alice, "Amelie Dupont", 50)
    assert len(outcome.results) == 1
    rows = render(TAG, outcome, True)
    assert "<td>Amélie &lt;script&gt;alert(1)&lt;/script&gt; Dupont &amp; Fils</td>" in rows
    assert "<td>Mimi &quot;Lili&quot; &lt;b&gt;O&#x27;Hara&lt;/b&gt;</td>" in rows
    assert "<script>" not in rows
    assert "<b>" not in rows


def test_the_page_shows_a_name_escaped(client, found, alice):
    client.force_login(alice)
    page = client.get(reverse("search:results"), {"q": "Dupont"}).content.decode()
    assert "Amélie &lt;script&gt;alert(1)&lt;/script&gt; Dupont &amp; Fils" in page
    assert "<script>alert(1)" not in page
    assert found["markup"].code in page


def test_a_code_search_links_the_case_only_for_those_who_may_open_it(found, alice, carol):
    code = found["Amina"].person.code
    linked = render(TAG, selectors.search_persons(alice, code, 50), True)
    assert f'<td><a href="/cases/{found["Amina"].pk}/">{code}</a></td>' in linked
    plain = render(TAG, selectors.search_persons(carol, code, 50), False)
    assert f"<td>{code}</td>" in plain
    assert "<a " not in plain
    assert "Amina" not in plain  # no identity columns in a code search


def test_only_the_cases_a_user_may_see_are_read(alice, dave, police, other_police):
    """A user who sees every case reads them with the search's own statement; anyone
    else through cases_visible_to: both give the cases of that policy."""
    own = refer(dave, police, "Maria", "Own")
    other = refer(alice, other_police, "Maria", "Other")
    persons = [own.person_id, other.person_id]
    everything = selectors._visible(alice, persons)
    assert {pk: [c.pk for c in cases] for pk, (_p, cases) in everything.items()} == {
        own.person_id: [own.pk],
        other.person_id: [other.pk],
    }
    assert everything[own.person_id][0].code == own.person.code
    partners = selectors._visible(dave, persons)
    assert list(partners) == [own.person_id]
    assert [c.pk for c in cases_visible_to(dave).filter(person_id__in=persons)] == [own.pk]


def test_a_search_decrypts_only_what_it_reads(settings, dave, police, alice, monkeypatch):
    """A name search decrypts the names of every candidate, but no phone number, and no
    date of birth of a candidate whose name does not match; the date of birth of a
    person found is decrypted for the page that shows it, and decrypted once."""
    settings.BRIK_SEARCH_TOKEN_BITS = 1  # every token shared: everyone is a candidate
    people = {p[0]: refer(dave, police, *p) for p in PEOPLE}
    decrypted = []
    one, many = crypto.decrypt, crypto.decrypt_many

    def recording_one(stored: str) -> str:
        plain = one(stored)
        decrypted.append(plain)
        return plain

    def recording_many(values):
        plain = many(values)
        decrypted.extend(plain)
        return plain

    monkeypatch.setattr(crypto, "decrypt", recording_one)
    monkeypatch.setattr(crypto, "decrypt_many", recording_many)
    outcome = selectors.search_persons(alice, "Mohammed", 50)
    assert [r.person.pk for r in outcome.results] == [people["Mohammed"].person_id]
    assert {"Amina", "Okafor", "Maria", "Jensen", "Олена"} <= set(decrypted)  # checked
    born = [value for value in decrypted if value.startswith(("19", "20"))]
    assert born == ["1990-04-03"]  # the person found's, for the page
    assert not any(value.startswith("+") for value in decrypted)
    assert outcome.results[0].identity.date_of_birth == dt.date(1990, 4, 3)
    assert decrypted.count("1990-04-03") == 1
