"""Publishing a report, and subscriptions to news of new reports (double opt-in)."""

from __future__ import annotations

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from brik.audit.services import log_action
from brik.statistics import exports
from brik.statistics.models import PublishedReport, Subscription
from brik.statistics.report import report_build

TOKEN_SALT = "brik.statistics.subscription"  # noqa: S105 - a namespace, not a secret
CONFIRM_MAX_AGE = 7 * 24 * 3600


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
    if data.get("for") != purpose:
        raise ValidationError(_("This link is not valid."), code="invalid")
    try:
        return Subscription.objects.select_for_update().get(pk=data["id"])
    except Subscription.DoesNotExist:
        raise ValidationError(_("This link is not valid."), code="invalid") from None


def _absolute(request_base: str, path: str) -> str:
    return request_base.rstrip("/") + path


@transaction.atomic
def subscription_request(*, email: str, language: str, base_url: str) -> Subscription:
    """Record the wish and send the confirmation link; nothing is sent to the person
    until they confirm. Asking again re-sends the link (and re-subscribes after an
    unsubscription)."""
    email = email.strip().lower()
    validate_email(email)
    if language not in dict(settings.LANGUAGES):
        raise ValidationError(_("Unknown language."), code="invalid_choice")
    with translation.override(language):
        subscription, created = Subscription.objects.select_for_update().get_or_create(
            email=email, defaults={"language": language, "consent_text": consent_text()}
        )
        if not created:
            subscription.language = language
            subscription.consent_text = consent_text()
            if subscription.unsubscribed_at is not None:
                subscription.confirmed_at = None
                subscription.unsubscribed_at = None
            subscription.save()
        if subscription.confirmed_at is None:
            link = _absolute(
                base_url,
                reverse(
                    "statistics:subscription_confirm",
                    args=[subscription_token(subscription, "confirm")],
                ),
            )
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
    log_action(
        actor=None,
        action="brik.subscription.requested",
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
        log_action(actor=None, action="brik.subscription.confirmed", obj=subscription)
    return subscription


@transaction.atomic
def subscription_cancel(*, token: str) -> Subscription:
    subscription = _subscription_from(token, "unsubscribe", None)
    if subscription.is_active:
        subscription.unsubscribed_at = timezone.now()
        subscription.save(update_fields=["unsubscribed_at", "updated_at"])
        log_action(actor=None, action="brik.subscription.cancelled", obj=subscription)
    return subscription


def _notify(report: PublishedReport, base_url: str) -> int:
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
                _("New annual report %(year)s") % {"year": report.year},
                _(
                    "%(centre)s has published its annual report for %(year)s:\n%(page)s\n\n"
                    "To stop these e-mails, open this link:\n%(unsubscribe)s"
                )
                % {
                    "centre": settings.CENTRE_NAME,
                    "year": report.year,
                    "page": page,
                    "unsubscribe": unsubscribe,
                },
                None,
                [subscription.email],
            )
        sent += 1
    return sent


@transaction.atomic
def report_publish(
    *, actor, year: int, language: str, base_url: str, notify: bool = True
) -> PublishedReport:
    """Publish the disclosure-controlled report of a year (replacing an earlier version)
    and tell the confirmed subscribers."""
    if language not in dict(settings.LANGUAGES):
        raise ValidationError(_("Unknown language."), code="invalid_choice")
    report = report_build(year=year, language=language, internal=False)
    published, _created = PublishedReport.objects.update_or_create(
        year=year,
        language=language,
        defaults={
            "published_at": timezone.now(),
            "published_by": actor if getattr(actor, "pk", None) else None,
            "title": report.title,
            "key_figures": [
                {"slug": f.slug, "label": f.label, "value": f.value, "previous": f.previous}
                for f in report.key_figures
            ],
            "summary": report.summary,
            "pdf": exports.render_pdf(report),
            "html": exports.render_html(report).encode(),
            "xlsx": exports.render_xlsx(report),
        },
    )
    sent = _notify(published, base_url) if notify else 0
    log_action(
        actor=actor,
        action="brik.report.published",
        obj=published,
        data={"year": year, "language": language, "subscribers_told": sent},
    )
    return published
