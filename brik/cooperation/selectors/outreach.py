"""Reads of the NGO outreach counts: totals per period and the rounds a user may see."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from django.db.models import Count, DateField, F, QuerySet, Sum
from django.db.models.functions import TruncMonth, TruncQuarter, TruncYear

from brik.accounts.models import Organisation
from brik.accounts.permissions import outreach_logs_visible_to
from brik.cooperation.models import OutreachLog

if TYPE_CHECKING:
    from brik.accounts.models import User


_TRUNC = {"month": TruncMonth, "quarter": TruncQuarter, "year": TruncYear}


def outreach_totals(
    *,
    period: str = "month",
    date_from: date | None = None,
    date_to: date | None = None,
    organisation: Organisation | None = None,
    by_organisation: bool = True,
) -> list[dict]:
    """Contacts and referrals summed per period (month, quarter or year) and organisation.

    Each row: `period` (the first day of the period), `organisation_id` and
    `organisation_name` (when by_organisation), `rounds`, `women`, `men`,
    `trans`, `unknown`, `contacts`, `referrals_made`.
    """
    if period not in _TRUNC:
        raise ValueError(f"period must be one of {', '.join(_TRUNC)}, not {period!r}")
    logs = OutreachLog.objects.all()
    if date_from:
        logs = logs.filter(held_on__gte=date_from)
    if date_to:
        logs = logs.filter(held_on__lte=date_to)
    if organisation is not None:
        logs = logs.filter(organisation=organisation)
    groups = ["period"]
    if by_organisation:
        groups += ["organisation_id", "organisation_name"]
        logs = logs.annotate(organisation_name=F("organisation__name"))
    rows = (
        logs.annotate(period=_TRUNC[period]("held_on", output_field=DateField()))
        .values(*groups)
        .annotate(
            # contacts first: after the sums below, F("women") would mean the sum.
            contacts=Sum(F("women") + F("men") + F("trans") + F("unknown")),
            rounds=Count("id"),
            women=Sum("women"),
            men=Sum("men"),
            trans=Sum("trans"),
            unknown=Sum("unknown"),
            referrals_made=Sum("referrals_made"),
        )
        .order_by(*groups)
    )
    return list(rows)


def outreach_logs_for(*, user: User) -> QuerySet[OutreachLog]:
    """The rounds the user may see (brik.accounts.permissions decides), newest first."""
    return outreach_logs_visible_to(user).select_related("organisation").order_by("-held_on", "-id")
