"""A one-time form token of any length or shape is refused clearly, never with a 500.

On PostgreSQL the token's column holds 64 characters: a longer token used to
reach the database and fail there. Brik makes its tokens itself, so anything
else is refused before, and the form comes back with a fresh token.
"""

import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from brik.cases.tests.views.conftest import login
from brik.core.models import FormSubmission
from brik.core.selectors import form_submission_result
from brik.core.services import form_submission_claim

BAD_TOKENS = ["x" * 65, "x" * 5000, "with space and more text", "a\x00b" * 8, "ø" * 32, "<>"]
MESSAGE = "This form has expired or was damaged. Please send it again."


def fresh_token(body: str) -> str:
    return re.search(r'name="form_token" value="([^"]+)"', body).group(1)


@pytest.mark.parametrize("token", BAD_TOKENS)
def test_a_case_step_with_a_bad_token_is_refused_with_a_new_token(alice, referred_case, token):
    client = login(alice)
    url = reverse("cases:action", args=[referred_case.pk, "case_assign"])

    response = client.post(url, {"form_token": token, "caseworker": alice.pk})

    assert response.status_code == 422
    body = response.content.decode()
    assert MESSAGE in body
    assert fresh_token(body) != token
    assert not FormSubmission.objects.exists()


@pytest.mark.parametrize("token", BAD_TOKENS)
def test_a_referral_with_a_bad_token_is_refused(dave, token):
    client = login(dave)

    response = client.post(
        reverse("cases:refer"), {"form_token": token, "referred_on": "2021-03-01"}
    )

    assert response.status_code == 422
    assert MESSAGE in response.content.decode()


def test_the_new_token_lets_the_form_be_sent(alice, referred_case, bob):
    client = login(alice)
    url = reverse("cases:action", args=[referred_case.pk, "case_assign"])
    refused = client.post(url, {"form_token": "x" * 65, "caseworker": bob.pk})

    response = client.post(
        url, {"form_token": fresh_token(refused.content.decode()), "caseworker": bob.pk}
    )

    assert response.status_code == 302
    referred_case.refresh_from_db()
    assert referred_case.assigned_to == bob


@pytest.mark.django_db
@pytest.mark.parametrize("token", BAD_TOKENS)
def test_the_service_and_the_selector_refuse_a_token_brik_did_not_make(alice, token):
    assert form_submission_result(token=token) is None
    with pytest.raises(ValidationError) as info:
        form_submission_claim(token=token, user=alice)
    assert info.value.messages == [MESSAGE]
    assert not FormSubmission.objects.exists()
