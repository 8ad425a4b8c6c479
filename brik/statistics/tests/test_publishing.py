"""Publishing a year: only an ended year, only after a confirmation of what is released,
once per confirmation, and mail to subscribers only after the publication is committed."""

import datetime as dt
import io
import re

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from openpyxl import load_workbook

from brik.audit.models import ActionLog
from brik.core import choices
from brik.statistics import services
from brik.statistics.models import PublishedReport, Subscription

BASE = "http://testserver/"


@pytest.fixture
def seven_cases(history):
    for day in range(1, 8):
        history.decide(decided_on=dt.date(2021, 3, day))
    history.decide(decided_on=dt.date(2020, 3, 1))
    return history


@pytest.fixture
def subscriber(db):
    return Subscription.objects.create(
        email="confirmed@example.org",
        language="da",
        consent_text="yes",
        confirmed_at=dt.datetime(2022, 1, 1, tzinfo=dt.UTC),
    )


def _confirmation_page(client, user, year=2021):
    client.force_login(user)
    return client.get(reverse("statistics:publish", args=[year]), HTTP_ACCEPT_LANGUAGE="en")


def _confirm(client, page):
    body = page.content.decode()
    fields = dict(re.findall(r'name="(form_token|confirmation)" value="([^"]+)"', body))
    return client.post(page.request["PATH_INFO"], fields)


def _publish(actor, year=2021, token="t" * 32):
    preview = services.publication_preview(year=year)
    return services.report_publish(
        actor=actor,
        year=year,
        confirmation=preview.confirmation,
        form_token=token,
        base_url=BASE,
    )


@pytest.mark.parametrize(
    ("utc_now", "allowed"),
    [
        # 23:30 on New Year's Eve in Copenhagen: 2021 has not ended there.
        (dt.datetime(2021, 12, 31, 22, 30, tzinfo=dt.UTC), False),
        # 00:30 on 1 January in Copenhagen, still 2021 in UTC: it has.
        (dt.datetime(2021, 12, 31, 23, 30, tzinfo=dt.UTC), True),
    ],
)
def test_a_year_can_be_published_only_after_it_has_ended_where_the_centre_is(
    seven_cases, bob, utc_now, allowed
):
    with time_machine.travel(utc_now, tick=False):
        if allowed:
            assert len(_publish(bob)) == 2
        else:
            with pytest.raises(ValidationError) as refused:
                _publish(bob)
            assert refused.value.code == "year_not_ended"
            assert not PublishedReport.objects.exists()


def test_the_current_year_offers_no_publication_and_its_page_refuses(client, bob, seven_cases):
    with time_machine.travel(dt.datetime(2021, 6, 1, 12, tzinfo=dt.UTC), tick=False):
        page = _confirmation_page(client, bob)
        assert page.status_code == 400
        assert "has not ended" in page.content.decode()
        assert 'name="confirmation"' not in page.content.decode()
        response = client.post(
            reverse("statistics:publish", args=[2021]),
            {"form_token": "x" * 32, "confirmation": "y" * 64},
        )
    assert response.status_code in (400, 422)
    assert not PublishedReport.objects.exists()


def test_the_confirmation_page_shows_what_will_be_released_and_publishes_nothing(
    client, bob, seven_cases, subscriber
):
    page = _confirmation_page(client, bob)
    assert page.status_code == 200
    body = page.content.decode()
    assert "Publish the annual report 2021" in body
    assert "Danish" in body
    assert "English" in body
    assert "PDF, HTML, Excel" in body
    assert "Identified as victims" in body
    assert '<span class="value">7</span>' in body
    assert "the first publication of the year" in body
    assert "1 subscriber is e-mailed once the publication is saved" in body
    assert not PublishedReport.objects.exists()
    assert not mail.outbox


def test_publishing_needs_the_explicit_confirmation(client, bob, seven_cases, subscriber):
    client.force_login(bob)
    response = client.post(reverse("statistics:publish", args=[2021]), {"lang": "en"})
    assert response.status_code == 422
    assert not PublishedReport.objects.exists()
    assert not mail.outbox


