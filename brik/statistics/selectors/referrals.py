"""Issue 10's tables of the referrals: persons referred by region, persons decided
by type of first responder, and the share of them identified (one query each;
the share none, it is worked out from the two tables of counts)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from django.utils.translation import gettext as _

from brik.cases.models import Case
from brik.core import choices
from brik.core.municipalities import region_of
from brik.statistics.selectors.counting import (
    UNKNOWN,
    DecisionTotals,
    counts_under_latest,
    decided_cases,
    grouped_counts,
    person_count,
    totals_or_query,
    year_list,
)
from brik.statistics.selectors.kept import kept
from brik.statistics.selectors.labels import counting_rule, joined_note
from brik.statistics.selectors.specs import years_table
from brik.statistics.tables import NOT_SHOWN, Column, Row, Table

# The kinds of referring organisation whose own region is where the person was met.
LOCAL_REFERRERS = (choices.OrganisationType.POLICE, choices.OrganisationType.MUNICIPALITY)


def referral_region(
    police_region: str | None, referrer_type: str | None, referrer_region, municipality: str = ""
) -> str:
    """The region of a referral: the region of the municipality it records, when that
    names one of Denmark's 98 (the place the person was met; a police district may
    reach into two regions); otherwise its police district's region; without a police
    district, the referring organisation's when it is a police district or a
    municipality (it works where the person was met); otherwise unknown."""
    in_municipality = region_of(municipality)
    if in_municipality:
        return str(in_municipality)
    if police_region:
        return police_region
    if referrer_type in LOCAL_REFERRERS and referrer_region:
        return str(referrer_region)
    return UNKNOWN


def latest_referrals(years: list[int]) -> list[tuple]:
    """(year, police district's region, referrer's type, referrer's region, municipality,
    persons): the persons referred per year by what their latest referral of the year
    records. The query of the referrals by region and by type of first responder (run
    once in a build of the report: kept.one_build)."""
    return counts_under_latest(
        ("latest_referrals", tuple(years)),
        lambda: Case.objects.filter(
            referred_on__year__gte=years[0], referred_on__year__lte=years[-1]
        ),
        "referred_on",
        [
            "referral__police_district__region",
            "referral__referring_organisation__type",
            "referral__referring_organisation__region",
            "referral__municipality",
        ],
    )


def referrals_by_region(*, years: Iterable[int]) -> Table:
    """Persons referred in the year, by region (one query).

    A person referred twice in a year counts once, under the later referral (as
    the table of referrals by first responder), so the two tables share their total.
    """
    years = year_list(years)
    counts: dict[tuple[int, str], int] = defaultdict(int)
    for year, police, kind, region, municipality, persons in latest_referrals(years):
        counts[(year, referral_region(police, kind, region, municipality))] += persons
    table = years_table(
        slug="referrals_region",
        title=_("Persons referred, by region"),
        measure="referred",
        row_dim="region",
        years=years,
        counts=counts,
        categories=[*choices.Region.choices, (UNKNOWN, _("Region unknown"))],
        totals=None,
        note=joined_note(
            _(
                "Persons referred to the centre in the year, identified or not, by Denmark's "
                "regions: the region of the municipality recorded on the referral, or, "
                "without one, of the police district recorded on it, or of the referring "
                "police district or municipality."
            ),
            _("A person referred twice in a year counts once, under the later referral."),
        ),
    )
    table.total.label = _("Persons referred")
    return table


def decided_by_referrer_type(
    *, years: Iterable[int], totals: DecisionTotals | None = None
) -> Table:
    """Persons whose assessment was decided in the year, by the type of the organisation
    that referred them (one query); the figures the identification rate divides by."""
    years = year_list(years)
    totals = totals_or_query(totals, years)
    qs = kept(
        Case,
        ("decided_by_referrer_type", tuple(years)),
        lambda: (
            decided_cases(years)
            .values("year", "referral__referring_organisation__type")
            .annotate(n=person_count())
        ),
        person="person_id",
    )
    table = years_table(
        slug="decided_referrer",
        title=_("Persons decided, by type of first responder"),
        measure="screening",
        row_dim="referrer_type",
        years=years,
        counts=grouped_counts(qs, "referral__referring_organisation__type"),
        categories=[*choices.OrganisationType.choices, (UNKNOWN, _("Unknown"))],
        totals=totals["screened"],
        note=joined_note(
            _("Screened: persons whose assessment was decided in the year."),
            counting_rule(),
            _("The type of the organisation that made the referral."),
        ),
        keep_empty=True,
        # A person decided twice in a year, referred by two kinds of organisation, counts
        # under each.
        additive=False,
    )
    table.total.label = _("Persons screened")
    return table


def identification_rate_by_referrer(decided: Table, identified: Table) -> Table:
    """Identified as a share of the persons decided, per type of first responder (per cent).

    From the two tables as given: for a public report, the protected ones, so a
    rate is "not shown" when either count is hidden or no one was decided, and
    no hidden count can be worked back from it.
    """
    rows = []
    for row in decided.rows:
        found = identified.row(row.key)
        values, marks = [], []
        for i in range(len(decided.columns)):
            if row.mark(i) or found.mark(i) or not row.values[i]:
                values.append(0)
                marks.append(NOT_SHOWN)
                continue
            values.append(min(100, int(found.values[i] * 100 / row.values[i] + 0.5)))
            marks.append("")
        rows.append(Row(key=row.key, label=row.label, values=values, marks=marks, protect=False))
    return Table(
        slug="referrer_rate",
        title=_("Positive decisions by type of first responder"),
        columns=[Column(key=c.key, label=c.label) for c in decided.columns],
        rows=rows,
        total=None,
        note=_(
            "Persons identified as a share of the persons decided in the year who were referred "
            "by each type of first responder, in whole per cent, worked out from the figures "
            "shown in the tables of persons decided and identified by who referred them; not "
            "shown when one of them is hidden or no one was decided."
        ),
        measure="referrer_rate",
        row_dim="referrer_type",
        additive=False,
    )
