"""The person's answer to an offered prepared return (return_accept, return_decline)."""

import datetime as dt

import pytest

from brik.cases import services
from brik.cases.models import PreparedReturn
from brik.cases.tests.formatting import shown
from brik.core import choices as c
from brik.core.errors import TransitionError


def accept(case, actor, **overrides):
    values = {
        "accepted_on": dt.date(2021, 3, 20),
        "destination_country": "NG",
        "destination_kind": c.DestinationKind.HOME,
    }
    values.update(overrides)
    return services.return_accept(actor=actor, case=case, **values)


def test_it_records_the_acceptance_with_the_reintegration_plan(
    offered_case, alice, partner_abroad, logged
):
    prepared = accept(
        offered_case,
        alice,
        reintegration_partner=partner_abroad,
        plan_allowance=True,
        plan_housing=True,
        plan_income_activity=True,
        plan_medical=False,
        plan_schooling_self=True,
        plan_schooling_children=True,
        plan_notes="Small tailoring business.",
    )

    prepared.refresh_from_db()
    assert prepared.status == c.ReturnStatus.ACCEPTED
    assert prepared.accepted_on == dt.date(2021, 3, 20)
    assert (prepared.destination_country, prepared.destination_kind) == ("NG", "home")
    assert prepared.reintegration_partner == partner_abroad
    plan = (
        prepared.plan_allowance,
        prepared.plan_housing,
        prepared.plan_income_activity,
        prepared.plan_medical,
        prepared.plan_schooling_self,
        prepared.plan_schooling_children,
    )
    assert plan == (True, True, True, False, True, True)
    assert prepared.plan_notes == "Small tailoring business."
    offered_case.refresh_from_db()
    assert offered_case.status == c.CaseStatus.IDENTIFIED
    row = logged("brik.return.accepted", actor=alice, case=offered_case, obj=prepared)
    assert row.data == {"accepted_on": "2021-03-20", "destination_country": "NG"}


def test_it_stores_the_destination_in_capitals(offered_case, alice):
    prepared = accept(offered_case, alice, destination_country="it", destination_kind="residence")

    assert prepared.destination_country == "IT"


def test_it_accepts_on_the_day_of_the_offer(offered_case, alice):
    prepared = accept(offered_case, alice, accepted_on=dt.date(2021, 3, 15))

    assert prepared.accepted_on == dt.date(2021, 3, 15)


def test_it_refuses_an_acceptance_without_an_offer(identified_case, alice, refused):
    with refused(
        "No prepared return is waiting for an answer.", error=TransitionError, code="return_state"
    ):
        accept(identified_case, alice)


def test_it_refuses_to_accept_twice(accepted_case, alice, refused):
    with refused("No prepared return is waiting for an answer.", error=TransitionError):
        accept(accepted_case, alice, accepted_on=dt.date(2021, 3, 21))


def test_it_refuses_an_acceptance_before_the_offer(offered_case, alice, refused):
    with refused(f"Acceptance cannot precede the offer ({shown(2021, 3, 15)}).", code="date_order"):
        accept(offered_case, alice, accepted_on=dt.date(2021, 3, 14))


def test_it_refuses_an_acceptance_dated_in_the_future(offered_case, alice, today, refused):
    with refused("The acceptance date cannot be in the future.", code="future_date"):
        accept(offered_case, alice, accepted_on=dt.date(2021, 6, 2))


@pytest.mark.parametrize("code", ["XX", "NGA", ""])
def test_it_refuses_a_destination_that_is_not_an_iso_country(offered_case, alice, refused, code):
    with refused(f"{code} is not an ISO 3166 country code."):
        accept(offered_case, alice, destination_country=code)


def test_it_refuses_an_unknown_kind_of_destination(offered_case, alice, refused):
    with refused("Unknown destination: anywhere.", code="invalid_choice"):
        accept(offered_case, alice, destination_kind="anywhere")


def test_it_refuses_an_acceptance_in_a_closed_case(offered_case, alice, refused):
    services.case_close(
        actor=alice,
        case=offered_case,
        closed_on=dt.date(2021, 3, 16),
        reason=c.ClosingReason.DISAPPEARED,
    )

    with refused("This step is not possible while the case is “Closed”.", error=TransitionError):
        accept(offered_case, alice)


# --- declining -----------------------------------------------------------------------


def test_it_records_that_the_person_declined(offered_case, alice, logged):
    prepared = services.return_decline(
        actor=alice, case=offered_case, declined_on=dt.date(2021, 3, 16)
    )

    prepared.refresh_from_db()
    assert prepared.status == c.ReturnStatus.DECLINED
    assert prepared.declined_on == dt.date(2021, 3, 16)
    offered_case.refresh_from_db()
    assert offered_case.status == c.CaseStatus.IDENTIFIED
    row = logged("brik.return.declined", actor=alice, case=offered_case, obj=prepared)
    assert row.data == {"declined_on": "2021-03-16"}


def test_it_refuses_to_decline_without_an_offer(identified_case, alice, refused):
    with refused("No prepared return is waiting for an answer.", error=TransitionError):
        services.return_decline(actor=alice, case=identified_case, declined_on=dt.date(2021, 3, 16))


def test_it_refuses_to_decline_an_accepted_return(accepted_case, alice, refused):
    with refused("No prepared return is waiting for an answer.", error=TransitionError):
        services.return_decline(actor=alice, case=accepted_case, declined_on=dt.date(2021, 3, 21))


def test_a_double_submitted_decline_is_refused(offered_case, alice, refused):
    services.return_decline(actor=alice, case=offered_case, declined_on=dt.date(2021, 3, 16))

    with refused("No prepared return is waiting for an answer.", error=TransitionError):
        services.return_decline(actor=alice, case=offered_case, declined_on=dt.date(2021, 3, 16))

    assert PreparedReturn.objects.get().status == c.ReturnStatus.DECLINED


def test_it_refuses_a_decline_before_the_offer(offered_case, alice, refused):
    with refused(f"A refusal cannot precede the offer ({shown(2021, 3, 15)}).", code="date_order"):
        services.return_decline(actor=alice, case=offered_case, declined_on=dt.date(2021, 3, 14))


def test_it_refuses_a_decline_dated_in_the_future(offered_case, alice, today, refused):
    with refused("The date cannot be in the future.", code="future_date"):
        services.return_decline(actor=alice, case=offered_case, declined_on=dt.date(2021, 6, 2))
