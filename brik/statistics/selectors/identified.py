"""The tables of identified victims: screening, gender, age, citizenship, forms of
exploitation, sector, deciding authority and referrer (one query each)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from brik.cases.models import Case
from brik.core import choices
from brik.core.countries import REPORTING_COUNTRY, country_name
from brik.statistics.selectors.counting import (
    ADULT,
    ADULT_BANDS,
    AGE_BANDS,
    CHILD,
    CHILD_BANDS,
    EUROSTAT_FORM_GROUPS,
    LABOUR_OR_CRIMINAL_FORMS,
    OTHER_EU,
    OTHER_NON_EU,
    UNKNOWN,
    DecisionTotals,
    citizenship_group_expression,
    citizenship_row_expression,
    eurostat_forms,
    grouped_counts,
    identified_cases,
    identified_with_age,
    identified_with_age_group,
    listed_citizenships,
    person_count,
    totals_or_query,
    year_list,
)
from brik.statistics.selectors.kept import kept
from brik.statistics.selectors.labels import (
    age_label,
    age_note,
    citizenship_group_label,
    counting_rule,
    eurostat_form_label,
    joined_note,
    multi_note,
)
from brik.statistics.selectors.referrals import latest_referrals
from brik.statistics.selectors.specs import by_gender_table, years_table
from brik.statistics.tables import NOT_SHOWN, Column, Row, Table


def screening(*, years: Iterable[int], totals: DecisionTotals | None = None) -> Table:
    years = year_list(years)
    totals = totals_or_query(totals, years)
    counts = {
        (y, name): totals[name].get(y, 0)
        for y in years
        for name in ("screened", "identified", "not_identified")
    }
    table = years_table(
        slug="screening",
        title=_("Persons screened and identified"),
        measure="screening",
        row_dim="outcome",
        years=years,
        counts=counts,
        categories=[
            ("identified", _("Identified as victims of trafficking")),
            ("not_identified", _("Not identified")),
        ],
        totals=totals["screened"],
        note=joined_note(
            _("Screened: persons whose assessment was decided in the year."),
            counting_rule(),
            _("A person assessed twice in a year with different outcomes counts in both rows."),
        ),
        additive=False,
    )
    table.total.label = _("Persons screened")
    return table


def identified_by_gender(*, years: Iterable[int]) -> Table:
    years = year_list(years)
    qs = kept(
        Case,
        ("identified_by_gender", tuple(years)),
        lambda: identified_cases(years).values("year", "person__gender").annotate(n=person_count()),
        person="person_id",
    )
    return years_table(
        slug="gender",
        title=_("Identified victims by gender"),
        measure="identified",
        row_dim="gender",
        years=years,
        counts=grouped_counts(qs, "person__gender"),
        categories=list(choices.Gender.choices),
        totals=None,
        note=joined_note(counting_rule(), _("Gender as recorded for the person.")),
    )


def _age_band_counts(years: list[int]) -> list[dict]:
    """Persons per (year, age band): the query of the bands and of children/adults (run
    once in a build of the report: kept.one_build)."""
    return kept(
        Case,
        ("identified_by_age_band", tuple(years)),
        lambda: identified_with_age(years).values("year", "band").annotate(n=person_count()),
        person="person_id",
    )


def identified_by_age_band(*, years: Iterable[int]) -> Table:
    years = year_list(years)
    qs = _age_band_counts(years)
    categories = [(band, age_label(band)) for band, _lo, _hi in AGE_BANDS] + [
        (UNKNOWN, age_label(UNKNOWN))
    ]
    return years_table(
        slug="age_band",
        title=_("Identified victims by age group"),
        measure="identified",
        row_dim="age",
        years=years,
        counts=grouped_counts(qs, "band"),
        categories=categories,
        totals=None,
        note=age_note(),
    )


def _child_or_adult(counts: dict[tuple[int, str], int]) -> dict[tuple[int, str], int]:
    merged: dict[tuple[int, str], int] = defaultdict(int)
    for (year, band), n in counts.items():
        key = CHILD if band in CHILD_BANDS else ADULT if band in ADULT_BANDS else UNKNOWN
        merged[(year, key)] += n
    return merged


def identified_by_majority(*, years: Iterable[int]) -> Table:
    """Children and adults: the bands merged (a person is in exactly one band a year)."""
    years = year_list(years)
    qs = _age_band_counts(years)
    return years_table(
        slug="children",
        title=_("Identified victims: children and adults"),
        measure="identified",
        row_dim="age",
        years=years,
        counts=_child_or_adult(grouped_counts(qs, "band")),
        categories=[(key, age_label(key)) for key in (CHILD, ADULT, UNKNOWN)],
        totals=None,
        note=age_note(),
    )


def identified_by_citizenship_group(*, years: Iterable[int]) -> Table:
    years = year_list(years)
    qs = kept(
        Case,
        ("identified_by_citizenship_group", tuple(years), REPORTING_COUNTRY),
        lambda: (
            identified_cases(years)
            .annotate(group=citizenship_group_expression())
            .values("year", "group")
            .annotate(n=person_count())
        ),
        person="person_id",
    )
    return years_table(
        slug="citizenship_group",
        title=_("Identified victims by citizenship group"),
        measure="identified",
        row_dim="citizenship_group",
        years=years,
        counts=grouped_counts(qs, "group"),
        categories=[
            (k, citizenship_group_label(k)) for k in ("reporting", "eu", "non_eu", UNKNOWN)
        ],
        totals=None,
        note=joined_note(
            counting_rule(),
            _(
                "Eurostat's groups. A person with several citizenships is counted once: "
                "as Danish if one of them is Danish, otherwise as an EU citizen if one is "
                "of an EU country."
            ),
        ),
    )


def identified_by_citizenship(
    *,
    years: Iterable[int],
    totals: DecisionTotals | None = None,
    also: Iterable[str] = (),
) -> Table:
    """The listed citizenships (the same rows every year), the others merged into
    "other EU countries" and "other countries", and "unknown" (one query).

    `also`: countries listed on their own as well (those an earlier publication
    listed, so that their published rows stay as they were)."""
    years = year_list(years)
    totals = totals_or_query(totals, years)
    listed = listed_citizenships()
    listed += tuple(sorted(set(also) - set(listed)))
    qs = kept(
        Case,
        ("identified_by_citizenship", tuple(years), listed),
        lambda: (
            identified_cases(years)
            .values("year", row=citizenship_row_expression("person__citizenships__country", listed))
            .annotate(n=person_count())
        ),
        person="person_id",
    )
    counts = grouped_counts(qs, "row")
    categories = [
        *((k, country_name(k)) for k in listed),
        (OTHER_EU, _("Other EU countries")),
        (OTHER_NON_EU, _("Other countries")),
        (UNKNOWN, _("Citizenship unknown")),
    ]
    return years_table(
        slug="citizenship",
        title=_("Identified victims by citizenship"),
        measure="identified",
        row_dim="country",
        years=years,
        counts=counts,
        categories=categories,
        totals=totals["identified"],
        note=joined_note(
            counting_rule(),
            multi_note(_("citizenships")),
            _(
                "The same citizenships are listed every year; the others are counted "
                "together as other EU countries or other countries."
            ),
        ),
        additive=False,
        keep_empty=True,
    )


def nationality_counts(*, years: Iterable[int]) -> dict[int, int]:
    """The number of different citizenships among the identified persons per year."""
    years = year_list(years)
    found = dict.fromkeys(years, 0)
    # Persons per (year, citizenship), kept as counts (a count of distinct countries
    # would not add up over slices of persons): a citizenship counts where it has any.
    qs = kept(
        Case,
        ("nationality_counts", tuple(years)),
        lambda: (
            identified_cases(years)
            .filter(person__citizenships__country__isnull=False)
            .values("year", "person__citizenships__country")
            .annotate(n=person_count())
        ),
        person="person_id",
    )
    for row in qs:
        if row["n"]:
            found[row["year"]] += 1
    return found


def identified_by_form(*, years: Iterable[int], totals: DecisionTotals | None = None) -> Table:
    years = year_list(years)
    totals = totals_or_query(totals, years)
    qs = kept(
        Case,
        ("identified_by_form", tuple(years)),
        lambda: (
            identified_cases(years)
            .values("year", "assessment__forms__form")
            .annotate(n=person_count())
        ),
        person="person_id",
    )
    return years_table(
        slug="forms",
        title=_("Identified victims by form of exploitation"),
        measure="identified",
        row_dim="form",
        years=years,
        counts=grouped_counts(qs, "assessment__forms__form"),
        categories=list(choices.ExploitationForm.choices),
        totals=totals["identified"],
        note=joined_note(counting_rule(), multi_note(_("forms of exploitation"))),
        additive=False,
        keep_empty=True,
    )


def identified_by_eurostat_form(
    *, years: Iterable[int], totals: DecisionTotals | None = None
) -> Table:
    """Eurostat's sexual / labour / other, and the centre's "forced labour or criminal
    activities", each counting persons once however many forms fall in it (one query)."""
    years = year_list(years)
    totals = totals_or_query(totals, years)
    form = "assessment__forms__form"
    groups = {g: Q(**{f"{form}__in": eurostat_forms(g)}) for g in EUROSTAT_FORM_GROUPS}
    groups["labour_or_criminal"] = Q(**{f"{form}__in": LABOUR_OR_CRIMINAL_FORMS})
    rows = kept(
        Case,
        ("identified_by_eurostat_form", tuple(years)),
        lambda: (
            identified_cases(years)
            .values("year")
            .annotate(**{g: Count("person", filter=q, distinct=True) for g, q in groups.items()})
        ),
        person="person_id",
    )
    counts = {(row["year"], g): row[g] for row in rows for g in groups}
    categories = [(g, eurostat_form_label(g)) for g in EUROSTAT_FORM_GROUPS]
    categories.append(("labour_or_criminal", _("Forced labour or criminal activities")))
    return years_table(
        slug="eurostat_forms",
        title=_("Identified victims by form of exploitation (Eurostat's groups)"),
        measure="identified",
        row_dim="eurostat_form",
        years=years,
        counts=counts,
        categories=categories,
        totals=totals["identified"],
        note=joined_note(
            counting_rule(),
            multi_note(_("forms of exploitation")),
            _(
                "Labour exploitation: forced labour, forced begging and slavery-like practices. "
                "The last row counts persons trafficked for forced labour, criminal activities "
                "or both."
            ),
        ),
        additive=False,
    )


