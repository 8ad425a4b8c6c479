"""Subscriptions to news of new reports, with double opt-in.

Subscribing is limited per e-mail address and per client address, counted in
the database (`SubscriptionAttempt`) so that every app server shares the
count; a confirmed subscription is never changed or mailed by a repeat request.
The confirmation e-mail goes out after the transaction commits."""

from __future__ import annotations

from datetime import timedelta
from functools import partial
from typing import TYPE_CHECKING

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
from brik.core.names import centre_name
from brik.statistics.models import Subscription, SubscriptionAttempt

if TYPE_CHECKING:
    pass


TOKEN_SALT = "brik.statistics.subscription"  # noqa: S105 - a namespace, not a secret
LIMIT_SALT = "brik.statistics.subscription-limit"
CONFIRM_MAX_AGE = 7 * 24 * 3600
# How often anyone can make Brik send a confirmation e-mail.
MAILS_PER_ADDRESS = 3  # to one e-mail address per ADDRESS_WINDOW
ADDRESS_WINDOW = timedelta(hours=24)
REQUESTS_PER_CLIENT = 10  # from one client address per CLIENT_WINDOW
CLIENT_WINDOW = timedelta(hours=1)


def consent_text() -> str:
    return _(
        "I want e-mails from %(centre)s when a new annual report is published. I can "
        "unsubscribe at any time with the link in every e-mail."
    ) % {"centre": centre_name()}


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


def absolute_url(request_base: str, path: str) -> str:
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
            % {"centre": centre_name(), "link": link},
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
        link = absolute_url(
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


def notify_subscribers(*, year: int, base_url: str) -> int:
    """E-mail every confirmed subscriber that the year's report is out; returns how many."""
    sent = 0
    for subscription in Subscription.objects.filter(
        confirmed_at__isnull=False, unsubscribed_at__isnull=True
    ):
        with translation.override(subscription.language):
            unsubscribe = absolute_url(
                base_url,
                reverse(
                    "statistics:subscription_cancel",
                    args=[subscription_token(subscription, "unsubscribe")],
                ),
            )
            page = absolute_url(base_url, reverse("statistics:public"))
            send_mail(
                _("New annual report %(year)s") % {"year": year},
                _(
                    "%(centre)s has published its annual report for %(year)s:\n%(page)s\n\n"
                    "To stop these e-mails, open this link:\n%(unsubscribe)s"
                )
                % {
                    "centre": centre_name(),
                    "year": year,
                    "page": page,
                    "unsubscribe": unsubscribe,
                },
                None,
                [subscription.email],
            )
        sent += 1
    return sent
