"""The invariants the database itself holds, even for a write that bypasses the services."""

import datetime as dt
from contextlib import contextmanager

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from brik.cases import services
from brik.cases.models import (
    Assessment,
    Case,
    Interview,
    Person,
    PersonCitizenship,
    PreparedReturn,
    ReflectionExtension,
    ReflectionPeriod,
    SupportMeasure,
)
from brik.core import choices as c

pytestmark = pytest.mark.usefixtures("fast_passwords", "english")

MARCH_1 = dt.date(2021, 3, 1)


@contextmanager
def refused_by_database(check: str | None = None):
    """The write fails in the database. SQLite names only CHECK constraints in its message."""
    with pytest.raises(IntegrityError) as info, transaction.atomic():
        yield
    if check is not None:
        assert check in str(info.value)


# --- cases of a person ---------------------------------------------------------------


def test_a_person_has_one_open_case_at_a_time(referred_case):
    with refused_by_database():
        Case.objects.create(person=referred_case.person, sequence=2, referred_on=MARCH_1)

    assert Case.objects.count() == 1


def test_the_open_case_rule_names_itself_to_model_validation(referred_case):
    second = Case(person=referred_case.person, sequence=2, referred_on=MARCH_1)

    with pytest.raises(ValidationError) as info:
        second.validate_constraints()

    assert info.value.messages == ["This person already has an open case."]


def test_a_second_case_may_open_once_the_first_is_closed(closed_case):
    second = Case.objects.create(
        person=closed_case.person, sequence=2, referred_on=dt.date(2022, 2, 1)
    )

    assert second.code == "BRK-2021-0001/2"
    assert str(second) == "BRK-2021-0001/2"
    assert closed_case.code == "BRK-2021-0001"


def test_re_trafficking_opens_passage_two_through_the_service(closed_case, dave, police):
    second = services.case_refer(
        actor=dave,
        referring_organisation=police,
        person=closed_case.person,
        referred_on=dt.date(2022, 2, 1),
    )

    assert (second.sequence, second.code) == (2, "BRK-2021-0001/2")
    assert Person.objects.count() == 1


def test_a_passage_number_is_used_once_per_person(closed_case):
    with refused_by_database():
        Case.objects.create(
            person=closed_case.person,
            sequence=1,
            referred_on=dt.date(2022, 2, 1),
            status=c.CaseStatus.CLOSED,
            closed_on=dt.date(2022, 2, 1),
            closing_reason=c.ClosingReason.OTHER,
        )


def test_person_codes_are_unique(referred_case):
    with refused_by_database():
        Person.objects.create(code=referred_case.person.code)


def test_a_citizenship_is_recorded_once_per_person(referred_case):
    with refused_by_database():
        PersonCitizenship.objects.create(person=referred_case.person, country="NG")


def test_a_year_of_birth_before_1900_is_refused(referred_case):
    with refused_by_database("person_birth_year_plausible"):
        Person.objects.filter(pk=referred_case.person_id).update(birth_year=1899)


# --- the case's milestones -------------------------------------------------------------


def test_no_decision_before_the_referral(identified_case):
    with refused_by_database("no_decision_before_referral"):
        Case.objects.filter(pk=identified_case.pk).update(decided_on=dt.date(2021, 2, 28))


def test_a_decision_has_both_a_date_and_an_outcome(referred_case):
    with refused_by_database("decision_has_date_and_outcome"):
        Case.objects.filter(pk=referred_case.pk).update(outcome=c.Outcome.IDENTIFIED)
    with refused_by_database("decision_has_date_and_outcome"):
        Case.objects.filter(pk=referred_case.pk).update(decided_on=dt.date(2021, 3, 10))


def test_a_closed_case_needs_a_closing_date(referred_case):
    with refused_by_database("closed_case_has_date_and_reason"):
        Case.objects.filter(pk=referred_case.pk).update(
            status=c.CaseStatus.CLOSED, closing_reason=c.ClosingReason.OTHER
        )


def test_a_closed_case_needs_a_closing_reason(referred_case):
    with refused_by_database("closed_case_has_date_and_reason"):
        Case.objects.filter(pk=referred_case.pk).update(
            status=c.CaseStatus.CLOSED, closed_on=dt.date(2021, 3, 20)
        )


def test_a_case_cannot_close_before_its_referral(referred_case):
    with refused_by_database("case_closed_after_referral"):
        Case.objects.filter(pk=referred_case.pk).update(
            status=c.CaseStatus.CLOSED,
            closed_on=dt.date(2021, 2, 28),
            closing_reason=c.ClosingReason.OTHER,
        )


def test_a_held_interview_has_a_date(referred_case):
    with refused_by_database("held_interview_has_date"):
        Interview.objects.create(case=referred_case, status=c.InterviewStatus.HELD)


def test_the_period_of_exploitation_is_in_order(identified_case):
    with refused_by_database("exploitation_period_in_order"):
        Assessment.objects.filter(case=identified_case).update(
            exploitation_from=dt.date(2020, 5, 1), exploitation_to=dt.date(2020, 4, 30)
        )


def test_a_case_has_one_assessment(identified_case):
    with refused_by_database():
        Assessment.objects.create(
            case=identified_case,
            decided_on=dt.date(2021, 3, 11),
            deciding_authority=c.DecidingAuthority.CENTRE,
            outcome=c.Outcome.NOT_IDENTIFIED,
        )


