"""The notifications page (works without JavaScript), the bell's count for HTMX,
marking read, and the daily digest's opt-out."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_POST

from brik.notifications import forms, selectors, services


@login_required
@require_GET
def notification_list(request):
    page = selectors.notifications_page(user=request.user, page=request.GET.get("page"))
    return render(
        request,
        "notifications/list.html",
        {
            "page": page,
            "digest_form": forms.DigestForm(
                initial={"daily_digest": selectors.digest_wanted(user=request.user)}
            ),
        },
    )


@login_required
@require_GET
def bell(request):
    """The bell's count, swapped into the header by HTMX after the page has loaded."""
    count = selectors.unread_count(user=request.user)
    return render(request, "notifications/_bell.html", {"count": count, "cap": selectors.BELL_CAP})


@login_required
@require_POST
def mark_read(request):
    form = forms.MarkReadForm(request.POST)
    if form.is_valid():
        chosen = form.cleaned_data["notification"]
        services.notifications_mark_read(
            user=request.user, ids=[chosen] if chosen is not None else None
        )
    else:
        messages.error(request, _("That notification could not be marked read."))
    return redirect("notifications:list")


@login_required
@require_POST
def digest(request):
    form = forms.DigestForm(request.POST)
    if form.is_valid():
        services.digest_preference_set(
            user=request.user, daily_digest=form.cleaned_data["daily_digest"]
        )
        messages.success(
            request,
            _("You will get the daily e-mail.")
            if form.cleaned_data["daily_digest"]
            else _("You will not get the daily e-mail."),
        )
    return redirect("notifications:list")
