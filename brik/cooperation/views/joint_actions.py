"""Pages of the joint authority actions: the list, planning one, and the page of one
action with the forms for its next steps (record the outcome, cancel, link referrals)."""

from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from brik.accounts.permissions import Ability, permission_required
from brik.cooperation import forms, selectors, services
from brik.cooperation.models import JointAction
from brik.cooperation.views.common import PAGE_SIZE, back_to, without_token
from brik.core import choices
from brik.core.views import submit_once


@permission_required(Ability.COOPERATION_VIEW)
@require_GET
def joint_actions(request):
    status = request.GET.get("status") or None
    if status not in choices.JointActionStatus.values:
        status = None
    page = Paginator(selectors.joint_action_list(status=status), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "cooperation/joint_actions.html",
        {"page": page, "status": status, "statuses": choices.JointActionStatus.choices},
    )


@permission_required(Ability.COOPERATION_VIEW, Ability.COOPERATION_CHANGE)
@require_http_methods(["GET", "POST"])
def joint_action_plan(request):
    form = forms.JointActionPlanForm(request.POST or None)
    if request.method == "POST":
        done = submit_once(
            request,
            form,
            lambda d: services.joint_action_plan(actor=request.user, **without_token(d)),
            success=_("The joint action is planned."),
            next_url=lambda action: reverse("cooperation:joint_action", args=[action.pk]),
        )
        if done:
            return done
    return render(
        request,
        "cooperation/form_page.html",
        {
            "form": form,
            "title": _("Plan a joint authority action"),
            "submit": _("Plan the action"),
            "back": reverse("cooperation:joint_actions"),
        },
        status=422 if form.errors else 200,
    )


def _joint_action_page(request, action: JointAction, status: int = 200, **bound):
    """The action's page; `bound` holds a refused form, shown with its errors."""
    context = {
        "action": action,
        "linked": selectors.joint_action_linked_cases(action=action),
        # A refused form is shown with its errors even where the state hides it.
        "can_record": "outcome_form" in bound
        or (
            action.status == choices.JointActionStatus.PLANNED
            and action.planned_for <= timezone.localdate()
        ),
        "can_cancel": "cancel_form" in bound or action.status == choices.JointActionStatus.PLANNED,
        "outcome_form": bound.get("outcome_form") or forms.JointActionOutcomeForm(),
        "cancel_form": bound.get("cancel_form") or forms.JointActionCancelForm(),
        "link_form": bound.get("link_form") or forms.CaseLinkForm(),
    }
    return render(request, "cooperation/joint_action.html", context, status=status)


def _joint_action(pk: int) -> JointAction:
    return get_object_or_404(selectors.joint_action_details(), pk=pk)


@permission_required(Ability.COOPERATION_VIEW)
@require_GET
def joint_action(request, pk):
    return _joint_action_page(request, _joint_action(pk))


@permission_required(Ability.COOPERATION_VIEW, Ability.COOPERATION_CHANGE)
@require_POST
def joint_action_outcome(request, pk):
    action = _joint_action(pk)
    form = forms.JointActionOutcomeForm(request.POST)
    done = submit_once(
        request,
        form,
        lambda d: services.joint_action_record_outcome(
            actor=request.user,
            action=action,
            persons_met=d["persons_met"],
            persons_referred=d["persons_referred"],
            notes=d["notes"],
        ),
        success=_("The outcome is recorded."),
        next_url=back_to("cooperation:joint_action", pk),
        field_map={"referred_above_met": "persons_referred"},
    )
    return done or _joint_action_page(request, action, 422, outcome_form=form)


@permission_required(Ability.COOPERATION_VIEW, Ability.COOPERATION_CHANGE)
@require_POST
def joint_action_cancel(request, pk):
    action = _joint_action(pk)
    form = forms.JointActionCancelForm(request.POST)
    done = submit_once(
        request,
        form,
        lambda d: services.joint_action_cancel(
            actor=request.user, action=action, reason=d["reason"]
        ),
        success=_("The joint action is cancelled."),
        next_url=back_to("cooperation:joint_action", pk),
    )
    return done or _joint_action_page(request, action, 422, cancel_form=form)


@permission_required(Ability.COOPERATION_VIEW, Ability.COOPERATION_CHANGE)
@require_POST
def joint_action_link(request, pk):
    action = _joint_action(pk)
    form = forms.CaseLinkForm(request.POST)
    done = submit_once(
        request,
        form,
        lambda d: services.joint_action_link_referral(
            actor=request.user, action=action, case=d["case"]
        ),
        success=_("The referral is linked to the action."),
        next_url=back_to("cooperation:joint_action", pk),
        field_map={
            "already_linked": "case",
            "linked_elsewhere": "case",
            "date_order": "case",
            "no_referral": "case",
        },
    )
    return done or _joint_action_page(request, action, 422, link_form=form)


@permission_required(Ability.COOPERATION_VIEW, Ability.COOPERATION_CHANGE)
@require_POST
def joint_action_unlink(request, pk):
    action = _joint_action(pk)
    form = forms.CaseUnlinkForm(request.POST)
    done = submit_once(
        request,
        form,
        lambda d: services.joint_action_unlink_referral(
            actor=request.user, action=action, case=d["case"]
        ),
        success=_("The link is removed."),
        next_url=back_to("cooperation:joint_action", pk),
    )
    return done or _joint_action_page(request, action, 422)
