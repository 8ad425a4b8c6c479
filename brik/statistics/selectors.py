"""The statistics of the annual report, computed in the database.

Every selector takes the years to show (one year, two for "this year and the
year before", or a whole range) and returns a Table. Each runs one GROUP BY
query; the totals that several tables share (persons screened and identified
per year) come from `decision_totals`, which the report runs once and passes on.

The counting rule (the centre's, stated under every table):
- a person is counted in the year of the decision: identified in the year of the
  positive assessment (Case.decided_on and Case.outcome), screened in the year
  of any assessment;
- a person assessed as identified in two different years counts in each year;
  twice in the same year, once;
- a person with several forms of exploitation (or citizenships, sectors...)
  counts once in the total and once under each form.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence

from django.db.models import Case as CaseWhen
from django.db.models import (
    Count,
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, ExtractYear
from django.utils.translation import gettext as _

from brik.cases.models import (
    Case,
    FollowUp,
    PersonCitizenship,
    PreparedReturn,
    ReflectionExtension,
    ReflectionPeriod,
    SupportMeasure,
)
from brik.cooperation.models import Initiative, JointAction, OutreachLog, ProsecutionCase
from brik.core import choices
from brik.core.countries import EU_MEMBERS, REPORTING_COUNTRY, country_name
from brik.statistics.tables import TOTAL, Column, Row, Table, make_coords

UNKNOWN = "unknown"

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


def eurostat_form_label(group: str) -> str:
    return {
        "SEX_EXP": _("Sexual exploitation"),
        "LAB_EXP": _("Labour exploitation"),
        "OTH": _("Other forms of exploitation"),
        "UNK": _("Form not determined"),
    }[group]


def age_label(key: str) -> str:
    if key == CHILD:
        return _("Children (under 18)")
    if key == ADULT:
        return _("Adults (18 and over)")
    if key == UNKNOWN:
        return _("Age unknown")
    return _("%(band)s years") % {"band": key.replace("-", "–")}


# --- notes ----------------------------------------------------------------------------


def counting_rule() -> str:
    return _(
        "Persons are counted in the year of the decision. A person assessed as identified "
        "in two different years counts in each year."
    )


def multi_note(what: str) -> str:
    return _(
        "A person with several %(what)s counts once in the total and once under each, "
        "so the rows can add up to more than the total."
    ) % {"what": what}


def _note(*parts: str) -> str:
    return " ".join(p for p in parts if p)


# --- query helpers --------------------------------------------------------------------


def _years(years: Iterable[int]) -> list[int]:
    years = sorted(set(years))
    if not years:
        raise ValueError("at least one year")
    return years


def _decided(years: Sequence[int]) -> QuerySet:
    return Case.objects.filter(
        decided_on__year__gte=years[0], decided_on__year__lte=years[-1]
    ).annotate(year=ExtractYear("decided_on"))


def _identified(years: Sequence[int]) -> QuerySet:
    return _decided(years).filter(outcome=choices.Outcome.IDENTIFIED)


def _person_count() -> Count:
    return Count("person", distinct=True)


def _grouped(qs: QuerySet, key: str, n: str = "n") -> dict[tuple[int, str], int]:
    """{(year, category): count} from a queryset of rows with year, key and n."""
    counts: dict[tuple[int, str], int] = defaultdict(int)
    for row in qs:
        category = row[key]
        counts[(row["year"], UNKNOWN if category in (None, "") else category)] += row[n]
    return counts


def _table(
    *,
    slug: str,
    title: str,
    measure: str,
    row_dim: str,
    years: Sequence[int],
    counts: dict[tuple[int, str], int],
    categories: Sequence[tuple[str, str]],
    totals: dict[int, int] | None,
    note: str,
    additive: bool = True,
    keep_empty: bool = True,
) -> Table:
    """A categories x years table; rows in the order given, empty rows dropped unless kept."""
    rows = []
    for key, label in categories:
        values = [counts.get((y, key), 0) for y in years]
        if keep_empty or any(values):
            rows.append(Row(key=key, label=str(label), values=values))
    if totals is None:
        total_values = [sum(r.values[i] for r in rows) for i in range(len(years))]
    else:
        total_values = [totals.get(y, 0) for y in years]
    return Table(
        slug=slug,
        title=title,
        columns=[Column(key=y, label=str(y)) for y in years],
        rows=rows,
        total=Row(key=TOTAL, label=_("Total"), values=total_values),
        note=note,
        measure=measure,
        row_dim=row_dim,
        additive=additive,
    )


# --- shared totals ----------------------------------------------------------------------


def decision_totals(*, years: Iterable[int]) -> dict[str, dict[int, int]]:
    """Persons screened and identified per year (and sub-totals tables share), one query."""
    years = _years(years)
    identified = Q(outcome=choices.Outcome.IDENTIFIED)
    rows = (
        _decided(years)
        .values("year")
        .annotate(
            screened=_person_count(),
            identified=Count("person", filter=identified, distinct=True),
            not_identified=Count(
                "person", filter=Q(outcome=choices.Outcome.NOT_IDENTIFIED), distinct=True
            ),
            with_sector=Count(
                "person", filter=identified & ~Q(assessment__labour_sector=""), distinct=True
            ),
        )
        .order_by("year")
    )
    out: dict[str, dict[int, int]] = defaultdict(dict)
    for row in rows:
        for name in ("screened", "identified", "not_identified", "with_sector"):
            out[name][row["year"]] = row[name]
    return out


def _totals(
    totals: dict[str, dict[int, int]] | None, years: Sequence[int]
) -> dict[str, dict[int, int]]:
    return totals if totals is not None else decision_totals(years=years)


def identified_series(*, years: Iterable[int]) -> dict[int, int]:
    """Persons identified per year (the long series, for records)."""
    years = _years(years)
    rows = _identified(years).values("year").annotate(n=_person_count()).order_by("year")
    counts = {row["year"]: row["n"] for row in rows}
    return {y: counts.get(y, 0) for y in years}


def _series_until(qs: QuerySet, year: int, count: Count) -> dict[int, int]:
    counts = {row["year"]: row["n"] for row in qs.values("year").annotate(n=count)}
    first = min(counts, default=year)
    return {y: counts.get(y, 0) for y in range(min(first, year - 1), year + 1)}


def identified_series_until(*, year: int) -> dict[int, int]:
    """Persons identified per year from the first year with a decision (one query)."""
    qs = Case.objects.filter(
        outcome=choices.Outcome.IDENTIFIED, decided_on__year__lte=year
    ).annotate(year=ExtractYear("decided_on"))
    return _series_until(qs, year, _person_count())


def returns_series_until(*, year: int) -> dict[int, int]:
    """Persons who left on a prepared return per year, from the first departure (one query)."""
    qs = PreparedReturn.objects.filter(
        status=choices.ReturnStatus.DEPARTED, departed_on__year__lte=year
    ).annotate(year=ExtractYear("departed_on"))
    return _series_until(qs, year, Count("case__person", distinct=True))


def series_table(
    *, slug: str, title: str, measure: str, series: dict[int, int], label: str, note: str
) -> Table:
    """A series as a table of one total row (the grand totals, never hidden)."""
    years = sorted(series)
    return Table(
        slug=slug,
        title=title,
        columns=[Column(key=y, label=str(y)) for y in years],
        rows=[],
        total=Row(key=TOTAL, label=label, values=[series[y] for y in years]),
        note=note,
        measure=measure,
        row_dim="none",
    )


# --- persons screened and identified --------------------------------------------------------


def screening(*, years: Iterable[int], totals=None) -> Table:
    years = _years(years)
    totals = _totals(totals, years)
    counts = {
        (y, name): totals[name].get(y, 0)
        for y in years
        for name in ("screened", "identified", "not_identified")
    }
    table = _table(
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
        note=_note(
            _("Screened: persons whose assessment was decided in the year."),
            counting_rule(),
            _("A person assessed twice in a year with different outcomes counts in both rows."),
        ),
    )
    table.total.label = _("Persons screened")
    return table


def identified_by_gender(*, years: Iterable[int]) -> Table:
    years = _years(years)
    qs = _identified(years).values("year", "person__gender").annotate(n=_person_count())
    return _table(
        slug="gender",
        title=_("Identified victims by gender"),
        measure="identified",
        row_dim="gender",
        years=years,
        counts=_grouped(qs, "person__gender"),
        categories=list(choices.Gender.choices),
        totals=None,
        note=_note(counting_rule(), _("Gender as recorded for the person.")),
    )


def _age_band_expression() -> CaseWhen:
    whens = [When(person__birth_year__isnull=True, then=Value(UNKNOWN))]
    whens += [When(age__gte=lo, age__lte=hi, then=Value(band)) for band, lo, hi in AGE_BANDS]
    return CaseWhen(*whens, default=Value(UNKNOWN))


def _identified_with_age(years: Sequence[int]) -> QuerySet:
    return _identified(years).annotate(
        age=ExtractYear("decided_on") - F("person__birth_year"), band=_age_band_expression()
    )


def age_note() -> str:
    return _note(
        counting_rule(),
        _(
            "Age at the decision: the year of the decision minus the year of birth "
            "(CTDC's age bands). Unknown when the year of birth is not recorded."
        ),
    )


def identified_by_age_band(*, years: Iterable[int]) -> Table:
    years = _years(years)
    qs = _identified_with_age(years).values("year", "band").annotate(n=_person_count())
    categories = [(band, age_label(band)) for band, _lo, _hi in AGE_BANDS] + [
        (UNKNOWN, age_label(UNKNOWN))
    ]
    return _table(
        slug="age_band",
        title=_("Identified victims by age group"),
        measure="identified",
        row_dim="age",
        years=years,
        counts=_grouped(qs, "band"),
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
    years = _years(years)
    qs = _identified_with_age(years).values("year", "band").annotate(n=_person_count())
    return _table(
        slug="children",
        title=_("Identified victims: children and adults"),
        measure="identified",
        row_dim="age",
        years=years,
        counts=_child_or_adult(_grouped(qs, "band")),
        categories=[(key, age_label(key)) for key in (CHILD, ADULT, UNKNOWN)],
        totals=None,
        note=age_note(),
    )


def _citizenship_group_expression() -> CaseWhen:
    """Eurostat's groups, as brik.core.countries.citizenship_group, for the person's
    citizenships in order: the reporting country first, then another EU country."""
    theirs = PersonCitizenship.objects.filter(person=OuterRef("person"))
    return CaseWhen(
        When(Exists(theirs.filter(country=REPORTING_COUNTRY)), then=Value("reporting")),
        When(Exists(theirs.filter(country__in=EU_MEMBERS)), then=Value("eu")),
        When(Exists(theirs), then=Value("non_eu")),
        default=Value(UNKNOWN),
    )


def citizenship_group_label(key: str) -> str:
    return {
        "reporting": _("Danish citizens"),
        "eu": _("Citizens of other EU countries"),
        "non_eu": _("Citizens of countries outside the EU"),
        UNKNOWN: _("Citizenship unknown"),
    }[key]


def identified_by_citizenship_group(*, years: Iterable[int]) -> Table:
    years = _years(years)
    qs = (
        _identified(years)
        .annotate(group=_citizenship_group_expression())
        .values("year", "group")
        .annotate(n=_person_count())
    )
    return _table(
        slug="citizenship_group",
        title=_("Identified victims by citizenship group"),
        measure="identified",
        row_dim="citizenship_group",
        years=years,
        counts=_grouped(qs, "group"),
        categories=[
            (k, citizenship_group_label(k)) for k in ("reporting", "eu", "non_eu", UNKNOWN)
        ],
        totals=None,
        note=_note(
            counting_rule(),
            _(
                "Eurostat's groups. A person with several citizenships is counted once: "
                "as Danish if one of them is Danish, otherwise as an EU citizen if one is "
                "of an EU country."
            ),
        ),
    )


def identified_by_citizenship(*, years: Iterable[int], totals=None) -> Table:
    """Every citizenship, the most frequent in the last year first."""
    years = _years(years)
    totals = _totals(totals, years)
    qs = (
        _identified(years)
        .values("year", "person__citizenships__country")
        .annotate(n=_person_count())
    )
    counts = _grouped(qs, "person__citizenships__country")
    countries = {key for (_y, key) in counts if key != UNKNOWN}
    order = sorted(
        countries,
        key=lambda k: ([-counts.get((y, k), 0) for y in reversed(years)], country_name(k)),
    )
    categories = [(k, country_name(k)) for k in order] + [(UNKNOWN, _("Citizenship unknown"))]
    return _table(
        slug="citizenship",
        title=_("Identified victims by citizenship"),
        measure="identified",
        row_dim="country",
        years=years,
        counts=counts,
        categories=categories,
        totals=totals["identified"],
        note=_note(counting_rule(), multi_note(_("citizenships"))),
        additive=False,
        keep_empty=False,
    )


def nationalities(table: Table) -> dict[int, int]:
    """The number of different citizenships per year, read from the citizenship table."""
    return {
        column.key: sum(1 for row in table.rows if row.key != UNKNOWN and row.values[i] > 0)
        for i, column in enumerate(table.columns)
    }


def identified_by_form(*, years: Iterable[int], totals=None) -> Table:
    years = _years(years)
    totals = _totals(totals, years)
    qs = _identified(years).values("year", "assessment__forms__form").annotate(n=_person_count())
    return _table(
        slug="forms",
        title=_("Identified victims by form of exploitation"),
        measure="identified",
        row_dim="form",
        years=years,
        counts=_grouped(qs, "assessment__forms__form"),
        categories=list(choices.ExploitationForm.choices),
        totals=totals["identified"],
        note=_note(counting_rule(), multi_note(_("forms of exploitation"))),
        additive=False,
        keep_empty=False,
    )


def identified_by_eurostat_form(*, years: Iterable[int], totals=None) -> Table:
    """Eurostat's sexual / labour / other, and the centre's "forced labour or criminal
    activities", each counting persons once however many forms fall in it (one query)."""
    years = _years(years)
    totals = _totals(totals, years)
    form = "assessment__forms__form"
    groups = {g: Q(**{f"{form}__in": eurostat_forms(g)}) for g in EUROSTAT_FORM_GROUPS}
    groups["labour_or_criminal"] = Q(**{f"{form}__in": LABOUR_OR_CRIMINAL_FORMS})
    rows = (
        _identified(years)
        .values("year")
        .annotate(**{g: Count("person", filter=q, distinct=True) for g, q in groups.items()})
    )
    counts = {(row["year"], g): row[g] for row in rows for g in groups}
    categories = [(g, eurostat_form_label(g)) for g in EUROSTAT_FORM_GROUPS]
    categories.append(("labour_or_criminal", _("Forced labour or criminal activities")))
    return _table(
        slug="eurostat_forms",
        title=_("Identified victims by form of exploitation (Eurostat's groups)"),
        measure="identified",
        row_dim="eurostat_form",
        years=years,
        counts=counts,
        categories=categories,
        totals=totals["identified"],
        note=_note(
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


def identified_by_sector(*, years: Iterable[int], totals=None) -> Table:
    years = _years(years)
    totals = _totals(totals, years)
    qs = (
        _identified(years)
        .exclude(assessment__labour_sector="")
        .values("year", "assessment__labour_sector")
        .annotate(n=_person_count())
    )
    table = _table(
        slug="sector",
        title=_("Labour exploitation by sector"),
        measure="identified_sector",
        row_dim="sector",
        years=years,
        counts=_grouped(qs, "assessment__labour_sector"),
        categories=list(choices.LabourSector.choices),
        totals=totals["with_sector"],
        note=_note(
            counting_rule(),
            _("Persons whose assessment records a sector (ISIC Rev. 4 sections)."),
        ),
        keep_empty=False,
    )
    table.total.label = _("Persons with a sector recorded")
    return table


def identified_by_authority(*, years: Iterable[int], totals=None) -> Table:
    years = _years(years)
    totals = _totals(totals, years)
    qs = (
        _identified(years)
        .values("year", "assessment__deciding_authority")
        .annotate(n=_person_count())
    )
    return _table(
        slug="authority",
        title=_("Identified victims by deciding authority"),
        measure="identified",
        row_dim="authority",
        years=years,
        counts=_grouped(qs, "assessment__deciding_authority"),
        categories=list(choices.DecidingAuthority.choices),
        totals=totals["identified"],
        note=_note(
            counting_rule(),
            _(
                "The centre assesses persons with legal residence, the immigration service "
                "persons without."
            ),
        ),
    )


def identified_by_referrer_type(*, years: Iterable[int], totals=None) -> Table:
    years = _years(years)
    totals = _totals(totals, years)
    qs = (
        _identified(years)
        .values("year", "referral__referring_organisation__type")
        .annotate(n=_person_count())
    )
    return _table(
        slug="referrer",
        title=_("Identified victims by who referred them"),
        measure="identified",
        row_dim="referrer_type",
        years=years,
        counts=_grouped(qs, "referral__referring_organisation__type"),
        categories=[*choices.OrganisationType.choices, (UNKNOWN, _("Unknown"))],
        totals=totals["identified"],
        note=_note(counting_rule(), _("The type of the organisation that made the referral.")),
        keep_empty=False,
    )


# --- support and reflection periods ----------------------------------------------------------


def reflection_periods(*, years: Iterable[int]) -> Table:
    """Periods started in the year, by kind (reflection without legal residence,
    restitution with it)."""
    years = _years(years)
    qs = (
        ReflectionPeriod.objects.filter(
            starts_on__year__gte=years[0], starts_on__year__lte=years[-1]
        )
        .annotate(year=ExtractYear("starts_on"))
        .values("year", "kind")
        .annotate(n=Count("case__person", distinct=True))
    )
    return _table(
        slug="reflection",
        title=_("Reflection and restitution periods started"),
        measure="reflection_started",
        row_dim="kind",
        years=years,
        counts=_grouped(qs, "kind"),
        categories=list(choices.PeriodKind.choices),
        totals=None,
        note=_(
            "Persons whose period started in the year. The departure deadline is 30 days "
            "and can be extended to at most 120 days (Aliens Act § 33, stk. 14)."
        ),
    )


def reflection_extensions(*, years: Iterable[int]) -> Table:
    years = _years(years)
    qs = (
        ReflectionExtension.objects.filter(
            extended_on__year__gte=years[0], extended_on__year__lte=years[-1]
        )
        .annotate(year=ExtractYear("extended_on"))
        .values("year", "reason")
        .annotate(n=Count("period__case__person", distinct=True))
    )
    counts = _grouped(qs, "reason")
    table = _table(
        slug="extensions",
        title=_("Reflection periods extended"),
        measure="reflection_extended",
        row_dim="reason",
        years=years,
        counts=counts,
        categories=list(choices.ExtensionReason.choices),
        totals=None,
        note=_(
            "Persons whose period was extended in the year, by the reason given. A person "
            "whose period was extended for both reasons counts under each."
        ),
        additive=False,
    )
    table.total = None
    return table


def support_by_type(*, years: Iterable[int]) -> Table:
    years = _years(years)
    qs = (
        SupportMeasure.objects.filter(starts_on__year__gte=years[0], starts_on__year__lte=years[-1])
        .annotate(year=ExtractYear("starts_on"))
        .values("year", "kind")
        .annotate(n=Count("case__person", distinct=True))
    )
    table = _table(
        slug="support",
        title=_("Support started, by type"),
        measure="support",
        row_dim="support",
        years=years,
        counts=_grouped(qs, "kind"),
        categories=list(choices.SupportType.choices),
        totals=None,
        note=_(
            "Persons for whom the support started in the year. A person receiving several "
            "kinds of support counts under each."
        ),
        additive=False,
        keep_empty=False,
    )
    table.total = None
    return table


# --- prepared return and reintegration --------------------------------------------------------


def _departed(years: Sequence[int]) -> QuerySet:
    return PreparedReturn.objects.filter(
        status=choices.ReturnStatus.DEPARTED,
        departed_on__year__gte=years[0],
        departed_on__year__lte=years[-1],
    ).annotate(year=ExtractYear("departed_on"))


def returns_series(*, years: Iterable[int]) -> dict[int, int]:
    """Persons who left on a prepared return, per year of departure."""
    years = _years(years)
    rows = _departed(years).values("year").annotate(n=Count("case__person", distinct=True))
    counts = {row["year"]: row["n"] for row in rows}
    return {y: counts.get(y, 0) for y in years}


def returns_note() -> str:
    return _(
        "Persons who left on a prepared return, counted in the year of departure. "
        "Reintegration support lasts up to six months after departure."
    )


def returns_by_destination(*, years: Iterable[int], series: dict[int, int] | None = None) -> Table:
    years = _years(years)
    qs = (
        _departed(years)
        .values("year", "destination_country")
        .annotate(n=Count("case__person", distinct=True))
    )
    counts = _grouped(qs, "destination_country")
    countries = {key for (_y, key) in counts if key != UNKNOWN}
    order = sorted(
        countries,
        key=lambda k: ([-counts.get((y, k), 0) for y in reversed(years)], country_name(k)),
    )
    table = _table(
        slug="returns",
        title=_("Prepared returns by destination country"),
        measure="returned",
        row_dim="country",
        years=years,
        counts=counts,
        categories=[(k, country_name(k)) for k in order] + [(UNKNOWN, _("Unknown"))],
        totals=series if series is not None else returns_series(years=years),
        note=returns_note(),
        keep_empty=False,
    )
    table.total.label = _("Persons helped home")
    return table


def follow_up_outcomes(*, years: Iterable[int], series: dict[int, int] | None = None) -> Table:
    """Persons who departed in the year, by the status of their latest follow-up."""
    years = _years(years)
    latest = FollowUp.objects.filter(prepared_return=OuterRef("pk")).order_by("-held_on", "-id")
    qs = (
        _departed(years)
        .annotate(latest=Coalesce(Subquery(latest.values("status")[:1]), Value("none")))
        .values("year", "latest")
        .annotate(n=Count("case__person", distinct=True))
    )
    categories = [*choices.FollowUpStatus.choices, ("none", _("No follow-up yet"))]
    return _table(
        slug="follow_up",
        title=_("Reintegration follow-up: latest outcome"),
        measure="returned",
        row_dim="follow_up",
        years=years,
        counts=_grouped(qs, "latest"),
        categories=categories,
        totals=series if series is not None else returns_series(years=years),
        note=_note(
            returns_note(),
            _("By the status of the latest follow-up contact recorded so far."),
        ),
    )


# --- cooperation and prosecution ------------------------------------------------------------


def joint_actions(*, years: Iterable[int]) -> Table:
    """Held joint authority actions and their results (one query)."""
    years = _years(years)
    identified = Q(referrals__case__outcome=choices.Outcome.IDENTIFIED)
    rows = (
        JointAction.objects.filter(
            status=choices.JointActionStatus.HELD,
            planned_for__year__gte=years[0],
            planned_for__year__lte=years[-1],
        )
        .annotate(year=ExtractYear("planned_for"))
        .values("year")
        .annotate(
            actions=Count("id", distinct=True),
            identified=Count("referrals__case__person", filter=identified, distinct=True),
        )
    )
    # Sums of persons met/referred cannot share the query above: its join to
    # referrals would repeat each action's figures once per referral.
    sums = (
        JointAction.objects.filter(
            status=choices.JointActionStatus.HELD,
            planned_for__year__gte=years[0],
            planned_for__year__lte=years[-1],
        )
        .annotate(year=ExtractYear("planned_for"))
        .values("year")
        .annotate(
            met=Coalesce(Sum("persons_met"), 0), referred=Coalesce(Sum("persons_referred"), 0)
        )
    )
    counts: dict[tuple[int, str], int] = {}
    for row in rows:
        counts[(row["year"], "actions")] = row["actions"]
        counts[(row["year"], "identified")] = row["identified"]
    for row in sums:
        counts[(row["year"], "met")] = row["met"]
        counts[(row["year"], "referred")] = row["referred"]
    table = _table(
        slug="joint_actions",
        title=_("Joint authority actions and their results"),
        measure="joint_actions",
        row_dim="result",
        years=years,
        counts=counts,
        categories=[
            ("actions", _("Actions held")),
            ("met", _("Persons met")),
            ("referred", _("Persons referred to the centre")),
            ("identified", _("Of those referred: identified as victims")),
        ],
        totals=None,
        note=_(
            "Actions held in the year. Persons identified: referred from an action and "
            "assessed as identified (at any time)."
        ),
        additive=False,
    )
    table.total = None
    for row in table.rows:
        row.protect = row.key == "identified"
    return table


def outreach_contacts(*, years: Iterable[int]) -> Table:
    years = _years(years)
    fields = ("women", "men", "trans", "unknown", "referrals_made")
    rows = (
        OutreachLog.objects.filter(held_on__year__gte=years[0], held_on__year__lte=years[-1])
        .annotate(year=ExtractYear("held_on"))
        .values("year")
        .annotate(rounds=Count("id"), **{f: Coalesce(Sum(f), 0) for f in fields})
    )
    counts = {(row["year"], f): row[f] for row in rows for f in ("rounds", *fields)}
    table = _table(
        slug="outreach",
        title=_("Outreach contacts"),
        measure="outreach",
        row_dim="contact",
        years=years,
        counts=counts,
        categories=[
            ("women", _("Contacts with women")),
            ("men", _("Contacts with men")),
            ("trans", _("Contacts with transgender / non-conforming persons")),
            ("unknown", _("Contacts, gender not noted")),
        ],
        totals=None,
        note=_(
            "Anonymous counts of contacts reported by outreach organisations; one person "
            "met on several rounds counts each time. No person can be identified from them, "
            "so they are shown exactly."
        ),
    )
    table.total.label = _("Contacts in all")
    table.rows += [
        Row(
            key="referrals_made",
            label=_("Referrals made"),
            values=[counts.get((y, "referrals_made"), 0) for y in years],
        ),
        Row(
            key="rounds",
            label=_("Outreach rounds"),
            values=[counts.get((y, "rounds"), 0) for y in years],
        ),
    ]
    table.additive = False
    for row in table.all_rows():
        row.protect = False
    return table


def prosecutions(*, years: Iterable[int]) -> Table:
    """Suspected (cases opened), prosecuted (charged) and convicted traffickers, each in
    the year of its own date; one query with a filtered sum per year."""
    years = _years(years)
    convicted = Q(verdict__in=[choices.Verdict.CONVICTED, choices.Verdict.CONVICTED_OTHER])
    annotations = {}
    for y in years:
        annotations[f"suspected_{y}"] = Sum("suspects", filter=Q(opened_on__year=y))
        annotations[f"cases_{y}"] = Count("id", filter=Q(opened_on__year=y))
        annotations[f"charged_{y}"] = Sum("persons_charged", filter=Q(charged_on__year=y))
        annotations[f"convicted_{y}"] = Sum(
            "persons_convicted", filter=Q(verdict_on__year=y) & convicted
        )
    result = ProsecutionCase.objects.aggregate(**annotations)
    keys = ("cases", "suspected", "charged", "convicted")
    counts = {(y, k): result[f"{k}_{y}"] or 0 for y in years for k in keys}
    table = _table(
        slug="prosecutions",
        title=_("Prosecution of traffickers"),
        measure="prosecution",
        row_dim="stage",
        years=years,
        counts=counts,
        categories=[
            ("cases", _("Police cases opened")),
            ("suspected", _("Suspected traffickers")),
            ("charged", _("Persons charged")),
            ("convicted", _("Persons convicted")),
        ],
        totals=None,
        note=_(
            "Each figure in the year of its own date: cases opened, charges brought, verdicts "
            "given. Convicted includes conviction of another offence. Court decisions are "
            "public, so these figures are shown exactly."
        ),
        additive=False,
    )
    table.total = None
    for row in table.rows:
        row.protect = False
    return table


def action_plan_progress(*, year: int) -> Table:
    """Initiatives of the action plan in force in the year, by focus area and status."""
    qs = (
        Initiative.objects.filter(
            focus_area__plan__starts_year__lte=year, focus_area__plan__ends_year__gte=year
        )
        .values("focus_area__position", "focus_area__id", "focus_area__title", "status")
        .annotate(n=Count("id"))
        .order_by("focus_area__position", "focus_area__id")
    )
    areas: dict[int, str] = {}
    counts: dict[tuple[int, str], int] = defaultdict(int)
    for row in qs:
        areas[row["focus_area__id"]] = row["focus_area__title"]
        counts[(row["focus_area__id"], row["status"])] += row["n"]
    statuses = list(choices.InitiativeStatus.choices)
    rows = [
        Row(
            key=str(area),
            label=title,
            values=[
                *[counts[(area, s)] for s, _l in statuses],
                sum(counts[(area, s)] for s, _l in statuses),
            ],
            protect=False,
        )
        for area, title in areas.items()
    ]
    total = Row(
        key=TOTAL,
        label=_("Total"),
        values=[sum(r.values[i] for r in rows) for i in range(len(statuses) + 1)],
        protect=False,
    )
    return Table(
        slug="action_plan",
        title=_("The action plan: initiatives by status"),
        columns=[
            *[Column(key=s, label=str(label)) for s, label in statuses],
            Column(key=TOTAL, label=_("Total")),
        ],
        rows=rows,
        total=total,
        note=_(
            "Initiatives of the national action plan in force in the year, by their status now."
        ),
        measure="initiatives",
        row_dim="focus_area",
        col_dim="status",
        fixed=make_coords(year=year),
        col_total=True,
        col_additive=True,
    )


# --- Eurostat's cross tables ----------------------------------------------------------------

EUROSTAT_SEX = [
    ("woman", "F"),
    ("man", "M"),
    (f"{choices.Gender.TRANS_NONCONFORMING}|{choices.Gender.UNKNOWN}", "UNK"),
]


def _sex_key(gender: str) -> str:
    for key, _code in EUROSTAT_SEX:
        if gender in key.split("|"):
            return key
    return EUROSTAT_SEX[-1][0]


def sex_label(key: str) -> str:
    return {"F": _("Women"), "M": _("Men"), "UNK": _("Other or unknown")}[dict(EUROSTAT_SEX)[key]]


def _cross_table(
    *,
    slug: str,
    title: str,
    year: int,
    counts: dict[tuple[str, str], int],
    columns: Sequence[tuple[str, str]],
    col_dim: str,
    note: str,
    additive_columns: bool,
    totals: dict[str, int] | None = None,
) -> Table:
    """Sex (rows) by a second dimension (columns) for one year, with row and column totals.

    With `additive_columns`, the total column is the sum of the others; otherwise
    `totals` gives each row's total (persons, not the sum of their forms).
    """
    rows = []
    for sex, _code in EUROSTAT_SEX:
        values = [counts.get((sex, col), 0) for col, _label in columns]
        row_total = sum(values) if additive_columns else (totals or {}).get(sex, 0)
        rows.append(Row(key=sex, label=sex_label(sex), values=[*values, row_total]))
    # Each person has one sex, so the rows add up to the column totals.
    total_values = [sum(r.values[i] for r in rows) for i in range(len(columns) + 1)]
    return Table(
        slug=slug,
        title=title,
        columns=[
            *[Column(key=k, label=str(label)) for k, label in columns],
            Column(key=TOTAL, label=_("Total")),
        ],
        rows=rows,
        total=Row(key=TOTAL, label=_("Total"), values=total_values),
        note=note,
        measure="identified",
        row_dim="gender",
        col_dim=col_dim,
        fixed=make_coords(year=year),
        additive=True,
        col_total=True,
        col_additive=additive_columns,
    )


def eurostat_by_sex_and_age(*, year: int) -> Table:
    qs = _identified_with_age([year]).values("person__gender", "band").annotate(n=_person_count())
    counts: dict[tuple[str, str], int] = defaultdict(int)
    for row in qs:
        band = row["band"]
        key = CHILD if band in CHILD_BANDS else ADULT if band in ADULT_BANDS else UNKNOWN
        counts[(_sex_key(row["person__gender"]), key)] += row["n"]
    return _cross_table(
        slug="eurostat_sex_age",
        title=_("Registered victims by sex and age (Eurostat)"),
        year=year,
        counts=counts,
        columns=[(CHILD, _("Children")), (ADULT, _("Adults")), (UNKNOWN, _("Unknown"))],
        col_dim="age",
        note=_note(counting_rule(), _("Identified victims. Children: under 18 at the decision.")),
        additive_columns=True,
    )


def eurostat_by_sex_and_citizenship(*, year: int) -> Table:
    qs = (
        _identified([year])
        .annotate(group=_citizenship_group_expression())
        .values("person__gender", "group")
        .annotate(n=_person_count())
    )
    counts: dict[tuple[str, str], int] = defaultdict(int)
    for row in qs:
        counts[(_sex_key(row["person__gender"]), row["group"])] += row["n"]
    columns = [
        ("reporting", _("Reporting country")),
        ("eu", _("Other EU")),
        ("non_eu", _("Non-EU")),
        (UNKNOWN, _("Unknown")),
    ]
    return _cross_table(
        slug="eurostat_sex_citizenship",
        title=_("Registered victims by sex and citizenship group (Eurostat)"),
        year=year,
        counts=counts,
        columns=columns,
        col_dim="citizenship_group",
        note=_note(counting_rule(), _("Identified victims, by Eurostat's citizenship groups.")),
        additive_columns=True,
    )


def eurostat_by_sex_and_form(*, year: int) -> Table:
    """Sex by Eurostat's form groups (one query: a filtered count per group and sex)."""
    form = "assessment__forms__form"
    annotations = {
        g: Count("person", filter=Q(**{f"{form}__in": eurostat_forms(g)}), distinct=True)
        for g in EUROSTAT_FORM_GROUPS
    }
    rows = (
        _identified([year])
        .values("person__gender")
        .annotate(persons=_person_count(), **annotations)
    )
    counts: dict[tuple[str, str], int] = defaultdict(int)
    totals: dict[str, int] = defaultdict(int)
    for row in rows:
        sex = _sex_key(row["person__gender"])
        totals[sex] += row["persons"]
        for g in EUROSTAT_FORM_GROUPS:
            counts[(sex, g)] += row[g]
    return _cross_table(
        slug="eurostat_sex_form",
        title=_("Registered victims by sex and form of exploitation (Eurostat)"),
        year=year,
        counts=counts,
        columns=[(g, eurostat_form_label(g)) for g in EUROSTAT_FORM_GROUPS],
        col_dim="eurostat_form",
        note=_note(counting_rule(), multi_note(_("forms of exploitation"))),
        additive_columns=False,
        totals=totals,
    )
