"""Pages of the prosecutions: the list, registering one, and the page of one case with
the forms for its next steps (charge, verdict, drop, link victims' cases)."""

from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from brik.accounts.permissions import Ability, permission_required
from brik.cooperation import forms, selectors, services
from brik.cooperation.models import ProsecutionCase
from brik.cooperation.views.common import PAGE_SIZE, back_to, without_token
from brik.core import choices
from brik.core.views import submit_once


@permission_required(Ability.COOPERATION_VIEW)
@require_GET
def prosecutions(request):
    page = Paginator(selectors.prosecution_list(), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "cooperation/prosecutions.html", {"page": page})


@permission_required(Ability.COOPERATION_VIEW, Ability.COOPERATION_CHANGE)
@require_http_methods(["GET", "POST"])
def prosecution_open(request):
    form = forms.ProsecutionOpenForm(request.POST or None)
    if request.method == "POST":
        done = submit_once(
            request,
            form,
            lambda d: services.prosecution_open(actor=request.user, **without_token(d)),
            success=_("The prosecution case is registered."),
            next_url=lambda p: reverse("cooperation:prosecution", args=[p.pk]),
            field_map={"duplicate_case_number": "police_case_number", "future_date": "opened_on"},
        )
        if done:
            return done
    return render(
        request,
        "cooperation/form_page.html",
        {
            "form": form,
            "title": _("Register a prosecution case"),
            "submit": _("Register"),
            "back": reverse("cooperation:prosecutions"),
        },
        status=422 if form.errors else 200,
    )


def _prosecution(pk: int) -> ProsecutionCase:
    return get_object_or_404(selectors.prosecution_details(), pk=pk)


def _prosecution_page(request, prosecution, status=200, **bound):
    open_steps = prosecution.status in (
        choices.ProsecutionStatus.INVESTIGATION,
        choices.ProsecutionStatus.CHARGED,
    )
    context = {
        "prosecution": prosecution,
        "charges": [
            choices.Charge(code).label
            for code in prosecution.charges
            if code in choices.Charge.values
        ],
        # A refused form is shown with its errors even where the state hides it.
        "charge_form": bound.get("charge_form")
        or (
            forms.ProsecutionChargeForm()
            if prosecution.status == choices.ProsecutionStatus.INVESTIGATION
            else None
        ),
        "verdict_form": bound.get("verdict_form")
        or (
            forms.ProsecutionVerdictForm()
            if prosecution.status == choices.ProsecutionStatus.CHARGED
            else None
        ),
        "drop_form": bound.get("drop_form")
        or (forms.ProsecutionDropForm() if open_steps else None),
        "link_form": bound.get("link_form") or forms.CaseLinkForm(),
    }
    return render(request, "cooperation/prosecution.html", context, status=status)


@permission_required(Ability.COOPERATION_VIEW)
@require_GET
def prosecution(request, pk):
    return _prosecution_page(request, _prosecution(pk))


def _prosecution_step(request, pk, form_class, form_name, run, success, field_map=None):
    prosecution = _prosecution(pk)
    form = form_class(request.POST)
    done = submit_once(
        request,
        form,
        lambda d: run(prosecution, d),
        success=success,
        next_url=back_to("cooperation:prosecution", pk),
        field_map=field_map,
    )
    return done or _prosecution_page(request, prosecution, 422, **{form_name: form})


@permission_required(Ability.COOPERATION_VIEW, Ability.COOPERATION_CHANGE)
@require_POST
def prosecution_charge(request, pk):
    return _prosecution_step(
        request,
        pk,
        forms.ProsecutionChargeForm,
        "charge_form",
        lambda p, d: services.prosecution_charge(
            actor=request.user,
            prosecution=p,
            charged_on=d["charged_on"],
            charges=d["charges"],
            persons_charged=d["persons_charged"],
        ),
        _("The charge is recorded."),
        {"date_order": "charged_on", "future_date": "charged_on"},
    )


@permission_required(Ability.COOPERATION_VIEW, Ability.COOPERATION_CHANGE)
@require_POST
def prosecution_verdict(request, pk):
    return _prosecution_step(
        request,
        pk,
        forms.ProsecutionVerdictForm,
        "verdict_form",
        lambda p, d: services.prosecution_record_verdict(
            actor=request.user,
            prosecution=p,
            verdict_on=d["verdict_on"],
            verdict=d["verdict"],
            persons_convicted=d["persons_convicted"],
            sentence=d["sentence"],
            compensation_dkk=d["compensation_dkk"],
        ),
        _("The verdict is recorded."),
        {
            "date_order": "verdict_on",
            "future_date": "verdict_on",
            "convicted_above_charged": "persons_convicted",
            "acquittal_mismatch": "verdict",
            "conviction_mismatch": "persons_convicted",
        },
    )


@permission_required(Ability.COOPERATION_VIEW, Ability.COOPERATION_CHANGE)
@require_POST
def prosecution_drop(request, pk):
    return _prosecution_step(
        request,
        pk,
        forms.ProsecutionDropForm,
        "drop_form",
        lambda p, d: services.prosecution_drop(
            actor=request.user, prosecution=p, dropped_on=d["dropped_on"], reason=d["reason"]
        ),
        _("The prosecution case is dropped."),
        {"date_order": "dropped_on", "future_date": "dropped_on"},
    )


@permission_required(Ability.COOPERATION_VIEW, Ability.COOPERATION_CHANGE)
@require_POST
def prosecution_link(request, pk):
    return _prosecution_step(
        request,
        pk,
        forms.CaseLinkForm,
        "link_form",
        lambda p, d: services.prosecution_link_victim(
            actor=request.user, prosecution=p, case=d["case"]
        ),
        _("The victim's case is linked."),
        {"already_linked": "case"},
    )


@permission_required(Ability.COOPERATION_VIEW, Ability.COOPERATION_CHANGE)
@require_POST
def prosecution_unlink(request, pk):
    return _prosecution_step(
        request,
        pk,
        forms.CaseUnlinkForm,
        "unlink_form",
        lambda p, d: services.prosecution_unlink_victim(
            actor=request.user, prosecution=p, case=d["case"]
        ),
        _("The link is removed."),
    )
