import datetime as dt

import pytest

from brik.cases import services
from brik.cases.tests.formatting import shown
from brik.core import choices as c
from brik.core.errors import TransitionError


def close(case, actor, closed_on=dt.date(2021, 5, 1), reason=c.ClosingReason.DISAPPEARED, **kw):
    return services.case_close(actor=actor, case=case, closed_on=closed_on, reason=reason, **kw)


def test_it_closes_a_case(referred_case, alice, logged):
    close(referred_case, alice, closed_on=dt.date(2021, 3, 20), note="No contact since 5 March.")

    referred_case.refresh_from_db()
    assert referred_case.status == c.CaseStatus.CLOSED
    assert referred_case.closed_on == dt.date(2021, 3, 20)
    assert referred_case.closing_reason == c.ClosingReason.DISAPPEARED
    assert referred_case.closing_note == "No contact since 5 March."
    assert not referred_case.is_open
    row = logged("brik.case.closed", actor=alice, case=referred_case, obj=referred_case)
    assert row.data == {"closed_on": "2021-03-20", "reason": "disappeared"}


def test_it_closes_a_case_on_the_day_it_was_referred(referred_case, alice):
    close(referred_case, alice, closed_on=dt.date(2021, 3, 1))

    referred_case.refresh_from_db()
    assert referred_case.status == c.CaseStatus.CLOSED


def test_it_closes_a_not_identified_case_as_not_identified(not_identified_case, alice):
    close(not_identified_case, alice, reason=c.ClosingReason.NOT_IDENTIFIED)

    not_identified_case.refresh_from_db()
    assert not_identified_case.closing_reason == c.ClosingReason.NOT_IDENTIFIED


def test_it_closes_a_returned_case_as_return_completed(returned_case, alice, today):
    services.follow_up_add(
        actor=alice,
        case=returned_case,
        held_on=dt.date(2021, 5, 20),
        status=c.FollowUpStatus.COMPLETED,
    )

    close(
        returned_case,
        alice,
        closed_on=dt.date(2021, 5, 20),
        reason=c.ClosingReason.RETURN_COMPLETED,
    )

    returned_case.refresh_from_db()
    assert returned_case.status == c.CaseStatus.CLOSED


def test_it_closes_a_staying_case_as_staying(identified_case, alice):
    services.case_record_stay(
        actor=alice, case=identified_case, basis=c.StayBasis.ASYLUM, stay_from=dt.date(2021, 4, 1)
    )

    close(identified_case, alice, closed_on=dt.date(2021, 4, 1), reason=c.ClosingReason.STAYING)

    identified_case.refresh_from_db()
    assert identified_case.closing_reason == c.ClosingReason.STAYING


def test_it_refuses_to_close_a_closed_case(closed_case, alice, refused):
    with refused(
        "This step is not possible while the case is “Closed”.",
        error=TransitionError,
        code="invalid_transition",
    ):
        close(closed_case, alice, reason=c.ClosingReason.OTHER)


def test_it_refuses_an_unknown_reason(referred_case, alice, refused):
    with refused("Unknown closing reason: bored.", code="invalid_choice"):
        close(referred_case, alice, reason="bored")


def test_it_refuses_a_closing_date_in_the_future(referred_case, alice, today, refused):
    with refused("The closing date cannot be in the future.", code="future_date"):
        close(referred_case, alice, closed_on=dt.date(2021, 6, 2))


@pytest.mark.parametrize(
    ("fixture", "closed_on", "earliest"),
    [
        ("referred_case", dt.date(2021, 2, 28), (2021, 3, 1)),  # the referral
        ("interviewed_case", dt.date(2021, 3, 4), (2021, 3, 5)),  # the interview
        ("identified_case", dt.date(2021, 3, 9), (2021, 3, 10)),  # the decision
        ("offered_case", dt.date(2021, 3, 14), (2021, 3, 15)),  # the offer of return
        ("accepted_case", dt.date(2021, 3, 19), (2021, 3, 20)),  # its acceptance
    ],
)
def test_it_refuses_to_close_before_the_last_recorded_step(
    request, alice, refused, fixture, closed_on, earliest
):
    case = request.getfixturevalue(fixture)

    with refused(f"The case cannot be closed before {shown(*earliest)}.", code="date_order"):
        close(case, alice, closed_on=closed_on)


def test_it_refuses_to_close_before_the_stay_began(identified_case, alice, refused):
    services.case_record_stay(
        actor=alice, case=identified_case, basis=c.StayBasis.ASYLUM, stay_from=dt.date(2021, 4, 1)
    )

    with refused(f"The case cannot be closed before {shown(2021, 4, 1)}."):
        close(
            identified_case, alice, closed_on=dt.date(2021, 3, 31), reason=c.ClosingReason.STAYING
        )


def test_it_refuses_to_close_before_the_departure(returned_case, alice, refused):
    with refused(
        f"The case cannot be closed before the departure ({shown(2021, 4, 1)}).", code="date_order"
    ):
        close(
            returned_case,
            alice,
            closed_on=dt.date(2021, 3, 31),
            reason=c.ClosingReason.RETURN_COMPLETED,
        )


def test_it_refuses_to_close_before_the_last_follow_up(returned_case, alice, today, refused):
    services.follow_up_add(
        actor=alice,
        case=returned_case,
        held_on=dt.date(2021, 5, 20),
        status=c.FollowUpStatus.ON_TRACK,
    )

    with refused(f"The case cannot be closed before {shown(2021, 5, 20)}."):
        close(
            returned_case,
            alice,
            closed_on=dt.date(2021, 5, 19),
            reason=c.ClosingReason.RETURN_COMPLETED,
        )


@pytest.mark.parametrize(
    ("reason", "message"),
    [
        (
            c.ClosingReason.NOT_IDENTIFIED,
            "“Not identified” needs a decision that the person was not identified.",
        ),
        (
            c.ClosingReason.RETURN_COMPLETED,
            "“Prepared return completed” needs a recorded departure.",
        ),
        (c.ClosingReason.STAYING, "“Stays in the country” needs a recorded basis of stay."),
    ],
)
def test_it_refuses_a_reason_the_case_does_not_bear_out(
    identified_case, alice, refused, reason, message
):
    with refused(message, code="reason_mismatch"):
        close(identified_case, alice, reason=reason)


def test_it_refuses_not_identified_for_a_case_without_decision(referred_case, alice, refused):
    with refused("“Not identified” needs a decision that the person was not identified."):
        close(referred_case, alice, reason=c.ClosingReason.NOT_IDENTIFIED)


def test_closing_records_the_cancelled_interviews_in_the_audit_log(referred_case, alice, logged):
    interview = services.interview_plan(
        actor=alice, case=referred_case, planned_for=dt.datetime(2021, 3, 8, 10, tzinfo=dt.UTC)
    )

    close(referred_case, alice, closed_on=dt.date(2021, 3, 3))

    row = logged("brik.interview.cancelled", actor=alice, case=referred_case, obj=interview)
    assert row.data == {"reason": "case_closed"}
