"""Finding persons by name, alias, date of birth, phone number or case code.

`search_persons(user, query, limit)` is the one entry point (the search page,
the case list's search box, the API and the referral form's warning use it).

1. The query is normalised like the stored names and turned into tokens
   (brik.search.tokens): words, phonetic keys, n-grams, dates, phone digits.
2. One indexed query ranks the persons who share tokens with it
   (GROUP BY person, SUM of the tokens' weights, LIMIT CANDIDATES). The n-grams
   are only added (a second query) when words, sounds and dates find fewer than
   CANDIDATES persons: a common name is answered from its word token alone.
3. Only those candidates' identities are decrypted, and each is checked with a
   real similarity (rapidfuzz's Jaro-Winkler, equal phonetic keys, a typed
   prefix): truncated tokens match several persons by design, and those false
   matches are dropped here. Every word typed must match a word of the name or
   an alias; dates and phone numbers must be equal.
4. Only persons with a case the user may see are kept, and the search is
   written to the action log (what was searched for, never the text typed).
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Case as When_
from django.db.models import IntegerField, Q, Sum, Value, When
from rapidfuzz.distance import JaroWinkler

from brik.accounts.models import User
from brik.accounts.permissions import Ability, can, cases_visible_to
from brik.audit.events import AuditEvent
from brik.audit.services import access_record
from brik.cases.models import Case, Person, PersonIdentity, codes_containing
from brik.search import tokens as t
from brik.search.models import PersonSearchToken
from brik.search.query import Query, parse

CANDIDATES = 50  # persons decrypted and checked at most per search
SIMILAR = 0.86  # Jaro-Winkler similarity from which two name words are taken as one
MAX_LIMIT = 50
# The identity fields a search decrypts (the phone number only when searched for).
IDENTITY_SHOWN = ("person", "given_names", "family_name", "aliases", "date_of_birth")
# What a result shows of its person and cases (the code, the year of birth, the status):
# a case row has some forty columns, a dozen of them dates turned into objects one by one.
PERSON_SHOWN = ("person__code", "person__birth_year")
CASE_SHOWN = ("person_id", "sequence", "status")  # a case's code is its person's and its sequence


@dataclass
class SearchResult:
    person: Person
    score: float
    cases: list[Case]
    identity: PersonIdentity | None = None  # None: the user may not read identities
    matched: list[str] = field(default_factory=list)  # "name", "date_of_birth", ...

    @property
    def latest_case(self) -> Case | None:
        return self.cases[-1] if self.cases else None


@dataclass
class SearchOutcome:
    query: Query
    results: list[SearchResult]
    more: bool = False  # more candidates than were checked: the query should be narrowed
    refused: bool = False  # a personal search by someone who may only search case codes


def search_persons(user: User, query: str, limit: int = 20) -> SearchOutcome:
    """The persons matching `query` that `user` may see, best first, and the
    search written to the action log. Names, dates of birth and phone numbers
    are searched only for users who may read identities; everyone with the
    case list may search by case code."""
    parsed = parse(query)
    limit = max(1, min(int(limit), MAX_LIMIT))
    outcome = SearchOutcome(query=parsed, results=[])
    if parsed.empty or not can(user, Ability.CASE_LIST):
        return outcome
    if parsed.code:
        outcome.results, outcome.more = _by_code(user, parsed.code, limit)
    elif not can(user, Ability.PERSON_IDENTITY):
        outcome.refused = True
    else:
        outcome.results, outcome.more = _by_tokens(user, parsed, limit)
    access_record(
        actor=user,
        action=AuditEvent.PERSON_SEARCHED,
        obj=user,
        data={
            "searched": parsed.kinds(),
            "results": len(outcome.results),
            "persons": [r.person.code for r in outcome.results],
        },
    )
    return outcome


def _visible_cases(user: User, person_ids: Iterable[int]) -> dict[int, list[Case]]:
    found: dict[int, list[Case]] = defaultdict(list)
    rows = (
        cases_visible_to(user)
        .filter(person_id__in=list(person_ids))
        .select_related("person")
        .only(*CASE_SHOWN, "person__code")
        .order_by("person_id", "sequence")
    )
    for row in rows:
        found[row.person_id].append(row)
    return found


def _by_code(user: User, code: str, limit: int) -> tuple[list[SearchResult], bool]:
    persons = list(Person.objects.filter(codes_containing(code)).order_by("-code")[: limit + 1])
    cases = _visible_cases(user, [p.pk for p in persons])
    results = [
        SearchResult(person=p, score=1.0, cases=cases[p.pk], matched=["code"])
        for p in persons[:limit]
        if cases.get(p.pk)
    ]
    return results, len(persons) > limit


def _candidates(query: Query, *, grams: bool) -> list[tuple[int, int]]:
    """(person id, score) of the persons sharing most tokens with the query."""
    key, bits = t.search_key(), t.token_bits()
    by_kind: dict[int, set[int]] = defaultdict(set)
    for kind, text in query.token_texts(grams=grams):
        by_kind[kind].add(t.token(kind, text, key=key, bits=bits).value)
    if not by_kind:
        return []
    match = Q()
    for kind, values in by_kind.items():
        match |= Q(kind=kind, value__in=sorted(values))
    weight = When_(
        *(When(kind=kind, then=Value(t.WEIGHTS[kind])) for kind in by_kind),
        default=Value(0),
        output_field=IntegerField(),
    )
    rows = (
        PersonSearchToken.objects.filter(match)
        .values("person_id")
        .annotate(score=Sum(weight))
        .order_by("-score", "-person_id")
        .values_list("person_id", "score")[:CANDIDATES]
    )
    return list(rows)


def _by_tokens(user: User, query: Query, limit: int) -> tuple[list[SearchResult], bool]:
    candidates = _candidates(query, grams=False)
    if len(candidates) < CANDIDATES and query.words:
        candidates = _candidates(query, grams=True)
    scores = dict(candidates)
    # Only the persons with a case the user may see are decrypted.
    visible = _visible_cases(user, scores)
    identities = (
        PersonIdentity.objects.filter(person_id__in=list(visible))
        .select_related("person")
        # Only the fields the check and the page need: each one is a decryption.
        .only(*IDENTITY_SHOWN, *PERSON_SHOWN, *(["phone"] if query.phone else []))
    )
    results = []
    for identity in identities:
        cases = visible[identity.person_id]
        verified = verify(query, identity)
        if verified is None:
            continue
        similarity, matched = verified
        results.append(
            SearchResult(
                person=identity.person,
                score=similarity,
                cases=cases,
                identity=identity,
                matched=matched,
            )
        )
    results.sort(key=lambda r: (-r.score, -scores[r.person.pk], r.person.code))
    return results[:limit], len(candidates) >= CANDIDATES or len(results) > limit


# --- checking one candidate ---------------------------------------------------------------


def word_similarity(typed: str, stored: str) -> float:
    """How well one typed word matches one word of a name (0 to 1)."""
    if typed == stored:
        return 1.0
    if len(typed) >= 2 and stored.startswith(typed):
        return 0.95
    if t.phonetic_keys(typed, loose=False) & t.phonetic_keys(stored, loose=False):
        return 0.9
    return JaroWinkler.normalized_similarity(typed, stored)


def verify(query: Query, identity: PersonIdentity) -> tuple[float, list[str]] | None:
    """The similarity of a decrypted identity to the query, and what matched;
    None when it does not match (a false match of truncated tokens)."""
    matched = []
    scores = []
    if query.words:
        words: list[str] = []
        for value in (identity.given_names, identity.family_name, identity.aliases):
            words += t.name_word_variants(value or "")
        if not words:
            return None
        for typed in query.words:
            best = max(word_similarity(typed, stored) for stored in words)
            if best < SIMILAR:
                return None
            scores.append(best)
        matched.append("name")
    born: date | None = identity.date_of_birth
    if query.dates:
        if born is None or born not in query.dates:
            return None
        matched.append("date_of_birth")
        scores.append(1.0)
    if query.years:
        year = born.year if born else identity.person.birth_year
        if year not in query.years:
            return None
        matched.append("year_of_birth")
        scores.append(1.0)
    if query.phone:
        if t.phone_digits(identity.phone or "") != query.phone:
            return None
        matched.append("phone")
        scores.append(1.0)
    return sum(scores) / len(scores), matched


# --- likely the same person (the referral's duplicate check) ------------------------------


def persons_named_like(
    *, given_names: str, family_name: str, exclude: int | None = None
) -> dict[int, float]:
    """{person id: similarity} of the persons whose names or aliases contain every
    word of this name, however spelt (the matching of the search). For the
    centre's duplicate check: the caller decides who may learn of them, and
    records it; nothing is written here."""
    found = identities_named_like(given_names=given_names, family_name=family_name, exclude=exclude)
    return {person_id: similarity for person_id, (similarity, _identity) in found.items()}


def identities_named_like(
    *, given_names: str, family_name: str, exclude: int | None = None
) -> dict[int, tuple[float, PersonIdentity]]:
    """persons_named_like with each person's identity as it was read to match it:
    its names, aliases and date of birth (decrypted once) and its name index, with
    the person. The duplicate check compares these without reading them again."""
    words = t.name_words(f"{given_names} {family_name}")
    query = Query(text="", words=list(dict.fromkeys(w for w in words if len(w) >= 2)))
    if not query.words:
        return {}
    candidates = _candidates(query, grams=False)
    if len(candidates) < CANDIDATES:
        candidates = _candidates(query, grams=True)
    ids = [pk for pk, _score in candidates if pk != exclude]
    found = {}
    # verify() reads the date of birth of every name that matches: loaded with the row
    # (deferred, it was one query per matching candidate).
    rows = (
        PersonIdentity.objects.filter(person_id__in=ids)
        .select_related("person")
        .only("person", "given_names", "family_name", "aliases", "date_of_birth", "name_index")
    )
    for identity in rows:
        verified = verify(query, identity)
        if verified is not None:
            found[identity.person_id] = (verified[0], identity)
    return found
