"""The public reports page and the subscription with double opt-in."""

import datetime as dt
import re

import time_machine
from django.core import mail
from django.test import TestCase
from django.urls import reverse

from brik.statistics.models import PublishedReport, Subscription


def _published(db):
    return PublishedReport.objects.create(
        year=2021,
        language="en",
        published_at=dt.datetime(2022, 5, 11, tzinfo=dt.UTC),
        title="Annual report 2021",
        key_figures=[
            {"slug": "identified", "label": "Identified as victims", "value": 80, "previous": 77}
        ],
        summary=["The number of persons identified was on level with 2020 (80 against 77)."],
        pdf=b"%PDF-1.7 test",
        html=b"<html></html>",
        xlsx=b"PK",
    )


def subscribe(client, data: dict, **headers):
    """Post the subscribe form; the e-mail goes out when the request's transaction commits."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(reverse("statistics:subscribe"), data, **headers)


def _link(text: str) -> str:
    return re.search(r"https?://\S+", text).group(0)


def test_anyone_sees_the_published_reports_and_key_figures(client, db):
    _published(db)
    response = client.get(reverse("statistics:public"), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    body = response.content.decode()
    assert "80" in body
    assert "on level with 2020" in body
    assert reverse("statistics:public_file", args=[2021, "en", "pdf"]) in body


def test_a_published_file_is_served_as_it_was_published(client, db):
    _published(db)
    response = client.get(reverse("statistics:public_file", args=[2021, "en", "pdf"]))
    assert response.status_code == 200
    assert response.content == b"%PDF-1.7 test"
    assert (
        client.get(reverse("statistics:public_file", args=[2020, "en", "pdf"])).status_code == 404
    )
    assert (
        client.get(reverse("statistics:public_file", args=[2021, "en", "exe"])).status_code == 404
    )


def test_subscribing_needs_consent(client, db):
    response = client.post(reverse("statistics:subscribe"), {"email": "reader@example.org"})
    assert response.status_code == 422
    assert not Subscription.objects.exists()
    assert not mail.outbox


def test_double_opt_in_records_consent_when_the_link_is_confirmed(client, db):
    with time_machine.travel(dt.datetime(2022, 5, 1, 10, tzinfo=dt.UTC), tick=False):
        response = subscribe(
            client,
            {"email": "Reader@Example.org", "consent": "on"},
            HTTP_ACCEPT_LANGUAGE="en",
        )
    assert response.status_code == 200
    subscription = Subscription.objects.get()
    assert subscription.email == "reader@example.org"
    assert subscription.confirmed_at is None
    assert "unsubscribe" in subscription.consent_text
    assert len(mail.outbox) == 1
    link = _link(mail.outbox[0].body)

    # Opening the link (a mail scanner might) confirms nothing; the button does.
    assert client.get(link).status_code == 200
    subscription.refresh_from_db()
    assert subscription.confirmed_at is None
    with time_machine.travel(dt.datetime(2022, 5, 2, 9, tzinfo=dt.UTC), tick=False):
        assert client.post(link).status_code == 200
    subscription.refresh_from_db()
    assert subscription.confirmed_at == dt.datetime(2022, 5, 2, 9, tzinfo=dt.UTC)


def test_a_confirmation_link_expires_after_seven_days(client, db):
    with time_machine.travel(dt.datetime(2022, 5, 1, 10, tzinfo=dt.UTC), tick=False):
        subscribe(client, {"email": "late@example.org", "consent": "on"})
    link = _link(mail.outbox[0].body)
    with time_machine.travel(dt.datetime(2022, 5, 9, 10, tzinfo=dt.UTC), tick=False):
        response = client.post(link)
    assert response.status_code == 400
    assert Subscription.objects.get().confirmed_at is None


def test_a_tampered_link_is_refused(client, db):
    subscribe(client, {"email": "reader@example.org", "consent": "on"})
    link = _link(mail.outbox[0].body)
    response = client.post(link.rstrip("/")[:-3] + "abc/")
    assert response.status_code == 400


def test_a_confirmation_token_cannot_unsubscribe(client, db):
    subscribe(client, {"email": "reader@example.org", "consent": "on"})
    token = _link(mail.outbox[0].body).rstrip("/").rsplit("/", 1)[1]
    client.post(reverse("statistics:subscription_confirm", args=[token]))
    response = client.post(reverse("statistics:subscription_cancel", args=[token]))
    assert response.status_code == 400
    assert Subscription.objects.get().is_active


def test_unsubscribing_with_the_link_stops_the_mails(client, db):
    subscription = Subscription.objects.create(
        email="reader@example.org",
        language="en",
        consent_text="yes",
        confirmed_at=dt.datetime(2022, 1, 1, tzinfo=dt.UTC),
    )
    from brik.statistics.services import subscription_token

    link = reverse(
        "statistics:subscription_cancel", args=[subscription_token(subscription, "unsubscribe")]
    )
    assert client.post(link).status_code == 200
    subscription.refresh_from_db()
    assert subscription.unsubscribed_at is not None
    assert not subscription.is_active


def test_the_answer_is_the_same_for_a_known_address(client, db):
    Subscription.objects.create(
        email="known@example.org",
        language="en",
        consent_text="yes",
        confirmed_at=dt.datetime(2022, 1, 1, tzinfo=dt.UTC),
    )
    known = client.post(
        reverse("statistics:subscribe"), {"email": "known@example.org", "consent": "on"}
    )
    new = client.post(
        reverse("statistics:subscribe"), {"email": "new@example.org", "consent": "on"}
    )
    assert known.status_code == new.status_code == 200
    assert known.content.decode().count("Check your e-mail") == new.content.decode().count(
        "Check your e-mail"
    )
