"""Finding persons by name, alias, date of birth, phone number or case code.

`search_persons(user, query, limit)` is the one entry point (the search page,
the case list's search box, the API and the referral form's warning use it).

1. The query is normalised like the stored names and turned into tokens
   (brik.search.tokens): words, phonetic keys, n-grams, dates, phone digits.
2. One indexed query ranks the persons who share tokens with it
   (GROUP BY person, SUM of the tokens' weights, LIMIT CANDIDATES). The n-grams
   are only added (a second query) when words, sounds and dates find fewer than
   CANDIDATES persons: a common name is answered from its word token alone.
3. Only those candidates with a case the user may see are read, and each is
   checked with a real similarity (rapidfuzz's Jaro-Winkler, equal phonetic keys,
   a typed prefix): truncated tokens match several persons by design, and those
   false matches are dropped here. Every word typed must match a word of the name
   or an alias; dates and phone numbers must be equal. For a reader who sees every
   case, the ranking, the cases and the identities are one statement. What the
   check reads of every candidate (their names) is decrypted ahead, each field's
   values at once (crypto.decrypt_many); anything else as the check reads it
   (FoundIdentity), and what the page shows of the persons found before it does.
4. The search is written to the action log (what was searched for, never the
   text typed).

A search reads its rows as values (FoundPerson, FoundCase, FoundIdentity), not
models, and its queries over many rows as fixed statements: building the models
and writing the queries with the ORM cost more than the search itself.
"""

from collections import defaultdict
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from typing import Any

from django.db import connection
from django.db.models import Field, Model
from rapidfuzz.distance import JaroWinkler

from brik.accounts.models import User
from brik.accounts.permissions import Ability, can, cases_visible_to, sees_every_case
from brik.audit.events import AuditEvent
from brik.audit.services import access_record
from brik.cases.models import Case, Person, PersonIdentity, codes_containing
from brik.core import choices
from brik.core.kept import fetch_fixed
from brik.protection.fields import EncryptedMixin, concrete_column
from brik.search import tokens as t
from brik.search.models import PersonSearchToken
from brik.search.query import Query, parse

CANDIDATES = 50  # persons decrypted and checked at most per search
SIMILAR = 0.86  # Jaro-Winkler similarity from which two name words are taken as one
MAX_LIMIT = 50
# The identity fields a search reads (the phone number only when searched for). Each
# is decrypted when first read: a candidate whose name does not match is never asked
# its date of birth.
IDENTITY_SHOWN = ("given_names", "family_name", "aliases", "date_of_birth")
NAME_FIELDS = ("given_names", "family_name", "aliases")  # what a search by name compares
# What a result shows of its person and cases: the code, the year of birth, the status.
CASE_VALUES = ("pk", "person_id", "sequence", "status", "person__code", "person__birth_year")


class FoundPerson:
    """A result's person as the page shows it (read like a Person)."""

    __slots__ = ("birth_year", "code", "pk")

    def __init__(self, pk: int, code: str, birth_year: int | None) -> None:
        self.pk = pk
        self.code = code
        self.birth_year = birth_year

    def __repr__(self) -> str:
        return f"<FoundPerson {self.code}>"


class FoundCase:
    """A case of a result that the user may see (read like a Case)."""

    __slots__ = ("code", "person_id", "pk", "sequence", "status")

    def __init__(
        self, pk: int, person_id: int, sequence: int, status: str, person_code: str
    ) -> None:
        self.pk = pk
        self.person_id = person_id
        self.sequence = sequence
        self.status = status
        self.code = Case.code_of(person_code, sequence)

    def get_status_display(self) -> str:
        return str(choices.CaseStatus(self.status).label)

    def __repr__(self) -> str:
        return f"<FoundCase {self.code}>"


@cache
def _identity_field(name: str) -> EncryptedMixin:
    found = PersonIdentity._meta.get_field(name)
    if not isinstance(found, EncryptedMixin):
        raise TypeError(f"PersonIdentity.{name} is not encrypted")
    return found


