import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from brik.cases import services
from brik.cases.tests.formatting import shown
from brik.core import choices as c
from brik.core.errors import TransitionError


def decide(case, actor, **overrides):
    values = {
        "decided_on": dt.date(2021, 3, 10),
        "deciding_authority": c.DecidingAuthority.IMMIGRATION,
        "outcome": c.Outcome.IDENTIFIED,
        "forms": [c.ExploitationForm.SEXUAL],
    }
    values.update(overrides)
    return services.assessment_decide(actor=actor, case=case, **values)


def test_it_records_an_identification(interviewed_case, alice, logged):
    assessment = decide(
        interviewed_case,
        alice,
        forms=[c.ExploitationForm.SEXUAL, c.ExploitationForm.CRIMINAL],
        sexual_exploitation_type=c.SexualExploitationType.PROSTITUTION,
        labour_sector=c.LabourSector.I,
        means_of_control=[c.MeansOfControl.DEBT_BONDAGE, c.MeansOfControl.WITHHOLDS_DOCUMENTS],
        countries_of_exploitation=["dk", "SE", "DK"],
        exploitation_from=dt.date(2020, 5, 1),
        exploitation_to=dt.date(2021, 2, 1),
        notes="Synthetic reasons.",
    )

    assessment.refresh_from_db()
    assert assessment.outcome == c.Outcome.IDENTIFIED
    assert assessment.trafficking_status == c.TraffickingStatus.ACTUAL
    assert assessment.decided_by == alice
    assert assessment.deciding_authority == c.DecidingAuthority.IMMIGRATION
    assert sorted(assessment.forms.values_list("form", flat=True)) == ["criminal", "sexual"]
    assert assessment.means_of_control == ["debt_bondage", "withholds_documents"]
    assert assessment.countries_of_exploitation == ["DK", "SE"]
    assert (assessment.sexual_exploitation_type, assessment.labour_sector) == ("prostitution", "I")
    interviewed_case.refresh_from_db()
    assert interviewed_case.status == c.CaseStatus.IDENTIFIED
    assert interviewed_case.decided_on == dt.date(2021, 3, 10)
    assert interviewed_case.outcome == c.Outcome.IDENTIFIED
    row = logged("brik.assessment.decided", actor=alice, case=interviewed_case, obj=assessment)
    assert row.data == {
        "decided_on": "2021-03-10",
        "deciding_authority": "immigration",
        "outcome": "identified",
        "forms": ["sexual", "criminal"],
    }


def test_it_records_that_a_person_was_not_identified(interviewed_case, bob):
    assessment = decide(
        interviewed_case,
        bob,
        outcome=c.Outcome.NOT_IDENTIFIED,
        deciding_authority=c.DecidingAuthority.CENTRE,
        forms=[],
    )

    assert assessment.trafficking_status == c.TraffickingStatus.NOT_VICTIM
    assert not assessment.forms.exists()
    interviewed_case.refresh_from_db()
    assert interviewed_case.status == c.CaseStatus.NOT_IDENTIFIED
    assert interviewed_case.outcome == c.Outcome.NOT_IDENTIFIED


def test_it_allows_the_decision_on_the_day_of_the_last_interview(interviewed_case, alice):
    decide(interviewed_case, alice, decided_on=dt.date(2021, 3, 5))

    interviewed_case.refresh_from_db()
    assert interviewed_case.decided_on == dt.date(2021, 3, 5)


def test_it_refuses_to_decide_twice(identified_case, alice, refused):
    with refused(
        "This step is not possible while the case is “Assessed: identified”.",
        error=TransitionError,
        code="invalid_transition",
    ):
        decide(identified_case, alice, outcome=c.Outcome.NOT_IDENTIFIED, forms=[])


def test_it_refuses_to_decide_a_closed_case(closed_case, alice, refused):
    with refused("This step is not possible while the case is “Closed”.", error=TransitionError):
        decide(closed_case, alice, decided_on=dt.date(2021, 3, 21))


