import datetime as dt

from django.utils.formats import date_format as shown

from brik.cooperation import services
from brik.cooperation.models import Milestone
from brik.core import choices
from brik.core.errors import TransitionError


def test_it_adds_a_milestone(initiative, frank, logged):
    milestone = services.milestone_add(
        actor=frank, initiative=initiative, title="Grants awarded", due_on=dt.date(2022, 6, 30)
    )

    assert (milestone.initiative, milestone.due_on, milestone.reached_on) == (
        initiative,
        dt.date(2022, 6, 30),
        None,
    )
    row = logged("brik.milestone.added", actor=frank, obj=milestone)
    assert row.data == {"initiative": initiative.pk, "due_on": "2022-06-30"}


def test_it_refuses_a_milestone_for_a_cancelled_initiative(initiative, frank, refused):
    services.initiative_set_status(
        actor=frank, initiative=initiative, status=choices.InitiativeStatus.CANCELLED
    )

    with refused("A cancelled initiative takes no new milestones.", error=TransitionError):
        services.milestone_add(
            actor=frank, initiative=initiative, title="Late", due_on=dt.date(2022, 1, 1)
        )
    assert not Milestone.objects.exists()


def test_it_reaches_a_milestone(initiative, frank, logged):
    milestone = services.milestone_add(
        actor=frank, initiative=initiative, title="Call published", due_on=dt.date(2021, 6, 30)
    )

    services.milestone_reach(actor=frank, milestone=milestone, reached_on=dt.date(2021, 6, 14))

    milestone.refresh_from_db()
    assert milestone.reached_on == dt.date(2021, 6, 14)
    row = logged("brik.milestone.reached", actor=frank, obj=milestone)
    assert row.data == {"reached_on": "2021-06-14", "due_on": "2021-06-30"}


def test_it_refuses_to_reach_a_milestone_twice(initiative, frank, refused):
    milestone = services.milestone_add(
        actor=frank, initiative=initiative, title="Call published", due_on=dt.date(2021, 6, 30)
    )
    services.milestone_reach(actor=frank, milestone=milestone, reached_on=dt.date(2021, 6, 1))

    with refused(
        f"This milestone was already reached on {shown(dt.date(2021, 6, 1))}.",
        error=TransitionError,
        code="already_reached",
    ):
        services.milestone_reach(actor=frank, milestone=milestone, reached_on=dt.date(2021, 6, 2))


def test_it_refuses_to_reach_a_milestone_in_the_future(initiative, frank, refused):
    milestone = services.milestone_add(
        actor=frank, initiative=initiative, title="Call published", due_on=dt.date(2021, 6, 30)
    )

    with refused("The date cannot be in the future."):
        services.milestone_reach(actor=frank, milestone=milestone, reached_on=dt.date(2021, 6, 16))
