"""The tables of joint authority actions, outreach, prosecution and the action plan."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import Coalesce
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from brik.cooperation.models import Initiative, JointAction, OutreachLog, ProsecutionCase
from brik.core import choices
from brik.statistics.expressions import Year
from brik.statistics.selectors.counting import year_list
from brik.statistics.selectors.kept import kept
from brik.statistics.selectors.specs import years_table
from brik.statistics.tables import TOTAL, Column, Row, Table, make_coords


def _held_actions(years: list[int]) -> QuerySet[JointAction]:
    """The joint actions held in the years."""
    return JointAction.objects.filter(
        status=choices.JointActionStatus.HELD,
        planned_for__year__gte=years[0],
        planned_for__year__lte=years[-1],
    )


def joint_actions(*, years: Iterable[int]) -> Table:
    """Held joint authority actions and their results (one query)."""
    years = year_list(years)
    identified = Q(referrals__case__outcome=choices.Outcome.IDENTIFIED)
    rows = kept(
        JointAction,
        ("joint_actions", tuple(years)),
        lambda: (
            _held_actions(years)
            .annotate(year=Year("planned_for"))
            .values("year")
            .annotate(
                actions=Count("id", distinct=True),
                identified=Count("referrals__case__person", filter=identified, distinct=True),
            )
        ),
    )
    # Sums of persons met/referred cannot share the query above: its join to
    # referrals would repeat each action's figures once per referral.
    sums = kept(
        JointAction,
        ("joint_action_sums", tuple(years)),
        lambda: (
            _held_actions(years)
            .annotate(year=Year("planned_for"))
            .values("year")
            .annotate(
                met=Coalesce(Sum("persons_met"), 0),
                referred=Coalesce(Sum("persons_referred"), 0),
            )
        ),
    )
    counts: dict[tuple[int, str], int] = {}
    for row in rows:
        counts[(row["year"], "actions")] = row["actions"]
        counts[(row["year"], "identified")] = row["identified"]
    for row in sums:
        counts[(row["year"], "met")] = row["met"]
        counts[(row["year"], "referred")] = row["referred"]
    table = years_table(
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
    years = year_list(years)
    fields = ("women", "men", "trans", "unknown", "referrals_made")
    rows = kept(
        OutreachLog,
        ("outreach_contacts", tuple(years)),
        lambda: (
            OutreachLog.objects.filter(held_on__year__gte=years[0], held_on__year__lte=years[-1])
            .annotate(year=Year("held_on"))
            .values("year")
            .annotate(rounds=Count("id"), **{f: Coalesce(Sum(f), 0) for f in fields})
        ),
    )
    counts = {(row["year"], f): row[f] for row in rows for f in ("rounds", *fields)}
    table = years_table(
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
    years = year_list(years)
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
    table = years_table(
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
    qs = kept(
        Initiative,
        ("action_plan_progress", year),
        lambda: (
            Initiative.objects.filter(
                focus_area__plan__starts_year__lte=year, focus_area__plan__ends_year__gte=year
            )
            .values(
                "focus_area__position",
                "focus_area__id",
                "focus_area__title",
                "focus_area__title_en",
                "status",
            )
            .annotate(n=Count("id"))
            .order_by("focus_area__position", "focus_area__id")
        ),
    )
    areas: dict[int, str] = {}
    counts: dict[tuple[int, str], int] = defaultdict(int)
    for row in qs:
        # The English report names the areas in English where the plan has English names.
        english = (get_language() or "").startswith("en") and row["focus_area__title_en"]
        areas[row["focus_area__id"]] = english or row["focus_area__title"]
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
