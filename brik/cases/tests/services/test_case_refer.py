import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from brik.cases import services
from brik.cases.models import Case, Person, PersonCitizenship, PersonIdentity, Referral
from brik.cases.services import referral as referral_services
from brik.cases.tests.formatting import shown
from brik.core import choices as c
from brik.core.errors import TransitionError
from brik.testing.factories import referral_kwargs


def refer(actor, organisation, **overrides):
    return services.case_refer(
        actor=actor, referring_organisation=organisation, **referral_kwargs(**overrides)
    )


def test_it_opens_a_case_for_a_new_person(dave, police, alice, logged):
    case = refer(
        dave,
        police,
        assigned_to=alice,
        languages=["eng", "yor"],
        channel=c.ReferralChannel.JOINT_ACTION,
        police_district=police,
        municipality="Aarhus",
        indicators=[c.Indicator.DECEPTION, c.Indicator.RETENTION_OF_DOCUMENTS],
        urgency=c.Urgency.URGENT,
        interpreter_language="eng",
        consent_to_share=True,
    )

    case.refresh_from_db()
    assert case.code == "BRK-2021-0001"
    assert (case.sequence, case.status, case.referred_on) == (
        1,
        c.CaseStatus.REFERRED,
        dt.date(2021, 3, 1),
    )
    assert case.assigned_to == alice
    assert case.decided_on is None
    person = case.person
    assert (person.gender, person.birth_year, person.languages) == (
        c.Gender.WOMAN,
        1995,
        ["eng", "yor"],
    )
    assert list(person.citizenships.values_list("country", flat=True)) == ["NG"]
    assert person.identity.full_name == "Testa Syntetisk"
    referral = case.referral
    assert referral.referring_organisation == police
    assert referral.referred_by == dave
    assert referral.channel == c.ReferralChannel.JOINT_ACTION
    assert referral.indicators == ["deception", "retention_of_documents"]
    assert referral.urgency == c.Urgency.URGENT
    assert referral.consent_to_share is True
    row = logged("brik.case.referred", actor=dave, case=case, obj=case)
    assert row.data["new_person"] is True
    assert row.data["referred_on"] == "2021-03-01"
    assert row.data["referral"] == referral.pk


def test_it_stores_codes_in_their_canonical_case_once_each(dave, police):
    case = refer(dave, police, citizenships=["ng", " dk", "NG"], languages=["ENG", "eng"])

    assert list(case.person.citizenships.order_by("country").values_list("country", flat=True)) == [
        "DK",
        "NG",
    ]
    assert case.person.languages == ["eng"]


def test_it_accepts_a_referral_dated_today(dave, police, today):
    case = refer(dave, police, referred_on=dt.date(2021, 6, 1))

    assert case.referred_on == dt.date(2021, 6, 1)


def test_it_refuses_a_referral_dated_in_the_future(dave, police, today, refused):
    with refused("The referral date cannot be in the future.", code="future_date"):
        refer(dave, police, referred_on=dt.date(2021, 6, 2))


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"gender": "female"}, "Unknown gender."),
        ({"channel": "fax"}, "Unknown channel: fax."),
        ({"urgency": "yesterday"}, "Unknown urgency: yesterday."),
        ({"indicators": ["deception", "telepathy"]}, "Unknown indicator: telepathy."),
    ],
)
def test_it_refuses_unknown_choices(dave, police, refused, overrides, message):
    with refused(message):
        refer(dave, police, **overrides)


@pytest.mark.parametrize("code", ["XX", "DNK", "D"])
def test_it_refuses_a_citizenship_that_is_not_an_iso_country_code(dave, police, refused, code):
    with refused(f"{code} is not an ISO 3166 country code."):
        refer(dave, police, citizenships=["NG", code])


@pytest.mark.parametrize("field", ["languages", "interpreter_language"])
def test_it_refuses_a_language_that_is_not_iso_639_3(dave, police, refused, field):
    value = ["da"] if field == "languages" else "da"
    with refused("da is not an ISO 639-3 language code."):
        refer(dave, police, **{field: value})


@pytest.mark.parametrize("birth_year", [1899, 2022])
def test_it_refuses_an_implausible_year_of_birth(dave, police, refused, birth_year):
    with refused("The year of birth is not plausible.", code="birth_year"):
        refer(dave, police, birth_year=birth_year)


def test_it_refuses_a_police_district_that_is_not_the_police(dave, police, ngo, refused):
    with refused("Reden København is not a police district.", code="not_police"):
        refer(dave, police, police_district=ngo)


@pytest.mark.parametrize("username", ["dave", "frank"])
def test_it_refuses_a_contact_person_outside_the_centre_staff(
    dave, frank, police, refused, username
):
    user = {"dave": dave, "frank": frank}[username]
    with refused(
        f"{user} cannot be the contact person: only the centre's active staff can.",
        code="not_centre_staff",
    ):
        refer(dave, police, assigned_to=user)


def test_it_refuses_unknown_identity_fields(dave, police, refused):
    with refused("Unknown identity fields: nickname, shoe_size"):
        refer(dave, police, identity={"shoe_size": "38", "nickname": "T", "family_name": "S"})


def test_it_creates_no_person_when_the_identity_is_invalid(dave, police):
    with pytest.raises(ValidationError) as info:
        refer(dave, police, identity={"email": "not an address"})

    assert "email" in info.value.message_dict
    assert not Person.objects.exists()
    assert not PersonIdentity.objects.exists()
    assert not PersonCitizenship.objects.exists()


