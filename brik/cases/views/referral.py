"""Registering a referral: the duplicate check, then the case, once."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from brik.accounts.permissions import (
    Ability,
    can,
    permission_required,
)
from brik.cases import forms, selectors, services
from brik.cases.models import Case
from brik.core.selectors import form_submission_result
from brik.core.views import submit_once

REFERRAL_ALREADY_SENT = _("This referral had already been sent; it was registered once.")


# --- registering a referral ---------------------------------------------------------------


@permission_required(Ability.REFERRAL_CREATE)
@require_http_methods(["GET", "POST"])
def referral_create(request):
    user = request.user
    form = forms.ReferralForm(request.POST or None, user=user)
    matches = []
    earlier = form_submission_result(token=request.POST.get("form_token", ""))
    if request.method == "POST" and earlier is not None:
        messages.info(request, REFERRAL_ALREADY_SENT)
        return redirect(earlier or "home")
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        person = None
        # Only the centre sees whether a person is already known: telling a
        # partner would disclose it. The centre's staff decide on the match.
        if can(user, Ability.PERSON_IDENTITY):
            matches = selectors.person_possible_matches(
                given_names=data["given_names"],
                family_name=data["family_name"],
                date_of_birth=data["date_of_birth"],
                birth_year=data["birth_year"],
                gender=data["gender"],
                citizenships=data["citizenships"],
            )
            choice = data["person_choice"]
            if matches and not choice:
                if request.POST.get("matches_shown"):
                    form.add_error(None, _("Choose one of the known persons, or “a new person”."))
                return render(
                    request, "cases/referral_form.html", {"form": form, "matches": matches}
                )
            if matches and choice != "new":
                person = next((m.person for m in matches if str(m.person.pk) == choice), None)
                if person is None:
                    form.add_error(None, _("Choose one of the known persons, or “a new person”."))
        if not form.errors:
            case = _refer(request, form, person)
            if case is not None:
                return case
    return render(
        request,
        "cases/referral_form.html",
        {"form": form, "matches": matches},
        status=422 if form.errors else 200,
    )


def _refer(request, form, person):
    """Create the case once; on a refusal, put the error on the form and return None."""
    user = request.user
    return submit_once(
        request,
        form,
        lambda data: services.case_refer(
            actor=user,
            referral=form.new_referral(known_person=person is not None),
            person=person,
        ),
        success=lambda case: (
            _("The referral is registered as case %(code)s.") % {"code": case.code}
        ),
        next_url=lambda case: _after_referral_url(user, case),
        field_map={
            "future_date": "referred_on",
            "birth_year": "birth_year",
            "open_case_exists": None,
        },
        already_sent=REFERRAL_ALREADY_SENT,
        # Sent again after the back button, the same referral shows its own person
        # as a possible match: choosing "a new person" there is still the same referral.
        fingerprint_ignore=frozenset({"person_choice", "matches_shown"}),
    )


def _after_referral_url(user, case: Case) -> str:
    if can(user, Ability.CASE_VIEW):
        return case.get_absolute_url()
    return reverse("cases:referrals")
