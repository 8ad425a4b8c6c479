import datetime as dt

from django.utils.formats import date_format as shown

from brik.cases import services as case_services
from brik.cooperation import services
from brik.core import choices
from brik.core.errors import TransitionError
from brik.testing.factories import referral_kwargs


def test_it_links_a_case_referral_to_the_action(held_action, referred_case, bob, logged):
    services.joint_action_link_referral(actor=bob, action=held_action, case=referred_case)

    referred_case.referral.refresh_from_db()
    assert referred_case.referral.joint_action == held_action
    row = logged(
        "brik.joint_action.referral_linked", actor=bob, obj=held_action, case=referred_case
    )
    assert row.data == {"referral": referred_case.referral.pk}


def test_a_planned_action_can_take_referrals_before_its_outcome_is_recorded(
    planned_action, referred_case, bob
):
    services.joint_action_link_referral(actor=bob, action=planned_action, case=referred_case)

    referred_case.referral.refresh_from_db()
    assert referred_case.referral.joint_action == planned_action


def test_it_refuses_a_referral_dated_before_the_action(today, bob, police, tax, dave, refused):
    early_case = case_services.case_refer(
        actor=dave,
        referring_organisation=police,
        **referral_kwargs(referred_on=dt.date(2021, 2, 27)),
    )
    action = services.joint_action_plan(
        actor=bob,
        title="Landbrug",
        planned_for=dt.date(2021, 2, 28),
        region=choices.Region.MIDTJYLLAND,
        sector=choices.Sector.AGRICULTURE,
        lead_organisation=police,
    )

    with refused(
        f"The referral is dated before the action ({shown(dt.date(2021, 2, 28))}), "
        "so it cannot come from it.",
        code="date_order",
    ):
        services.joint_action_link_referral(actor=bob, action=action, case=early_case)


def test_it_refuses_a_cancelled_action(today, bob, police, referred_case, refused):
    action = services.joint_action_plan(
        actor=bob,
        title="Rengøring",
        planned_for=dt.date(2021, 2, 1),
        region=choices.Region.MIDTJYLLAND,
        sector=choices.Sector.CLEANING,
        lead_organisation=police,
    )
    services.joint_action_cancel(actor=bob, action=action)

    with refused("A cancelled action has no referrals.", error=TransitionError):
        services.joint_action_link_referral(actor=bob, action=action, case=referred_case)


def test_it_refuses_to_link_the_same_referral_twice(held_action, referred_case, bob, refused):
    services.joint_action_link_referral(actor=bob, action=held_action, case=referred_case)

    with refused(
        "The referral of BRK-2021-0001 is already linked to this action.", error=TransitionError
    ):
        services.joint_action_link_referral(actor=bob, action=held_action, case=referred_case)


def test_it_refuses_a_referral_linked_to_another_action(
    held_action, referred_case, bob, police, refused
):
    services.joint_action_link_referral(actor=bob, action=held_action, case=referred_case)
    other = services.joint_action_plan(
        actor=bob,
        title="Restauranter",
        planned_for=dt.date(2021, 2, 1),
        region=choices.Region.MIDTJYLLAND,
        sector=choices.Sector.RESTAURANTS,
        lead_organisation=police,
    )

    with refused(
        "The referral of BRK-2021-0001 is already linked to the action “Byggepladser Aarhus”.",
        error=TransitionError,
        code="linked_elsewhere",
    ):
        services.joint_action_link_referral(actor=bob, action=other, case=referred_case)


def test_it_unlinks_a_referral_linked_in_error(held_action, referred_case, bob, logged):
    services.joint_action_link_referral(actor=bob, action=held_action, case=referred_case)

    services.joint_action_unlink_referral(actor=bob, action=held_action, case=referred_case)

    referred_case.referral.refresh_from_db()
    assert referred_case.referral.joint_action is None
    logged("brik.joint_action.referral_unlinked", actor=bob, obj=held_action, case=referred_case)


def test_it_refuses_to_unlink_a_referral_that_is_not_linked(
    held_action, referred_case, bob, refused
):
    with refused(
        "The referral of BRK-2021-0001 is not linked to this action.", error=TransitionError
    ):
        services.joint_action_unlink_referral(actor=bob, action=held_action, case=referred_case)
