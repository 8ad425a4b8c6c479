import datetime as dt

import pytest

from brik.cases import services
from brik.cases.tests.formatting import shown
from brik.core import choices as c
from brik.core.errors import TransitionError


def test_it_records_the_departure_and_opens_six_months_of_follow_up(accepted_case, alice, logged):
    prepared = services.return_depart(
        actor=alice, case=accepted_case, departed_on=dt.date(2021, 4, 1)
    )

    prepared.refresh_from_db()
    assert prepared.status == c.ReturnStatus.DEPARTED
    assert prepared.departed_on == dt.date(2021, 4, 1)
    assert prepared.follow_up_until == dt.date(2021, 10, 1)
    accepted_case.refresh_from_db()
    assert accepted_case.status == c.CaseStatus.RETURNED
    row = logged("brik.return.departed", actor=alice, case=accepted_case, obj=prepared)
    assert row.data == {"departed_on": "2021-04-01", "follow_up_until": "2021-10-01"}


def test_it_shortens_the_follow_up_when_asked(accepted_case, alice):
    prepared = services.return_depart(
        actor=alice, case=accepted_case, departed_on=dt.date(2021, 3, 31), follow_up_months=3
    )

    assert prepared.follow_up_until == dt.date(2021, 6, 30)


def test_it_allows_the_departure_on_the_day_of_acceptance(accepted_case, alice):
    prepared = services.return_depart(
        actor=alice, case=accepted_case, departed_on=dt.date(2021, 3, 20)
    )

    assert prepared.departed_on == dt.date(2021, 3, 20)


def test_it_refuses_a_departure_before_the_return_was_accepted(offered_case, alice, refused):
    with refused(
        "The prepared return must be accepted before departure.",
        error=TransitionError,
        code="return_state",
    ):
        services.return_depart(actor=alice, case=offered_case, departed_on=dt.date(2021, 4, 1))


def test_it_refuses_a_departure_without_any_return(identified_case, alice, refused):
    with refused("The prepared return must be accepted before departure.", error=TransitionError):
        services.return_depart(actor=alice, case=identified_case, departed_on=dt.date(2021, 4, 1))


def test_it_refuses_a_departure_after_the_return_was_declined(offered_case, alice, refused):
    services.return_decline(actor=alice, case=offered_case, declined_on=dt.date(2021, 3, 16))

    with refused("The prepared return must be accepted before departure.", error=TransitionError):
        services.return_depart(actor=alice, case=offered_case, departed_on=dt.date(2021, 4, 1))


def test_it_refuses_a_departure_before_the_acceptance(accepted_case, alice, refused):
    with refused(f"Departure cannot precede acceptance ({shown(2021, 3, 20)}).", code="date_order"):
        services.return_depart(actor=alice, case=accepted_case, departed_on=dt.date(2021, 3, 19))


def test_it_refuses_a_departure_dated_in_the_future(accepted_case, alice, today, refused):
    with refused("The departure date cannot be in the future.", code="future_date"):
        services.return_depart(actor=alice, case=accepted_case, departed_on=dt.date(2021, 6, 2))


@pytest.mark.parametrize("months", [-1, 7])
def test_it_refuses_follow_up_beyond_six_months(accepted_case, alice, refused, months):
    with refused("Reintegration follow-up lasts at most 6 months.", code="follow_up_months"):
        services.return_depart(
            actor=alice,
            case=accepted_case,
            departed_on=dt.date(2021, 4, 1),
            follow_up_months=months,
        )


def test_it_refuses_to_record_the_departure_twice(returned_case, alice, refused):
    with refused("This step is not possible while the case is “Returned”.", error=TransitionError):
        services.return_depart(actor=alice, case=returned_case, departed_on=dt.date(2021, 4, 2))
