"""Reads of the joint authority actions: lists with the referrals that came from them."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from django.db.models import Count, Q, QuerySet

from brik.cases.models import Case
from brik.cooperation.models import JointAction
from brik.core import choices

if TYPE_CHECKING:
    pass


def joint_action_list(
    *,
    status: str | None = None,
    year: int | None = None,
    region: str | None = None,
    sector: str | None = None,
) -> QuerySet[JointAction]:
    """Actions, newest first, each with `linked_referrals` and `linked_identified`.

    `linked_referrals` counts the referrals in Brik that came from the action;
    `linked_identified` those of them whose case was decided as identified.
    They can differ from the action's own `persons_referred`, which the
    participants counted on the day.
    """
    actions = JointAction.objects.select_related("lead_organisation").prefetch_related(
        "participants"
    )
    if status:
        actions = actions.filter(status=status)
    if year:
        actions = actions.filter(planned_for__year=year)
    if region:
        actions = actions.filter(region=region)
    if sector:
        actions = actions.filter(sector=sector)
    # An aggregating query drops Meta.ordering, so the order is spelt out.
    return actions.annotate(
        linked_referrals=Count("referrals"),
        linked_identified=Count(
            "referrals", filter=Q(referrals__case__outcome=choices.Outcome.IDENTIFIED)
        ),
    ).order_by("-planned_for", "-id")


def joint_actions_upcoming(*, today: date, limit: int) -> QuerySet[JointAction]:
    """The next planned actions, from today on, with the annotations of joint_action_list."""
    return joint_action_list(status=choices.JointActionStatus.PLANNED).filter(
        planned_for__gte=today
    )[:limit]


def joint_action_details() -> QuerySet[JointAction]:
    """Actions with what their page shows (lead and participants); the view picks one."""
    return JointAction.objects.select_related("lead_organisation").prefetch_related("participants")


def joint_action_linked_cases(*, action: JointAction) -> QuerySet[Case]:
    """The cases whose referral came from the action, in the order they were referred."""
    return (
        Case.objects.filter(referral__joint_action=action)
        .select_related("person")
        .order_by("referred_on", "id")
    )
