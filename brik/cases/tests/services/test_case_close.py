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


# --- the reason checked against the facts; open support ended or carried over ----------


def test_return_completed_is_refused_while_the_follow_up_runs(returned_case, alice, refused, today):
    with refused(
        f"The follow-up runs until {shown(2021, 10, 1)}. Close the case then, or give the reason it ended early."
    ):
        close(
            returned_case,
            alice,
            closed_on=dt.date(2021, 4, 1),
            reason=c.ClosingReason.RETURN_COMPLETED,
        )


def test_return_completed_with_the_reason_the_follow_up_ended_early(
    returned_case, alice, today, logged
):
    close(
        returned_case,
        alice,
        closed_on=dt.date(2021, 4, 1),
        reason=c.ClosingReason.RETURN_COMPLETED,
        follow_up_end_reason="The person asked to end the contact.",
    )
    prepared = returned_case.returns.get()
    assert prepared.follow_up_end_reason == "The person asked to end the contact."
    row = logged("brik.case.closed", actor=alice, case=returned_case)
    assert row.data["follow_up_ended_early"] is True


def test_return_completed_after_the_follow_up_period(returned_case, alice, today):
    today(dt.date(2021, 10, 2))
    close(
        returned_case,
        alice,
        closed_on=dt.date(2021, 10, 1),
        reason=c.ClosingReason.RETURN_COMPLETED,
    )
    returned_case.refresh_from_db()
    assert returned_case.status == c.CaseStatus.CLOSED


def test_an_early_end_reason_belongs_to_return_completed_only(returned_case, alice, refused, today):
    with refused(
        "Only a case closed as “Prepared return and follow-up completed” ends a follow-up."
    ):
        close(
            returned_case,
            alice,
            closed_on=dt.date(2021, 4, 2),
            reason=c.ClosingReason.OTHER,
            note="x",
            follow_up_end_reason="y",
        )


def test_left_without_return_is_refused_after_a_prepared_departure(
    returned_case, alice, refused, today
):
    with refused(
        "The person left with a prepared return: choose “Prepared return and follow-up completed”."
    ):
        close(
            returned_case,
            alice,
            closed_on=dt.date(2021, 4, 2),
            reason=c.ClosingReason.DEPARTED_WITHOUT_RETURN,
        )


def test_declined_support_needs_an_identified_person(referred_case, alice, refused):
    with refused("Support is offered after a decision that the person was identified."):
        close(referred_case, alice, reason=c.ClosingReason.DECLINED_SUPPORT)


def test_other_reason_needs_a_note(referred_case, alice, refused):
    with refused("Say in the note why the case is closed."):
        close(referred_case, alice, reason=c.ClosingReason.OTHER)


def test_open_support_ends_on_the_closing_date_unless_carried_over(supported_case, alice, logged):
    housing = services.support_add(
        actor=alice,
        case=supported_case,
        kind=c.SupportType.ACCOMMODATION,
        starts_on=dt.date(2021, 3, 10),
    )
    health = services.support_add(
        actor=alice, case=supported_case, kind=c.SupportType.MEDICAL, starts_on=dt.date(2021, 3, 11)
    )

    close(supported_case, alice, closed_on=dt.date(2021, 5, 1), carry_over=[health.pk])

    housing.refresh_from_db()
    health.refresh_from_db()
    assert housing.ends_on == dt.date(2021, 5, 1)
    assert health.ends_on is None
    row = logged("brik.case.closed", actor=alice, case=supported_case)
    assert row.data["support_carried_over"] == [health.pk]


def test_support_of_another_case_cannot_be_carried_over(
    supported_case, identified_case, alice, refused
):
    with refused("Choose among the case's open support."):
        close(supported_case, alice, carry_over=[999999])
