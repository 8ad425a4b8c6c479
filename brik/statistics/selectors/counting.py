"""The queries of the statistics: which rows count, in which year, as whom.

The categories the queries sort persons into (age bands, Eurostat's groups),
the shared totals (persons screened and identified per year), the long
series, and the building blocks every table's query starts from. Each
function here runs at most one query."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence

import pycountry
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db.models import Case as CaseWhen
from django.db.models import (
    CharField,
    Count,
    Exists,
    F,
    Func,
    IntegerField,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)

from brik.cases.models import Case, PersonCitizenship, PreparedReturn
from brik.core import choices
from brik.core.countries import EU_MEMBERS, REPORTING_COUNTRY
from brik.statistics.expressions import Year
from brik.statistics.selectors.kept import kept, kept_wrapped

# Persons screened, identified... (the names) per year, as decision_totals counts them.
DecisionTotals = dict[str, dict[int, int]]

UNKNOWN = "unknown"
# The citizenship table's rows for the citizenships not listed one by one.
OTHER_EU = "other_eu"
OTHER_NON_EU = "other_non_eu"

# CTDC's age bands (at the decision), lower bound inclusive.
AGE_BANDS = [
    ("0-8", 0, 8),
    ("9-17", 9, 17),
    ("18-20", 18, 20),
    ("21-23", 21, 23),
    ("24-26", 24, 26),
    ("27-29", 27, 29),
    ("30-38", 30, 38),
    ("39-47", 39, 47),
    ("48+", 48, 200),
]
CHILD_BANDS = ("0-8", "9-17")
ADULT_BANDS = tuple(band for band, _lo, _hi in AGE_BANDS if band not in CHILD_BANDS)
# Merged categories are written as their parts joined by "|", so that
# disclosure control knows that "child" = "0-8" + "9-17".
CHILD = "|".join(CHILD_BANDS)
ADULT = "|".join(ADULT_BANDS)

# The age groups of the centre's own reports (at the decision). Under 18 is the
# children's merged category; the others straddle CTDC's bands (24 is in "24-26"),
# so the audit bounds them by the bands they contain and the bands they touch.
AGE_GROUPS = [(CHILD, 0, 17), ("18-24", 18, 24), ("25+", 25, 200)]


def age_group_bands(group: str) -> tuple[list[str], list[str]]:
    """CTDC's bands wholly inside an age group, and the bands that overlap it."""
    lo, hi = next((lo, hi) for key, lo, hi in AGE_GROUPS if key == group)
    inside = [band for band, b_lo, b_hi in AGE_BANDS if lo <= b_lo and b_hi <= hi]
    touching = [band for band, b_lo, b_hi in AGE_BANDS if b_lo <= hi and lo <= b_hi]
    return inside, touching


# "Forced labour or criminal activities": the combined figure the centre reports.
LABOUR_OR_CRIMINAL_FORMS = (
    choices.ExploitationForm.FORCED_LABOUR,
    choices.ExploitationForm.CRIMINAL,
)

EUROSTAT_FORM_GROUPS = ("SEX_EXP", "LAB_EXP", "OTH", "UNK")


def eurostat_forms(group: str) -> list[str]:
    return [
        form for form, codes in choices.EXPLOITATION_FORM_CODES.items() if codes.eurostat == group
    ]


def year_list(years: Iterable[int]) -> list[int]:
    years = sorted(set(years))
    if not years:
        raise ValueError("at least one year")
    return years


def decided_cases(years: Sequence[int]) -> QuerySet[Case]:
    return Case.objects.filter(
        decided_on__year__gte=years[0], decided_on__year__lte=years[-1]
    ).annotate(year=Year("decided_on"))


def identified_cases(years: Sequence[int]) -> QuerySet[Case]:
    return decided_cases(years).filter(outcome=choices.Outcome.IDENTIFIED)


