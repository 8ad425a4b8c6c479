"""Publishing a report, and subscriptions to news of new reports (double opt-in).

Publishing happens in two steps. `publication_preview` builds the public
report of an ended year in every language and says exactly what would be
released (the key figures as published, the languages and formats, whether it
replaces an earlier publication, who would be told) together with a digest of
it. `report_publish` releases it only with that digest and a one-time form
token: if the figures changed after the preview, it refuses. The files are
rendered before the transaction that stores them (no lock is held while
WeasyPrint draws PDFs), and subscribers are e-mailed only once the publication
is committed (`transaction.on_commit`), and only for a year's first
publication, never for a replacement.

Subscribing is limited per e-mail address and per client address, counted in
the database (`SubscriptionAttempt`) so that every app server shares the
count; a confirmed subscription is never changed or mailed by a repeat request.
"""

from __future__ import annotations

import hashlib
import json
import logging
from dataclasses import dataclass
from datetime import timedelta
from functools import partial

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from brik.audit.events import AuditEvent
from brik.audit.services import log_action
from brik.core.selectors import form_submission_result
from brik.core.services import AlreadySubmitted, form_submission_claim
from brik.statistics import exports, years
from brik.statistics.models import PublishedReport, Subscription, SubscriptionAttempt
from brik.statistics.report import report_build
from brik.statistics.tables import Report

logger = logging.getLogger(__name__)

TOKEN_SALT = "brik.statistics.subscription"  # noqa: S105 - a namespace, not a secret
LIMIT_SALT = "brik.statistics.subscription-limit"
CONFIRM_MAX_AGE = 7 * 24 * 3600
# How often anyone can make Brik send a confirmation e-mail.
MAILS_PER_ADDRESS = 3  # to one e-mail address per ADDRESS_WINDOW
ADDRESS_WINDOW = timedelta(hours=24)
REQUESTS_PER_CLIENT = 10  # from one client address per CLIENT_WINDOW
CLIENT_WINDOW = timedelta(hours=1)
# The files of a publication, as stored and served on the reports page.
PUBLISHED_FORMATS = ("pdf", "html", "xlsx")


def consent_text() -> str:
    return _(
        "I want e-mails from %(centre)s when a new annual report is published. I can "
        "unsubscribe at any time with the link in every e-mail."
    ) % {"centre": settings.CENTRE_NAME}


def subscription_token(subscription: Subscription, purpose: str) -> str:
    return signing.dumps({"id": subscription.pk, "for": purpose}, salt=TOKEN_SALT)


def _subscription_from(token: str, purpose: str, max_age: int | None) -> Subscription:
    try:
        data = signing.loads(token, salt=TOKEN_SALT, max_age=max_age)
    except signing.SignatureExpired:
        raise ValidationError(
            _("This link has expired. Please subscribe again."), code="expired"
        ) from None
    except signing.BadSignature:
        raise ValidationError(_("This link is not valid."), code="invalid") from None
    if not isinstance(data, dict) or data.get("for") != purpose:
        raise ValidationError(_("This link is not valid."), code="invalid")
    try:
        return Subscription.objects.select_for_update().get(pk=data["id"])
    except (Subscription.DoesNotExist, KeyError, TypeError, ValueError):
        raise ValidationError(_("This link is not valid."), code="invalid") from None


def _absolute(request_base: str, path: str) -> str:
    return request_base.rstrip("/") + path


def _limit_key(value: str) -> str:
    """A keyed hash: the limits need to recognise an address, not to keep it."""
    return salted_hmac(LIMIT_SALT, value, algorithm="sha256").hexdigest()


def _within_limits(*, email: str, client: str) -> bool:
    """Record this request; refuse a client over its limit; False when the address has
    had all the confirmation e-mails it may get for now (the caller then sends none)."""
    now = timezone.now()
    SubscriptionAttempt.objects.filter(
        created_at__lt=now - max(ADDRESS_WINDOW, CLIENT_WINDOW)
    ).delete()
    client_key, address_key = _limit_key(client or "unknown"), _limit_key(email)
    recent = SubscriptionAttempt.objects.filter(
        client=client_key, created_at__gte=now - CLIENT_WINDOW
    ).count()
    if recent >= REQUESTS_PER_CLIENT:
        raise ValidationError(
            _("Too many subscription requests from your network. Please try again in an hour."),
            code="rate_limited",
        )
    mailed = SubscriptionAttempt.objects.filter(
        address=address_key, mailed=True, created_at__gte=now - ADDRESS_WINDOW
    ).count()
    may_mail = mailed < MAILS_PER_ADDRESS
    SubscriptionAttempt.objects.create(client=client_key, address=address_key, mailed=may_mail)
    return may_mail


