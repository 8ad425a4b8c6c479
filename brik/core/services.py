"""Writes of the shared infrastructure: one-time form tokens."""

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from brik.core.models import FormSubmission
from brik.core.tokens import form_token_is_valid


class AlreadySubmitted(Exception):
    """The form's token was used before: the first submission's result is `url`."""

    def __init__(self, url: str):
        super().__init__(url)
        self.url = url


def form_submission_claim(
    *, token: str, user: AbstractBaseUser | AnonymousUser | None
) -> FormSubmission:
    """Claim a form token; call inside the transaction that makes the change.

    If the change then fails, the transaction rolls back and the token is free
    again, so the person can correct the form and send it once more.
    A token Brik did not make (any other length or shape) is refused.
    """
    if not form_token_is_valid(token):
        # The token is hidden, so the refusal is about the whole form.
        raise ValidationError(
            _("This form has expired or was damaged. Please send it again."), code="invalid_token"
        )
    try:
        with transaction.atomic():
            return FormSubmission.objects.create(token=token, user_id=getattr(user, "pk", None))
    except IntegrityError:
        earlier = FormSubmission.objects.filter(token=token).first()
        raise AlreadySubmitted(earlier.result_url if earlier else "") from None


def form_submission_done(*, submission: FormSubmission, url: str) -> None:
    submission.result_url = url
    submission.save(update_fields=["result_url"])
