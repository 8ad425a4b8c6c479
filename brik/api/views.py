"""The page "API tokens": one's tokens (and one's organisation's, for its leads and
administrators), making one (its secret shown once), and revoking one."""

from datetime import datetime, time

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_POST

from brik.accounts.permissions import Ability, can, permission_required
from brik.api import forms, selectors, services
from brik.core.forms import apply_service_error
from brik.core.services import AlreadySubmitted, form_submission_claim, form_submission_done

ALREADY_MADE = _("This token had already been made; its secret was shown once.")


def _page(request, form, *, secret=None, made=None, status=200):
    user = request.user
    return render(
        request,
        "api/tokens.html",
        {
            "form": form,
            "tokens": selectors.tokens_of(user),
            "secret": secret,
            "made": made,
            "now": timezone.now(),
            "manages_organisation": can(user, Ability.API_ORGANISATION_TOKEN),
        },
        status=status,
    )


@permission_required()
@require_http_methods(["GET", "POST"])
def tokens(request):
    user = request.user
    form = forms.TokenCreateForm(request.POST or None, user=user)
    if request.method != "POST":
        return _page(request, form)
    if not form.is_valid():
        return _page(request, form, status=422)
    data = form.cleaned_data
    expires_at = timezone.make_aware(datetime.combine(data["expires_on"], time(23, 59, 59)))
    try:
        with transaction.atomic():
            submission = form_submission_claim(token=data["form_token"], user=user)
            token, secret = services.token_create(
                actor=user,
                name=data["name"],
                scopes=data["scopes"],
                expires_at=expires_at,
                for_organisation=data.get("kind") == "organisation",
            )
            form_submission_done(submission=submission, url=request.path)
    except AlreadySubmitted:
        messages.info(request, ALREADY_MADE)
        return redirect("api_tokens:list")
    except ValidationError as error:
        apply_service_error(form, error)
        return _page(request, form, status=422)
    # The secret is in this response only: it is stored nowhere.
    return _page(request, forms.TokenCreateForm(user=user), secret=secret, made=token)


@permission_required()
@require_POST
def revoke(request, pk: int):
    token = selectors.token_of(request.user, pk) if 0 < pk < 2**63 else None
    if token is None:
        raise Http404
    services.token_revoke(actor=request.user, token=token)
    messages.success(request, _("The token is revoked: it no longer works."))
    return redirect("api_tokens:list")
