import datetime as dt

from django.utils.formats import date_format as shown

from brik.cooperation import services
from brik.core import choices
from brik.core.errors import TransitionError


def test_it_records_a_planned_action_as_held(planned_action, bob, logged):
    services.joint_action_record_outcome(
        actor=bob, action=planned_action, persons_met=12, persons_referred=3, notes=" 2 sites "
    )

    planned_action.refresh_from_db()
    assert planned_action.status == choices.JointActionStatus.HELD
    assert (planned_action.persons_met, planned_action.persons_referred) == (12, 3)
    assert planned_action.outcome_notes == "2 sites"
    row = logged("brik.joint_action.held", actor=bob, obj=planned_action)
    assert row.data == {"persons_met": 12, "persons_referred": 3}


def test_an_action_can_meet_no_one(planned_action, bob):
    services.joint_action_record_outcome(
        actor=bob, action=planned_action, persons_met=0, persons_referred=0
    )

    planned_action.refresh_from_db()
    assert (planned_action.status, planned_action.persons_met) == (
        choices.JointActionStatus.HELD,
        0,
    )


def test_it_refuses_more_referred_than_met(planned_action, bob, refused):
    with refused("Persons referred (5) cannot exceed persons met (4).", code="referred_above_met"):
        services.joint_action_record_outcome(
            actor=bob, action=planned_action, persons_met=4, persons_referred=5
        )


def test_it_refuses_negative_counts(planned_action, bob, refused):
    with refused("Persons met must be a whole number of at least 0."):
        services.joint_action_record_outcome(
            actor=bob, action=planned_action, persons_met=-1, persons_referred=0
        )


def test_it_refuses_an_outcome_before_the_action_date(today, planned_action, bob, refused):
    today(dt.date(2021, 2, 28))

    with refused(
        f"The action is planned for {shown(dt.date(2021, 3, 1))}; "
        "its outcome can be recorded from that day.",
        error=TransitionError,
    ):
        services.joint_action_record_outcome(
            actor=bob, action=planned_action, persons_met=3, persons_referred=1
        )


def test_it_refuses_to_record_a_held_action_again(held_action, bob, refused):
    with refused(
        "Only a planned action can be recorded as held; this action is “Held”.",
        error=TransitionError,
        code="invalid_transition",
    ):
        services.joint_action_record_outcome(
            actor=bob, action=held_action, persons_met=20, persons_referred=3
        )


def test_it_refuses_to_record_a_cancelled_action(planned_action, bob, refused):
    services.joint_action_cancel(actor=bob, action=planned_action)

    with refused(
        "Only a planned action can be recorded as held; this action is “Cancelled”.",
        error=TransitionError,
    ):
        services.joint_action_record_outcome(
            actor=bob, action=planned_action, persons_met=2, persons_referred=0
        )