def identified_by_sector(*, years: Iterable[int], totals: DecisionTotals | None = None) -> Table:
    years = year_list(years)
    totals = totals_or_query(totals, years)
    qs = kept(
        Case,
        ("identified_by_sector", tuple(years)),
        lambda: (
            identified_cases(years)
            .exclude(assessment__labour_sector="")
            .values("year", "assessment__labour_sector")
            .annotate(n=person_count())
        ),
        person="person_id",
    )
    table = years_table(
        slug="sector",
        title=_("Labour exploitation by sector"),
        measure="identified_sector",
        row_dim="sector",
        years=years,
        counts=grouped_counts(qs, "assessment__labour_sector"),
        categories=list(choices.LabourSector.choices),
        totals=totals["with_sector"],
        note=joined_note(
            counting_rule(),
            _("Persons whose assessment records a sector (ISIC Rev. 4 sections)."),
        ),
        keep_empty=True,
        # A person assessed twice in a year with two sectors counts under each.
        additive=False,
    )
    table.total.label = _("Persons with a sector recorded")
    return table


def identified_by_authority(*, years: Iterable[int], totals: DecisionTotals | None = None) -> Table:
    years = year_list(years)
    totals = totals_or_query(totals, years)
    qs = kept(
        Case,
        ("identified_by_authority", tuple(years)),
        lambda: (
            identified_cases(years)
            .values("year", "assessment__deciding_authority")
            .annotate(n=person_count())
        ),
        person="person_id",
    )
    return years_table(
        slug="authority",
        title=_("Identified victims by deciding authority"),
        measure="identified",
        row_dim="authority",
        years=years,
        counts=grouped_counts(qs, "assessment__deciding_authority"),
        categories=list(choices.DecidingAuthority.choices),
        totals=totals["identified"],
        note=joined_note(
            counting_rule(),
            _(
                "The centre assesses persons with legal residence, the immigration service "
                "persons without."
            ),
        ),
        # A person decided twice in a year, by two authorities, counts under each.
        additive=False,
    )


