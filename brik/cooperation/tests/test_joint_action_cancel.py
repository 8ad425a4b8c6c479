from brik.cooperation import services
from brik.core import choices
from brik.core.errors import TransitionError


def test_it_cancels_a_planned_action(planned_action, bob, logged):
    services.joint_action_cancel(actor=bob, action=planned_action, reason="Weather")

    planned_action.refresh_from_db()
    assert planned_action.status == choices.JointActionStatus.CANCELLED
    row = logged("brik.joint_action.cancelled", actor=bob, obj=planned_action)
    assert row.data == {"reason": "Weather"}


def test_it_refuses_to_cancel_a_held_action(held_action, bob, refused):
    with refused(
        "Only a planned action can be cancelled; this action is “Held”.", error=TransitionError
    ):
        services.joint_action_cancel(actor=bob, action=held_action)


def test_it_refuses_to_cancel_an_action_that_referred_someone(
    planned_action, referred_case, bob, refused
):
    services.joint_action_link_referral(actor=bob, action=planned_action, case=referred_case)

    with refused(
        "1 referral is linked to this action, so it took place; unlink it first.",
        error=TransitionError,
        code="has_referrals",
    ):
        services.joint_action_cancel(actor=bob, action=planned_action)
