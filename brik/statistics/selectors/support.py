"""The tables of reflection periods, support, prepared returns and reintegration."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from django.db.models import Count, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from brik.cases.models import (
    Case,
    FollowUp,
    PreparedReturn,
    ReflectionExtension,
    ReflectionPeriod,
    SupportMeasure,
)
from brik.core import choices
from brik.core.countries import REPORTING_COUNTRY, country_name
from brik.statistics.expressions import Year
from brik.statistics.selectors.counting import (
    OTHER_EU,
    OTHER_NON_EU,
    UNKNOWN,
    citizenship_row_expression,
    counts_under_latest,
    departed_returns,
    grouped_counts,
    listed_citizenships,
    returns_series,
    year_list,
)
from brik.statistics.selectors.kept import kept
from brik.statistics.selectors.labels import joined_note, returns_note
from brik.statistics.selectors.specs import years_table
from brik.statistics.tables import Table


def reflection_periods(*, years: Iterable[int]) -> Table:
    """Periods started in the year, by kind (reflection without legal residence,
    restitution with it)."""
    years = year_list(years)
    qs = kept(
        ReflectionPeriod,
        ("reflection_periods", tuple(years)),
        lambda: (
            ReflectionPeriod.objects.filter(
                starts_on__year__gte=years[0], starts_on__year__lte=years[-1]
            )
            .annotate(year=Year("starts_on"))
            .values("year", "kind")
            .annotate(n=Count("case__person", distinct=True))
        ),
        person="case__person_id",
    )
    return years_table(
        slug="reflection",
        title=_("Reflection and restitution periods started"),
        measure="reflection_started",
        row_dim="kind",
        years=years,
        counts=grouped_counts(qs, "kind"),
        categories=list(choices.PeriodKind.choices),
        totals=None,
        note=_(
            "Persons whose period started in the year. The departure deadline is 30 days "
            "and can be extended to at most 120 days (Aliens Act section 33(14))."
        ),
    )


def reflection_extensions(*, years: Iterable[int]) -> Table:
    years = year_list(years)
    qs = kept(
        ReflectionExtension,
        ("reflection_extensions", tuple(years)),
        lambda: (
            ReflectionExtension.objects.filter(
                extended_on__year__gte=years[0], extended_on__year__lte=years[-1]
            )
            .annotate(year=Year("extended_on"))
            .values("year", "reason")
            .annotate(n=Count("period__case__person", distinct=True))
        ),
        person="period__case__person_id",
    )
    counts = grouped_counts(qs, "reason")
    table = years_table(
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
    years = year_list(years)
    qs = kept(
        SupportMeasure,
        ("support_by_type", tuple(years)),
        lambda: (
            SupportMeasure.objects.filter(
                starts_on__year__gte=years[0], starts_on__year__lte=years[-1]
            )
            .annotate(year=Year("starts_on"))
            .values("year", "kind")
            .annotate(n=Count("case__person", distinct=True))
        ),
        person="case__person_id",
    )
    table = years_table(
        slug="support",
        title=_("Support started, by type"),
        measure="support",
        row_dim="support",
        years=years,
        counts=grouped_counts(qs, "kind"),
        categories=list(choices.SupportType.choices),
        totals=None,
        note=_(
            "Persons for whom the support started in the year. A person receiving several "
            "kinds of support counts under each."
        ),
        additive=False,
        keep_empty=True,
    )
    table.total = None
    return table


def returns_by_destination(
    *,
    years: Iterable[int],
    series: dict[int, int] | None = None,
    also: Iterable[str] = (),
) -> Table:
    """Persons helped home, by destination: the listed citizenships' countries (the
    same rows every year), the others merged into "other EU countries" and "other
    countries", and "unknown" (one query). `also`: countries listed on their own as
    well (those an earlier publication listed)."""
    years = year_list(years)
    listed = tuple(c for c in listed_citizenships() if c != REPORTING_COUNTRY)
    listed += tuple(sorted(set(also) - set(listed)))
    qs = kept(
        PreparedReturn,
        ("returns_by_destination", tuple(years), listed),
        lambda: (
            departed_returns(years)
            .values("year", row=citizenship_row_expression("destination_country", listed))
            .annotate(n=Count("case__person", distinct=True))
        ),
        person="case__person_id",
    )
    table = years_table(
        slug="returns",
        title=_("Prepared returns by destination country"),
        measure="returned",
        row_dim="country",
        years=years,
        counts=grouped_counts(qs, "row"),
        categories=[
            *((k, country_name(k)) for k in listed),
            (OTHER_EU, _("Other EU countries")),
            (OTHER_NON_EU, _("Other countries")),
            (UNKNOWN, _("Unknown")),
        ],
        totals=series if series is not None else returns_series(years=years),
        note=returns_note(),
        keep_empty=True,
    )
    table.total.label = _("Persons helped home")
    return table


def follow_up_outcomes(*, years: Iterable[int], series: dict[int, int] | None = None) -> Table:
    """Persons who departed in the year, by the status of their latest follow-up."""
    years = year_list(years)

    def make() -> QuerySet[PreparedReturn]:
        latest = FollowUp.objects.filter(prepared_return=OuterRef("pk")).order_by("-held_on", "-id")
        return (
            departed_returns(years)
            .annotate(latest=Coalesce(Subquery(latest.values("status")[:1]), Value("none")))
            .values("year", "latest")
            .annotate(n=Count("case__person", distinct=True))
        )

    qs = kept(PreparedReturn, ("follow_up_outcomes", tuple(years)), make, person="case__person_id")
    categories = [*choices.FollowUpStatus.choices, ("none", _("No follow-up yet"))]
    return years_table(
        slug="follow_up",
        title=_("Reintegration follow-up: latest outcome"),
        measure="returned",
        row_dim="follow_up",
        years=years,
        counts=grouped_counts(qs, "latest"),
        categories=categories,
        totals=series if series is not None else returns_series(years=years),
        note=joined_note(
            returns_note(),
            _("By the status of the latest follow-up contact recorded so far."),
        ),
    )


# A prepared return offered in the year, by where the offer stands now.
UPTAKE = [
    (choices.ReturnStatus.DEPARTED, "departed"),
    (choices.ReturnStatus.ACCEPTED, "accepted"),
    (choices.ReturnStatus.DECLINED, "declined"),
    (choices.ReturnStatus.OFFERED, "offered"),
]


def _uptake_label(status: str) -> str:
    return {
        choices.ReturnStatus.DEPARTED: _("Accepted and departed"),
        choices.ReturnStatus.ACCEPTED: _("Accepted, not yet departed"),
        choices.ReturnStatus.DECLINED: _("Declined"),
        choices.ReturnStatus.OFFERED: _("No answer yet"),
    }[status]


def return_uptake(*, years: Iterable[int]) -> Table:
    """Persons offered a prepared return in the year, by what became of the offer (one query).

    Each person counts once a year (the later offer), so the rows add up to the total.
    """
    years = year_list(years)
    # A person offered a return twice in a year counts once, under the later offer.
    rows = counts_under_latest(
        ("return_uptake", tuple(years)),
        lambda: PreparedReturn.objects.filter(
            offered_on__year__gte=years[0], offered_on__year__lte=years[-1]
        ),
        "offered_on",
        ["status"],
        model=PreparedReturn,
        person="case__person_id",
    )
    counts: dict[tuple[int, str], int] = defaultdict(int)
    totals: dict[int, int] = defaultdict(int)
    for year, status, n in rows:
        counts[(year, str(status))] += n
        totals[year] += n
    table = years_table(
        slug="return_uptake",
        title=_("Prepared return: offers and answers"),
        measure="return_offered",
        row_dim="answer",
        years=years,
        counts=counts,
        categories=[(str(status), _uptake_label(status)) for status, _name in UPTAKE],
        totals=totals,
        note=joined_note(
            _(
                "Persons offered a prepared return, counted in the year of the offer, by where "
                "the offer stands at the time of counting."
            ),
            _("A person offered a return twice in a year counts once, under the later offer."),
        ),
    )
    table.total.label = _("Persons offered a prepared return")
    return table


def acceptance_share(uptake: Table) -> Table:
    """The share (per cent) of the persons offered a return who accepted it, from `uptake`.

    Worked out from the uptake table's cells as given: for a public report,
    from the published (protected) table, so that the share is "not shown"
    whenever a figure it needs is hidden, or the persons offered are fewer
    than the threshold... and no hidden figure can be worked back from it.
    """
    from brik.statistics.tables import NOT_SHOWN, Column, Row

    departed, accepted = uptake.row("departed"), uptake.row("accepted")
    values, marks = [], []
    for i in range(len(uptake.columns)):
        offered = uptake.total.values[i]
        hidden = uptake.total.mark(i) or departed.mark(i) or accepted.mark(i)
        if hidden or not offered:
            values.append(0)
            marks.append(NOT_SHOWN)
            continue
        share = (departed.values[i] + accepted.values[i]) * 100 / offered
        values.append(min(100, int(share + 0.5)))
        marks.append("")
    return Table(
        slug="return_acceptance",
        title=_("Prepared return: share accepting"),
        columns=[Column(key=c.key, label=c.label) for c in uptake.columns],
        rows=[
            Row(
                key="accepting",
                label=_("Per cent of those offered who accepted"),
                values=values,
                marks=marks,
                protect=False,
            )
        ],
        total=None,
        note=_(
            "Accepted (departed or not yet departed) as a share of the persons offered a "
            "return, in whole per cent, worked out from the figures shown above; not shown "
            "when one of them is hidden."
        ),
        measure="return_acceptance",
        row_dim="share",
        additive=False,
    )


def _persons_by_choice(
    *,
    years: list[int],
    date_field: str,
    field: str,
    categories: list[tuple[str, str]],
) -> tuple[dict[tuple[int, str], int], dict[int, int]]:
    """Persons per (year of `date_field`, value of `field`) and per year, from cases (one query).

    A person with two cases in a year counts once, under the later case's value
    (by date, then by case), so that the rows add up to the total: a table
    where a person could be in two rows lets an outsider assume they rarely are.
    """
    rows = counts_under_latest(
        ("persons_by_choice", tuple(years)),
        lambda: Case.objects.filter(
            **{f"{date_field}__year__gte": years[0], f"{date_field}__year__lte": years[-1]}
        ).exclude(**{field: ""}),
        date_field,
        [field],
    )
    counts: dict[tuple[int, str], int] = defaultdict(int)
    totals: dict[int, int] = defaultdict(int)
    for year, value, persons in rows:
        counts[(year, str(value))] += persons
        totals[year] += persons
    return counts, totals


def stay_basis(*, years: Iterable[int]) -> Table:
    """Persons who stay in the country, by the basis of their stay, in the year it began."""
    years = year_list(years)
    categories = [(str(k), str(label)) for k, label in choices.StayBasis.choices]
    counts, totals = _persons_by_choice(
        years=years, date_field="stay_from", field="stay_basis", categories=categories
    )
    table = years_table(
        slug="stay_basis",
        title=_("Persons staying in the country, by basis of stay"),
        measure="staying",
        row_dim="stay_basis",
        years=years,
        counts=counts,
        categories=categories,
        totals=totals,
        note=joined_note(
            _("Persons whose stay was recorded, counted in the year the stay began."),
            _("A person with two cases in a year counts once, under the later one."),
        ),
    )
    table.total.label = _("Persons staying")
    return table


def closing_reasons(*, years: Iterable[int]) -> Table:
    """Persons whose case was closed in the year, by the reason (every referred person)."""
    years = year_list(years)
    categories = [(str(k), str(label)) for k, label in choices.ClosingReason.choices]
    counts, totals = _persons_by_choice(
        years=years, date_field="closed_on", field="closing_reason", categories=categories
    )
    table = years_table(
        slug="closing_reasons",
        title=_("Cases closed, by reason"),
        measure="closed",
        row_dim="closing_reason",
        years=years,
        counts=counts,
        categories=categories,
        totals=totals,
        note=joined_note(
            _(
                "Persons whose case was closed in the year, identified or not, by the reason "
                "recorded when it was closed."
            ),
            _("A person with two cases in a year counts once, under the later one."),
        ),
    )
    table.total.label = _("Persons whose case was closed")
    return table