class FoundIdentity:
    """A candidate's identity (read like a PersonIdentity): the fields the search
    read, as stored, each decrypted by its model field when first read, or ahead
    of that with the other candidates' (decrypt_ahead). It lives as long as the
    request's results; nothing of it is kept after."""

    __slots__ = ("_plain", "_stored", "person", "person_id")

    def __init__(self, person: FoundPerson, stored: dict[str, str | None]) -> None:
        self.person = person
        self.person_id = person.pk
        self._stored = stored
        self._plain: dict[str, Any] = {}

    def _read(self, name: str) -> Any:
        try:
            return self._plain[name]
        except KeyError:
            if name not in self._stored:
                raise AttributeError(f"{name} was not read by the search") from None
            value = _identity_field(name).from_db_value(self._stored[name], None, connection)
            self._plain[name] = value
            return value

    @property
    def given_names(self) -> str:
        return self._read("given_names")

    @property
    def family_name(self) -> str:
        return self._read("family_name")

    @property
    def aliases(self) -> str:
        return self._read("aliases")

    @property
    def date_of_birth(self) -> date | None:
        return self._read("date_of_birth")

    @property
    def phone(self) -> str:
        return self._read("phone")

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.given_names, self.family_name) if p)

    def __repr__(self) -> str:
        return f"<FoundIdentity {self.person.code}>"


def decrypt_ahead(identities: Iterable[FoundIdentity], names: Iterable[str]) -> None:
    """Decrypt these fields of these identities now, each field's values at once
    (EncryptedMixin.from_db_values: a third of the cost of decrypting them one by one),
    where the search is about to read them all."""
    identities = list(identities)
    for name in names:
        todo = [i for i in identities if name in i._stored and name not in i._plain]
        if todo:
            values = _identity_field(name).from_db_values([i._stored[name] for i in todo])
            for identity, value in zip(todo, values, strict=True):
                identity._plain[name] = value


@dataclass
class SearchResult:
    person: FoundPerson
    score: float
    cases: list[FoundCase]  # those the user may see, the latest last
    identity: FoundIdentity | None = None  # None: the user may not read identities
    matched: list[str] = field(default_factory=list)  # "name", "date_of_birth", ...

    @property
    def latest_case(self) -> FoundCase | None:
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


def _visible(
    user: User, person_ids: Iterable[int]
) -> dict[int, tuple[FoundPerson, list[FoundCase]]]:
    """{person id: (person, their cases that `user` may see, in order)} of those of
    `person_ids` who have such a case."""
    ids = list(person_ids)
    if not ids:
        return {}
    rows: Iterable[tuple]
    if sees_every_case(user):  # every case: the fixed statement, no subquery
        among, params = _among(ids)
        rows = _run(_CASES_OF.format(among=among, **_names()), params)
    else:
        rows = (
            cases_visible_to(user)
            .filter(person_id__in=ids)
            .order_by("person_id", "sequence")
            .values_list(*CASE_VALUES)
        )
    found: dict[int, tuple[FoundPerson, list[FoundCase]]] = {}
    for row in rows:
        _add_case(found, *row)
    return found


def _add_case(
    found: dict[int, tuple[FoundPerson, list[FoundCase]]],
    pk: int,
    person_id: int,
    sequence: int,
    status: str,
    code: str,
    birth_year: int | None,
) -> None:
    """Add a case row (CASE_VALUES) to its person's entry in `found`, made at its first case."""
    seen = found.get(person_id)
    if seen is None:
        seen = found[person_id] = (FoundPerson(person_id, code, birth_year), [])
    seen[1].append(FoundCase(pk, person_id, sequence, status, code))


def _stored_identities(person_ids: list[int], fields: tuple[str, ...]) -> dict[int, dict]:
    """{person id: {field: value as stored (encrypted)}} of these persons' identities."""
    if not person_ids:
        return {}
    n = _names()
    columns = ", ".join(_column(PersonIdentity, name) for name in fields)
    among, params = _among(person_ids)
    sql = _IDENTITIES.format(columns=columns, among=among, **n)
    return {row[0]: dict(zip(fields, row[1:], strict=True)) for row in _run(sql, params)}


