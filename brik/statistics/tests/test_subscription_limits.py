"""The public subscribe form cannot be used to mail anyone without limit: per e-mail
address and per client address, counted in the database; a confirmed address is left alone."""

import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.test import TestCase
from django.urls import reverse

from brik.statistics import services
from brik.statistics.models import Subscription, SubscriptionAttempt

NOW = dt.datetime(2024, 3, 1, 12, tzinfo=dt.UTC)


def subscribe(client, email: str, ip: str = "192.0.2.10"):
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(
            reverse("statistics:subscribe"),
            {"email": email, "consent": "on"},
            REMOTE_ADDR=ip,
            HTTP_ACCEPT_LANGUAGE="en",
        )


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def test_one_address_gets_a_few_confirmation_mails_a_day_from_any_number_of_clients(client, db):
    for n in range(services.MAILS_PER_ADDRESS + 3):
        response = subscribe(client, "victim@example.org", ip=f"198.51.100.{n}")
        # The same answer every time: nobody learns that the limit was reached.
        assert response.status_code == 200
    assert len(mail.outbox) == services.MAILS_PER_ADDRESS


def test_the_address_limit_ends_after_a_day(client, db, clock):
    for n in range(services.MAILS_PER_ADDRESS + 1):
        subscribe(client, "slow@example.org", ip=f"198.51.100.{n}")
    clock.shift(services.ADDRESS_WINDOW + dt.timedelta(minutes=1))
    subscribe(client, "slow@example.org", ip="198.51.100.99")
    assert len(mail.outbox) == services.MAILS_PER_ADDRESS + 1


def test_one_client_is_refused_after_its_limit_whatever_the_addresses(client, db):
    for n in range(services.REQUESTS_PER_CLIENT):
        assert subscribe(client, f"reader{n}@example.org").status_code == 200
    refused = subscribe(client, "one-more@example.org")
    assert refused.status_code == 429
    assert "Too many subscription requests" in refused.content.decode()
    assert len(mail.outbox) == services.REQUESTS_PER_CLIENT
    assert not Subscription.objects.filter(email="one-more@example.org").exists()
    # Another client is not held back by it.
    assert subscribe(client, "one-more@example.org", ip="203.0.113.7").status_code == 200
    assert len(mail.outbox) == services.REQUESTS_PER_CLIENT + 1


def test_the_counts_are_in_the_database_without_the_addresses(client, db):
    subscribe(client, "reader@example.org", ip="192.0.2.44")
    attempt = SubscriptionAttempt.objects.get()
    assert attempt.mailed
    assert "reader" not in attempt.address
    assert "192.0.2.44" not in attempt.client


def test_a_confirmed_address_is_not_mailed_or_changed_by_a_repeat_request(client, db):
    confirmed = Subscription.objects.create(
        email="known@example.org",
        language="da",
        consent_text="ja",
        confirmed_at=dt.datetime(2022, 1, 1, tzinfo=dt.UTC),
    )
    assert subscribe(client, "known@example.org").status_code == 200
    assert not mail.outbox
    confirmed.refresh_from_db()
    assert (confirmed.language, confirmed.consent_text) == ("da", "ja")
    assert confirmed.is_active


def test_the_confirmation_mail_waits_for_the_commit(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.subscription_request(
            email="reader@example.org", language="en", base_url="http://x/", client="192.0.2.1"
        )
    assert not mail.outbox
    for callback in callbacks:
        callback()
    assert len(mail.outbox) == 1