def identified_by_referrer_type(
    *, years: Iterable[int], totals: DecisionTotals | None = None
) -> Table:
    years = year_list(years)
    totals = totals_or_query(totals, years)
    qs = kept(
        Case,
        ("identified_by_referrer_type", tuple(years)),
        lambda: (
            identified_cases(years)
            .values("year", "referral__referring_organisation__type")
            .annotate(n=person_count())
        ),
        person="person_id",
    )
    return years_table(
        slug="referrer",
        title=_("Identified victims by who referred them"),
        measure="identified",
        row_dim="referrer_type",
        years=years,
        counts=grouped_counts(qs, "referral__referring_organisation__type"),
        categories=[*choices.OrganisationType.choices, (UNKNOWN, _("Unknown"))],
        totals=totals["identified"],
        note=joined_note(
            counting_rule(), _("The type of the organisation that made the referral.")
        ),
        keep_empty=True,
        # A person referred twice in a year, by two kinds of organisation, counts under each.
        additive=False,
    )


def identified_by_form_and_gender(*, year: int) -> Table:
    """Forms of exploitation (rows) by gender (columns) for one year (one query: a
    filtered count per form and gender, as eurostat_by_sex_and_form).

    Each person has one gender, so the gender columns add up to the total
    column (the forms table's figure); a person with several forms is in
    several rows, so the total row counts persons (the gender table's figures).
    """
    form = "assessment__forms__form"
    forms = list(choices.ExploitationForm.values)
    rows_qs = kept(
        Case,
        ("identified_by_form_and_gender", year),
        lambda: (
            identified_cases([year])
            .values("person__gender")
            .annotate(
                persons=person_count(),
                **{
                    f"form_{f}": Count("person", filter=Q(**{form: f}), distinct=True)
                    for f in forms
                },
            )
        ),
        person="person_id",
    )
    return by_gender_table(
        counted=rows_qs,
        categories=choices.ExploitationForm.choices,
        count_of=lambda _i, f: f"form_{f}",
        slug="gender_form",
        title=_("Identified victims by form of exploitation and gender"),
        note=joined_note(counting_rule(), multi_note(_("forms of exploitation"))),
        row_dim="form",
        year=year,
    )