# The fixed statements (the ORM took longer to write these queries than the database
# to answer them): the models' quoted names from _names(), the values as parameters.
_CASES_OF = (
    "SELECT c.{case_id}, c.{case_person}, c.{case_sequence}, c.{case_status}, "
    "p.{person_code}, p.{person_birth_year} FROM {case} c "
    "INNER JOIN {person} p ON p.{person_id} = c.{case_person} "
    "WHERE c.{case_person} {among} ORDER BY c.{case_person}, c.{case_sequence}"
)
_IDENTITIES = "SELECT {identity_person}, {columns} FROM {identity} WHERE {identity_person} {among}"
# The tokens of each kind read apart (UNION ALL), each from the index alone: one
# condition of ORs was read through the table's rows (PostgreSQL's bitmap of the OR
# visited a table page per row, 2-3 times slower; SQLite's multi-index OR a fifth).
_CANDIDATES = (
    "SELECT {token_person}, SUM(weight) AS score FROM ({kinds}) AS shared "
    "GROUP BY {token_person} ORDER BY score DESC, {token_person} DESC LIMIT {limit}"
)
_TOKENS_OF_KIND = (
    "SELECT {token_person}, {weight:d} AS weight FROM {token} "
    "WHERE {token_kind} = {kind:d} AND {token_value} {among}"
)
# For a reader who sees every case: the candidates with their cases and identities, in
# one statement instead of three. A candidate without a case or an identity keeps its
# row (the LEFT JOINs), so that the candidates are counted as _candidates counts them.
_CANDIDATES_READ = (
    "WITH ranked AS ({candidates}) "
    "SELECT r.{token_person}, r.score, c.{case_id}, c.{case_sequence}, c.{case_status}, "
    "p.{person_code}, p.{person_birth_year}, i.{identity_person}, {columns} FROM ranked r "
    "LEFT JOIN {case} c ON c.{case_person} = r.{token_person} "
    "LEFT JOIN {person} p ON p.{person_id} = r.{token_person} "
    "LEFT JOIN {identity} i ON i.{identity_person} = r.{token_person} "
    "ORDER BY r.{token_person}, c.{case_sequence}"
)


def _column(model: type[Model], name: str) -> str:
    found = model._meta.get_field(name)
    if not isinstance(found, Field):
        raise TypeError(f"{model.__name__}.{name} is not a field with a column")
    return connection.ops.quote_name(concrete_column(found))


def _names() -> dict[str, str]:
    """The quoted tables and columns of the fixed statements (per database kind)."""
    return _names_for(connection.vendor)


@cache
def _names_for(vendor: str) -> dict[str, str]:
    quote = connection.ops.quote_name
    return {
        "case": quote(Case._meta.db_table),
        "case_id": _column(Case, "id"),
        "case_person": _column(Case, "person"),
        "case_sequence": _column(Case, "sequence"),
        "case_status": _column(Case, "status"),
        "person": quote(Person._meta.db_table),
        "person_id": _column(Person, "id"),
        "person_code": _column(Person, "code"),
        "person_birth_year": _column(Person, "birth_year"),
        "identity": quote(PersonIdentity._meta.db_table),
        "identity_person": _column(PersonIdentity, "person"),
        "token": quote(PersonSearchToken._meta.db_table),
        "token_person": _column(PersonSearchToken, "person"),
        "token_kind": _column(PersonSearchToken, "kind"),
        "token_value": _column(PersonSearchToken, "value"),
    }


def _placeholders(values: Collection) -> str:
    """The parameters' places in `IN (...)` for these values."""
    return ", ".join(["%s"] * len(values))


def _among(values: Collection[int], *, ids: bool = True) -> tuple[str, list]:
    """The condition "is one of these values" and its parameters: on PostgreSQL
    `= ANY(%s)` with the values as one array, so that the statement's text is the same
    for any number of values and PostgreSQL keeps its plan (brik.core.kept.fetch_fixed);
    elsewhere `IN (%s, ...)`. `ids`: row ids, sent as a bigint array (psycopg would send
    the smallest type that holds them: a statement for each)."""
    if connection.vendor != "postgresql":
        return f"IN ({_placeholders(values)})", list(values)
    if ids:
        from psycopg.types.numeric import Int8

        return "= ANY(%s)", [[Int8(value) for value in values]]
    return "= ANY(%s)", [list(values)]


