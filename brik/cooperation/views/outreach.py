"""The outreach page: fast entry of anonymous counts, above the latest rounds."""

from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from brik.accounts.permissions import Ability, can, permission_required
from brik.cooperation import forms, selectors, services
from brik.cooperation.views.common import PAGE_SIZE
from brik.core.views import submit_once


@permission_required(Ability.OUTREACH_LOG)
@require_http_methods(["GET", "POST"])
def outreach(request):
    """Fast entry of anonymous counts, above the organisation's latest rounds."""
    user = request.user
    # After a save the next form starts from the same date, place and region.
    repeat = {
        k: request.GET[k] for k in ("held_on", "place_type", "region", "sector") if k in request.GET
    }
    form = forms.OutreachLogForm(request.POST or None, user=user, initial=repeat)
    if request.method == "POST":

        def run(d):
            return services.outreach_log_add(
                actor=user,
                organisation=d.get("organisation") or user.organisation,
                held_on=d["held_on"],
                place_type=d["place_type"],
                region=d["region"],
                sector=d["sector"],
                women=d["women"],
                men=d["men"],
                trans=d["trans"],
                unknown=d["unknown"],
                referrals_made=d["referrals_made"],
                note=d["note"],
            )

        def next_url(log):
            query = {
                "held_on": log.held_on.isoformat(),
                "place_type": log.place_type,
                "region": log.region,
                "sector": log.sector,
            }
            return reverse("cooperation:outreach") + "?" + urlencode(query)

        done = submit_once(
            request,
            form,
            run,
            success=_("The outreach round is logged."),
            next_url=next_url,
            field_map={
                "referrals_above_contacts": "referrals_made",
                "note_identifies": "note",
                "note_too_long": "note",
                "future_date": "held_on",
            },
        )
        if done:
            return done
    # Centre staff see every organisation's rounds; an NGO its own.
    organisation = None if can(user, Ability.COOPERATION_VIEW) else user.organisation
    totals = selectors.outreach_totals(
        period="month",
        organisation=organisation,
        by_organisation=organisation is None,
        date_from=timezone.localdate().replace(day=1, month=1),
    )
    page = Paginator(selectors.outreach_logs_for(user=user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "cooperation/outreach.html",
        {"form": form, "page": page, "totals": totals, "is_centre": organisation is None},
        status=422 if form.errors else 200,
    )
