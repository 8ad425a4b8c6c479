"""The back button, then "send": never a second record (BRK-2026-0007 and 0008).

Why it happened: every rendering of a form carries a new one-time token, and
pages for a logged-in person are no-store, so the back button fetches the form
again, with a new token, and the browser fills in what had been typed. The
token alone could not tell it was the same entry. Now the submission's keyed
fingerprint (who, where, every value but the tokens) is kept with the token,
and the same input to the same form within BRIK_RESUBMIT_MINUTES is saved once,
for every form sent through brik.core.views.submit_once.
"""

import datetime as dt
import re

import time_machine
from django.urls import reverse

from brik.cases.models import Case, SupportMeasure
from brik.cases.tests.views.test_referral_register import referral
from brik.core.models import FormSubmission

URL = reverse("cases:refer")


def fresh_token(client, url) -> str:
    """What the back button gets: the form fetched again, with a new token."""
    page = client.get(url).content.decode()
    return re.search(r'name="form_token" value="([^"]+)"', page).group(1)


def test_a_partners_referral_sent_again_after_the_back_button_is_registered_once(dave_client):
    data = referral()
    first = dave_client.post(URL, {**data, "form_token": fresh_token(dave_client, URL)})
    assert first.status_code == 302
    again = dave_client.post(URL, {**data, "form_token": fresh_token(dave_client, URL)})
    assert Case.objects.count() == 1
    assert again.status_code == 302
    assert again.url == first.url
    page = dave_client.get(again.url).content.decode()
    assert "already been sent" in page


def test_a_caseworkers_referral_sent_again_is_registered_once_even_past_the_match(
    alice_client, police
):
    data = referral(referring_organisation=police.pk)
    alice_client.post(URL, {**data, "form_token": fresh_token(alice_client, URL)})
    token = fresh_token(alice_client, URL)
    # The person just registered shows as a possible match; "a new person" is chosen.
    shown = alice_client.post(URL, {**data, "form_token": token})
    assert "a new person" in shown.content.decode()
    alice_client.post(
        URL, {**data, "form_token": token, "person_choice": "new", "matches_shown": "1"}
    )
    assert Case.objects.count() == 1


def test_a_different_referral_is_registered(dave_client):
    dave_client.post(URL, {**referral(), "form_token": fresh_token(dave_client, URL)})
    dave_client.post(
        URL,
        {
            **referral(given_names="Anden", family_name="Person"),
            "form_token": fresh_token(dave_client, URL),
        },
    )
    assert Case.objects.count() == 2


def test_a_step_sent_again_after_the_back_button_is_done_once(alice_client, identified_case):
    url = reverse("cases:action", kwargs={"pk": identified_case.pk, "action": "support_add"})
    data = {"kind": "accommodation", "starts_on": "2021-03-12", "provider": ""}
    for _ in range(2):
        response = alice_client.post(url, {**data, "form_token": fresh_token(alice_client, url)})
        assert response.status_code == 302, response.content.decode()[:2000]
    assert SupportMeasure.objects.filter(case=identified_case).count() == 1


def test_the_same_input_an_hour_later_is_a_new_entry(dave_client):
    start = dt.datetime(2021, 3, 2, 9, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False):
        dave_client.post(URL, {**referral(), "form_token": fresh_token(dave_client, URL)})
    with time_machine.travel(start + dt.timedelta(minutes=61), tick=False):
        # Past BRIK_RESUBMIT_MINUTES the same input is a new entry (a partner's second
        # referral of someone; the centre decides whether it is the same person).
        dave_client.post(URL, {**referral(), "form_token": fresh_token(dave_client, URL)})
    assert FormSubmission.objects.count() == 2


def test_the_fingerprint_is_keyed_and_holds_no_input(dave_client):
    dave_client.post(URL, {**referral(), "form_token": fresh_token(dave_client, URL)})
    stored = FormSubmission.objects.get().fingerprint
    assert re.fullmatch(r"[0-9a-f]{64}", stored)
    assert "Nova" not in stored