def presumed_cases(years: Sequence[int]) -> QuerySet[Case]:
    """The cases of presumed victims, by the year of the referral (Eurostat's "presumed").

    A person is a presumed victim in a year when a case of theirs was referred in
    that year and was not decided by the end of it (still awaiting the
    assessment, or decided in a later year), and they were not identified in that
    year. So the identified and the presumed of a year are different persons and
    together are the year's registered victims (Eurostat: identified + presumed).
    A person decided "not identified" in the year of the referral is neither.
    """
    # Year(), not decided_on__year: a year lookup against another column is Django's
    # per-row Python function on SQLite (minutes at 1,000,000 cases); Year() is native.
    identified_that_year = Case.objects.annotate(decided_in=Year("decided_on")).filter(
        person=OuterRef("person"),
        outcome=choices.Outcome.IDENTIFIED,
        decided_in=OuterRef("year"),
    )
    return (
        Case.objects.filter(referred_on__year__gte=years[0], referred_on__year__lte=years[-1])
        .annotate(year=Year("referred_on"), decided_year=Year("decided_on"))
        .filter(Q(decided_on__isnull=True) | Q(decided_year__gt=F("year")))
        .filter(~Exists(identified_that_year))
    )


def presumed_with_age(years: Sequence[int]) -> QuerySet[Case]:
    """Presumed victims' cases with the CTDC age band in the year of the referral."""
    return presumed_cases(years).annotate(
        age=F("year") - F("person__birth_year"), band=_age_band_expression()
    )


def person_count() -> Count:
    return Count("person", distinct=True)


def grouped_counts(rows: Iterable[dict], key: str, n: str = "n") -> dict[tuple[int, str], int]:
    """{(year, category): count} from rows (dicts, a queryset's or kept) with year, key and n."""
    counts: dict[tuple[int, str], int] = defaultdict(int)
    for row in rows:
        category = row[key]
        counts[(row["year"], UNKNOWN if category in (None, "") else category)] += row[n]
    return counts


def decision_totals(*, years: Iterable[int]) -> DecisionTotals:
    """Persons screened and identified per year (and sub-totals tables share), one query."""
    years = year_list(years)
    identified = Q(outcome=choices.Outcome.IDENTIFIED)
    rows = kept(
        Case,
        ("decision_totals", tuple(years)),
        lambda: (
            decided_cases(years)
            .values("year")
            .annotate(
                screened=person_count(),
                identified=Count("person", filter=identified, distinct=True),
                not_identified=Count(
                    "person", filter=Q(outcome=choices.Outcome.NOT_IDENTIFIED), distinct=True
                ),
                with_sector=Count(
                    "person", filter=identified & ~Q(assessment__labour_sector=""), distinct=True
                ),
            )
            .order_by("year")
        ),
        person="person_id",
    )
    out: DecisionTotals = defaultdict(dict)
    for row in rows:
        for name in ("screened", "identified", "not_identified", "with_sector"):
            out[name][row["year"]] = row[name]
    return out


def totals_or_query(totals: DecisionTotals | None, years: Sequence[int]) -> DecisionTotals:
    return totals if totals is not None else decision_totals(years=years)


def identified_series(*, years: Iterable[int]) -> dict[int, int]:
    """Persons identified per year (the long series, for records)."""
    years = year_list(years)
    rows = kept(
        Case,
        ("identified_series", tuple(years)),
        lambda: identified_cases(years).values("year").annotate(n=person_count()).order_by("year"),
        person="person_id",
    )
    counts = {row["year"]: row["n"] for row in rows}
    return {y: counts.get(y, 0) for y in years}


def _series_until(
    model: type[Case] | type[PreparedReturn],
    key: tuple,
    make: Callable[[], QuerySet[Case] | QuerySet[PreparedReturn]],
    year: int,
    count: Callable[[], Count],
    person: str,
) -> dict[int, int]:
    counts = {
        row["year"]: row["n"]
        for row in kept(
            model, key, lambda: make().values("year").annotate(n=count()), person=person
        )
    }
    first = min(counts, default=year)
    return {y: counts.get(y, 0) for y in range(min(first, year - 1), year + 1)}


def identified_series_until(*, year: int) -> dict[int, int]:
    """Persons identified per year from the first year with a decision (one query)."""
    return _series_until(
        Case,
        ("identified_series_until", year),
        lambda: Case.objects.filter(
            outcome=choices.Outcome.IDENTIFIED, decided_on__year__lte=year
        ).annotate(year=Year("decided_on")),
        year,
        person_count,
        "person_id",
    )


def returns_series_until(*, year: int) -> dict[int, int]:
    """Persons who left on a prepared return per year, from the first departure (one query)."""
    return _series_until(
        PreparedReturn,
        ("returns_series_until", year),
        lambda: PreparedReturn.objects.filter(
            status=choices.ReturnStatus.DEPARTED, departed_on__year__lte=year
        ).annotate(year=Year("departed_on")),
        year,
        lambda: Count("case__person", distinct=True),
        "case__person_id",
    )


