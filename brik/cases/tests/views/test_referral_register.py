import datetime as dt
import re

import pytest
from django.urls import reverse

from brik.cases.models import Case, Person
from brik.cases.tests.views.conftest import send
from brik.core import choices as c

URL = reverse("cases:refer")


def referral(**overrides) -> dict:
    data = {
        "given_names": "Nova",
        "family_name": "Fiktiv",
        "date_of_birth": "1996-04-02",
        "gender": c.Gender.WOMAN,
        "citizenships": ["NG"],
        "languages": "English, Nigerian Pidgin",
        "referred_on": "2021-03-01",
        "channel": c.ReferralChannel.PARTNER,
        "urgency": c.Urgency.SOON,
        "indicators": [c.Indicator.DECEPTION, c.Indicator.DEBT_BONDAGE],
        "interpreter_language": "pcm",
        "consent_to_share": "on",
        "observations": "Met at a routine inspection.",
    }
    data.update(overrides)
    return data


def test_the_form_offers_the_centres_fields_to_a_caseworker(alice_client):
    page = alice_client.get(URL).content.decode()
    assert 'name="referring_organisation"' in page
    assert 'name="assigned_to"' in page
    assert 'type="date"' in page
    # The municipality suggests Denmark's 98 as one types, and takes any text.
    assert 'list="id_municipality-suggestions"' in page
    assert '<datalist id="id_municipality-suggestions">' in page
    suggestions = re.search(r'<datalist id="id_municipality-suggestions">(.*?)</datalist>', page)
    assert suggestions is not None
    assert suggestions.group(1).count("<option ") == 98
    assert '<option value="Aarhus"></option>' in suggestions.group(1)


def test_a_caseworker_registers_a_referral_for_a_new_person(alice_client, alice, police):
    response = send(
        alice_client,
        URL,
        referral(referring_organisation=police.pk, assigned_to=alice.pk),
    )
    case = Case.objects.get()
    assert response.status_code == 302
    assert response.url == case.get_absolute_url()
    assert case.assigned_to == alice
    assert case.referral.referring_organisation == police
    assert case.referral.indicators == ["deception", "debt_bondage"]
    assert case.referral.interpreter_language == "pcm"
    assert case.person.languages == ["eng", "pcm"]
    assert case.person.birth_year == 1996
    assert case.person.identity.family_name == "Fiktiv"
    assert [p.country for p in case.person.citizenships.all()] == ["NG"]


def test_a_partner_registers_for_their_own_organisation(dave_client, dave, police, other_police):
    response = send(dave_client, URL, referral(referring_organisation=other_police.pk))
    case = Case.objects.get()
    assert response.url == reverse("cases:referrals")
    assert case.referral.referring_organisation == police
    assert case.referral.referred_by == dave
    assert case.assigned_to is None


def test_the_partner_form_has_no_organisation_or_caseworker_fields(dave_client):
    page = dave_client.get(URL).content.decode()
    assert 'name="referring_organisation"' not in page
    assert 'name="assigned_to"' not in page


def test_a_future_referral_date_is_refused_next_to_the_field_and_input_kept(alice_client, police):
    response = send(
        alice_client, URL, referral(referring_organisation=police.pk, referred_on="2999-01-01")
    )
    page = response.content.decode()
    assert response.status_code == 422
    assert 'id="id_referred_on_error"' in page
    assert 'value="Fiktiv"' in page
    assert not Case.objects.exists()


def test_an_unknown_language_is_refused(alice_client, police):
    response = send(
        alice_client, URL, referral(referring_organisation=police.pk, languages="Klingonese")
    )
    assert response.status_code == 422
    assert "Unknown language: Klingonese" in response.content.decode()


def test_a_year_of_birth_that_contradicts_the_date_of_birth_is_refused(alice_client, police):
    response = send(
        alice_client, URL, referral(referring_organisation=police.pk, birth_year="1990")
    )
    assert response.status_code == 422
    assert 'id="id_birth_year_error"' in response.content.decode()


