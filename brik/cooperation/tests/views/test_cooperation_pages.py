import pytest
from django.urls import reverse


@pytest.mark.parametrize(
    "name",
    [
        "cooperation:index",
        "cooperation:joint_actions",
        "cooperation:joint_action_plan",
        "cooperation:outreach",
        "cooperation:prosecutions",
        "cooperation:prosecution_open",
    ],
)
def test_each_cooperation_page_renders_for_the_centre(bob_client, today, name):
    assert bob_client.get(reverse(name)).status_code == 200


@pytest.mark.parametrize(
    "name", ["cooperation:index", "cooperation:joint_actions", "cooperation:prosecutions"]
)
def test_a_partner_cannot_open_the_centres_cooperation_pages(dave_client, name):
    assert dave_client.get(reverse(name)).status_code == 403


def test_the_plans_page_says_when_there_is_no_plan(bob_client):
    response = bob_client.get(reverse("cooperation:plans"))
    assert "No action plan is registered yet" in response.content.decode()


def test_the_plans_page_opens_the_latest_plan(bob_client, plan):
    response = bob_client.get(reverse("cooperation:plans"))
    assert response.url == reverse("cooperation:plan", args=[plan.pk])
