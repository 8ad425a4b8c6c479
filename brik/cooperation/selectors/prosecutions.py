"""Reads of the prosecutions: lists with their victims counted."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Count, Prefetch, Q, QuerySet

from brik.accounts.models import Organisation
from brik.cases.models import Case
from brik.cooperation.models import ProsecutionCase
from brik.core import choices

if TYPE_CHECKING:
    pass


def prosecution_list(
    *,
    status: str | None = None,
    police_district: Organisation | None = None,
    year: int | None = None,
) -> QuerySet[ProsecutionCase]:
    """Prosecutions, newest first, with `victim_count` and `identified_victims`.

    `victim_count` counts the linked cases; `identified_victims` those decided
    as identified (the rest are presumed victims awaiting a decision).
    """
    prosecutions = ProsecutionCase.objects.select_related("police_district")
    if status:
        prosecutions = prosecutions.filter(status=status)
    if police_district is not None:
        prosecutions = prosecutions.filter(police_district=police_district)
    if year:
        prosecutions = prosecutions.filter(opened_on__year=year)
    return prosecutions.annotate(
        victim_count=Count("victims"),
        identified_victims=Count("victims", filter=Q(victims__outcome=choices.Outcome.IDENTIFIED)),
    ).order_by("-opened_on", "-id")


def prosecutions_open(*, limit: int) -> QuerySet[ProsecutionCase]:
    """Prosecutions without a verdict and not dropped, newest first."""
    return prosecution_list().exclude(
        status__in=[choices.ProsecutionStatus.VERDICT, choices.ProsecutionStatus.DROPPED]
    )[:limit]


def prosecution_details() -> QuerySet[ProsecutionCase]:
    """Prosecutions with what their page shows (district, victims' cases); the view picks one."""
    return ProsecutionCase.objects.select_related("police_district").prefetch_related(
        Prefetch("victims", queryset=Case.objects.select_related("person"))
    )
