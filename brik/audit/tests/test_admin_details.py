"""The admin's page of one audit row shows what the auditor's page shows, no case contents."""

import datetime as dt

from django.test import Client
from django.urls import reverse

from brik.audit.models import ActionLog
from brik.cases import services
from brik.core import choices as c


def test_a_case_row_shows_which_fields_changed_not_their_values(oscar, referred_case, alice):
    oscar.is_staff = True
    oscar.save(update_fields=["is_staff"])
    services.case_close(
        actor=alice,
        case=referred_case,
        closed_on=dt.date(2021, 3, 20),
        reason=c.ClosingReason.DISAPPEARED,
        note="Seen in Vejle",
    )
    row = ActionLog.objects.get(action="brik.case.closed")
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(oscar)

    page = client.get(reverse("admin:audit_actionlog_change", args=[row.pk])).text

    assert "closing_note" in page
    assert "disappeared" not in page
    assert "Vejle" not in page


def test_a_login_row_shows_the_name_tried_and_the_address(oscar, db):
    oscar.is_staff = True
    oscar.save(update_fields=["is_staff"])
    Client().post(
        reverse("login"), {"username": "ghost", "password": "x" * 12}, REMOTE_ADDR="192.0.2.44"
    )
    row = ActionLog.objects.get(action="brik.user.login_failed")
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(oscar)

    page = client.get(reverse("admin:audit_actionlog_change", args=[row.pk])).text

    assert "ghost" in page
    assert "192.0.2.44" in page
