"""Reintegration follow-up after a prepared return: returned_case departed on 1 April 2021."""

import datetime as dt

import pytest

from brik.cases import services
from brik.cases.models import FollowUp
from brik.cases.tests.formatting import shown
from brik.core import choices as c
from brik.core.errors import TransitionError

LAST_DAY = dt.date(2021, 10, 1)


def follow_up(case, actor, held_on=dt.date(2021, 5, 1), **overrides):
    values = {"status": c.FollowUpStatus.ON_TRACK, "held_on": held_on}
    values.update(overrides)
    return services.follow_up_add(actor=actor, case=case, **values)


def test_it_records_a_follow_up_contact(returned_case, alice, logged, today):
    contact = follow_up(returned_case, alice, notes="Business running.")

    contact.refresh_from_db()
    assert contact.prepared_return == returned_case.returns.get()
    assert (contact.held_on, contact.status) == (dt.date(2021, 5, 1), "on_track")
    assert contact.recorded_by == alice
    row = logged("brik.followup.added", actor=alice, case=returned_case, obj=contact)
    assert row.data == {"held_on": "2021-05-01", "status": "on_track"}


def test_it_records_a_follow_up_on_the_last_day(returned_case, alice, today):
    today(dt.date(2021, 12, 1))

    follow_up(returned_case, alice, held_on=LAST_DAY, status=c.FollowUpStatus.COMPLETED)

    assert FollowUp.objects.get().held_on == LAST_DAY


def test_it_refuses_a_follow_up_after_the_follow_up_period(returned_case, alice, today, refused):
    today(dt.date(2021, 12, 1))

    with refused(
        f"The follow-up period ended on {shown(2021, 10, 1)}.",
        error=TransitionError,
        code="follow_up_over",
    ):
        follow_up(returned_case, alice, held_on=LAST_DAY + dt.timedelta(days=1))


def test_it_refuses_a_follow_up_before_the_departure(returned_case, alice, refused):
    with refused(
        f"A follow-up cannot precede the departure ({shown(2021, 4, 1)}).", code="date_order"
    ):
        follow_up(returned_case, alice, held_on=dt.date(2021, 3, 31))


def test_it_refuses_a_follow_up_dated_in_the_future(returned_case, alice, today, refused):
    with refused("The follow-up date cannot be in the future.", code="future_date"):
        follow_up(returned_case, alice, held_on=dt.date(2021, 6, 2))


def test_it_refuses_an_unknown_status(returned_case, alice, refused):
    with refused("Unknown status: thriving.", code="invalid_choice"):
        follow_up(returned_case, alice, status="thriving")


@pytest.mark.parametrize(
    ("fixture", "status"),
    [
        ("identified_case", "Assessed: identified"),
        ("accepted_case", "Assessed: identified"),
        ("closed_case", "Closed"),
    ],
)
def test_it_refuses_a_follow_up_in_a_case_that_has_not_returned(
    request, alice, refused, fixture, status
):
    case = request.getfixturevalue(fixture)

    with refused(f"This step is not possible while the case is “{status}”.", error=TransitionError):
        follow_up(case, alice)
