"""The search page: one box, persons ranked, only what the user may see."""

from django.shortcuts import render
from django.views.decorators.http import require_GET

from brik.accounts.permissions import Ability, can, permission_required
from brik.search import selectors
from brik.search.forms import PersonSearchForm

RESULTS = 50


@permission_required(Ability.CASE_LIST)
@require_GET
def search(request):
    form = PersonSearchForm(request.GET or None)
    outcome = None
    if form.is_bound and form.is_valid() and form.cleaned_data["q"]:
        outcome = selectors.search_persons(request.user, form.cleaned_data["q"], RESULTS)
    return render(
        request,
        "search/results.html",
        {"form": form, "outcome": outcome, "perms_case_view": can(request.user, Ability.CASE_VIEW)},
        status=422 if form.errors else 200,
    )
