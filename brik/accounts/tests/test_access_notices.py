"""Every lead is shown who was given access to identities, until they mark it as seen."""

import pytest
from django.test import Client
from django.urls import reverse

from brik.accounts import services
from brik.accounts.models import AccessNotice, AccessNoticeAcknowledgement
from brik.audit.models import ActionLog
from brik.core import choices as c
from brik.testing.factories import UserFactory

TITLE = "Access to identities was given"


@pytest.fixture
def granted(frank, carol, confirmation):
    services.user_update(
        actor=frank, user=carol, role=c.Role.CASEWORKER, confirmation=confirmation(frank)
    )
    return carol


def logged_in(user) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


def test_a_lead_sees_the_grant_on_the_next_page(granted, bob, frank):
    page = logged_in(bob).get(reverse("home"), follow=True).text

    assert TITLE in page
    assert f"{frank} gave {granted} the role “Centre caseworker”" in page


def test_others_are_not_shown_it(granted, alice, frank, oscar):
    for user in (alice, frank, oscar):
        assert TITLE not in logged_in(user).get(reverse("home"), follow=True).text


def test_marking_it_as_seen_ends_it_for_that_lead_only(granted, bob, centre):
    other_lead = UserFactory(username="lene", organisation=centre, role=c.Role.LEAD)
    client = logged_in(bob)
    notice = AccessNotice.objects.get()

    for _twice in range(2):  # a double submit records it once
        response = client.post(
            reverse("accounts:access_notices"), {"notice": [notice.pk], "next": "/cases/"}
        )
        assert response.status_code == 302
        assert response["Location"] == "/cases/"

    assert TITLE not in client.get(reverse("home"), follow=True).text
    assert TITLE in logged_in(other_lead).get(reverse("home"), follow=True).text
    assert AccessNoticeAcknowledgement.objects.get().lead == bob
    row = ActionLog.objects.get(action="brik.access_notice.acknowledged")
    assert (row.actor, row.object_id) == (bob, str(notice.pk))


def test_only_leads_may_mark_notices_as_seen(granted, alice):
    notice = AccessNotice.objects.get()
    response = logged_in(alice).post(reverse("accounts:access_notices"), {"notice": [notice.pk]})

    assert response.status_code == 403
    assert not AccessNoticeAcknowledgement.objects.exists()


def test_odd_input_is_ignored(granted, bob):
    response = logged_in(bob).post(
        reverse("accounts:access_notices"),
        {"notice": ["x", "-1", "9" * 40, ""], "next": "https://evil.example/"},
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert not AccessNoticeAcknowledgement.objects.exists()


def test_the_notice_speaks_danish(granted, bob, frank):
    client = Client(HTTP_ACCEPT_LANGUAGE="da")
    client.force_login(bob)

    page = client.get(reverse("home"), follow=True).text

    assert "Der er givet adgang til identiteter" in page
    assert f"{frank} gav {granted} rollen »Sagsbehandler i centret«" in page
    assert "Markér som set" in page
