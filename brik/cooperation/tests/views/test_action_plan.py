from django.urls import reverse

from brik.cases.tests.views.conftest import send
from brik.cooperation import services
from brik.core import choices


def test_the_plan_page_shows_initiatives_and_indicators(bob_client, indicator, initiative, plan):
    page = bob_client.get(reverse("cooperation:plan", args=[plan.pk])).content.decode()
    assert initiative.title in page
    assert indicator.name in page


def test_changing_an_initiatives_status(bob_client, initiative):
    response = send(
        bob_client,
        reverse("cooperation:initiative_status", args=[initiative.pk]),
        {"status": choices.InitiativeStatus.IN_PROGRESS},
    )
    initiative.refresh_from_db()
    assert response.status_code == 302
    assert initiative.status == choices.InitiativeStatus.IN_PROGRESS


def test_the_same_status_again_is_refused_on_the_page(bob_client, initiative):
    response = send(
        bob_client,
        reverse("cooperation:initiative_status", args=[initiative.pk]),
        {"status": choices.InitiativeStatus.PLANNED},
    )
    assert response.status_code == 422
    assert "already" in response.content.decode()


def test_recording_a_measurement(bob_client, indicator):
    response = send(
        bob_client,
        reverse("cooperation:indicator_measure", args=[indicator.pk]),
        {"measured_on": "2021-06-01", "value": "25"},
    )
    assert response.status_code == 302
    assert indicator.measurements.get().value == 25


def test_a_measurement_in_the_future_is_refused(bob_client, indicator):
    response = send(
        bob_client,
        reverse("cooperation:indicator_measure", args=[indicator.pk]),
        {"measured_on": "2031-06-01", "value": "25"},
    )
    assert response.status_code == 422


def test_reaching_a_milestone(bob_client, initiative, frank, today):
    import datetime as dt

    milestone = services.milestone_add(
        actor=frank, initiative=initiative, title="Guide published", due_on=dt.date(2021, 9, 1)
    )
    response = send(
        bob_client,
        reverse("cooperation:milestone_reach", args=[milestone.pk]),
        {"reached_on": "2021-06-10"},
    )
    milestone.refresh_from_db()
    assert response.status_code == 302
    assert milestone.reached_on == dt.date(2021, 6, 10)
