"""Absurd dates typed into the case forms: refused next to their field, never a 500."""

from django.urls import reverse

from brik.cases.models import Case, Interview
from brik.cases.tests.views.conftest import send


def _referral(**overrides):
    data = {
        "gender": "woman",
        "referred_on": "2021-03-01",
        "channel": "partner",
        "urgency": "routine",
    }
    data.update(overrides)
    return data


def test_a_referral_dated_0001_01_01_is_refused_next_to_the_field(dave_client):
    response = send(dave_client, reverse("cases:refer"), _referral(referred_on="0001-01-01"))

    assert response.status_code == 422
    assert response.context["form"].errors["referred_on"]
    assert not Case.objects.exists()


def test_a_referral_dated_1850_is_refused_next_to_the_field(dave_client):
    response = send(dave_client, reverse("cases:refer"), _referral(referred_on="1850-06-01"))

    assert response.status_code == 422
    assert response.context["form"].errors["referred_on"]


def test_a_year_of_birth_in_the_future_is_refused_next_to_the_field(dave_client):
    response = send(dave_client, reverse("cases:refer"), _referral(birth_year="99999"))

    assert response.status_code == 422
    assert response.context["form"].errors["birth_year"]


def test_an_interview_held_on_9999_12_31_is_refused_next_to_the_field(alice_client, referred_case):
    response = send(
        alice_client,
        reverse("cases:action", args=[referred_case.pk, "interview_record"]),
        {"held_on": "9999-12-31"},
    )

    assert response.status_code == 422
    assert response.context["form"].errors["held_on"]
    assert not Interview.objects.exists()


def test_an_interview_planned_for_9999_12_31_is_refused_next_to_the_field(
    alice_client, referred_case
):
    response = send(
        alice_client,
        reverse("cases:action", args=[referred_case.pk, "interview_plan"]),
        {"planned_for": "9999-12-31T23:59"},
    )

    assert response.status_code == 422
    assert response.context["form"].errors["planned_for"]


def test_support_from_9999_12_31_is_refused_next_to_the_field(alice_client, identified_case):
    response = send(
        alice_client,
        reverse("cases:action", args=[identified_case.pk, "support_add"]),
        {"kind": "medical", "starts_on": "9999-12-31"},
    )

    assert response.status_code == 422
    assert response.context["form"].errors["starts_on"]
