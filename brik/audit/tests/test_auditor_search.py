"""The auditor's search of the action log: filters, pages, read-only, no case contents."""

import datetime as dt

import pytest
from django.urls import reverse

from brik.audit.models import ActionLog
from brik.audit.services import log_action
from brik.cases import services
from brik.core import choices as c
from brik.testing.factories import referral_kwargs

SEARCH = reverse("audit:search")


def shown(response) -> list[str]:
    return [entry.action for entry, _details in response.context["rows"]]


@pytest.fixture
def history(referred_case, alice, bob, dave, police, time_machine):
    """Two cases and some steps, on known days."""
    time_machine.move_to("2021-03-02 10:00:00+01:00", tick=False)
    services.case_assign(actor=bob, case=referred_case, caseworker=bob)
    time_machine.move_to("2021-03-08 10:00:00+01:00", tick=False)
    other = services.case_refer(
        actor=dave,
        referring_organisation=police,
        **referral_kwargs(referred_on=dt.date(2021, 3, 8), identity={"given_names": "Anna"}),
    )
    services.case_close(
        actor=alice,
        case=referred_case,
        closed_on=dt.date(2021, 3, 8),
        reason=c.ClosingReason.DISAPPEARED,
        note="Seen in Vejle",
    )
    time_machine.move_to("2021-03-10 10:00:00+01:00", tick=False)
    return referred_case, other


def test_only_an_auditor_may_search(history, alice_client, oscar_client):
    assert oscar_client.get(SEARCH).status_code == 200
    assert alice_client.get(SEARCH).status_code == 403


def test_it_searches_by_person_code(oscar_client, history):
    _first, other = history

    response = oscar_client.get(SEARCH, {"person_code": other.person.code})

    assert shown(response) == ["brik.case.referred"]


def test_it_searches_by_user(oscar_client, history):
    response = oscar_client.get(SEARCH, {"user": "bob"})
    assert shown(response) == ["brik.case.assigned"]


def test_it_searches_by_organisation(oscar_client, history, police):
    response = oscar_client.get(SEARCH, {"organisation": police.pk})
    assert shown(response) == ["brik.case.referred", "brik.case.referred"]


def test_it_searches_by_action(oscar_client, history):
    response = oscar_client.get(SEARCH, {"action": "closed"})
    assert shown(response) == ["brik.case.closed"]


def test_it_searches_by_date_range(oscar_client, history):
    response = oscar_client.get(SEARCH, {"date_from": "2021-03-02", "date_to": "2021-03-07"})
    assert shown(response) == ["brik.case.assigned"]


def test_a_date_range_ending_before_it_starts_is_refused(oscar_client, history):
    response = oscar_client.get(SEARCH, {"date_from": "2021-03-09", "date_to": "2021-03-02"})
    assert response.status_code == 422
    assert shown(response) == []


def test_a_refused_login_is_found_by_the_name_tried(oscar_client, db):
    from django.test import Client

    Client().post(reverse("login"), {"username": "mallory", "password": "guess-guess"})

    response = oscar_client.get(SEARCH, {"user": "mallory"})

    assert shown(response) == ["brik.user.login_failed"]


def test_the_results_come_in_pages_of_fifty(oscar_client, referred_case, alice):
    for _n in range(60):
        log_action(actor=alice, action="brik.support.added", obj=referred_case, case=referred_case)

    first = oscar_client.get(SEARCH, {"action": "brik.support.added"})
    second = oscar_client.get(SEARCH, {"action": "brik.support.added", "page": 2})

    assert len(shown(first)) == 50
    assert len(shown(second)) == 10


def test_the_page_shows_which_fields_changed_but_no_case_contents(oscar_client, history):
    page = oscar_client.get(SEARCH, {"action": "closed"}).text

    assert "closing_note" in page
    assert "Vejle" not in page
    assert "disappeared" not in page
    assert "Syntetisk" not in page


def test_it_is_read_only(oscar_client, history):
    before = ActionLog.objects.count()
    assert oscar_client.post(SEARCH, {"action": "x"}).status_code == 405
    assert ActionLog.objects.count() == before


def test_each_search_is_itself_recorded(oscar_client, oscar, history):
    oscar_client.get(SEARCH, {"user": "bob"})

    row = ActionLog.objects.get(action="brik.audit.searched")
    assert row.actor == oscar
    assert row.data == {"user": "bob", "page": 1}
