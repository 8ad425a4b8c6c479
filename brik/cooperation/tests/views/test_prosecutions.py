from django.urls import reverse

from brik.cases.tests.views.conftest import send
from brik.cooperation.models import ProsecutionCase
from brik.core import choices


def test_registering_a_prosecution_case(bob_client, police, today):
    response = send(
        bob_client,
        reverse("cooperation:prosecution_open"),
        {
            "police_district": police.pk,
            "police_case_number": "4100-1",
            "opened_on": "2021-05-01",
            "suspects": "2",
        },
    )
    prosecution = ProsecutionCase.objects.get()
    assert response.url == reverse("cooperation:prosecution", args=[prosecution.pk])


def test_a_number_already_registered_is_refused_next_to_the_field(
    bob_client, police, open_prosecution
):
    response = send(
        bob_client,
        reverse("cooperation:prosecution_open"),
        {
            "police_district": police.pk,
            "police_case_number": open_prosecution.police_case_number,
            "opened_on": "2021-05-01",
            "suspects": "2",
        },
    )
    assert response.status_code == 422
    assert 'id="id_police_case_number_error"' in response.content.decode()


def test_charging_then_recording_the_verdict(bob_client, open_prosecution):
    pk = open_prosecution.pk
    send(
        bob_client,
        reverse("cooperation:prosecution_charge", args=[pk]),
        {"charged_on": "2021-05-01", "charges": ["262a"], "persons_charged": "2"},
    )
    response = send(
        bob_client,
        reverse("cooperation:prosecution_verdict", args=[pk]),
        {"verdict_on": "2021-06-01", "verdict": "convicted", "persons_convicted": "1"},
    )
    open_prosecution.refresh_from_db()
    assert response.status_code == 302
    assert open_prosecution.status == choices.ProsecutionStatus.VERDICT


def test_a_verdict_before_a_charge_is_refused(bob_client, open_prosecution):
    response = send(
        bob_client,
        reverse("cooperation:prosecution_verdict", args=[open_prosecution.pk]),
        {"verdict_on": "2021-06-01", "verdict": "convicted", "persons_convicted": "1"},
    )
    assert response.status_code == 422
    assert "A verdict can only follow a charge" in response.content.decode()


def test_more_convicted_than_charged_is_refused_next_to_the_field(bob_client, charged_prosecution):
    response = send(
        bob_client,
        reverse("cooperation:prosecution_verdict", args=[charged_prosecution.pk]),
        {"verdict_on": "2021-06-01", "verdict": "convicted", "persons_convicted": "5"},
    )
    assert 'id="id_persons_convicted_error"' in response.content.decode()


def test_linking_a_victims_case(bob_client, open_prosecution, referred_case):
    send(
        bob_client,
        reverse("cooperation:prosecution_link", args=[open_prosecution.pk]),
        {"case": referred_case.code},
    )
    assert list(open_prosecution.victims.all()) == [referred_case]
    page = bob_client.get(reverse("cooperation:prosecution", args=[open_prosecution.pk]))
    assert referred_case.code in page.content.decode()


def test_dropping_a_case(bob_client, open_prosecution):
    send(
        bob_client,
        reverse("cooperation:prosecution_drop", args=[open_prosecution.pk]),
        {"dropped_on": "2021-06-01"},
    )
    open_prosecution.refresh_from_db()
    assert open_prosecution.status == choices.ProsecutionStatus.DROPPED