def _run(sql: str, params: list) -> list[tuple]:
    return fetch_fixed(connection, sql, params)


def _by_code(user: User, code: str, limit: int) -> tuple[list[SearchResult], bool]:
    persons = list(
        Person.objects.filter(codes_containing(code))
        .order_by("-code")
        .values_list("pk", flat=True)[: limit + 1]
    )
    visible = _visible(user, persons)
    results = [
        SearchResult(person=visible[pk][0], score=1.0, cases=visible[pk][1], matched=["code"])
        for pk in persons[:limit]
        if pk in visible
    ]
    return results, len(persons) > limit


def _candidates(query: Query, *, grams: bool) -> list[tuple[int, int]]:
    """(person id, score) of the persons sharing most tokens with the query (the sum of
    the weights of the tokens they share), best first, then the later person."""
    found = _candidates_sql(query, grams=grams)
    if found is None:
        return []
    rows = _run(*found)
    return [(person_id, score) for person_id, score in rows]


def _candidates_sql(query: Query, *, grams: bool) -> tuple[str, list] | None:
    """_candidates' statement and parameters; None when the query has no token."""
    key, bits = t.search_key(), t.token_bits()
    by_kind: dict[int, set[int]] = defaultdict(set)
    for kind, text in query.token_texts(grams=grams):
        by_kind[int(kind)].add(t.token(kind, text, key=key, bits=bits).value)
    if not by_kind:
        return None
    n = _names()
    parts, params = [], []
    for kind in sorted(by_kind):  # one text per set of kinds
        among, values = _among(sorted(by_kind[kind]), ids=False)  # token values, not ids
        parts.append(_TOKENS_OF_KIND.format(kind=kind, weight=t.WEIGHTS[kind], among=among, **n))
        params += values
    return _CANDIDATES.format(kinds=" UNION ALL ".join(parts), limit=CANDIDATES, **n), params


# What _by_tokens reads: the candidates (person id, score), those with a case the user
# may see with their cases, and their identities' fields as stored.
_Read = tuple[
    list[tuple[int, int]],
    dict[int, tuple[FoundPerson, list[FoundCase]]],
    dict[int, dict[str, str | None]],
]


def _read_candidates(user: User, query: Query, fields: tuple[str, ...], *, grams: bool) -> _Read:
    """The candidates of the query, their cases that `user` may see and their identities:
    for a reader who sees every case in one statement (_CANDIDATES_READ), for others
    in three (the cases through cases_visible_to)."""
    if not sees_every_case(user):
        ranking = _candidates(query, grams=grams)
        cases = _visible(user, [person_id for person_id, _score in ranking])
        return ranking, cases, _stored_identities(list(cases), fields)
    found = _candidates_sql(query, grams=grams)
    if found is None:
        return [], {}, {}
    ranked, params = found
    n = _names()
    columns = ", ".join(f"i.{_column(PersonIdentity, name)}" for name in fields)
    sql = _CANDIDATES_READ.format(candidates=ranked, columns=columns, **n)
    candidates: dict[int, int] = {}
    visible: dict[int, tuple[FoundPerson, list[FoundCase]]] = {}
    stored: dict[int, dict[str, str | None]] = {}
    for row in _run(sql, params):
        person_id, score, case_id, sequence, status, code, birth_year, has_identity = row[:8]
        if person_id not in candidates:
            candidates[person_id] = score
            if has_identity is not None:
                stored[person_id] = dict(zip(fields, row[8:], strict=True))
        if case_id is not None:
            _add_case(visible, case_id, person_id, sequence, status, code, birth_year)
    return list(candidates.items()), visible, stored


