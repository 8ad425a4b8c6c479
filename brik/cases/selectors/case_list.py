"""The case list and a partner's own referrals.

The list stays fast with 100,000 persons: the page's ids first, then its rows."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any, cast

from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import Exists, Model, OuterRef, QuerySet

from brik.accounts.models import Organisation, User
from brik.accounts.permissions import Ability, can, roles_with, sees_every_case, users_with
from brik.cases.models import (
    Case,
    ExploitationForm,
    Person,
    PersonCitizenship,
    codes_containing,
)
from brik.cases.selectors.common import COUNT_CAP, cases_visible_to
from brik.core import choices
from brik.core.kept import kept_counts, kept_rows, kept_values
from brik.search.query import parse
from brik.search.selectors import MAX_LIMIT, search_persons


def cases_filtered(
    user: User, filters: dict[str, Any], *, for_a_page: bool = False, to_a_cap: bool = False
) -> QuerySet[Case]:
    """The cases that pass the filters. `for_a_page`: written for reading the first
    rows in the list's order (a citizenship as EXISTS); `to_a_cap`: for a count that
    stops after the first cases found (a citizenship as a join from its citizens);
    otherwise for counting or reading them all (IN the country's citizens, which
    SQLite counts faster). The same cases every way."""
    cases = cases_visible_to(user)
    if (person_ids := filters.get("person_ids")) is not None:
        # The search resolved once to its persons (case_list_page).
        cases = cases.filter(person_id__in=person_ids)
    elif q := filters.get("q"):
        cases = _matching(user, cases, q)
    if status := filters.get("status"):
        cases = cases.filter(status=status)
    if filters.get("open") == "open":
        cases = cases.exclude(status=choices.CaseStatus.CLOSED)
    elif filters.get("open") == "closed":
        cases = cases.filter(status=choices.CaseStatus.CLOSED)
    if bounds := _year_bounds(filters, "referred"):
        cases = cases.filter(referred_on__gte=bounds[0], referred_on__lt=bounds[1])
    if bounds := _year_bounds(filters, "decided"):
        cases = cases.filter(decided_on__gte=bounds[0], decided_on__lt=bounds[1])
    if authority := filters.get("authority"):
        cases = cases.filter(assessment__deciding_authority=authority)
    if form := filters.get("form"):
        cases = cases.filter(assessment__forms__form=form)
    if (country := filters.get("citizenship")) and for_a_page:
        # EXISTS rather than a join: SQLite then walks the cases in the list's order
        # and stops at the page's end, instead of sorting every citizen's case.
        cases = cases.filter(
            Exists(
                PersonCitizenship.objects.filter(person_id=OuterRef("person_id"), country=country)
            )
        )
    elif country and to_a_cap and connection.vendor == "sqlite":
        # The country's citizens in their index's order, each one's cases by the person
        # index, until the cap: IN would first list every citizen (2 ms for the 15,259
        # cases of one country at 100,000 persons, 0.4 ms this way). A person holds a
        # country once (a unique constraint), so no case is found twice. PostgreSQL
        # merges the two indexes for IN as well, and this join went through the persons'
        # table too (1.4 ms to the cap, 0.9 ms with IN).
        cases = cases.filter(person__citizenships__country=country)
    elif country:
        # The country's citizens from the (country, person) index alone, and their
        # cases from the person index: no join through the persons' table.
        cases = cases.filter(
            person_id__in=PersonCitizenship.objects.filter(country=country).values("person_id")
        )
    if assigned := filters.get("assigned"):
        cases = (
            cases.filter(assigned_to__isnull=True)
            if assigned == "none"
            else cases.filter(assigned_to=assigned)
        )
    if organisation := filters.get("organisation"):
        cases = cases.filter(referral__referring_organisation=organisation)
    return cases


def _year_bounds(filters: dict[str, Any], which: str) -> tuple[date, date] | None:
    """A year filter's first day and the next year's: from the year (the form's
    `referred_year`), or as given (`referred_between`: the kept page's values)."""
    if bounds := filters.get(f"{which}_between"):
        return bounds
    if year := filters.get(f"{which}_year"):
        return date(year, 1, 1), date(year + 1, 1, 1)
    return None


def _matching(user: User, cases: QuerySet[Case], q: str) -> QuerySet[Case]:
    """A case code (or part of one) as before; a name, date of birth or phone
    number through the person search (brik.search), for those who read identities."""
    if parse(q).personal and can(user, Ability.PERSON_IDENTITY):
        found = search_persons(user, q, MAX_LIMIT).results
        return cases.filter(person_id__in=[r.person.pk for r in found])
    return cases.filter(codes_containing(q, "person__code"))


# A code search that matches at most this many persons filters the cases by their ids
# (the persons' codes scanned once); one that matches more, by the code in the join.
CODE_SEARCH_IDS = 500


def _search_resolved(user: User, filters: dict[str, Any]) -> dict[str, Any]:
    """The filters with the search resolved once to the persons it finds (`person_ids`),
    for the page and its count alike: a name search then runs once a request, not twice,
    and a code that few persons hold is found by one scan of the persons' codes
    instead of a scan of the cases joined to them for the count."""
    q = filters.get("q")
    if not q:
        return filters
    if parse(q).personal and can(user, Ability.PERSON_IDENTITY):
        found = search_persons(user, q, MAX_LIMIT).results
        return {**filters, "person_ids": [r.person.pk for r in found]}
    ids = list(
        Person.objects.filter(codes_containing(q)).values_list("pk", flat=True)[
            : CODE_SEARCH_IDS + 1
        ]
    )
    if len(ids) > CODE_SEARCH_IDS:
        return filters  # a common fragment ("BRK"): the join finds the page's first cases fast
    return {**filters, "person_ids": ids}


@dataclass(frozen=True, slots=True)
class CaseListRow:
    """What a row of the case list shows: statistical fields only, as codes (the
    template tag writes their labels). Read as plain values, not model instances:
    building six model instances a row and prefetching through them cost more than
    the page's SQL."""

    pk: int
    code: str
    urgent: bool
    status: str
    referred_on: date
    decided_on: date | None
    has_assessment: bool
    deciding_authority: str
    forms: list[str]
    citizenships: list[str]
    gender: str
    birth_year: int | None
    organisation: str  # the referring organisation's short name or name; "" without a referral
    contact: str  # the contact person's name (a member of staff's), or ""


# What a row of the case list reads (no encrypted column: nothing is decrypted).
LIST_COLUMNS = (
    "pk",
    "sequence",
    "status",
    "urgent",
    "referred_on",
    "decided_on",
    "person_id",
    "person__code",
    "person__gender",
    "person__birth_year",
    "assigned_to_id",
    "assigned_to__username",
    "assigned_to__first_name",
    "assigned_to__last_name",
    "assessment__pk",
    "assessment__deciding_authority",
    "referral__pk",
    "referral__referring_organisation__name",
    "referral__referring_organisation__short_name",
)


class CappedPaginator(Paginator):
    """A paginator whose count stops at COUNT_CAP (common.py): the list counts to the
    cap and lists that many. At 100,000 persons the 15,259 cases of one citizenship took
    5 ms to count in full on SQLite, 0.4 ms to the cap; all cases 9 ms on PostgreSQL (an
    index-only scan of every case), 0.2 ms. `capped`: more cases pass the filters than
    are listed, and the count is the cap."""

    capped = False


def case_list_page(
    *,
    user: User,
    filters: dict[str, Any],
    order_by: tuple[str, ...],
    page: str | int | None,
    per_page: int = 50,
) -> Page[CaseListRow]:
    """One page of cases with the statistical fields only: code, dates, status,
    authority, forms, citizenship, gender, year of birth, referrer, contact person.

    Two steps, so that it stays fast with 100,000 persons: the filtered, sorted
    ids of the page first (a narrow query), then those rows with what they show.
    Five queries whatever the number of cases (and one for a code search). The
    cases are counted to COUNT_CAP. Without a search, the count's and the ids' SQL
    is compiled once per process and kind of filter (`_KeptFilters`).
    """
    filters = _search_resolved(user, filters)
    kept = _KeptFilters.of(user, filters)
    # Counted with the filters written for counting to the cap, unsorted: the first
    # cases found.
    if kept is None:
        counted = cases_filtered(user, filters, to_a_cap=True).order_by()
        count = counted[: COUNT_CAP + 1].count()
    else:
        count = kept_counts(
            f"case list: {kept.shape}",
            Case,
            [("cases", kept.queryset(user, to_a_cap=True), kept.values)],
            COUNT_CAP,
        )[0]
    # The paginator pages the positions of the cases counted (its count is the capped
    # count; a page's positions say which of the sorted ids to read).
    paginator = CappedPaginator(range(min(count, COUNT_CAP)), per_page)
    paginator.capped = count > COUNT_CAP
    # The page holds the rows of its ids instead: Page[Any] for that swap.
    result: Page[Any] = paginator.get_page(page)
    positions = cast(range, result.object_list)
    start, stop = positions.start, positions.stop
    if kept is None:
        ids = cases_filtered(user, filters, for_a_page=True).order_by(*order_by)
        pks = list(ids.values_list("pk", flat=True)[start:stop])
    else:
        make = kept.queryset(user, for_a_page=True)
        rows = kept_values(
            f"case list: {kept.shape}: ids by {','.join(order_by)}: {start}:{stop}",
            Case,
            lambda *values: make(*values).order_by(*order_by).values_list("pk")[start:stop],
            kept.values,
        )
        pks = [pk for (pk,) in rows]
    result.object_list = case_list_rows(pks)
    return result


@dataclass(frozen=True)
class _KeptFilters:
    """The case list's filters as the values of a query whose SQL is kept (brik.core.kept):
    `shape` names which filters are set, and the value of those whose value changes the
    SQL; `values` are the others' values, in `names`' order. Only for a reader who sees
    every case (the SQL depends on nothing of the reader's) and without a search (its
    persons are a list). `queryset(user)(*values)` is cases_filtered's queryset."""

    shape: str
    names: tuple[str, ...]
    values: tuple
    constant: tuple[tuple[str, Any], ...]

    # Filters whose value changes the SQL: part of the shape.
    IN_SHAPE = {"open": ("open", "closed"), "assigned": ("none",)}
    # Filters whose value is a parameter: a choice (a string), or a primary key.
    TEXTS = frozenset({"status", "authority", "form", "citizenship"})
    KEYS = frozenset({"assigned", "organisation"})
    YEARS = {"referred_year": "referred", "decided_year": "decided"}

    @classmethod
    def of(cls, user: User, filters: dict[str, Any]) -> "_KeptFilters | None":
        if not sees_every_case(user) or "q" in filters or "person_ids" in filters:
            return None
        shape: list[str] = []
        names: list[str] = []
        values: list[Any] = []
        constant: list[tuple[str, Any]] = []
        for name in sorted(filters):
            value = filters[name]
            if value in cls.IN_SHAPE.get(name, ()):
                shape.append(f"{name}={value}")
                constant.append((name, value))
            elif name in cls.TEXTS and isinstance(value, str):
                shape.append(name)
                names.append(name)
                values.append(value)
            elif name in cls.KEYS and str(value).isdigit():
                shape.append(name)
                names.append(name)
                values.append(int(value))
            elif name in cls.YEARS and isinstance(value, int):
                which = cls.YEARS[name]
                shape.append(name)
                names += [f"{which}_from", f"{which}_before"]
                values += [date(value, 1, 1), date(value + 1, 1, 1)]
            else:
                return None  # a filter or a value this does not know: through the ORM
        return cls(",".join(shape) or "all", tuple(names), tuple(values), tuple(constant))

    def filters(self, values: tuple) -> dict[str, Any]:
        out: dict[str, Any] = dict(self.constant)
        given = dict(zip(self.names, values, strict=True))
        for which in self.YEARS.values():
            if f"{which}_from" in given:
                out[f"{which}_between"] = (given.pop(f"{which}_from"), given.pop(f"{which}_before"))
        return out | given

    def queryset(self, user: User, **how: bool) -> Callable[..., QuerySet[Case]]:
        return lambda *values: cases_filtered(user, self.filters(values), **how).order_by()


def case_list_rows(pks: list[int]) -> list[CaseListRow]:
    """The list's rows of these cases, in this order (three queries, their SQL kept)."""
    if not pks:
        return []
    values = {
        row[0]: row
        for row in kept_rows(
            "case list: rows",
            Case,
            lambda ids: Case.objects.filter(pk__in=ids).values_list(*LIST_COLUMNS),
            pks,
        )
    }
    person_ids = list({row[6] for row in values.values()})
    assessment_ids = list({row[14] for row in values.values() if row[14] is not None})
    citizenships = _lists_by("citizenships", PersonCitizenship, "person_id", "country", person_ids)
    forms = (
        _lists_by("forms", ExploitationForm, "assessment_id", "form", assessment_ids)
        if assessment_ids
        else {}
    )
    rows = []
    for pk in pks:
        (
            _pk, sequence, status, urgent, referred_on, decided_on, person_id, person_code,
            gender, birth_year, assigned_to_id, username, first_name, last_name,
            assessment_id, authority, referral_id, organisation_name, organisation_short,
        ) = values[pk]  # fmt: skip
        contact = ""
        if assigned_to_id is not None:
            # As User.get_full_name(), or the username (brik_ui.staff_name).
            contact = f"{first_name} {last_name}".strip() or username
        rows.append(
            CaseListRow(
                pk=pk,
                code=Case.code_of(person_code, sequence),
                urgent=urgent,
                status=status,
                referred_on=referred_on,
                decided_on=decided_on,
                has_assessment=assessment_id is not None,
                deciding_authority=authority or "",
                forms=forms.get(assessment_id, []) if assessment_id is not None else [],
                citizenships=citizenships.get(person_id, []),
                gender=gender,
                birth_year=birth_year,
                organisation=(
                    (organisation_short or organisation_name) if referral_id is not None else ""
                ),
                contact=contact,
            )
        )
    return rows


def _lists_by(
    name: str, model: type[Model], key: str, value: str, ids: list
) -> dict[Any, list[str]]:
    """{key: [value, ...]} of the model's rows whose `key` is one of `ids`, each list
    in the order of `value` (one query, its SQL kept: brik.core.kept.kept_rows)."""
    out: dict[Any, list[str]] = {}
    for k, v in kept_rows(
        f"case list: {name}",
        model,
        lambda ids: (
            model._default_manager.filter(**{f"{key}__in": ids})
            .order_by(value)
            .values_list(key, value)
        ),
        ids,
    ):
        out.setdefault(k, []).append(v)
    return out


def case_list_choices() -> tuple[list[User], list[Organisation]]:
    """Who can be filtered on: centre staff (contact persons) and the organisations that refer."""
    staff = list(users_with(Ability.CASE_CONTACT).order_by("first_name", "username"))
    referrers = list(
        Organisation.objects.exclude(type=choices.OrganisationType.REINTEGRATION).order_by("name")
    )
    return staff, referrers


def case_list_filter_choices() -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """case_list_choices() as the filter form's (value, label) pairs: the contact
    persons (User.get_full_name() or the username) and the referring organisations,
    read as plain values with their SQL kept (brik.core.kept.kept_rows): the same choices, in the
    same order, without building model instances or compiling two queries a request."""
    roles = list(roles_with(Ability.CASE_CONTACT))
    staff = [
        (str(pk), f"{first_name} {last_name}".strip() or username)
        for pk, first_name, last_name, username in kept_rows(
            "case list: staff",
            User,
            lambda _: (
                users_with(Ability.CASE_CONTACT)
                .order_by("first_name", "username")
                .values_list("pk", "first_name", "last_name", "username")
            ),
            roles,
        )
    ]
    referrers = [
        (str(pk), name)
        for pk, name in kept_rows(
            "case list: referrers",
            Organisation,
            lambda _: (
                Organisation.objects.exclude(type=choices.OrganisationType.REINTEGRATION)
                .order_by("name")
                .values_list("pk", "name")
            ),
            [choices.OrganisationType.REINTEGRATION.value],
        )
    ]
    return staff, referrers


def partner_referrals_page(*, user: User, page: str | int | None, per_page: int = 50) -> Page[Case]:
    """One page of a partner's own organisation's referrals."""
    return Paginator(partner_referrals(user=user), per_page).get_page(page)


def partner_referrals(*, user: User) -> QuerySet[Case]:
    """A partner's own organisation's referrals: status and outcome, their own reference,
    and (shown only where the person consented to sharing) the identity for initials."""
    return (
        cases_visible_to(user)
        .select_related("person__identity", "referral")
        .order_by("-referred_on", "-id")
    )
