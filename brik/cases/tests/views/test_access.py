"""Who may open which page (the access policy is brik.accounts.permissions)."""

import pytest
from django.urls import reverse


@pytest.mark.parametrize("name", ["cases:my_work", "cases:list", "cases:refer", "cases:referrals"])
def test_every_page_asks_an_anonymous_visitor_to_log_in(client, db, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize("name", ["cases:my_work", "cases:list"])
def test_a_partner_referrer_cannot_open_the_centres_lists(dave_client, name):
    assert dave_client.get(reverse(name)).status_code == 403


def test_a_partner_referrer_cannot_open_a_case_page(dave_client, referred_case):
    assert dave_client.get(referred_case.get_absolute_url()).status_code == 403


def test_an_analyst_sees_the_case_list_but_not_the_case_page(carol_client, referred_case):
    assert carol_client.get(reverse("cases:list")).status_code == 200
    assert carol_client.get(referred_case.get_absolute_url()).status_code == 403


def test_an_analyst_cannot_register_a_referral(carol_client):
    assert carol_client.get(reverse("cases:refer")).status_code == 403


def test_an_analyst_sees_no_link_to_case_pages_in_the_list(carol_client, referred_case):
    page = carol_client.get(reverse("cases:list")).content.decode()
    assert referred_case.code in page
    assert referred_case.get_absolute_url() not in page


def test_a_partner_sees_their_own_organisations_referrals_only(
    dave_client, mallory_client, referred_case
):
    assert referred_case.code in dave_client.get(reverse("cases:referrals")).content.decode()
    assert referred_case.code not in mallory_client.get(reverse("cases:referrals")).content.decode()


def test_a_partner_sees_status_and_outcome_but_never_the_name(dave_client, identified_case):
    # With the person's consent to sharing (brik.cases.tests.views.test_partner_referral_consent).
    identified_case.referral.consent_to_share = True
    identified_case.referral.save(update_fields=["consent_to_share"])
    page = dave_client.get(reverse("cases:referrals")).content.decode()
    assert "Identified as victim" in page
    assert "Syntetisk" not in page


def test_a_step_on_a_case_is_refused_to_a_partner(dave_client, referred_case):
    url = reverse("cases:action", args=[referred_case.pk, "case_close"])
    assert dave_client.get(url).status_code == 403
    assert dave_client.post(url, {}).status_code == 403


def test_an_unknown_case_is_not_found(alice_client, db):
    assert alice_client.get(reverse("cases:detail", args=[999])).status_code == 404


def test_an_unknown_step_is_not_found(alice_client, referred_case):
    url = reverse("cases:action", args=[referred_case.pk, "teleport"])
    assert alice_client.get(url).status_code == 404
