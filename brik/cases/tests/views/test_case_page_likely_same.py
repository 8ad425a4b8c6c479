"""The case page's check for earlier records of the person, loaded after the page.

Before the decision, centre staff (who read identities) are told when the referred
person is likely someone already known. The page itself no longer runs the check:
it holds a placeholder that HTMX fills from its own address, which is also a link
that shows the same note without JavaScript. The same readers as before, and every
check is in the action log with the persons it named.
"""

import datetime as dt

import pytest
from django.urls import reverse

from brik.audit.events import AuditEvent
from brik.audit.models import ActionLog
from brik.cases.tests.views.conftest import login
from brik.search.tests.test_search import refer

BORN = dt.date(1990, 4, 3)


def check_url(case) -> str:
    return reverse("cases:likely_same", args=[case.pk])


@pytest.fixture
def known(alice, other_police):
    return refer(alice, other_police, "Mohammed", "Hassan", born=BORN)


@pytest.fixture
def new(dave, police):
    return refer(dave, police, "Muhammad", "Hasan", born=BORN)


def checks():
    return ActionLog.objects.filter(action=AuditEvent.CASE_DUPLICATES_CHECKED)


def test_the_case_page_leaves_the_check_to_its_own_request(alice, known, new):
    client = login(alice)
    page = client.get(new.get_absolute_url()).content.decode()
    assert f'hx-get="{check_url(new)}" hx-trigger="load"' in page
    assert f'<a href="{check_url(new)}">Check for earlier records of this person</a>' in page
    assert known.person.code not in page
    assert not checks().exists()


def test_with_htmx_the_note_names_the_known_person_and_the_check_is_logged(alice, known, new):
    note = login(alice).get(check_url(new), HTTP_HX_REQUEST="true")
    assert note.status_code == 200
    html = note.content.decode()
    assert "<html" not in html
    assert "Likely existing person" in html
    assert f'<a href="{known.get_absolute_url()}">{known.person.code}</a>' in html
    assert "(similar name, same date of birth" in html
    row = checks().get()
    assert row.actor == alice
    assert row.case_id == new.pk
    assert row.data == {"results": 1, "persons": [known.person.code]}


def test_without_javascript_the_link_shows_the_same_note_on_a_page(alice, known, new):
    page = login(alice).get(check_url(new)).content.decode()
    assert "<html" in page
    assert "Earlier records of this person" in page
    assert f'<a href="{known.get_absolute_url()}">{known.person.code}</a>' in page
    assert checks().count() == 1


def test_nothing_found_is_an_empty_note_with_htmx_and_said_without(alice, new, dave, police):
    refer(dave, police, "Amina", "Okafor", born=BORN)
    client = login(alice)
    assert client.get(check_url(new), HTTP_HX_REQUEST="true").content.decode().strip() == ""
    assert "No other person with this name" in client.get(check_url(new)).content.decode()
    assert [row.data for row in checks()] == [{"results": 0, "persons": []}] * 2


def test_after_the_decision_there_is_no_check(alice, identified_case, known):
    page = login(alice).get(identified_case.get_absolute_url()).content.decode()
    assert check_url(identified_case) not in page
    fallback = login(alice).get(check_url(identified_case)).content.decode()
    assert "only before the decision" in fallback


@pytest.mark.parametrize("who", ["carol", "dave", "erin"])
def test_who_does_not_read_identities_is_refused_and_learns_nothing(request, who, known, new):
    client = login(request.getfixturevalue(who))
    response = client.get(check_url(new), HTTP_HX_REQUEST="true")
    assert response.status_code == 403
    assert known.person.code not in response.content.decode()
    assert not checks().exists()


def test_a_case_that_does_not_exist_is_not_found(alice):
    assert login(alice).get(reverse("cases:likely_same", args=[10**6])).status_code == 404
