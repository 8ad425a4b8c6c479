"""Absurd counts, amounts and dates are refused by the cooperation services, naming the field."""

import datetime as dt
from decimal import Decimal

import pytest

from brik.cases.tests.formatting import shown
from brik.cooperation import services
from brik.core import choices


def field_of(info) -> list[str]:
    return sorted(info.value.error_dict)


def test_an_outreach_count_of_2_147_483_648_is_refused(today, erin, ngo, refused):
    with refused("Women cannot be more than 10,000.", code="implausible_count") as info:
        services.outreach_log_add(
            actor=erin,
            organisation=ngo,
            held_on=dt.date(2021, 6, 1),
            place_type=choices.PlaceType.STREET,
            region=choices.Region.HOVEDSTADEN,
            women=2_147_483_648,
        )
    assert field_of(info) == ["women"]


def test_an_outreach_round_dated_before_1900_is_refused(today, erin, ngo, refused):
    with refused(
        f"The outreach date cannot be before {shown(1900, 1, 1)}.", code="implausible_date"
    ) as info:
        services.outreach_log_add(
            actor=erin,
            organisation=ngo,
            held_on=dt.date(1, 1, 1),
            place_type=choices.PlaceType.STREET,
            region=choices.Region.HOVEDSTADEN,
            women=1,
        )
    assert field_of(info) == ["held_on"]


def test_a_correction_to_a_huge_count_is_refused(outreach_log, erin, refused):
    with refused("Men cannot be more than 10,000.", code="implausible_count"):
        services.outreach_log_correct(actor=erin, log=outreach_log, reason="typo", men=10**30)


@pytest.mark.parametrize("compensation", ["1e30", Decimal("1e30"), 10**12, "10000000000.00"])
def test_a_compensation_beyond_what_the_column_holds_is_refused(
    charged_prosecution, bob, refused, compensation
):
    with refused(
        "Compensation cannot be more than 9,999,999,999.99.", code="above_maximum"
    ) as info:
        services.prosecution_record_verdict(
            actor=bob,
            prosecution=charged_prosecution,
            verdict_on=dt.date(2021, 6, 1),
            verdict=choices.Verdict.CONVICTED,
            persons_convicted=1,
            compensation_dkk=compensation,
        )
    assert field_of(info) == ["compensation_dkk"]


@pytest.mark.parametrize("compensation", ["NaN", "-inf", "lots"])
def test_a_compensation_that_is_no_number_is_refused(
    charged_prosecution, bob, refused, compensation
):
    with refused("Compensation must be a number.", code="invalid_number"):
        services.prosecution_record_verdict(
            actor=bob,
            prosecution=charged_prosecution,
            verdict_on=dt.date(2021, 6, 1),
            verdict=choices.Verdict.CONVICTED,
            persons_convicted=1,
            compensation_dkk=compensation,
        )


def test_a_joint_action_on_9999_12_31_is_refused(today, bob, police, refused):
    with refused(
        f"The date cannot be later than {shown(2023, 6, 15)}.", code="implausible_date"
    ) as info:
        services.joint_action_plan(
            actor=bob,
            title="Byggepladser",
            planned_for=dt.date(9999, 12, 31),
            region=choices.Region.MIDTJYLLAND,
            sector=choices.Sector.CONSTRUCTION,
            lead_organisation=police,
        )
    assert field_of(info) == ["planned_for"]


def test_a_huge_number_of_persons_met_is_refused(planned_action, bob, refused):
    with refused("Persons met cannot be more than 10,000.", code="implausible_count") as info:
        services.joint_action_record_outcome(
            actor=bob, action=planned_action, persons_met=2**63, persons_referred=1
        )
    assert field_of(info) == ["persons_met"]


def test_a_huge_number_of_suspects_is_refused(today, dave, police, refused):
    with refused("Suspects cannot be more than 1,000.", code="implausible_count"):
        services.prosecution_open(
            actor=dave,
            police_district=police,
            police_case_number="4100-9",
            opened_on=dt.date(2021, 5, 1),
            suspects=2**31,
        )


def test_an_action_plan_of_the_year_99999_is_refused(today, frank, refused):
    with refused("The last year cannot be more than 2031.", code="implausible_count"):
        services.action_plan_create(
            actor=frank, number=7, title="Handlingsplan", starts_year=2026, ends_year=99999
        )
