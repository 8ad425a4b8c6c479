"""The analysts' report page: who may see it, what it shows, downloads and publishing."""

import datetime as dt

import pytest
from django.urls import reverse

from brik.statistics.models import PublishedReport
from brik.testing.factories import TEST_PASSWORD


@pytest.fixture
def some_cases(history):
    for day in range(1, 8):
        history.decide(decided_on=dt.date(2021, 3, day))
    history.decide(decided_on=dt.date(2020, 3, 1))
    return history


def _login(client, user):
    client.login(username=user.username, password=TEST_PASSWORD)
    return client


def test_it_asks_anonymous_visitors_to_log_in(client, db):
    response = client.get(reverse("statistics:index"))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_partners_may_not_see_it(client, dave):
    response = _login(client, dave).get(reverse("statistics:index"))
    assert response.status_code == 403


@pytest.mark.parametrize("user_fixture", ["carol", "bob", "alice"])
def test_analysts_leads_and_caseworkers_see_the_report(client, some_cases, user_fixture, request):
    user = request.getfixturevalue(user_fixture)
    response = _login(client, user).get(
        reverse("statistics:index"),
        {"year": 2021, "lang": "en", "version": "internal"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "Annual report 2021" in body
    assert "INTERNAL: exact figures" in body
    assert "<svg" in body
    assert "Identified victims by gender" in body


def test_the_public_version_hides_small_counts(client, carol, some_cases):
    response = _login(client, carol).get(
        reverse("statistics:index"), {"year": 2021, "lang": "en", "version": "public"}
    )
    body = response.content.decode()
    assert "&lt;5" in body
    assert "INTERNAL" not in body


def test_a_workbook_can_be_downloaded(client, carol, some_cases):
    response = _login(client, carol).get(
        reverse("statistics:download", args=[2021, "xlsx"]), {"lang": "da", "version": "public"}
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response["Content-Disposition"]


def test_every_download_is_audited(client, carol, some_cases):
    from brik.audit.models import ActionLog

    _login(client, carol).get(
        reverse("statistics:download", args=[2021, "csv"]), {"lang": "en", "version": "internal"}
    )
    entry = ActionLog.objects.get(action="brik.statistics.downloaded")
    assert entry.actor == carol
    assert entry.data == {"year": 2021, "format": "csv", "language": "en", "internal": True}


def test_caseworkers_may_not_publish(client, alice, some_cases):
    response = _login(client, alice).post(
        reverse("statistics:publish", args=[2021]), {"lang": "en"}
    )
    assert response.status_code == 403
    assert not PublishedReport.objects.exists()
