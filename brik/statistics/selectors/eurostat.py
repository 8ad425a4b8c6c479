"""Eurostat's tables for one year: registered, identified and presumed victims by sex and
age, by sex and citizenship group and by sex and form, and the rates per 100,000
inhabitants.

Eurostat (crim_thb) counts *registered* victims: the identified and the presumed
ones. Identified victims are counted in the year of the positive decision
(`identified_cases`), presumed victims in the year of the referral
(`presumed_cases`: not decided by the end of that year, and not identified in
it). A person is never both in one year, so every registered cell is the sum of
the identified and the presumed cell: disclosure control knows the equation
(`disclosure.build_system`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from django.db.models import Count, Q, QuerySet
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from brik.cases.models import Case
from brik.core.countries import REPORTING_COUNTRY
from brik.statistics.selectors.counting import (
    ADULT,
    ADULT_BANDS,
    CHILD,
    CHILD_BANDS,
    EUROSTAT_AGE_CODES,
    EUROSTAT_CITIZENSHIP_CODES,
    EUROSTAT_FORM_GROUPS,
    EUROSTAT_SEX,
    EUROSTAT_SEX_TOTAL,
    EUROSTAT_TOTAL,
    UNKNOWN,
    citizenship_group_expression,
    eurostat_forms,
    identified_cases,
    identified_with_age,
    person_count,
    presumed_with_age,
    sex_key,
)
from brik.statistics.selectors.kept import kept
from brik.statistics.selectors.labels import (
    counting_rule,
    eurostat_form_label,
    joined_note,
    multi_note,
    sex_label,
)
from brik.statistics.selectors.specs import cross_table
from brik.statistics.tables import NOT_SHOWN, TOTAL, Column, Row, Table, make_coords

IDENTIFIED = "identified"
PRESUMED = "presumed"
REGISTERED = "registered"
# The order of the tables and of the rates' rows.
STATUSES = (REGISTERED, IDENTIFIED, PRESUMED)

# The cross tables by their second dimension: the slug of the identified table
# (the first Eurostat tables, kept), and of the registered and presumed ones.
BREAKDOWNS = ("sex_age", "sex_citizenship", "sex_form")


def eurostat_slug(status: str, breakdown: str) -> str:
    return f"eurostat_{breakdown}" if status == IDENTIFIED else f"eurostat_{status}_{breakdown}"


def _age_key(band: str) -> str:
    return CHILD if band in CHILD_BANDS else ADULT if band in ADULT_BANDS else UNKNOWN


def _row_codes() -> dict[str, str]:
    return {**dict(EUROSTAT_SEX), TOTAL: EUROSTAT_SEX_TOTAL}


def _age_columns() -> list[tuple[str, str]]:
    return [(CHILD, _("Children")), (ADULT, _("Adults")), (UNKNOWN, _("Unknown"))]


def _citizenship_columns() -> list[tuple[str, str]]:
    return [
        ("reporting", _("Reporting country")),
        ("eu", _("Other EU")),
        ("non_eu", _("Non-EU")),
        (UNKNOWN, _("Unknown")),
    ]


def _titles(status: str) -> dict[str, str]:
    if status == REGISTERED:
        return {
            "sex_age": _("Registered victims by sex and age (Eurostat)"),
            "sex_citizenship": _("Registered victims by sex and citizenship group (Eurostat)"),
            "sex_form": _("Registered victims by sex and form of exploitation (Eurostat)"),
        }
    if status == PRESUMED:
        return {
            "sex_age": _("Presumed victims by sex and age (Eurostat)"),
            "sex_citizenship": _("Presumed victims by sex and citizenship group (Eurostat)"),
            "sex_form": _("Presumed victims by sex and form of exploitation (Eurostat)"),
        }
    return {
        "sex_age": _("Identified victims by sex and age (Eurostat)"),
        "sex_citizenship": _("Identified victims by sex and citizenship group (Eurostat)"),
        "sex_form": _("Identified victims by sex and form of exploitation (Eurostat)"),
    }


def status_note(status: str) -> str:
    if status == REGISTERED:
        return _(
            "Registered victims, as Eurostat counts them: the identified victims (in the year "
            "of the decision) and the presumed victims (in the year of the referral)."
        )
    if status == PRESUMED:
        return _(
            "Presumed victims: persons referred in the year whose assessment was not decided "
            "by the end of the year, and who were not identified in the year."
        )
    return counting_rule()


def _status_table(
    status: str,
    breakdown: str,
    *,
    year: int,
    counts: dict[tuple[str, str], int],
    totals: dict[str, int] | None = None,
) -> Table:
    """One of the nine cross tables, from its counts {(sex key, column key): persons}."""
    title = _titles(status)[breakdown]
    ages = {
        IDENTIFIED: _("Children: under 18 at the decision."),
        PRESUMED: _("Children: under 18 in the year of the referral."),
        REGISTERED: _(
            "Children: under 18 at the decision (identified) or in the year of the referral "
            "(presumed)."
        ),
    }
    note_of = {
        "sex_age": ages[status],
        "sex_citizenship": _("By Eurostat's citizenship groups."),
        "sex_form": multi_note(_("forms of exploitation")),
    }
    note = joined_note(status_note(status), note_of[breakdown])
    if breakdown == "sex_form" and status != IDENTIFIED:
        note = joined_note(
            note,
            _(
                "The form of exploitation is determined at the assessment: presumed victims "
                "count under “Form not determined”."
            ),
        )
    if breakdown == "sex_age":
        columns, col_dim, codes = _age_columns(), "age", EUROSTAT_AGE_CODES
    elif breakdown == "sex_citizenship":
        columns, col_dim, codes = (
            _citizenship_columns(),
            "citizenship_group",
            (EUROSTAT_CITIZENSHIP_CODES),
        )
    else:
        columns = [(g, eurostat_form_label(g)) for g in EUROSTAT_FORM_GROUPS]
        col_dim, codes = "eurostat_form", {g: g for g in EUROSTAT_FORM_GROUPS}
    table = cross_table(
        slug=eurostat_slug(status, breakdown),
        title=title,
        year=year,
        counts=counts,
        columns=columns,
        col_dim=col_dim,
        note=note,
        additive_columns=breakdown != "sex_form",
        totals=totals,
        measure=status,
    )
    table.row_codes = _row_codes()
    table.column_codes = {**codes, TOTAL: EUROSTAT_TOTAL}
    return table


# --- the counts ------------------------------------------------------------------------------


def _identified_age_counts(year: int) -> dict[tuple[str, str], int]:
    qs = kept(
        Case,
        ("eurostat_identified_age", year),
        lambda: (
            identified_with_age([year]).values("person__gender", "band").annotate(n=person_count())
        ),
        person="person_id",
    )
    counts: dict[tuple[str, str], int] = defaultdict(int)
    for row in qs:
        counts[(sex_key(row["person__gender"]), _age_key(row["band"]))] += row["n"]
    return counts


def _identified_citizenship_counts(year: int) -> dict[tuple[str, str], int]:
    qs = kept(
        Case,
        ("eurostat_identified_citizenship", year, REPORTING_COUNTRY),
        lambda: (
            identified_cases([year])
            .annotate(group=citizenship_group_expression())
            .values("person__gender", "group")
            .annotate(n=person_count())
        ),
        person="person_id",
    )
    counts: dict[tuple[str, str], int] = defaultdict(int)
    for row in qs:
        counts[(sex_key(row["person__gender"]), row["group"])] += row["n"]
    return counts


def _identified_form_counts(year: int) -> tuple[dict[tuple[str, str], int], dict[str, int]]:
    """Persons per (sex, form group) and per sex (one query: a filtered count per group)."""
    form = "assessment__forms__form"
    annotations = {
        g: Count("person", filter=Q(**{f"{form}__in": eurostat_forms(g)}), distinct=True)
        for g in EUROSTAT_FORM_GROUPS
    }
    rows = kept(
        Case,
        ("eurostat_identified_form", year),
        lambda: (
            identified_cases([year])
            .values("person__gender")
            .annotate(persons=person_count(), **annotations)
        ),
        person="person_id",
    )
    counts: dict[tuple[str, str], int] = defaultdict(int)
    totals: dict[str, int] = defaultdict(int)
    for row in rows:
        sex = sex_key(row["person__gender"])
        totals[sex] += row["persons"]
        for g in EUROSTAT_FORM_GROUPS:
            counts[(sex, g)] += row[g]
    return counts, totals


def presumed_counts(*, year: int) -> dict[str, dict[tuple[str, str], int]]:
    """The presumed victims of a year by sex and age, citizenship group and form (one query).

    A presumed person has one sex, one age and one citizenship group in the year
    (the cases of one person in one year share them), so the counts of each
    (sex, age, group) add up to the persons of each breakdown. Their form is not
    determined: all count under "UNK".
    """
    qs = kept(
        Case,
        ("eurostat_presumed", year, REPORTING_COUNTRY),
        lambda: (
            presumed_with_age([year])
            .annotate(group=citizenship_group_expression())
            .values("person__gender", "band", "group")
            .annotate(n=person_count())
        ),
        person="person_id",
    )
    out: dict[str, dict[tuple[str, str], int]] = {b: defaultdict(int) for b in BREAKDOWNS}
    for row in qs:
        sex = sex_key(row["person__gender"])
        out["sex_age"][(sex, _age_key(row["band"]))] += row["n"]
        out["sex_citizenship"][(sex, row["group"])] += row["n"]
        out["sex_form"][(sex, "UNK")] += row["n"]
    return out


# --- the tables ------------------------------------------------------------------------------


def eurostat_by_sex_and_age(*, year: int) -> Table:
    return _status_table(IDENTIFIED, "sex_age", year=year, counts=_identified_age_counts(year))


def eurostat_by_sex_and_citizenship(*, year: int) -> Table:
    counts = _identified_citizenship_counts(year)
    return _status_table(IDENTIFIED, "sex_citizenship", year=year, counts=counts)


def eurostat_by_sex_and_form(*, year: int) -> Table:
    """Sex by Eurostat's form groups (one query: a filtered count per group and sex)."""
    counts, totals = _identified_form_counts(year)
    return _status_table(IDENTIFIED, "sex_form", year=year, counts=counts, totals=totals)