def _age_band_expression() -> CaseWhen:
    whens = [When(person__birth_year__isnull=True, then=Value(UNKNOWN))]
    whens += [When(age__gte=lo, age__lte=hi, then=Value(band)) for band, lo, hi in AGE_BANDS]
    return CaseWhen(*whens, default=Value(UNKNOWN))


def identified_with_age(years: Sequence[int]) -> QuerySet[Case]:
    return identified_cases(years).annotate(
        age=Year("decided_on") - F("person__birth_year"), band=_age_band_expression()
    )


def _age_group_expression() -> CaseWhen:
    whens = [When(person__birth_year__isnull=True, then=Value(UNKNOWN))]
    whens += [When(age__gte=lo, age__lte=hi, then=Value(group)) for group, lo, hi in AGE_GROUPS]
    return CaseWhen(*whens, default=Value(UNKNOWN))


def identified_with_age_group(years: Sequence[int]) -> QuerySet[Case]:
    return identified_cases(years).annotate(
        age=Year("decided_on") - F("person__birth_year"), group=_age_group_expression()
    )


class _GroupOfRank(Func):
    """CASE rank WHEN 1 THEN 'reporting' WHEN 2 THEN 'eu' WHEN 3 THEN 'non_eu' ELSE unknown."""

    output_field = CharField()
    GROUPS = ("reporting", "eu", "non_eu")

    def as_sql(self, compiler, connection, **extra_context):
        rank_sql, params = compiler.compile(self.source_expressions[0])
        whens = " ".join(f"WHEN {n} THEN %s" for n in range(1, len(self.GROUPS) + 1))
        return f"CASE {rank_sql} {whens} ELSE %s END", (*params, *self.GROUPS, UNKNOWN)


def citizenship_group_expression() -> Func:
    """Eurostat's groups, as brik.core.countries.citizenship_group, for the person's
    citizenships in order: the reporting country first, then another EU country.

    One look at the person's citizenships per row, for the best rank among them
    (1 the reporting country, 2 another EU country, 3 any other; none: unknown),
    rather than a search of them for each group in turn (three times as slow)."""
    rank = CaseWhen(
        When(country=REPORTING_COUNTRY, then=Value(1)),
        When(country__in=EU_MEMBERS, then=Value(2)),
        default=Value(3),
        output_field=IntegerField(),
    )
    best = (
        PersonCitizenship.objects.filter(person=OuterRef("person"))
        .values("person")
        .annotate(best=Min(rank))
        .values("best")
    )
    return _GroupOfRank(Subquery(best, output_field=IntegerField()))


def departed_returns(years: Sequence[int]) -> QuerySet[PreparedReturn]:
    return PreparedReturn.objects.filter(
        status=choices.ReturnStatus.DEPARTED,
        departed_on__year__gte=years[0],
        departed_on__year__lte=years[-1],
    ).annotate(year=Year("departed_on"))


def returns_series(*, years: Iterable[int]) -> dict[int, int]:
    """Persons who left on a prepared return, per year of departure."""
    years = year_list(years)
    rows = kept(
        PreparedReturn,
        ("returns_series", tuple(years)),
        lambda: (
            departed_returns(years).values("year").annotate(n=Count("case__person", distinct=True))
        ),
        person="case__person_id",
    )
    counts = {row["year"]: row["n"] for row in rows}
    return {y: counts.get(y, 0) for y in years}


EUROSTAT_SEX = [
    ("woman", "F"),
    ("man", "M"),
    (f"{choices.Gender.TRANS_NONCONFORMING}|{choices.Gender.UNKNOWN}", "UNK"),
]


# Eurostat's codes (crim_thb) for the categories of its tables, and for their totals.
EUROSTAT_AGE_CODES = {CHILD: "Y_LT18", ADULT: "Y_GE18", UNKNOWN: "UNK"}
EUROSTAT_CITIZENSHIP_CODES = {
    "reporting": "NAT",
    "eu": "EU27_2020_FOR",
    "non_eu": "NEU27_2020_FOR",
    UNKNOWN: "UNK",
}
EUROSTAT_SEX_TOTAL = "T"
EUROSTAT_TOTAL = "TOTAL"


def sex_key(gender: str) -> str:
    for key, _code in EUROSTAT_SEX:
        if gender in key.split("|"):
            return key
    return EUROSTAT_SEX[-1][0]


