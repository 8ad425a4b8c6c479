"""Absurd values typed into the cooperation forms: refused next to their field, never a 500."""

from django.urls import reverse

from brik.cases.tests.views.conftest import send
from brik.cooperation.models import OutreachLog, ProsecutionCase


def test_a_verdict_with_a_compensation_of_1e30_is_refused_next_to_the_field(
    bob_client, charged_prosecution
):
    response = send(
        bob_client,
        reverse("cooperation:prosecution_verdict", args=[charged_prosecution.pk]),
        {
            "verdict_on": "2021-06-01",
            "verdict": "convicted",
            "persons_convicted": "1",
            "compensation_dkk": "1e30",
        },
    )

    assert response.status_code == 422
    assert 'id="id_compensation_dkk_error"' in response.content.decode()
    charged_prosecution.refresh_from_db()
    assert charged_prosecution.verdict == ""


def test_an_outreach_count_of_2_147_483_648_is_refused_next_to_the_field(erin_client, today):
    response = send(
        erin_client,
        reverse("cooperation:outreach"),
        {
            "held_on": "2021-06-14",
            "place_type": "street",
            "region": "hovedstaden",
            "women": "2147483648",
            "men": "0",
            "trans": "0",
            "unknown": "0",
            "referrals_made": "0",
        },
    )

    assert response.status_code == 422
    assert 'id="id_women_error"' in response.content.decode()
    assert not OutreachLog.objects.exists()


def test_a_prosecution_opened_in_the_year_1_is_refused_next_to_the_field(bob_client, police, today):
    response = send(
        bob_client,
        reverse("cooperation:prosecution_open"),
        {
            "police_district": police.pk,
            "police_case_number": "4100-2",
            "opened_on": "0001-01-01",
            "suspects": "1",
        },
    )

    assert response.status_code == 422
    assert 'id="id_opened_on_error"' in response.content.decode()
    assert not ProsecutionCase.objects.exists()