def _sum(a: dict[tuple[str, str], int], b: dict[tuple[str, str], int]) -> dict:
    return {key: a.get(key, 0) + b.get(key, 0) for key in {*a, *b}}


def eurostat_victims(*, year: int) -> list[Table]:
    """The nine cross tables of a year, registered first (four queries).

    Registered = identified + presumed, cell by cell: the two count different
    persons (`presumed_cases`), so the sum is the count of the union.
    """
    identified = {
        "sex_age": _identified_age_counts(year),
        "sex_citizenship": _identified_citizenship_counts(year),
    }
    identified["sex_form"], form_totals = _identified_form_counts(year)
    presumed = presumed_counts(year=year)
    presumed_totals = {sex: n for (sex, _col), n in presumed["sex_form"].items()}
    totals = {
        IDENTIFIED: form_totals,
        PRESUMED: presumed_totals,
        REGISTERED: {
            sex: form_totals.get(sex, 0) + presumed_totals.get(sex, 0) for sex, _c in EUROSTAT_SEX
        },
    }
    counts = {
        IDENTIFIED: identified,
        PRESUMED: presumed,
        REGISTERED: {b: _sum(identified[b], presumed[b]) for b in BREAKDOWNS},
    }
    return [
        _status_table(
            status,
            breakdown,
            year=year,
            counts=counts[status][breakdown],
            totals=totals[status] if breakdown == "sex_form" else None,
        )
        for breakdown in BREAKDOWNS
        for status in STATUSES
    ]