def identified_by_age_group(*, years: Iterable[int]) -> Table:
    """Under 18, 18–24, 25 and over, and unknown, at the decision (the centre's groups)."""
    years = year_list(years)
    qs = kept(
        Case,
        ("identified_by_age_group", tuple(years)),
        lambda: identified_with_age_group(years).values("year", "group").annotate(n=person_count()),
        person="person_id",
    )
    return years_table(
        slug="age_group",
        title=_("Identified victims by age at the decision"),
        measure="identified",
        row_dim="age",
        years=years,
        counts=grouped_counts(qs, "group"),
        categories=[
            (CHILD, _("Under 18")),
            ("18-24", _("18–24 years")),
            ("25+", _("25 years and over")),
            (UNKNOWN, age_label(UNKNOWN)),
        ],
        totals=None,
        note=age_note(),
    )


def _median(ages: list[int]) -> int:
    """The median in whole years (a half rounded up)."""
    ordered = sorted(ages)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[middle]
    return (ordered[middle - 1] + ordered[middle] + 1) // 2


def identified_age_summary(*, years: Iterable[int], threshold: int) -> Table:
    """Median, youngest and oldest age at the decision, per year (one query).

    A year's figures are marked NOT_SHOWN when fewer than `threshold` persons
    of a known age were identified: the median or the range of a small group
    describes its members. The rows count no persons (protect=False):
    disclosure control leaves them alone and the public report keeps the marks.
    """
    years = year_list(years)
    # The persons per (year, age): a person's age is the same at every decision of a
    # year (the year less the year of birth), so a person decided twice counts once.
    qs = kept(
        Case,
        ("identified_age_summary", tuple(years)),
        lambda: (
            identified_with_age_group(years)
            .filter(person__birth_year__isnull=False)
            .values("year", "age")
            .annotate(n=person_count())
            .values_list("year", "age", "n")
            .order_by("year", "age")
        ),
        person="person_id",
    )
    ages: dict[int, list[int]] = defaultdict(list)
    for year, age, n in qs:
        ages[year].extend([age] * n)  # each person's age
    stats = {"median": _median, "youngest": min, "oldest": max}
    labels = {
        "median": _("Median age"),
        "youngest": _("Youngest"),
        "oldest": _("Oldest"),
    }
    rows = []
    for key, function in stats.items():
        values, marks = [], []
        for year in years:
            group = ages.get(year, [])
            small = len(group) < threshold
            values.append(0 if not group else function(group))
            marks.append(NOT_SHOWN if small else "")
        rows.append(Row(key=key, label=str(labels[key]), values=values, marks=marks, protect=False))
    return Table(
        slug="age_summary",
        title=_("Age at the decision: median and range"),
        columns=[Column(key=y, label=str(y)) for y in years],
        rows=rows,
        total=None,
        note=joined_note(
            counting_rule(),
            _(
                "Persons whose year of birth is recorded, in whole years. The median and the "
                "range of a year with fewer than %(threshold)s such persons are not shown."
            )
            % {"threshold": threshold},
        ),
        measure="age_summary",
        row_dim="statistic",
        additive=False,
    )


