"""The step pages of a case: for every step of brik.cases.workflow, its form, its
texts, and how the form's data reaches its service."""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _

from brik.cases import forms, services, workflow
from brik.cases.workflow import Action

if TYPE_CHECKING:
    from django_stubs_ext import StrPromise

# --- the steps on a case ------------------------------------------------------------------


@dataclass(frozen=True)
class Step:
    form: type
    title: "StrPromise"
    submit: "StrPromise"
    done: "StrPromise"
    run: Callable
    # A service's error code → the field the error is about.
    field_map: dict[str, str | None] = field(default_factory=dict)
    primary: bool = True


def _plan(actor, case, d):
    return services.interview_plan(
        actor=actor,
        case=case,
        planned_for=d["planned_for"],
        place=d["place"],
        interviewers=d["interviewers"],
        interpreter_language=d["interpreter_language"],
    )


def _record(actor, case, d):
    return services.interview_record(
        actor=actor,
        case=case,
        held_on=d["held_on"],
        interview=d["interview"],
        place=d["place"],
        interviewers=d["interviewers"],
        interpreter_language=d["interpreter_language"],
        indicators=d["indicators"],
        dimensions=d["dimensions"],
        notes=d["notes"],
    )


def _decide(actor, case, d):
    decision = services.Decision(
        decided_on=d["decided_on"],
        deciding_authority=d["deciding_authority"],
        outcome=d["outcome"],
        forms=d["exploitation_forms"],
        sexual_exploitation_type=d["sexual_exploitation_type"],
        labour_sector=d["labour_sector"],
        means_of_control=d["means_of_control"],
        countries_of_exploitation=d["countries_of_exploitation"],
        exploitation_from=d["exploitation_from"],
        exploitation_to=d["exploitation_to"],
        notes=d["notes"],
    )
    return services.assessment_decide(actor=actor, case=case, decision=decision)


def _accept(actor, case, d):
    plan = services.ReturnPlan(
        accepted_on=d["accepted_on"],
        destination_country=d["destination_country"],
        destination_kind=d["destination_kind"],
        reintegration_partner=d["reintegration_partner"],
        plan_notes=d["plan_notes"],
        **{name: d[name] for name in forms.ReturnAcceptForm.PLAN_FIELDS},
    )
    return services.return_accept(actor=actor, case=case, plan=plan)