def test_it_opens_a_second_passage_after_the_first_is_closed(closed_case, dave, police, logged):
    case = services.case_refer(
        actor=dave,
        referring_organisation=police,
        person=closed_case.person,
        referred_on=dt.date(2022, 2, 1),
    )

    assert case.person == closed_case.person
    assert case.sequence == 2
    assert case.code == "BRK-2021-0001/2"
    assert case.status == c.CaseStatus.REFERRED
    assert Person.objects.count() == 1
    assert PersonIdentity.objects.count() == 1
    assert logged("brik.case.referred", actor=dave, case=case).data["new_person"] is False


def test_it_allows_the_new_referral_on_the_day_the_previous_case_closed(closed_case, dave, police):
    case = services.case_refer(
        actor=dave,
        referring_organisation=police,
        person=closed_case.person,
        referred_on=closed_case.closed_on,
    )

    assert case.sequence == 2


def test_it_refuses_a_second_passage_that_overlaps_the_first(closed_case, dave, police, refused):
    with refused(
        f"A new referral cannot precede the closing of the previous case ({shown(2021, 3, 20)}).",
        code="date_order",
    ):
        services.case_refer(
            actor=dave,
            referring_organisation=police,
            person=closed_case.person,
            referred_on=dt.date(2021, 3, 19),
        )


def test_it_refuses_a_second_open_case_for_the_same_person(referred_case, dave, police, refused):
    with refused(
        "BRK-2021-0001 already has an open case. Add to that case instead.",
        error=TransitionError,
        code="open_case_exists",
    ):
        services.case_refer(
            actor=dave,
            referring_organisation=police,
            person=referred_case.person,
            referred_on=dt.date(2021, 3, 2),
        )


def test_a_double_submitted_referral_of_a_known_person_opens_one_case(
    closed_case, dave, police, refused
):
    submit = {
        "actor": dave,
        "referring_organisation": police,
        "person": closed_case.person,
        "referred_on": dt.date(2022, 2, 1),
    }
    services.case_refer(**submit)

    with refused(
        "BRK-2021-0001 already has an open case. Add to that case instead.",
        error=TransitionError,
    ):
        services.case_refer(**submit)

    assert Case.objects.filter(person=closed_case.person).count() == 2
    assert Referral.objects.count() == 2


def test_person_codes_are_sequential_within_the_year_of_referral(dave, police):
    codes = [refer(dave, police, identity={}).code for _ in range(3)]

    assert codes == ["BRK-2021-0001", "BRK-2021-0002", "BRK-2021-0003"]


def test_person_codes_restart_at_one_in_a_new_year(dave, police):
    refer(dave, police, referred_on=dt.date(2021, 12, 31))
    refer(dave, police, referred_on=dt.date(2021, 12, 31))

    case = refer(dave, police, referred_on=dt.date(2022, 1, 1))

    assert case.code == "BRK-2022-0001"


def test_a_late_registered_referral_takes_the_next_code_of_its_own_year(dave, police):
    refer(dave, police, referred_on=dt.date(2022, 1, 5))

    case = refer(dave, police, referred_on=dt.date(2021, 12, 20))

    assert case.code == "BRK-2021-0001"


def test_the_ten_thousandth_person_of_a_year_and_the_next_get_codes(dave, police):
    """Codes are numbered from 0001; the 10,000th of a year is BRK-2021-10000, which sorts
    before BRK-2021-9999 as text: the next number is the largest as a number, not the
    last code in alphabetical order (that drew 10000 again, five times, and refused)."""
    Person.objects.create(code="BRK-2021-9999")
    Person.objects.create(code="BRK-2021-10000")

    assert refer(dave, police, identity={}).code == "BRK-2021-10001"
    assert refer(dave, police, identity={}).code == "BRK-2021-10002"


def test_it_draws_the_next_code_when_another_referral_took_the_same_one(dave, police, monkeypatch):
    # Two referrals registered at the same moment both read "0001 is next";
    # the loser's insert hits the unique code and must draw again.
    first = refer(dave, police, identity={})
    real_next_code = referral_services._next_person_code
    drawn = iter(["BRK-2021-0001"])
    monkeypatch.setattr(
        referral_services,
        "_next_person_code",
        lambda year: next(drawn, None) or real_next_code(year),
    )

    second = refer(dave, police, identity={})

    assert first.code == "BRK-2021-0001"
    assert second.code == "BRK-2021-0002"
    assert Person.objects.count() == 2


def test_a_referral_from_a_cancelled_or_later_joint_action_is_refused(dave, police, alice):
    from brik.cooperation import services as coop

    action = coop.joint_action_plan(
        actor=alice,
        title="Byggepladser Aarhus",
        planned_for=dt.date(2021, 3, 5),
        region=c.Region.MIDTJYLLAND,
        sector=c.Sector.CONSTRUCTION,
        lead_organisation=police,
        participants=[police],
    )
    with pytest.raises(ValidationError):
        services.case_refer(
            actor=dave, referring_organisation=police, joint_action=action, **referral_kwargs()
        )
    coop.joint_action_cancel(actor=alice, action=action)
    with pytest.raises(TransitionError):
        services.case_refer(
            actor=dave,
            referring_organisation=police,
            joint_action=action,
            **referral_kwargs(referred_on=dt.date(2021, 3, 6)),
        )
    assert not Case.objects.exists()


@pytest.mark.parametrize(
    ("typed", "stored"),
    [("aarhus kommune", "Aarhus"), ("Københavns Kommune", "København"), ("Kiel", "Kiel")],
)
def test_a_recognised_municipality_is_stored_in_its_official_spelling(dave, police, typed, stored):
    case = refer(dave, police, municipality=typed)
    assert Referral.objects.get(case=case).municipality == stored
