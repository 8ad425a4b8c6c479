"""Planning identification interviews, and cancelling them (interview_plan, interview_cancel)."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from brik.cases import services
from brik.cases.models import Interview
from brik.cases.tests.formatting import shown
from brik.core import choices as c
from brik.core.errors import TransitionError

CPH = ZoneInfo("Europe/Copenhagen")
MARCH_4_AT_10 = dt.datetime(2021, 3, 4, 10, 0, tzinfo=CPH)


def plan(case, actor, **overrides):
    values = {"planned_for": MARCH_4_AT_10, "place": "Aarhus"}
    values.update(overrides)
    return services.interview_plan(actor=actor, case=case, **values)


def test_it_plans_an_interview(referred_case, alice, bob, logged):
    interview = plan(referred_case, alice, interviewers=[alice, bob], interpreter_language="yor")

    interview.refresh_from_db()
    assert interview.status == c.InterviewStatus.PLANNED
    assert interview.planned_for == MARCH_4_AT_10
    assert interview.place == "Aarhus"
    assert interview.interpreter_language == "yor"
    assert set(interview.interviewers.all()) == {alice, bob}
    referred_case.refresh_from_db()
    assert referred_case.status == c.CaseStatus.INTERVIEW_PLANNED
    row = logged("brik.interview.planned", actor=alice, case=referred_case, obj=interview)
    assert row.data["place"] == "Aarhus"


def test_it_reads_a_naive_time_as_copenhagen_time(referred_case, alice):
    interview = plan(referred_case, alice, planned_for=dt.datetime(2021, 3, 4, 10, 0))  # noqa: DTZ001

    interview.refresh_from_db()
    assert interview.planned_for == MARCH_4_AT_10


def test_it_stores_the_interpreter_language_in_lower_case(referred_case, alice):
    interview = plan(referred_case, alice, interpreter_language="YOR")

    assert interview.interpreter_language == "yor"


def test_it_plans_a_further_interview_after_one_was_held(interviewed_case, alice):
    plan(interviewed_case, alice, planned_for=dt.datetime(2021, 3, 8, 9, tzinfo=CPH))

    interviewed_case.refresh_from_db()
    assert interviewed_case.status == c.CaseStatus.INTERVIEW_PLANNED


def test_it_allows_an_interview_on_the_day_of_the_referral(referred_case, alice):
    # 00:30 on 1 March in Copenhagen is still 28 February in UTC.
    plan(referred_case, alice, planned_for=dt.datetime(2021, 3, 1, 0, 30, tzinfo=CPH))

    assert referred_case.interviews.count() == 1


def test_it_refuses_an_interview_before_the_referral(referred_case, alice, refused):
    with refused(f"An interview cannot be planned before the referral ({shown(2021, 3, 1)})."):
        plan(referred_case, alice, planned_for=dt.datetime(2021, 2, 28, 23, 30, tzinfo=CPH))


def test_it_refuses_an_interpreter_language_that_is_not_iso_639_3(referred_case, alice, refused):
    with refused("en is not an ISO 639-3 language code."):
        plan(referred_case, alice, interpreter_language="en")


@pytest.mark.parametrize(
    ("fixture", "status"),
    [
        ("identified_case", "Assessed: identified"),
        ("not_identified_case", "Assessed: not identified"),
        ("closed_case", "Closed"),
    ],
)
def test_it_refuses_to_plan_once_the_case_is_decided_or_closed(
    request, alice, refused, fixture, status
):
    case = request.getfixturevalue(fixture)

    with refused(
        f"This step is not possible while the case is “{status}”.",
        error=TransitionError,
        code="invalid_transition",
    ):
        plan(case, alice)


# --- cancelling ----------------------------------------------------------------------


def test_cancelling_the_only_planned_interview_returns_the_case_to_referred(
    referred_case, alice, logged
):
    interview = plan(referred_case, alice)

    services.interview_cancel(actor=alice, interview=interview, reason="ill")

    interview.refresh_from_db()
    referred_case.refresh_from_db()
    assert interview.status == c.InterviewStatus.CANCELLED
    assert referred_case.status == c.CaseStatus.REFERRED
    row = logged("brik.interview.cancelled", actor=alice, case=referred_case, obj=interview)
    assert row.data == {"reason": "ill"}


def test_cancelling_after_a_held_interview_leaves_the_case_interviewed(interviewed_case, alice):
    interview = plan(interviewed_case, alice, planned_for=dt.datetime(2021, 3, 8, 9, tzinfo=CPH))

    services.interview_cancel(actor=alice, interview=interview)

    interviewed_case.refresh_from_db()
    assert interviewed_case.status == c.CaseStatus.INTERVIEWED


def test_cancelling_one_of_two_planned_interviews_keeps_the_case_waiting(referred_case, alice):
    first = plan(referred_case, alice)
    plan(referred_case, alice, planned_for=dt.datetime(2021, 3, 9, 9, tzinfo=CPH))

    services.interview_cancel(actor=alice, interview=first)

    referred_case.refresh_from_db()
    assert referred_case.status == c.CaseStatus.INTERVIEW_PLANNED


def test_a_double_submitted_cancellation_is_refused(referred_case, alice, refused):
    interview = plan(referred_case, alice)
    stale = Interview.objects.get(pk=interview.pk)
    services.interview_cancel(actor=alice, interview=interview)

    with refused(
        "Only a planned interview can be cancelled.", error=TransitionError, code="interview_state"
    ):
        services.interview_cancel(actor=alice, interview=stale)


def test_closing_the_case_cancels_its_planned_interviews(referred_case, alice):
    interview = plan(referred_case, alice)

    services.case_close(
        actor=alice,
        case=referred_case,
        closed_on=dt.date(2021, 3, 3),
        reason=c.ClosingReason.DISAPPEARED,
    )

    interview.refresh_from_db()
    assert interview.status == c.InterviewStatus.CANCELLED