_STEP_PAGES: dict[Action, Step] = {
    Action.SCREENING_RECORD: Step(
        forms.ScreeningForm,
        _("Record the screening"),
        _("Record the screening"),
        _("The screening is recorded."),
        lambda actor, case, d: services.screening_record(
            actor=actor,
            case=case,
            screened_on=d["screened_on"],
            urgent=d["urgent"],
            needs_interpreter=d["needs_interpreter"],
            interpreter_language=d["interpreter_language"],
            safe_to_contact=d["safe_to_contact"],
            notes=d["notes"],
        ),
        {"future_date": "screened_on", "invalid_choice": "safe_to_contact"},
        primary=False,
    ),
    Action.INTERVIEW_PLAN: Step(
        forms.InterviewPlanForm,
        _("Plan an interview"),
        _("Plan the interview"),
        _("The interview is planned."),
        _plan,
    ),
    Action.INTERVIEW_RECORD: Step(
        forms.InterviewRecordForm,
        _("Record an interview"),
        _("Record the interview"),
        _("The interview is recorded."),
        _record,
        {"future_date": "held_on"},
    ),
    Action.INTERVIEW_CANCEL: Step(
        forms.InterviewCancelForm,
        _("Cancel an interview"),
        _("Cancel the interview"),
        _("The interview is cancelled."),
        lambda actor, case, d: services.interview_cancel(
            actor=actor, interview=d["interview"], reason=d["reason"]
        ),
        primary=False,
    ),
    Action.ASSESSMENT_DECIDE: Step(
        forms.DecideForm,
        _("Record the decision"),
        _("Record the decision"),
        _("The decision is recorded."),
        _decide,
        {
            "future_date": "decided_on",
            "forms_required": "exploitation_forms",
            "form_mismatch": "sexual_exploitation_type",
        },
    ),
    Action.REFLECTION_START: Step(
        forms.ReflectionStartForm,
        _("Start the reflection period"),
        _("Start the period"),
        _("The reflection period has started."),
        lambda actor, case, d: services.reflection_start(
            actor=actor, case=case, starts_on=d["starts_on"]
        ),
    ),
    Action.REFLECTION_EXTEND: Step(
        forms.ReflectionExtendForm,
        _("Extend the reflection period"),
        _("Extend the period"),
        _("The reflection period is extended."),
        lambda actor, case, d: services.reflection_extend(
            actor=actor,
            case=case,
            new_ends_on=d["new_ends_on"],
            reason=d["reason"],
            extended_on=d["extended_on"],
            note=d["note"],
        ),
        {
            "beyond_legal_maximum": "new_ends_on",
            "future_date": "extended_on",
            "period_ended": "extended_on",
        },
    ),
    Action.SUPPORT_ADD: Step(
        forms.SupportAddForm,
        _("Add support"),
        _("Add the support"),
        _("The support is added."),
        lambda actor, case, d: services.support_add(
            actor=actor,
            case=case,
            kind=d["kind"],
            starts_on=d["starts_on"],
            ends_on=d["ends_on"],
            provider=d["provider"],
            note=d["note"],
        ),
    ),
    Action.SUPPORT_END: Step(
        forms.SupportEndForm,
        _("End support"),
        _("End the support"),
        _("The support has ended."),
        lambda actor, case, d: services.support_end(
            actor=actor, measure=d["measure"], ends_on=d["ends_on"]
        ),
        primary=False,
    ),
    Action.RETURN_OFFER: Step(
        forms.ReturnOfferForm,
        _("Offer a prepared return"),
        _("Record the offer"),
        _("The prepared return is offered."),
        lambda actor, case, d: services.return_offer(
            actor=actor, case=case, offered_on=d["offered_on"]
        ),
        {"future_date": "offered_on"},
    ),
    Action.RETURN_ACCEPT: Step(
        forms.ReturnAcceptForm,
        _("The person accepts the prepared return"),
        _("Record the acceptance"),
        _("The acceptance is recorded."),
        _accept,
        {"future_date": "accepted_on"},
    ),
    Action.RETURN_DECLINE: Step(
        forms.ReturnDeclineForm,
        _("The person declines the prepared return"),
        _("Record the refusal"),
        _("The refusal is recorded."),
        lambda actor, case, d: services.return_decline(
            actor=actor, case=case, declined_on=d["declined_on"]
        ),
        {"future_date": "declined_on"},
        primary=False,
    ),
    Action.RETURN_DEPART: Step(
        forms.ReturnDepartForm,
        _("Record the departure"),
        _("Record the departure"),
        _("The departure is recorded."),
        lambda actor, case, d: services.return_depart(
            actor=actor,
            case=case,
            departed_on=d["departed_on"],
            follow_up_months=d["follow_up_months"],
        ),
        {"future_date": "departed_on"},
    ),
    Action.FOLLOW_UP_ADD: Step(
        forms.FollowUpForm,
        _("Add a follow-up contact"),
        _("Add the follow-up"),
        _("The follow-up is recorded."),
        lambda actor, case, d: services.follow_up_add(
            actor=actor, case=case, held_on=d["held_on"], status=d["status"], notes=d["notes"]
        ),
        {"future_date": "held_on", "follow_up_over": "held_on"},
    ),
    Action.CASE_RECORD_STAY: Step(
        forms.StayForm,
        _("The person stays in the country"),
        _("Record the stay"),
        _("The stay is recorded."),
        lambda actor, case, d: services.case_record_stay(
            actor=actor, case=case, basis=d["basis"], stay_from=d["stay_from"]
        ),
        primary=False,
    ),
    Action.CASE_ASSIGN: Step(
        forms.AssignForm,
        _("Assign a contact person"),
        _("Assign"),
        _("The contact person is assigned."),
        lambda actor, case, d: services.case_assign(
            actor=actor, case=case, caseworker=d["caseworker"]
        ),
        primary=False,
    ),
    Action.CASE_CLOSE: Step(
        forms.CloseForm,
        _("Close the case"),
        _("Close the case"),
        _("The case is closed."),
        lambda actor, case, d: services.case_close(
            actor=actor,
            case=case,
            closed_on=d["closed_on"],
            reason=d["reason"],
            note=d["note"],
            carry_over=d.get("carry_over") or (),
            follow_up_end_reason=d.get("follow_up_end_reason") or "",
        ),
        {"future_date": "closed_on", "reason_mismatch": "reason"},
        primary=False,
    ),
    Action.CASE_REOPEN: Step(
        forms.ReopenForm,
        _("Reopen the case"),
        _("Reopen the case"),
        _("The case is reopened."),
        lambda actor, case, d: services.case_reopen(
            actor=actor, case=case, reopened_on=d["reopened_on"], reason=d["reason"], note=d["note"]
        ),
        {"future_date": "reopened_on"},
    ),
    Action.CASE_AMEND: Step(
        forms.AmendForm,
        _("Correct a recorded value"),
        _("Save the correction"),
        _("The correction is saved."),
        lambda actor, case, d: services.case_amend(
            actor=actor, case=case, target=d["target"], value=d.get("value"), reason=d["reason"]
        ),
        {"future_date": "value", "implausible_date": "value"},
        primary=False,
    ),
}


# The steps of the case page, in the workflow's order; every step on a case has a page.
# Keyed by str: the page's address names the step, and an Action is its name (StrEnum).
STEPS: dict[str, Step] = {action: _STEP_PAGES[action] for action in workflow.CASE_STEPS}