def _send_confirmation(*, email: str, language: str, link: str) -> None:
    with translation.override(language):
        send_mail(
            _("Please confirm your subscription"),
            _(
                "Someone (we hope you) asked for e-mails from %(centre)s when a new annual "
                "report is published.\n\nTo confirm, open this link within seven days:\n"
                "%(link)s\n\nIf it was not you, ignore this e-mail and nothing will be sent."
            )
            % {"centre": settings.CENTRE_NAME, "link": link},
            None,
            [email],
        )


@transaction.atomic
def subscription_request(
    *, email: str, language: str, base_url: str, client: str
) -> Subscription | None:
    """Record the wish and send the confirmation link; nothing else is sent to the person
    until they confirm.

    Asking again re-sends the link (and re-subscribes after an unsubscription),
    within limits: at most MAILS_PER_ADDRESS links to one address per day, and
    REQUESTS_PER_CLIENT requests per hour from one client address (`client`,
    refused with code "rate_limited"). A confirmed subscription is left as it
    is and not mailed. The e-mail goes out after the transaction commits.
    """
    email = email.strip().lower()
    validate_email(email)
    if language not in dict(settings.LANGUAGES):
        raise ValidationError(_("Unknown language."), code="invalid_choice")
    may_mail = _within_limits(email=email, client=client)
    subscription = Subscription.objects.select_for_update().filter(email=email).first()
    if subscription is not None and subscription.is_active:
        return subscription  # nothing to confirm; a stranger cannot change it either
    if not may_mail:
        return subscription
    with translation.override(language):
        created = subscription is None
        if created:
            subscription = Subscription.objects.create(
                email=email, language=language, consent_text=consent_text()
            )
        else:
            subscription.language = language
            subscription.consent_text = consent_text()
            subscription.confirmed_at = None
            subscription.unsubscribed_at = None
            subscription.save()
        link = _absolute(
            base_url,
            reverse(
                "statistics:subscription_confirm",
                args=[subscription_token(subscription, "confirm")],
            ),
        )
    transaction.on_commit(partial(_send_confirmation, email=email, language=language, link=link))
    log_action(
        actor=None,
        action=AuditEvent.SUBSCRIPTION_REQUESTED,
        obj=subscription,
        data={"created": created},
    )
    return subscription


@transaction.atomic
def subscription_confirm(*, token: str) -> Subscription:
    subscription = _subscription_from(token, "confirm", CONFIRM_MAX_AGE)
    if subscription.confirmed_at is None:
        subscription.confirmed_at = timezone.now()
        subscription.save(update_fields=["confirmed_at", "updated_at"])
        log_action(actor=None, action=AuditEvent.SUBSCRIPTION_CONFIRMED, obj=subscription)
    return subscription


@transaction.atomic
def subscription_cancel(*, token: str) -> Subscription:
    subscription = _subscription_from(token, "unsubscribe", None)
    if subscription.is_active:
        subscription.unsubscribed_at = timezone.now()
        subscription.save(update_fields=["unsubscribed_at", "updated_at"])
        log_action(actor=None, action=AuditEvent.SUBSCRIPTION_CANCELLED, obj=subscription)
    return subscription


def _notify(*, year: int, base_url: str) -> int:
    """E-mail every confirmed subscriber that the year's report is out; returns how many."""
    sent = 0
    for subscription in Subscription.objects.filter(
        confirmed_at__isnull=False, unsubscribed_at__isnull=True
    ):
        with translation.override(subscription.language):
            unsubscribe = _absolute(
                base_url,
                reverse(
                    "statistics:subscription_cancel",
                    args=[subscription_token(subscription, "unsubscribe")],
                ),
            )
            page = _absolute(base_url, reverse("statistics:public"))
            send_mail(
                _("New annual report %(year)s") % {"year": year},
                _(
                    "%(centre)s has published its annual report for %(year)s:\n%(page)s\n\n"
                    "To stop these e-mails, open this link:\n%(unsubscribe)s"
                )
                % {
                    "centre": settings.CENTRE_NAME,
                    "year": year,
                    "page": page,
                    "unsubscribe": unsubscribe,
                },
                None,
                [subscription.email],
            )
        sent += 1
    return sent


# --- publishing -------------------------------------------------------------------------


@dataclass
class Publication:
    """What publishing a year would release, as the confirmation page shows it."""

    year: int
    reports: dict[str, Report]  # the public report in each language
    earlier: list[PublishedReport]  # the publication it would replace, per language
    subscribers: int  # confirmed subscribers to be told (none when it replaces)
    confirmation: str  # a digest of every figure and sentence to be released

    @property
    def replaces(self) -> bool:
        return bool(self.earlier)

    @property
    def formats(self) -> tuple[str, ...]:
        return PUBLISHED_FORMATS


