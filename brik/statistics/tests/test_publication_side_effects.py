"""A publication renders its files before its transaction, stores everything or nothing,
and e-mails subscribers only after the commit."""

import datetime as dt

import pytest
from django.core import mail
from django.db import connection

from brik.audit.events import AuditEvent
from brik.audit.models import ActionLog
from brik.statistics import exports, services
from brik.statistics.models import PublishedReport, Subscription
from brik.statistics.services import publication

BASE = "http://testserver/"


@pytest.fixture
def seven_cases(history):
    for day in range(1, 8):
        history.decide(decided_on=dt.date(2021, 3, day))
    return history


@pytest.fixture
def subscriber(db):
    return Subscription.objects.create(
        email="confirmed@example.org",
        language="en",
        consent_text="yes",
        confirmed_at=dt.datetime(2022, 1, 1, tzinfo=dt.UTC),
    )


def _publish(actor, year=2021, token="p" * 32):
    preview = services.publication_preview(year=year)
    return services.report_publish(
        actor=actor,
        year=year,
        confirmation=preview.confirmation,
        form_token=token,
        base_url=BASE,
    )


def test_files_are_rendered_outside_the_transaction_and_mail_goes_out_after_the_commit(
    bob, seven_cases, subscriber, monkeypatch, django_capture_on_commit_callbacks
):
    # How deep in transactions each step runs: the test itself runs in one.
    outside = len(connection.atomic_blocks)
    depth: dict[str, list[int]] = {"render": [], "store": []}
    render_pdf, log_action = exports.render_pdf, publication.log_action

    def rendering(report):
        depth["render"].append(len(connection.atomic_blocks))
        return render_pdf(report)

    def storing(**kwargs):
        depth["store"].append(len(connection.atomic_blocks))
        return log_action(**kwargs)

    monkeypatch.setattr(exports, "render_pdf", rendering)
    monkeypatch.setattr(publication, "log_action", storing)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        published = _publish(bob)
    assert depth == {"render": [outside, outside], "store": [outside + 1]}
    assert {p.language for p in published} == {"da", "en"}
    # Stored, not yet committed: nobody has been told.
    assert not mail.outbox
    for callback in callbacks:
        callback()
    assert [m.to for m in mail.outbox] == [[subscriber.email]]
    assert ActionLog.objects.filter(action=AuditEvent.REPORT_SUBSCRIBERS_TOLD).count() == 1


def test_a_publication_that_fails_after_rendering_stores_nothing_and_mails_no_one(
    bob, seven_cases, subscriber, monkeypatch, django_capture_on_commit_callbacks
):
    log_action = publication.log_action

    def failing(**kwargs):
        # The files of every language are written by now; then the step fails.
        assert PublishedReport.objects.count() == 2
        log_action(**kwargs)
        raise RuntimeError("a later step of the publication failed")

    monkeypatch.setattr(publication, "log_action", failing)
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
    ):
        _publish(bob)
    assert callbacks == []
    assert not mail.outbox
    assert not PublishedReport.objects.exists()
    assert not ActionLog.objects.filter(action=AuditEvent.REPORT_PUBLISHED).exists()
    # The form token was released with the rest: the same confirmation can be sent again.
    monkeypatch.setattr(publication, "log_action", log_action)
    with django_capture_on_commit_callbacks(execute=True):
        assert len(_publish(bob)) == 2
    assert [m.to for m in mail.outbox] == [[subscriber.email]]