def test_a_confirmed_publication_stores_every_language_and_mails_after_the_commit(
    client, bob, seven_cases, subscriber, django_capture_on_commit_callbacks
):
    page = _confirmation_page(client, bob)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = _confirm(client, page)
        assert response.status_code == 302
        # Saved, but not committed yet: nobody has been told.
        assert not mail.outbox
    assert {p.language for p in PublishedReport.objects.all()} == {"da", "en"}
    published = PublishedReport.objects.get(year=2021, language="en")
    assert bytes(published.pdf).startswith(b"%PDF")
    assert b"<svg" in bytes(published.html)
    assert published.key_figures[0]["value"] == 7
    for callback in callbacks:
        callback()
    assert [m.to for m in mail.outbox] == [[subscriber.email]]
    assert "/reports/unsubscribe/" in mail.outbox[0].body
    entry = ActionLog.objects.get(action="brik.report.published")
    assert entry.actor == bob
    assert entry.data["languages"] == ["da", "en"]
    assert entry.data["replaced"] is False


def test_a_rolled_back_publication_tells_no_one(
    bob, seven_cases, subscriber, django_capture_on_commit_callbacks
):
    def publish_then_fail():
        with transaction.atomic():
            _publish(bob)
            raise RuntimeError("a later step failed")

    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
    ):
        publish_then_fail()
    assert callbacks == []
    assert not mail.outbox
    assert not PublishedReport.objects.exists()


def test_a_double_submit_publishes_once(
    client, bob, seven_cases, django_capture_on_commit_callbacks
):
    page = _confirmation_page(client, bob)
    with django_capture_on_commit_callbacks(execute=True):
        first = _confirm(client, page)
        second = _confirm(client, page)
    assert first.status_code == second.status_code == 302
    assert ActionLog.objects.filter(action="brik.report.published").count() == 1


def test_a_republication_says_it_replaces_the_earlier_one_and_mails_no_one_again(
    client, bob, seven_cases, subscriber, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _publish(bob, token="a" * 32)
    mail.outbox.clear()
    page = _confirmation_page(client, bob)
    assert "This replaces the report published" in page.content.decode()
    assert "Subscribers are not e-mailed again" in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        assert _confirm(client, page).status_code == 302
    assert not mail.outbox
    assert ActionLog.objects.filter(action="brik.report.published").latest("id").data["replaced"]


def test_figures_that_changed_after_the_confirmation_are_not_published(bob, seven_cases):
    preview = services.publication_preview(year=2021)
    seven_cases.decide(decided_on=dt.date(2021, 5, 1))
    with pytest.raises(ValidationError) as refused:
        services.report_publish(
            actor=bob,
            year=2021,
            confirmation=preview.confirmation,
            form_token="c" * 32,
            base_url=BASE,
        )
    assert refused.value.code == "changed"
    assert not PublishedReport.objects.exists()


def test_one_identified_person_is_not_exposed_by_a_total(bob, history):
    """The reported case: "Thailand <5, Removal of organs <5, Total 1"."""
    history.decide(
        decided_on=dt.date(2021, 4, 1),
        citizenships=("TH",),
        forms=(choices.ExploitationForm.ORGAN_REMOVAL,),
    )
    published = {p.language: p for p in _publish(bob)}
    workbook = load_workbook(io.BytesIO(bytes(published["en"].xlsx)))
    small = [
        (sheet.title, cell.coordinate, cell.value)
        for sheet in workbook.worksheets[1:]
        for row in sheet.iter_rows()
        for cell in row
        if isinstance(cell.value, int) and 1 <= cell.value < 5
    ]
    assert small == []
    totals = [
        row[1:]
        for sheet in workbook.worksheets[1:]
        for row in sheet.iter_rows(values_only=True)
        if row and row[0] == "Total"
    ]
    assert totals
    identified = published["en"].key_figures[0]
    assert identified["slug"] == "identified"
    assert identified["value"] == "<5"
    assert not any(re.search(r"\b1\b", sentence) for sentence in published["en"].summary)
    # Nationalities counts countries, not persons: "1" there is not a count of people.
    html = bytes(published["en"].html).replace(b'Nationalities</dt><dd><span class="value">1<', b"")
    assert b">1<" not in html