def test_it_refuses_a_decision_dated_in_the_future(interviewed_case, alice, today, refused):
    with refused("The decision date cannot be in the future.", code="future_date"):
        decide(interviewed_case, alice, decided_on=dt.date(2021, 6, 2))


def test_it_refuses_a_decision_before_the_referral(referred_case, alice, refused):
    with refused(
        f"A decision cannot precede the referral ({shown(2021, 3, 1)}).", code="date_order"
    ):
        decide(referred_case, alice, decided_on=dt.date(2021, 2, 28))


def test_it_refuses_a_decision_before_the_last_interview(interviewed_case, alice, refused):
    with refused(
        f"A decision cannot precede the last interview ({shown(2021, 3, 5)}).", code="date_order"
    ):
        decide(interviewed_case, alice, decided_on=dt.date(2021, 3, 4))


def test_it_refuses_a_decision_while_an_interview_is_still_planned(
    interviewed_case, alice, refused
):
    services.interview_plan(
        actor=alice,
        case=interviewed_case,
        planned_for=dt.datetime(2021, 3, 12, 10, tzinfo=ZoneInfo("Europe/Copenhagen")),
    )

    with refused(
        "An interview is still planned: record or cancel it before the decision.",
        error=TransitionError,
        code="interview_planned",
    ):
        decide(interviewed_case, alice)


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"deciding_authority": "police"}, "Unknown deciding authority: police."),
        ({"outcome": "maybe"}, "Unknown outcome: maybe."),
        ({"forms": ["sexual", "tax_fraud"]}, "Unknown form of exploitation: tax_fraud."),
        ({"means_of_control": ["charm"]}, "Unknown means of control: charm."),
        ({"sexual_exploitation_type": "dancing"}, "Unknown type of sexual exploitation: dancing."),
        ({"labour_sector": "Z"}, "Unknown labour sector: Z."),
    ],
)
def test_it_refuses_unknown_choices(interviewed_case, alice, refused, overrides, message):
    with refused(message, code="invalid_choice"):
        decide(interviewed_case, alice, **overrides)


@pytest.mark.parametrize("code", ["XX", "DNK"])
def test_it_refuses_a_country_of_exploitation_that_is_not_an_iso_code(
    interviewed_case, alice, refused, code
):
    with refused(f"{code} is not an ISO 3166 country code."):
        decide(interviewed_case, alice, countries_of_exploitation=["DK", code])


def test_it_refuses_an_identification_without_a_form_of_exploitation(
    interviewed_case, alice, refused
):
    with refused(
        "Choose at least one form of exploitation (or “not determined”).", code="forms_required"
    ):
        decide(interviewed_case, alice, forms=[])


def test_it_refuses_a_type_of_sexual_exploitation_without_that_form(
    interviewed_case, alice, refused
):
    with refused(
        "A type of sexual exploitation needs the form “sexual exploitation”.",
        code="form_mismatch",
    ):
        decide(
            interviewed_case,
            alice,
            forms=[c.ExploitationForm.FORCED_LABOUR],
            sexual_exploitation_type=c.SexualExploitationType.PORNOGRAPHY,
        )


def test_it_refuses_a_period_of_exploitation_that_ends_before_it_starts(
    interviewed_case, alice, refused
):
    with refused("The period of exploitation ends before it starts.", code="date_order"):
        decide(
            interviewed_case,
            alice,
            exploitation_from=dt.date(2020, 5, 1),
            exploitation_to=dt.date(2020, 4, 30),
        )


@pytest.mark.parametrize("field", ["exploitation_from", "exploitation_to"])
def test_it_refuses_a_period_of_exploitation_after_the_decision(
    interviewed_case, alice, refused, field
):
    with refused("The period of exploitation cannot be after the decision.", code="date_order"):
        decide(interviewed_case, alice, **{field: dt.date(2021, 3, 11)})