def _by_tokens(user: User, query: Query, limit: int) -> tuple[list[SearchResult], bool]:
    fields = (*IDENTITY_SHOWN, "phone") if query.phone else IDENTITY_SHOWN
    candidates, visible, stored = _read_candidates(user, query, fields, grams=False)
    if len(candidates) < CANDIDATES and query.words:
        candidates, visible, stored = _read_candidates(user, query, fields, grams=True)
    scores = dict(candidates)
    # Only the persons with a case the user may see are checked, and decrypted as checked:
    # what verify() reads of every candidate ahead, each field's values at once.
    read = [
        (FoundIdentity(person, stored[person_id]), cases)
        for person_id, (person, cases) in visible.items()
        if person_id in stored
    ]
    decrypt_ahead((identity for identity, _cases in read), _checked_first(query))
    results = []
    keys: dict[str, set[str]] = {}  # the phonetic keys of the words compared, this search
    for identity, cases in read:
        person = identity.person
        verified = verify(query, identity, keys)
        if verified is None:
            continue
        similarity, matched = verified
        results.append(
            SearchResult(
                person=person,
                score=similarity,
                cases=cases,
                identity=identity,
                matched=matched,
            )
        )
    results.sort(key=lambda r: (-r.score, -scores[r.person.pk], r.person.code))
    shown = results[:limit]
    decrypt_ahead((r.identity for r in shown if r.identity), IDENTITY_SHOWN)  # for the page
    return shown, len(candidates) >= CANDIDATES or len(results) > limit


# --- checking one candidate ---------------------------------------------------------------


def _checked_first(query: Query) -> tuple[str, ...]:
    """The identity fields verify() reads of every candidate: those of what it checks
    first (the others only of the candidates that passed that)."""
    if query.words:
        return NAME_FIELDS
    if query.dates or query.years:
        return ("date_of_birth",)
    if query.phone:
        return ("phone",)
    return ()


def word_similarity(typed: str, stored: str, keys: dict[str, set[str]] | None = None) -> float:
    """How well one typed word matches one word of a name (0 to 1). `keys`: the
    strict phonetic keys of the words compared so far in this search, to add to."""
    if typed == stored:
        return 1.0
    if len(typed) >= 2 and stored.startswith(typed):
        return 0.95
    if _strict_keys(typed, keys) & _strict_keys(stored, keys):
        return 0.9
    return JaroWinkler.normalized_similarity(typed, stored)


def _strict_keys(word: str, keys: dict[str, set[str]] | None) -> set[str]:
    if keys is None:
        return t.phonetic_keys(word, loose=False)
    found = keys.get(word)
    if found is None:
        found = keys[word] = t.phonetic_keys(word, loose=False)
    return found


def verify(
    query: Query,
    identity: "PersonIdentity | FoundIdentity",
    keys: dict[str, set[str]] | None = None,
) -> tuple[float, list[str]] | None:
    """The similarity of a decrypted identity to the query, and what matched;
    None when it does not match (a false match of truncated tokens). `keys`: a
    dict kept for one search (word_similarity), or None."""
    matched = []
    scores = []
    if query.words:
        words: list[str] = []
        for value in (identity.given_names, identity.family_name, identity.aliases):
            words += t.name_word_variants(value or "")
        if not words:
            return None
        if keys is None:
            keys = {}
        for typed in query.words:
            best = 0.0
            for stored in words:
                similarity = word_similarity(typed, stored, keys)
                if similarity > best:
                    best = similarity
                    if best == 1.0:  # no word matches better
                        break
            if best < SIMILAR:
                return None
            scores.append(best)
        matched.append("name")
    born: date | None = identity.date_of_birth if query.dates or query.years else None
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
    # The duplicate check reads the date of birth of every name that matches: loaded with
    # the row (deferred, it was one query per matching candidate).
    rows = (
        PersonIdentity.objects.filter(person_id__in=ids)
        .select_related("person")
        .only("person", "given_names", "family_name", "aliases", "date_of_birth", "name_index")
    )
    keys: dict[str, set[str]] = {}
    for identity in rows:
        verified = verify(query, identity, keys)
        if verified is not None:
            found[identity.person_id] = (verified[0], identity)
    return found
