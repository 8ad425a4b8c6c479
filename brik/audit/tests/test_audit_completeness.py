"""Every read of a case page, every change, every export and every login leaves exactly one row."""

import datetime as dt
import json

import pytest
from django.test import Client
from django.urls import reverse

from brik.audit.models import ActionLog
from brik.cases import services
from brik.cooperation import services as coop
from brik.core import choices as c
from brik.testing.factories import TEST_PASSWORD


def rows(action: str):
    return ActionLog.objects.filter(action=action)


def no_clear_text(row: ActionLog, *secrets: str) -> bool:
    stored = json.dumps(row.data) + json.dumps(row.changes)
    return not any(secret in stored for secret in secrets)


# --- reads ------------------------------------------------------------------------------


def test_each_view_of_a_case_page_is_one_row(alice_client, alice, referred_case):
    alice_client.get(referred_case.get_absolute_url())
    alice_client.get(referred_case.get_absolute_url())

    viewed = rows("brik.case.viewed")
    assert viewed.count() == 2
    row = viewed.first()
    assert (row.actor, row.organisation, row.case) == (alice, alice.organisation, referred_case)
    assert (row.object_type, row.object_id) == ("cases.case", str(referred_case.pk))
    assert row.data == {"identity": True, "narratives": True}


def test_a_refused_view_leaves_no_read_row(referred_case, carol):
    client = Client()
    client.force_login(carol)

    assert client.get(referred_case.get_absolute_url()).status_code == 403
    assert not rows("brik.case.viewed").exists()


def test_the_case_list_reads_no_identity_and_is_not_a_case_read(alice_client, referred_case):
    alice_client.get(reverse("cases:list"))
    assert not rows("brik.case.viewed").exists()


# --- changes ------------------------------------------------------------------------------


def test_assigning_says_who_was_replaced_by_whom(referred_case, alice, bob):
    services.case_assign(actor=bob, case=referred_case, caseworker=bob)

    row = rows("brik.case.assigned").get()
    assert row.actor == bob
    assert row.changes == {"assigned_to": {"from": alice.pk, "to": bob.pk}}


def test_recording_a_planned_interview_lists_the_changed_fields_without_the_notes(
    referred_case, alice
):
    interview = services.interview_plan(
        actor=alice,
        case=referred_case,
        planned_for=dt.datetime(2021, 3, 4, 10, 0, tzinfo=dt.UTC),
        place="Aarhus",
    )
    services.interview_record(
        actor=alice,
        case=referred_case,
        held_on=dt.date(2021, 3, 5),
        interview=interview,
        indicators=[c.Indicator.DECEPTION],
        notes="She was promised work in a restaurant.",
    )

    row = rows("brik.interview.recorded").get()
    assert row.changes == {
        "status": {"from": "planned", "to": "held"},
        "held_on": {"from": None, "to": "2021-03-05"},
        "indicators": {"from": [], "to": ["deception"]},
        "notes": {"changed": True},
    }
    assert no_clear_text(row, "restaurant")


def test_an_interview_held_without_planning_is_new_and_lists_no_changes(referred_case, alice):
    services.interview_record(actor=alice, case=referred_case, held_on=dt.date(2021, 3, 5))
    assert rows("brik.interview.recorded").get().changes == {}


@pytest.fixture
def offered_return(identified_case, alice):
    services.reflection_start(actor=alice, case=identified_case, starts_on=dt.date(2021, 3, 10))
    services.return_offer(actor=alice, case=identified_case, offered_on=dt.date(2021, 3, 15))
    return identified_case


def test_accepting_a_return_lists_each_changed_field_and_hides_the_plan(
    offered_return, alice, partner_abroad
):
    services.return_accept(
        actor=alice,
        case=offered_return,
        accepted_on=dt.date(2021, 3, 16),
        destination_country="NG",
        destination_kind=c.DestinationKind.HOME,
        reintegration_partner=partner_abroad,
        plan_housing=True,
        plan_notes="Her aunt in Benin City will house her.",
    )

    row = rows("brik.return.accepted").get()
    assert row.changes == {
        "status": {"from": "offered", "to": "accepted"},
        "accepted_on": {"from": None, "to": "2021-03-16"},
        "destination_country": {"from": "", "to": "NG"},
        "destination_kind": {"from": "", "to": "home"},
        "reintegration_partner": {"from": None, "to": partner_abroad.pk},
        "plan_housing": {"from": False, "to": True},
        "plan_notes": {"changed": True},
    }
    assert no_clear_text(row, "Benin", "aunt")


def test_closing_a_case_hides_the_closing_note(referred_case, alice):
    services.case_close(
        actor=alice,
        case=referred_case,
        closed_on=dt.date(2021, 3, 20),
        reason=c.ClosingReason.DISAPPEARED,
        note="Last seen at the train station in Vejle.",
    )

    row = rows("brik.case.closed").get()
    assert row.changes["status"] == {"from": "referred", "to": "closed"}
    assert row.changes["closing_note"] == {"changed": True}
    assert no_clear_text(row, "Vejle")


def test_correcting_outreach_counts_lists_old_and_new_counts(erin, ngo):
    log = coop.outreach_log_add(
        actor=erin,
        organisation=ngo,
        held_on=dt.date(2021, 6, 10),
        place_type=c.PlaceType.STREET,
        region=c.Region.HOVEDSTADEN,
        women=4,
    )

    coop.outreach_log_correct(actor=erin, log=log, reason="Counted twice", women=3)

    row = rows("brik.outreach_log.corrected").get()
    assert row.changes == {"women": {"from": 4, "to": 3}}


def test_a_step_through_the_web_leaves_one_change_row(alice_client, referred_case, bob):
    response = alice_client.post(
        reverse("cases:action", args=[referred_case.pk, "case_assign"]),
        {"form_token": "t-1", "caseworker": bob.pk},
    )

    assert response.status_code == 302
    assert rows("brik.case.assigned").count() == 1


# --- exports ------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["html", "json"])
def test_each_subject_access_download_is_one_export_row(alice_client, alice, referred_case, fmt):
    alice_client.get(reverse("protection:subject_access", args=[referred_case.pk, fmt]))

    row = rows("brik.person.subject_access_exported").get()
    assert row.actor == alice
    assert (row.object_type, row.object_id) == ("cases.person", str(referred_case.person_id))
    assert row.data == {"format": fmt, "via": "web"}


# --- logins -------------------------------------------------------------------------------


def test_a_login_is_one_row_with_the_address(carol):
    Client().post(
        reverse("login"),
        {"username": "carol", "password": TEST_PASSWORD},
        REMOTE_ADDR="203.0.113.5",
    )

    row = rows("brik.user.logged_in").get()
    assert (row.actor, row.object_id) == (carol, str(carol.pk))
    assert row.data == {"ip": "203.0.113.5"}


def test_a_refused_login_is_one_row_with_the_name_tried_and_the_address(carol):
    Client().post(
        reverse("login"),
        {"username": "carol", "password": "not her password"},
        REMOTE_ADDR="203.0.113.5",
    )

    row = rows("brik.user.login_failed").get()
    assert row.actor is None
    assert row.object_id == str(carol.pk)
    assert row.data == {"username": "carol", "ip": "203.0.113.5"}
    assert no_clear_text(row, "not her password")


def test_a_login_with_an_unknown_name_is_logged_too(db):
    Client().post(reverse("login"), {"username": "nobody", "password": "whatever-it-is"})

    row = rows("brik.user.login_failed").get()
    assert (row.object_id, row.data["username"]) == ("", "nobody")
