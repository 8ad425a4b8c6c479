import pytest

from brik.cooperation import services
from brik.core import choices
from brik.core.errors import TransitionError


def test_it_changes_an_initiatives_status(initiative, frank, logged):
    services.initiative_set_status(
        actor=frank, initiative=initiative, status=choices.InitiativeStatus.IN_PROGRESS
    )

    initiative.refresh_from_db()
    assert initiative.status == choices.InitiativeStatus.IN_PROGRESS
    row = logged("brik.initiative.status_changed", actor=frank, obj=initiative)
    assert row.data == {"from": "planned", "to": "in_progress"}


def test_it_refuses_the_status_it_already_has(initiative, frank, refused):
    with refused("The initiative is already “Planned”.", error=TransitionError, code="no_change"):
        services.initiative_set_status(
            actor=frank, initiative=initiative, status=choices.InitiativeStatus.PLANNED
        )


@pytest.mark.parametrize(
    ("final", "label"),
    [
        (choices.InitiativeStatus.COMPLETED, "Completed"),
        (choices.InitiativeStatus.CANCELLED, "Cancelled"),
    ],
)
def test_a_completed_or_cancelled_initiative_keeps_its_status(
    initiative, frank, refused, final, label
):
    services.initiative_set_status(actor=frank, initiative=initiative, status=final)

    with refused(
        f"The initiative is “{label}”; its status can no longer change.", error=TransitionError
    ):
        services.initiative_set_status(
            actor=frank, initiative=initiative, status=choices.InitiativeStatus.IN_PROGRESS
        )


def test_it_refuses_an_unknown_status(initiative, frank, refused):
    with refused("Unknown status: paused."):
        services.initiative_set_status(actor=frank, initiative=initiative, status="paused")
