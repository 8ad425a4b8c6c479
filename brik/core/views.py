"""The one way Brik's views send a form to a service."""

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _

from brik.core.forms import apply_service_error
from brik.core.services import AlreadySubmitted, form_submission_claim, form_submission_done
from brik.core.tokens import submission_fingerprint

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

# What the service returns (e.g. the new case), handed to `success` and `next_url`.
Result = TypeVar("Result")


def request_fingerprint(request, ignore: frozenset[str] = frozenset()) -> str:
    """What this POST sent, as a keyed digest (see form_submission_claim); fields in
    `ignore` (e.g. a choice the page adds on a second showing) are left out."""
    return submission_fingerprint(
        user_id=getattr(request.user, "pk", None),
        path=request.path,
        items=[
            (name, value)
            for name in request.POST
            if name not in ignore
            for value in request.POST.getlist(name)
        ],
    )


def _drop_earlier_messages(request) -> None:
    """A message waiting from an earlier step ("The interview is recorded.") is not
    shown beside the errors of this one: the page would say both "done" and "wrong"."""
    storage = messages.get_messages(request)
    for _message in storage:
        pass


def submit_once(
    request,
    form,
    run: Callable[[dict[str, Any]], Result],
    *,
    success: "StrOrPromise | Callable[[Result], StrOrPromise]",
    next_url: Callable[[Result], str] | str,
    field_map: Mapping[str, str | None] | None = None,
    already_sent: "StrOrPromise | None" = None,
    fingerprint_ignore: frozenset[str] = frozenset(),
):
    """Validate `form`, call `run(cleaned_data)` once per form token, and redirect.

    Returns the redirect on success (or when the same form was sent before), and
    None when the form or the service refused: the form then carries the errors,
    next to their fields, with the input kept. `success` may be a function of
    what `run` returned (e.g. a message naming the new case's code).

    The same input sent again with a new token (the back button re-fetched the
    form, the browser filled in what had been typed, "send") is recognised by its
    fingerprint and saved once too (form_submission_claim).
    """
    if not form.is_valid():
        _drop_earlier_messages(request)
        return None
    try:
        with transaction.atomic():
            submission = form_submission_claim(
                token=form.cleaned_data["form_token"],
                user=request.user,
                fingerprint=request_fingerprint(request, fingerprint_ignore),
            )
            result = run(form.cleaned_data)
            url = next_url(result) if callable(next_url) else next_url
            form_submission_done(submission=submission, url=url)
    except AlreadySubmitted as earlier:
        messages.info(
            request, already_sent or _("This form had already been sent; it was saved once.")
        )
        return redirect(earlier.url or "home")
    except ValidationError as error:
        apply_service_error(form, error, field_map)
        _drop_earlier_messages(request)
        return None
    messages.success(request, success(result) if callable(success) else success)
    return redirect(url)
