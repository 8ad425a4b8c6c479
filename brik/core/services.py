"""Writes of the shared infrastructure: one-time form tokens."""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from brik.core.models import FormSubmission
from brik.core.tokens import form_token_is_valid


class AlreadySubmitted(Exception):
    """The form's token was used before: the first submission's result is `url`."""

    def __init__(self, url: str):
        super().__init__(url)
        self.url = url


def form_submission_claim(
    *, token: str, user: AbstractBaseUser | AnonymousUser | None, fingerprint: str = ""
) -> FormSubmission:
    """Claim a form token; call inside the transaction that makes the change.

    If the change then fails, the transaction rolls back and the token is free
    again, so the person can correct the form and send it once more.
    A token Brik did not make (any other length or shape) is refused.

    With a `fingerprint` (brik.core.tokens.submission_fingerprint), the same input
    sent by the same person to the same address within BRIK_RESUBMIT_MINUTES
    counts as sent before, whatever its token: the back button re-fetches a form
    with a new token and the browser fills in what had been typed.
    """
    if not form_token_is_valid(token):
        # The token is hidden, so the refusal is about the whole form.
        raise ValidationError(
            _("This form has expired or was damaged. Please send it again."), code="invalid_token"
        )
    user_id = getattr(user, "pk", None)
    if fingerprint and user_id is not None:
        since = timezone.now() - timedelta(minutes=settings.BRIK_RESUBMIT_MINUTES)
        same = (
            FormSubmission.objects.filter(
                user_id=user_id, fingerprint=fingerprint, created_at__gte=since
            )
            .order_by("-created_at")
            .first()
        )
        if same is not None:
            raise AlreadySubmitted(same.result_url)
    try:
        with transaction.atomic():
            return FormSubmission.objects.create(
                token=token, user_id=user_id, fingerprint=fingerprint
            )
    except IntegrityError:
        earlier = FormSubmission.objects.filter(token=token).first()
        raise AlreadySubmitted(earlier.result_url if earlier else "") from None


def form_submission_done(*, submission: FormSubmission, url: str) -> None:
    submission.result_url = url
    submission.save(update_fields=["result_url"])
