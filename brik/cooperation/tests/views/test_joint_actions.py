import datetime as dt

from django.urls import reverse

from brik.cases.tests.views.conftest import send
from brik.cooperation.models import JointAction
from brik.core import choices


def test_planning_an_action(bob_client, today, police, tax):
    response = send(
        bob_client,
        reverse("cooperation:joint_action_plan"),
        {
            "title": "Landbrug Fyn",
            "planned_for": "2021-07-01",
            "region": choices.Region.SYDDANMARK,
            "sector": choices.Sector.AGRICULTURE,
            "lead_organisation": police.pk,
            "participants": [tax.pk],
        },
    )
    action = JointAction.objects.get()
    assert response.url == reverse("cooperation:joint_action", args=[action.pk])
    assert set(action.participants.all()) == {police, tax}


def test_a_plan_without_a_title_is_refused_next_to_the_field(bob_client, today, police):
    response = send(
        bob_client,
        reverse("cooperation:joint_action_plan"),
        {
            "planned_for": "2021-07-01",
            "region": "sjaelland",
            "sector": "cleaning",
            "lead_organisation": police.pk,
        },
    )
    assert response.status_code == 422
    assert 'id="id_title_error"' in response.content.decode()


def test_recording_the_outcome(bob_client, planned_action):
    url = reverse("cooperation:joint_action_outcome", args=[planned_action.pk])
    response = send(bob_client, url, {"persons_met": "12", "persons_referred": "2"})
    planned_action.refresh_from_db()
    assert response.status_code == 302
    assert planned_action.status == choices.JointActionStatus.HELD
    assert planned_action.persons_met == 12


def test_more_referred_than_met_is_refused_next_to_the_field(bob_client, planned_action):
    url = reverse("cooperation:joint_action_outcome", args=[planned_action.pk])
    response = send(bob_client, url, {"persons_met": "2", "persons_referred": "3"})
    page = response.content.decode()
    assert response.status_code == 422
    assert 'id="id_persons_referred_error"' in page
    assert 'value="3"' in page


def test_an_action_held_cannot_be_recorded_again(bob_client, held_action):
    page = bob_client.get(reverse("cooperation:joint_action", args=[held_action.pk])).content
    assert b"Record the outcome" not in page
    url = reverse("cooperation:joint_action_outcome", args=[held_action.pk])
    response = send(bob_client, url, {"persons_met": "12", "persons_referred": "2"})
    assert response.status_code == 422
    assert "Only a planned action can be recorded as held" in response.content.decode()


def test_linking_and_unlinking_a_referral(bob_client, held_action, referred_case, today):
    today(dt.date(2021, 6, 15))
    link = reverse("cooperation:joint_action_link", args=[held_action.pk])
    response = send(bob_client, link, {"case": referred_case.code.lower()})
    referred_case.referral.refresh_from_db()
    assert response.status_code == 302
    assert referred_case.referral.joint_action == held_action
    page = bob_client.get(reverse("cooperation:joint_action", args=[held_action.pk])).content
    assert referred_case.code.encode() in page
    unlink = reverse("cooperation:joint_action_unlink", args=[held_action.pk])
    send(bob_client, unlink, {"case": referred_case.pk})
    referred_case.referral.refresh_from_db()
    assert referred_case.referral.joint_action is None


def test_an_unknown_case_code_is_refused(bob_client, held_action):
    link = reverse("cooperation:joint_action_link", args=[held_action.pk])
    response = send(bob_client, link, {"case": "BRK-1999-9999"})
    assert response.status_code == 422
    assert "There is no case BRK-1999-9999." in response.content.decode()


def test_cancelling_a_planned_action(bob_client, planned_action):
    url = reverse("cooperation:joint_action_cancel", args=[planned_action.pk])
    send(bob_client, url, {"reason": "Weather"})
    planned_action.refresh_from_db()
    assert planned_action.status == choices.JointActionStatus.CANCELLED


def test_the_list_shows_linked_referrals(bob_client, held_action):
    page = bob_client.get(reverse("cooperation:joint_actions")).content.decode()
    assert "Byggepladser Aarhus" in page