# --- rates per 100,000 inhabitants -----------------------------------------------------------

RATE_DECIMALS = 1


def population_of(*, year: int) -> int | None:
    """Denmark's population on 1 January of the year (reference data), or None (one query)."""
    from brik.statistics.models import Population

    def first() -> QuerySet:
        # As .first(): by the primary key unless the model orders its rows.
        found = Population.objects.filter(year=year).values_list("population", flat=True)
        return (found if found.ordered else found.order_by("pk"))[:1]

    rows = kept(Population, ("population_of", year), first)
    return rows[0] if rows else None


def rate_tenths(count: int, population: int) -> int:
    """count per 100,000 inhabitants, in tenths, rounded half up: 80 of 5,840,045 is 14 (1.4)."""
    return (count * 100_000 * 10 * 2 + population) // (2 * population)


def eurostat_rates(tables: Sequence[Table], *, year: int, population: int | None) -> Table:
    """Registered, identified and presumed victims per 100,000 inhabitants, by sex.

    Worked out from the tables given (for a public report: the protected ones,
    `eurostat_victims`' sex-by-age tables, whose total column is each sex's
    count): a rate is shown only where its count is; a hidden count, or a year
    without a population, gives "not shown". The rate is per 100,000 of the
    whole population (not of each sex), to one decimal.
    """
    by_slug = {t.slug: t for t in tables}
    sexes = [*(key for key, _code in EUROSTAT_SEX), TOTAL]
    rows = []
    labels = {
        REGISTERED: _("Registered victims"),
        IDENTIFIED: _("Identified victims"),
        PRESUMED: _("Presumed victims"),
    }
    for status in STATUSES:
        source = by_slug[eurostat_slug(status, "sex_age")]
        values, marks = [], []
        for sex in sexes:
            row = source.total if sex == TOTAL else source.row(sex)
            assert row is not None
            index = len(source.columns) - 1  # the total column
            if population is None or row.mark(index):
                values.append(0)
                marks.append(NOT_SHOWN)
            else:
                values.append(rate_tenths(row.values[index], population))
                marks.append("")
        rows.append(
            Row(key=status, label=labels[status], values=values, marks=marks, protect=False)
        )
    columns = [Column(key=k, label=sex_label(k)) for k in sexes[:-1]]
    columns.append(Column(key=TOTAL, label=_("Total")))
    if population is None:
        about = _("No population is recorded for %(year)s: the rates are not shown.") % {
            "year": year
        }
    else:
        about = _(
            "Per 100,000 inhabitants of Denmark on 1 January %(year)s (%(population)s, "
            "Statistics Denmark), to one decimal, worked out from the figures shown in the "
            "tables by sex and age; not shown where the figure is hidden. The rate for women "
            "and for men is per 100,000 of the whole population."
        ) % {"year": year, "population": number_format(population, force_grouping=True)}
    return Table(
        slug="eurostat_rates",
        title=_("Victims per 100,000 inhabitants by sex (Eurostat)"),
        columns=columns,
        rows=rows,
        total=None,
        note=about,
        measure="rate_per_100000",
        row_dim="status",
        col_dim="gender",
        fixed=make_coords(year=year),
        additive=False,
        decimals=RATE_DECIMALS,
        # The rows are Brik's statuses (Eurostat's tables have no code for them).
        row_codes={status: status for status in STATUSES},
        column_codes=_row_codes(),
    )