def counts_under_latest(
    query_key: tuple,
    cases: Callable[[], QuerySet],
    date_field: str,
    fields: Sequence[str],
    *,
    model: type[Case] | type[PreparedReturn] = Case,
    person: str = "person_id",
) -> list[tuple]:
    """(year, *values of `fields`, persons) rows: the persons per year (of `date_field`)
    and values of their latest case of the year, counted by the database (one query,
    its SQL kept under `query_key`, the date field and the fields).

    A person with two cases in a year counts once, under the later case (by
    `date_field`, then by case), so that a table's rows add up to its total: a
    table where a person could be in two rows lets an outsider assume they rarely
    are. The caller sorts the rows into its categories (several rows may fall in one).
    Rows of another `model` (prepared returns) with the way to their `person`: the
    latest row of a person's in the year, by `date_field` and then by id.
    """
    names = [f"_v{i}" for i in range(len(fields))]
    columns = ", ".join(f"latest.{name}" for name in names)

    def wrap(_vendor: str, inner: str, *, per_slice: int | None = None) -> str:
        # Only names and integers go into the text.
        values = ", ".join(f"c.{name}" for name in names)
        rank = (
            "ROW_NUMBER() OVER (PARTITION BY c.year, c._person ORDER BY c._date DESC, c._case DESC)"
        )
        if per_slice is not None:
            values += f", c._person / {int(per_slice)} AS _slice"
        ranked = f"SELECT c.year, {values}, {rank} AS _rank FROM ({inner}) AS c"  # noqa: S608
        latest = f"({ranked}) AS latest WHERE latest._rank = 1"
        groups = f"latest.year, {columns}" + (", latest._slice" if per_slice is not None else "")
        counted = f"latest.year, {columns}, COUNT(*)"
        if per_slice is not None:
            counted += ", latest._slice"
        return f"SELECT {counted} FROM {latest} GROUP BY {groups}"  # noqa: S608

    return kept_wrapped(
        model,
        (*query_key, date_field, tuple(fields)),
        lambda: (
            cases()
            .annotate(
                year=Year(date_field),
                _person=F(person),
                _date=F(date_field),
                _case=F("id"),
                **{name: F(field) for name, field in zip(names, fields, strict=True)},
            )
            .values_list("year", "_person", "_date", "_case", *names)
        ),
        wrap,
        person=person,
        sums=(1 + len(fields),),
    )


def listed_citizenships() -> tuple[str, ...]:
    """The citizenships the report lists one by one (settings.BRIK_REPORT_CITIZENSHIPS),
    the reporting country first: the same rows every year, whatever the data."""
    codes = tuple(dict.fromkeys(getattr(settings, "BRIK_REPORT_CITIZENSHIPS", ())))
    unknown = [c for c in codes if pycountry.countries.get(alpha_2=c) is None]
    if unknown:
        raise ImproperlyConfigured(
            "BRIK_REPORT_CITIZENSHIPS holds codes that are not countries: " + ", ".join(unknown)
        )
    return (REPORTING_COUNTRY, *(c for c in codes if c != REPORTING_COUNTRY))


def citizenship_row_expression(field: str, listed: Sequence[str]) -> CaseWhen:
    """The citizenship table's row of a citizenship `field`: the country when it is
    listed, otherwise "other EU countries" or "other countries"; none: unknown."""
    return CaseWhen(
        When(**{f"{field}__isnull": True}, then=Value(UNKNOWN)),
        When(**{f"{field}__in": list(listed)}, then=F(field)),
        When(**{f"{field}__in": sorted(EU_MEMBERS)}, then=Value(OTHER_EU)),
        default=Value(OTHER_NON_EU),
        output_field=CharField(),
    )


def citizenship_row_filter(field: str, key: str, listed: Sequence[str]) -> Q:
    """The persons counted in the citizenship table's row `key` (as the expression)."""
    if key == UNKNOWN:
        return Q(**{f"{field}__isnull": True})
    others = Q(**{f"{field}__in": list(listed)})
    if key == OTHER_EU:
        return Q(**{f"{field}__in": sorted(EU_MEMBERS)}) & ~others
    if key == OTHER_NON_EU:
        return (
            Q(**{f"{field}__isnull": False}) & ~others & ~Q(**{f"{field}__in": sorted(EU_MEMBERS)})
        )
    return Q(**{field: key})