def test_a_form_sent_twice_creates_one_case(alice_client, police):
    data = referral(referring_organisation=police.pk)
    first = send(alice_client, URL, data, token="same-token")
    second = send(alice_client, URL, data, token="same-token")
    assert Case.objects.count() == 1
    assert second.status_code == 302
    assert second.url == first.url


def test_a_form_without_its_token_is_refused(alice_client, police):
    response = alice_client.post(URL, referral(referring_organisation=police.pk))
    assert response.status_code == 422
    assert "This form has expired" in response.content.decode()
    assert not Case.objects.exists()


@pytest.fixture
def known_person(alice_client, police):
    send(alice_client, URL, referral(referring_organisation=police.pk))
    return Person.objects.get()


def test_a_possible_match_is_shown_and_nothing_is_registered_yet(
    alice_client, police, known_person
):
    response = send(
        alice_client,
        URL,
        referral(referring_organisation=police.pk, given_names="NOVA", referred_on="2021-05-01"),
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Is this person already known?" in page
    assert known_person.code in page
    assert "same name, same date of birth, same gender, same citizenship" in page
    assert Case.objects.count() == 1


def test_a_different_date_of_birth_is_not_a_match(alice_client, police, known_person):
    response = send(
        alice_client,
        URL,
        referral(referring_organisation=police.pk, date_of_birth="1997-01-01"),
    )
    assert response.status_code == 302
    assert Person.objects.count() == 2


def test_a_match_with_an_open_case_cannot_be_chosen(alice_client, police, known_person):
    response = send(alice_client, URL, referral(referring_organisation=police.pk))
    page = response.content.decode()
    assert f'value="{known_person.pk}" disabled' in page
    assert "has an open case" in page


def test_choosing_the_known_person_opens_a_new_case_for_them(
    alice_client, alice, police, known_person
):
    case = known_person.cases.get()
    from brik.cases import services

    services.case_close(actor=alice, case=case, closed_on=dt.date(2021, 3, 2), reason="disappeared")
    response = send(
        alice_client,
        URL,
        referral(
            referring_organisation=police.pk,
            referred_on="2022-01-10",
            person_choice=str(known_person.pk),
            matches_shown="1",
        ),
    )
    second = known_person.cases.get(sequence=2)
    assert response.url == second.get_absolute_url()
    assert Person.objects.count() == 1
    assert second.code == f"{known_person.code}/2"


def test_choosing_a_new_person_registers_a_second_person(alice_client, police, known_person):
    # Another referral (another day) of someone matching the known person. The very
    # same input sent again within the hour is the same referral sent twice
    # (test_back_and_resend), whatever is chosen about the match.
    send(
        alice_client,
        URL,
        referral(
            referring_organisation=police.pk,
            referred_on="2021-03-02",
            person_choice="new",
            matches_shown="1",
        ),
    )
    assert Person.objects.count() == 2


def test_sending_the_match_question_without_an_answer_asks_again(
    alice_client, police, known_person
):
    response = send(
        alice_client, URL, referral(referring_organisation=police.pk, matches_shown="1")
    )
    assert "Choose one of the known persons" in response.content.decode()
    assert Case.objects.count() == 1


def test_a_partner_is_never_told_that_a_person_is_known(dave_client, known_person):
    response = send(dave_client, URL, referral())
    assert response.status_code == 302
    assert Person.objects.count() == 2


def test_the_language_search_answers_in_the_interface_language(alice_client):
    english = alice_client.get(reverse("cases:languages"), {"q": "thai"}).json()["results"]
    assert {"value": "tha", "text": "Thai"} in english
    alice_client.defaults["HTTP_ACCEPT_LANGUAGE"] = "da"
    danish = alice_client.get(reverse("cases:languages"), {"q": "thai"}).json()["results"]
    assert any(r["value"] == "tha" for r in danish)
