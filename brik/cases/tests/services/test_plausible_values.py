"""Absurd dates and values are refused by the services, with a message naming the field.

Nothing before 1900; nothing after today where a date records the past; plans
(interviews, support) at most two years ahead; texts within their length. The
refusal carries its field (ValidationError({field: ...})), so the API and the
importers say which value was wrong, and a form shows it next to the field.
"""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from brik.cases import services
from brik.cases.tests.formatting import shown
from brik.core import choices as c
from brik.testing.factories import referral_kwargs

CPH = ZoneInfo("Europe/Copenhagen")


def field_of(info) -> list[str]:
    return sorted(info.value.error_dict)


@pytest.mark.parametrize("day", [dt.date(1, 1, 1), dt.date(1850, 6, 1), dt.date(1899, 12, 31)])
def test_a_referral_before_1900_is_refused(today, dave, police, refused, day):
    with refused(
        f"The referral date cannot be before {shown(1900, 1, 1)}.", code="implausible_date"
    ) as info:
        services.case_refer(
            actor=dave, referring_organisation=police, **referral_kwargs(referred_on=day)
        )
    assert field_of(info) == ["referred_on"]


def test_a_referral_in_the_future_names_its_field(today, dave, police, refused):
    with refused("The referral date cannot be in the future.", code="future_date") as info:
        services.case_refer(
            actor=dave,
            referring_organisation=police,
            **referral_kwargs(referred_on=dt.date(9999, 12, 31)),
        )
    assert field_of(info) == ["referred_on"]


def test_a_date_of_birth_before_1900_is_refused(today, dave, police, refused):
    identity = {"given_names": "Testa", "date_of_birth": dt.date(1850, 1, 1)}
    with refused(
        f"The date of birth cannot be before {shown(1900, 1, 1)}.", code="implausible_date"
    ) as info:
        services.case_refer(
            actor=dave,
            referring_organisation=police,
            **referral_kwargs(identity=identity, birth_year=None),
        )
    assert field_of(info) == ["date_of_birth"]


def test_an_interview_held_on_9999_12_31_is_refused(today, referred_case, alice, refused):
    with refused("The interview date cannot be in the future.", code="future_date") as info:
        services.interview_record(actor=alice, case=referred_case, held_on=dt.date(9999, 12, 31))
    assert field_of(info) == ["held_on"]


@pytest.mark.parametrize(
    "when", [dt.datetime(9999, 12, 31, 23, 59, tzinfo=CPH), dt.datetime(2023, 6, 2, 10, tzinfo=CPH)]
)
def test_an_interview_planned_beyond_two_years_ahead_is_refused(
    today, referred_case, alice, refused, when
):
    with refused(
        f"The interview cannot be later than {shown(2023, 6, 1)}.", code="implausible_date"
    ) as info:
        services.interview_plan(actor=alice, case=referred_case, planned_for=when)
    assert field_of(info) == ["planned_for"]


def test_an_interview_planned_at_the_calendars_start_is_refused(
    today, referred_case, alice, refused
):
    with refused(f"The interview cannot be before {shown(1900, 1, 1)}.", code="implausible_date"):
        services.interview_plan(
            actor=alice, case=referred_case, planned_for=dt.datetime(1, 1, 1, tzinfo=CPH)
        )


def test_support_on_9999_12_31_is_refused(today, identified_case, alice, refused):
    with refused(
        f"The start of the support cannot be later than {shown(2023, 6, 1)}.",
        code="implausible_date",
    ) as info:
        services.support_add(
            actor=alice,
            case=identified_case,
            kind=c.SupportType.MEDICAL,
            starts_on=dt.date(9999, 12, 31),
        )
    assert field_of(info) == ["starts_on"]


def test_support_planned_to_end_within_two_years_is_accepted(today, identified_case, alice):
    measure = services.support_add(
        actor=alice,
        case=identified_case,
        kind=c.SupportType.ACCOMMODATION,
        starts_on=dt.date(2021, 5, 1),
        ends_on=dt.date(2023, 5, 31),
    )

    assert measure.ends_on == dt.date(2023, 5, 31)


def test_a_decision_dated_before_1900_is_refused(today, interviewed_case, alice, refused):
    with refused(
        f"The decision date cannot be before {shown(1900, 1, 1)}.", code="implausible_date"
    ):
        services.assessment_decide(
            actor=alice,
            case=interviewed_case,
            decided_on=dt.date(1, 1, 1),
            deciding_authority=c.DecidingAuthority.IMMIGRATION,
            outcome=c.Outcome.NOT_IDENTIFIED,
        )


def test_a_period_of_exploitation_before_1900_is_refused(today, interviewed_case, alice, refused):
    with refused(
        f"The start of the exploitation cannot be before {shown(1900, 1, 1)}.",
        code="implausible_date",
    ) as info:
        services.assessment_decide(
            actor=alice,
            case=interviewed_case,
            decided_on=dt.date(2021, 3, 10),
            deciding_authority=c.DecidingAuthority.IMMIGRATION,
            outcome=c.Outcome.IDENTIFIED,
            forms=[c.ExploitationForm.SEXUAL],
            exploitation_from=dt.date(1, 1, 1),
        )
    assert field_of(info) == ["exploitation_from"]


def test_a_municipality_longer_than_its_column_is_refused(today, dave, police, refused):
    with refused("The municipality can be at most 100 characters long.", code="too_long") as info:
        services.case_refer(
            actor=dave,
            referring_organisation=police,
            **referral_kwargs(municipality="x" * 101),
        )
    assert field_of(info) == ["municipality"]


def test_a_follow_up_period_of_a_huge_number_of_months_is_refused(
    today, accepted_case, alice, refused
):
    with refused(
        "Reintegration follow-up lasts at most 6 months.", code="follow_up_months"
    ) as info:
        services.return_depart(
            actor=alice, case=accepted_case, departed_on=dt.date(2021, 4, 1), follow_up_months=2**63
        )
    assert field_of(info) == ["follow_up_months"]