def _released(report: Report) -> dict:
    """Everything of a public report that a reader sees, as text (for the digest)."""
    with translation.override(report.language):
        return {
            "language": report.language,
            "title": str(report.title),
            "key_figures": [
                [f.slug, str(f.label), f.shown, f.previous_shown] for f in report.key_figures
            ],
            "summary": [str(s) for s in report.summary],
            "tables": [
                [t.slug, [str(h) for h in t.header()]]
                + [[str(row.label), *cells] for row, cells in t.display_rows(report.threshold)]
                for t in report.all_tables()
            ],
            "notes": [str(report.counting_note), str(report.disclosure_note)],
        }


def _digest(reports: dict[str, Report]) -> str:
    content = [_released(reports[lang]) for lang in sorted(reports)]
    return hashlib.sha256(json.dumps(content, sort_keys=True).encode()).hexdigest()


def publication_preview(*, year: int) -> Publication:
    """The public report of an ended year in every language, and what publishing it means.

    Refuses (ValidationError) a year that is implausible or has not ended.
    """
    years.validate_ended_year(year)
    reports = {
        code: report_build(year=year, language=code, internal=False)
        for code, _name in settings.LANGUAGES
    }
    earlier = list(PublishedReport.objects.filter(year=year).defer(*PUBLISHED_FORMATS))
    subscribers = (
        0
        if earlier
        else Subscription.objects.filter(
            confirmed_at__isnull=False, unsubscribed_at__isnull=True
        ).count()
    )
    return Publication(
        year=year,
        reports=reports,
        earlier=earlier,
        subscribers=subscribers,
        confirmation=_digest(reports),
    )


def report_publish(
    *, actor, year: int, confirmation: str, form_token: str, base_url: str
) -> list[PublishedReport]:
    """Publish the year's public report in every language, as confirmed.

    `confirmation` is the digest the confirmation page showed
    (publication_preview); when the figures changed since, nothing is published
    and a ValidationError (code "changed") says so. `form_token` makes a double
    submit publish once (AlreadySubmitted for the second). Rendering happens
    before the transaction; mail to subscribers after it commits.
    """
    if form_submission_result(token=form_token) is not None:
        raise AlreadySubmitted(form_submission_result(token=form_token) or "")
    publication = publication_preview(year=year)
    if confirmation != publication.confirmation:
        raise ValidationError(
            _(
                "The figures have changed since the confirmation page was shown. Check them "
                "again before publishing."
            ),
            code="changed",
        )
    files = {
        code: {
            "pdf": exports.render_pdf(report),
            "html": exports.render_html(report).encode(),
            "xlsx": exports.render_xlsx(report),
        }
        for code, report in publication.reports.items()
    }
    return _publication_store(
        actor=actor, publication=publication, files=files, form_token=form_token, base_url=base_url
    )


@transaction.atomic
def _publication_store(
    *, actor, publication: Publication, files: dict, form_token: str, base_url: str
) -> list[PublishedReport]:
    form_submission_claim(token=form_token, user=actor)
    year = publication.year
    replaced = PublishedReport.objects.select_for_update().filter(year=year).exists()
    now = timezone.now()
    published = []
    for code, report in publication.reports.items():
        with translation.override(code):
            key_figures = [
                {
                    "slug": f.slug,
                    "label": str(f.label),
                    "value": f.shown,
                    "previous": f.previous_shown,
                }
                for f in report.key_figures
            ]
        row, _created = PublishedReport.objects.update_or_create(
            year=year,
            language=code,
            defaults={
                "published_at": now,
                "published_by": actor if getattr(actor, "pk", None) else None,
                "title": report.title,
                "key_figures": key_figures,
                "summary": report.summary,
                **files[code],
            },
        )
        published.append(row)
    log_action(
        actor=actor,
        action=AuditEvent.REPORT_PUBLISHED,
        obj=published[0],
        data={
            "year": year,
            "languages": list(publication.reports),
            "formats": list(PUBLISHED_FORMATS),
            "replaced": replaced,
            "confirmation": publication.confirmation,
        },
    )
    if not replaced:
        # Only once the publication is committed: a rollback must not have told anyone.
        transaction.on_commit(
            partial(_notify_published, actor=actor, report=published[0], base_url=base_url),
            robust=True,
        )
    return published


def _notify_published(*, actor, report: PublishedReport, base_url: str) -> None:
    sent = _notify(year=report.year, base_url=base_url)
    log_action(
        actor=actor,
        action=AuditEvent.REPORT_SUBSCRIBERS_TOLD,
        obj=report,
        data={"year": report.year, "subscribers_told": sent},
    )