def referrals_by_referrer_type(*, years: Iterable[int]) -> Table:
    """Persons referred in the year, by the type of the referring organisation (one query).

    Every referral, whatever its outcome. A person referred twice in a year
    counts once, under the later referral, so the rows add up to the total.
    """
    years = year_list(years)
    counts: dict[tuple[int, str], int] = defaultdict(int)
    for year, _police, kind, _region, _municipality, persons in latest_referrals(years):
        counts[(year, kind or UNKNOWN)] += persons
    table = years_table(
        slug="referrals",
        title=_("Persons referred, by type of first responder"),
        measure="referred",
        row_dim="referrer_type",
        years=years,
        counts=counts,
        categories=[*choices.OrganisationType.choices, (UNKNOWN, _("Unknown"))],
        totals=None,
        note=joined_note(
            _(
                "Persons referred to the centre in the year, identified or not, by the type "
                "of the organisation that referred them."
            ),
            _("A person referred twice in a year counts once, under the later referral."),
        ),
    )
    table.total.label = _("Persons referred")
    return table


def decision_rate(screening_table: Table) -> Table:
    """Identified as a share of the persons decided (per cent), from the screening table.

    For a public report the table given is the protected one: the rate is
    "not shown" when either figure is hidden, or when fewer persons than the
    threshold were decided (the screening total then is hidden itself).
    """
    identified = screening_table.row("identified")
    total = screening_table.total
    assert total is not None
    values, marks = [], []
    for i in range(len(screening_table.columns)):
        if identified.mark(i) or total.mark(i) or not total.values[i]:
            values.append(0)
            marks.append(NOT_SHOWN)
            continue
        values.append(min(100, int(identified.values[i] * 100 / total.values[i] + 0.5)))
        marks.append("")
    return Table(
        slug="decision_rate",
        title=_("Positive decisions"),
        columns=[Column(key=c.key, label=c.label) for c in screening_table.columns],
        rows=[
            Row(
                key="identified_share",
                label=_("Per cent of the persons decided who were identified"),
                values=values,
                marks=marks,
                protect=False,
            )
        ],
        total=None,
        note=_(
            "Persons identified as a share of the persons whose assessment was decided in the "
            "year, in whole per cent, worked out from the figures shown in the table of persons "
            "screened; not shown when one of them is hidden."
        ),
        measure="decision_rate",
        row_dim="share",
        additive=False,
    )


def _whole(value: float) -> int:
    """Round half up to whole days."""
    return int(value + 0.5)


def days_to_decision(*, years: Iterable[int], threshold: int) -> Table:
    """Days from referral to decision for the decisions of the year: quartiles (one query).

    Each decided case counts (a person decided twice counts twice). Quartiles
    by the inclusive method (Python's statistics.quantiles), in whole days. A
    year with fewer decisions than `threshold` shows none of them (NOT_SHOWN).
    """
    import statistics

    from brik.statistics.expressions import DaysBetween, Year

    years = year_list(years)
    # The decisions per (year, days taken), counted by the database.
    rows = kept(
        Case,
        ("days_to_decision", tuple(years)),
        lambda: (
            Case.objects.filter(decided_on__year__gte=years[0], decided_on__year__lte=years[-1])
            .annotate(year=Year("decided_on"), days=DaysBetween("decided_on", "referred_on"))
            .values("year", "days")
            .annotate(n=Count("id"))
            .values_list("year", "days", "n")
            .order_by("year", "days")
        ),
        person="person_id",
    )
    days: dict[int, list[int]] = defaultdict(list)
    for year, taken, n in rows:
        days[year].extend([taken] * n)
    labels = {
        "lower_quartile": _("Lower quartile (days)"),
        "median": _("Median (days)"),
        "upper_quartile": _("Upper quartile (days)"),
    }
    figures: dict[int, list[int]] = {}
    for year in years:
        found = sorted(days.get(year, []))
        if len(found) >= max(threshold, 2):
            q1, q2, q3 = statistics.quantiles(found, n=4, method="inclusive")
            figures[year] = [_whole(q1), _whole(q2), _whole(q3)]
    out_rows = []
    for index, (key, label) in enumerate(labels.items()):
        out_rows.append(
            Row(
                key=key,
                label=str(label),
                values=[figures[y][index] if y in figures else 0 for y in years],
                marks=["" if y in figures else NOT_SHOWN for y in years],
                protect=False,
            )
        )
    return Table(
        slug="days_to_decision",
        title=_("Time from referral to decision"),
        columns=[Column(key=y, label=str(y)) for y in years],
        rows=out_rows,
        total=None,
        note=_(
            "Days from the referral to the decision, for the assessments decided in the year: "
            "a quarter of them took at most the lower quartile, half at most the median, three "
            "quarters at most the upper quartile. Not shown for a year with fewer than "
            "%(threshold)s decisions."
        )
        % {"threshold": threshold},
        measure="days_to_decision",
        row_dim="statistic",
        additive=False,
    )
