"""What the cooperation pages share: the page size, the link back after a step, and
the cooperation front page."""

from collections.abc import Callable
from typing import Any

from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from brik.accounts.permissions import Ability, permission_required
from brik.cooperation import selectors

PAGE_SIZE = 50
# What the front page shows of each list.
FRONT_PAGE_ITEMS = 5


def without_token(data: dict[str, Any]) -> dict[str, Any]:
    """A form's cleaned data as a service's arguments (the form token is submit_once's)."""
    return {k: v for k, v in data.items() if k != "form_token"}


def back_to(name: str, pk: int) -> Callable[[object], str]:
    """submit_once's next_url: back to the record's page, whatever the service returned."""
    return lambda _result: reverse(name, args=[pk])


@permission_required(Ability.COOPERATION_VIEW)
@require_GET
def index(request):
    today = timezone.localdate()
    return render(
        request,
        "cooperation/index.html",
        {
            "upcoming": selectors.joint_actions_upcoming(today=today, limit=FRONT_PAGE_ITEMS),
            "open_prosecutions": selectors.prosecutions_open(limit=FRONT_PAGE_ITEMS),
            "plan": selectors.action_plan_latest(),
            "overdue": list(selectors.milestones_overdue(today=today)[:FRONT_PAGE_ITEMS]),
        },
    )
