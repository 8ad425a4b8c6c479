import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from brik.cases import services
from brik.cases.models import Interview
from brik.cases.tests.formatting import shown
from brik.core import choices as c
from brik.core.errors import TransitionError

CPH = ZoneInfo("Europe/Copenhagen")


def plan(case, actor, day=4):
    return services.interview_plan(
        actor=actor,
        case=case,
        planned_for=dt.datetime(2021, 3, day, 10, tzinfo=CPH),
        place="Aarhus",
        interpreter_language="yor",
    )


def test_it_records_an_interview_that_was_not_planned(referred_case, alice, bob, logged):
    interview = services.interview_record(
        actor=alice,
        case=referred_case,
        held_on=dt.date(2021, 3, 5),
        place="Copenhagen",
        interviewers=[alice, bob],
        interpreter_language="ENG",
        indicators=[c.Indicator.DECEPTION, c.Indicator.DEBT_BONDAGE, c.Indicator.DECEPTION],
        dimensions=[c.IndicatorDimension.DECEPTIVE_RECRUITMENT],
        notes="Synthetic notes.",
    )

    interview.refresh_from_db()
    assert interview.status == c.InterviewStatus.HELD
    assert interview.held_on == dt.date(2021, 3, 5)
    assert interview.planned_for is None
    assert interview.interpreter_language == "eng"
    assert interview.indicators == ["deception", "debt_bondage"]
    assert interview.dimensions == ["deceptive_recruitment"]
    assert set(interview.interviewers.all()) == {alice, bob}
    referred_case.refresh_from_db()
    assert referred_case.status == c.CaseStatus.INTERVIEWED
    row = logged("brik.interview.recorded", actor=alice, case=referred_case, obj=interview)
    assert row.data["held_on"] == "2021-03-05"
    assert row.data["indicators"] == ["deception", "debt_bondage"]


def test_it_records_a_planned_interview_in_its_own_row(referred_case, alice):
    planned = plan(referred_case, alice)

    held = services.interview_record(
        actor=alice, case=referred_case, interview=planned, held_on=dt.date(2021, 3, 4)
    )

    assert held.pk == planned.pk
    assert Interview.objects.count() == 1
    held.refresh_from_db()
    assert held.status == c.InterviewStatus.HELD
    assert (held.place, held.interpreter_language) == ("Aarhus", "yor")
    referred_case.refresh_from_db()
    assert referred_case.status == c.CaseStatus.INTERVIEWED


def test_the_case_keeps_waiting_while_another_interview_is_planned(referred_case, alice):
    first = plan(referred_case, alice, day=4)
    plan(referred_case, alice, day=9)

    services.interview_record(
        actor=alice, case=referred_case, interview=first, held_on=dt.date(2021, 3, 4)
    )

    referred_case.refresh_from_db()
    assert referred_case.status == c.CaseStatus.INTERVIEW_PLANNED


def test_it_records_an_interview_held_today(referred_case, alice, today):
    services.interview_record(actor=alice, case=referred_case, held_on=dt.date(2021, 6, 1))

    assert referred_case.interviews.get().held_on == dt.date(2021, 6, 1)


def test_it_refuses_an_interview_dated_in_the_future(referred_case, alice, today, refused):
    with refused("The interview date cannot be in the future.", code="future_date"):
        services.interview_record(actor=alice, case=referred_case, held_on=dt.date(2021, 6, 2))


def test_it_refuses_an_interview_before_the_referral(referred_case, alice, refused):
    with refused(
        f"An interview cannot be held before the referral ({shown(2021, 3, 1)}).", code="date_order"
    ):
        services.interview_record(actor=alice, case=referred_case, held_on=dt.date(2021, 2, 28))


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"indicators": ["deception", "bad_vibes"]}, "Unknown indicator: bad_vibes."),
        ({"dimensions": ["exploitation"]}, "Unknown dimension: exploitation."),
        ({"interpreter_language": "xx"}, "xx is not an ISO 639-3 language code."),
    ],
)
def test_it_refuses_unknown_values(referred_case, alice, refused, overrides, message):
    with refused(message):
        services.interview_record(
            actor=alice, case=referred_case, held_on=dt.date(2021, 3, 5), **overrides
        )


def test_a_double_submitted_record_of_a_planned_interview_is_refused(referred_case, alice, refused):
    planned = plan(referred_case, alice)
    stale = Interview.objects.get(pk=planned.pk)
    services.interview_record(
        actor=alice, case=referred_case, interview=planned, held_on=dt.date(2021, 3, 4), notes="1"
    )

    with refused(
        "Only a planned interview of this case can be recorded.",
        error=TransitionError,
        code="interview_state",
    ):
        services.interview_record(
            actor=alice, case=referred_case, interview=stale, held_on=dt.date(2021, 3, 6)
        )


def test_it_refuses_a_cancelled_interview(referred_case, alice, refused):
    planned = plan(referred_case, alice)
    services.interview_cancel(actor=alice, interview=planned)

    with refused("Only a planned interview of this case can be recorded.", error=TransitionError):
        services.interview_record(
            actor=alice, case=referred_case, interview=planned, held_on=dt.date(2021, 3, 4)
        )


def test_it_refuses_an_interview_of_another_case(referred_case, alice, dave, police, refused):
    other = services.case_refer(
        actor=dave, referring_organisation=police, referred_on=dt.date(2021, 3, 1)
    )
    planned = plan(other, alice)

    with refused("Only a planned interview of this case can be recorded.", error=TransitionError):
        services.interview_record(
            actor=alice, case=referred_case, interview=planned, held_on=dt.date(2021, 3, 4)
        )


@pytest.mark.parametrize(
    ("fixture", "status"),
    [("identified_case", "Assessed: identified"), ("closed_case", "Closed")],
)
def test_it_refuses_an_interview_once_the_case_is_decided_or_closed(
    request, alice, refused, fixture, status
):
    case = request.getfixturevalue(fixture)

    with refused(f"This step is not possible while the case is “{status}”.", error=TransitionError):
        services.interview_record(actor=alice, case=case, held_on=dt.date(2021, 3, 21))