def test_support_ends_after_it_starts(identified_case):
    with refused_by_database("support_dates_in_order"):
        SupportMeasure.objects.create(
            case=identified_case,
            kind=c.SupportType.MEDICAL,
            starts_on=dt.date(2021, 3, 11),
            ends_on=dt.date(2021, 3, 10),
        )


# --- the reflection period ---------------------------------------------------------------


def period_row(case, days: int) -> ReflectionPeriod:
    start = dt.date(2021, 3, 10)
    return ReflectionPeriod.objects.create(
        case=case,
        kind=c.PeriodKind.REFLECTION,
        starts_on=start,
        ends_on=start + dt.timedelta(days=days),
        days=days,
    )


@pytest.mark.parametrize("days", [29, 121, 0])
def test_the_database_refuses_a_period_outside_30_to_120_days(identified_case, days):
    with refused_by_database("reflection_period_30_to_120_days"):
        period_row(identified_case, days)

    assert not ReflectionPeriod.objects.exists()


@pytest.mark.parametrize("days", [30, 120])
def test_the_database_accepts_a_period_of_30_or_120_days(identified_case, days):
    assert period_row(identified_case, days).days == days


def test_the_database_refuses_an_extension_beyond_120_days_made_behind_the_services_back(
    supported_case,
):
    with refused_by_database("reflection_period_30_to_120_days"):
        ReflectionPeriod.objects.filter(case=supported_case).update(
            days=121, ends_on=dt.date(2021, 7, 9)
        )

    assert ReflectionPeriod.objects.get(case=supported_case).days == 30


def test_the_period_ends_after_it_starts(identified_case):
    with refused_by_database("reflection_period_ends_after_start"):
        ReflectionPeriod.objects.create(
            case=identified_case,
            kind=c.PeriodKind.REFLECTION,
            starts_on=dt.date(2021, 3, 10),
            ends_on=dt.date(2021, 3, 10),
            days=30,
        )


def test_a_case_has_one_reflection_period(supported_case):
    with refused_by_database():
        period_row(supported_case, 30)


def test_an_extension_moves_the_end_later(supported_case):
    period = ReflectionPeriod.objects.get(case=supported_case)

    with refused_by_database("extension_moves_end_later"):
        ReflectionExtension.objects.create(
            period=period,
            extended_on=dt.date(2021, 4, 1),
            previous_ends_on=dt.date(2021, 4, 9),
            new_ends_on=dt.date(2021, 4, 9),
            reason=c.ExtensionReason.SPECIAL_REASONS,
        )


# --- prepared return ------------------------------------------------------------------------


def test_a_departed_return_has_a_departure_date(accepted_case):
    with refused_by_database("departed_return_has_date"):
        PreparedReturn.objects.filter(case=accepted_case).update(status=c.ReturnStatus.DEPARTED)


def test_a_departure_needs_an_acceptance(offered_case):
    with refused_by_database("return_departed_after_acceptance"):
        PreparedReturn.objects.filter(case=offered_case).update(departed_on=dt.date(2021, 4, 1))


def test_a_departed_return_needs_an_accepted_destination(offered_case):
    with refused_by_database("accepted_return_has_date_and_destination"):
        PreparedReturn.objects.filter(case=offered_case).update(
            status=c.ReturnStatus.DEPARTED,
            departed_on=dt.date(2021, 4, 1),
            accepted_on=dt.date(2021, 3, 20),
        )


def test_a_departure_cannot_precede_the_acceptance(accepted_case):
    with refused_by_database("return_departed_after_acceptance"):
        PreparedReturn.objects.filter(case=accepted_case).update(
            status=c.ReturnStatus.DEPARTED, departed_on=dt.date(2021, 3, 19)
        )


@pytest.mark.parametrize(
    ("field", "check"),
    [
        ("accepted_on", "return_accepted_after_offer"),
        ("declined_on", "return_declined_after_offer"),
    ],
)
def test_an_answer_cannot_precede_the_offer(offered_case, field, check):
    with refused_by_database(check):
        PreparedReturn.objects.filter(case=offered_case).update(**{field: dt.date(2021, 3, 14)})


@pytest.mark.parametrize("status", [c.ReturnStatus.OFFERED, c.ReturnStatus.ACCEPTED])
def test_a_case_has_one_live_prepared_return(offered_case, status):
    PreparedReturn.objects.filter(case=offered_case).update(
        status=status, accepted_on=dt.date(2021, 3, 20), destination_country="NG"
    )

    with refused_by_database():
        PreparedReturn.objects.create(case=offered_case, offered_on=dt.date(2021, 3, 30))


def test_a_declined_return_can_be_followed_by_a_new_offer(offered_case, alice):
    services.return_decline(actor=alice, case=offered_case, declined_on=dt.date(2021, 3, 16))

    PreparedReturn.objects.create(case=offered_case, offered_on=dt.date(2021, 3, 30))
    PreparedReturn.objects.filter(case=offered_case, status=c.ReturnStatus.OFFERED).update(
        status=c.ReturnStatus.DECLINED, declined_on=dt.date(2021, 3, 31)
    )
    PreparedReturn.objects.create(case=offered_case, offered_on=dt.date(2021, 4, 5))

    statuses = list(offered_case.returns.values_list("status", flat=True))
    assert statuses == ["declined", "declined", "offered"]
