"""Centre staff list, search and read cases, and record steps through the workflow.

The list calls the web case list's selector (`cases_filtered`) with the web's
filter form, so its search is the web's; a case is read with the case page's
selector and audited as `brik.case.viewed`; a step goes through the step's web
form and service (`workflow.require` inside), one step per Idempotency-Key.
"""

from datetime import date, datetime
from typing import Annotated

from django.http import HttpRequest, QueryDict
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Header, Query, Router, Schema, Status

from brik.accounts.permissions import Ability, can
from brik.api import selectors
from brik.api.endpoints.core import (
    ApiProblem,
    allowed,
    form_data,
    form_errors,
    idempotent,
    invalid,
    responses,
    run_form,
    token,
)
from brik.api.models import Scope
from brik.audit.events import AuditEvent
from brik.audit.services import access_record
from brik.cases import forms
from brik.cases import selectors as case_selectors
from brik.cases.models import Case
from brik.cases.views import STEPS
from brik.cases.workflow import Action

router = Router(tags=["cases"])


class Named(Schema):
    id: int
    name: str


class CaseOut(Schema):
    """A case's statistical fields, as the web case list shows them."""

    id: int
    code: str
    status: str
    referred_on: date
    decided_on: date | None
    outcome: str
    deciding_authority: str
    forms_of_exploitation: list[str]
    gender: str
    birth_year: int | None
    citizenships: list[str]
    referring_organisation: Named | None
    assigned_to: Named | None


class Identity(Schema):
    given_names: str
    family_name: str
    aliases: str
    date_of_birth: date | None


class CaseDetail(CaseOut):
    identity: Identity | None = Field(
        description="Only for users who may read identities (null otherwise)"
    )
    available_steps: list[str]


class CasePage(Schema):
    items: list[CaseOut]
    next_cursor: str | None


def _named(obj, name: str) -> dict | None:
    return None if obj is None else {"id": obj.pk, "name": name}


def case_out(case: Case) -> dict:
    assessment = case_selectors.related_or_none(case, "assessment")
    referral = case_selectors.related_or_none(case, "referral")
    organisation = referral.referring_organisation if referral else None
    worker = case.assigned_to
    return {
        "id": case.pk,
        "code": case.code,
        "status": case.status,
        "referred_on": case.referred_on,
        "decided_on": case.decided_on,
        "outcome": case.outcome,
        "deciding_authority": assessment.deciding_authority if assessment else "",
        "forms_of_exploitation": [f.form for f in assessment.forms.all()] if assessment else [],
        "gender": case.person.gender,
        "birth_year": case.person.birth_year,
        "citizenships": [c.country for c in case.person.citizenships.all()],
        "referring_organisation": _named(organisation, organisation.name if organisation else ""),
        "assigned_to": _named(
            worker, (worker.get_full_name() or worker.username) if worker else ""
        ),
    }


@router.get("/cases", response=responses(_200=CasePage), url_name="case_list")
def case_list(
    request: HttpRequest,
    q: str = Query("", max_length=30, description="The web case list's search"),
    status: str = Query("", max_length=30),
    open: str = Query("", max_length=10, description="'open', 'closed' or empty"),
    referred_year: int | None = Query(None),
    decided_year: int | None = Query(None),
    authority: str = Query("", max_length=30),
    form: str = Query("", max_length=30, description="Form of exploitation"),
    citizenship: str = Query("", max_length=10),
    assigned: str = Query("", max_length=20, description="A user id, or 'none'"),
    organisation: str = Query("", max_length=20, description="Referring organisation id"),
    cursor: str | None = Query(None, max_length=500),
    limit: int = Query(50, ge=1, le=selectors.MAX_LIMIT),
):
    """Cases, newest referral first, with the web case list's filters."""
    user = allowed(request, Scope.CASES_READ, Ability.CASE_LIST)
    values = {
        "q": q,
        "status": status,
        "open": open,
        "referred_year": referred_year,
        "decided_year": decided_year,
        "authority": authority,
        "form": form,
        "citizenship": citizenship,
        "assigned": assigned,
        "organisation": organisation,
    }
    staff, referrers = case_selectors.case_list_choices()
    filter_form = forms.CaseFilterForm(
        {k: "" if v is None else str(v) for k, v in values.items()},
        staff=staff,
        referrers=referrers,
    )
    if not filter_form.is_valid():
        raise invalid(form_errors(filter_form))
    page = selectors.case_page(user=user, filters=filter_form.filters(), cursor=cursor, limit=limit)
    return Status(
        200, {"items": [case_out(c) for c in page.items], "next_cursor": page.next_cursor}
    )


def _case(user, case_id: int) -> Case:
    if not -(2**63) < case_id < 2**63:
        raise ApiProblem(404, "not-found", _("Not found."))
    try:
        return case_selectors.case_detail(user=user, pk=case_id)
    except Case.DoesNotExist:
        raise ApiProblem(404, "not-found", _("Not found.")) from None


@router.get("/cases/{case_id}", response=responses(_200=CaseDetail), url_name="case_detail")
def case_detail(request: HttpRequest, case_id: int):
    """One case (as the case page: the reading is in the action log)."""
    user = allowed(request, Scope.CASES_READ, Ability.CASE_VIEW)
    case = _case(user, case_id)
    sees_identity = can(user, Ability.PERSON_IDENTITY)
    access_record(
        actor=user,
        action=AuditEvent.CASE_VIEWED,
        obj=case,
        case=case,
        data={"identity": sees_identity, "narratives": False, "api_token": token(request).pk},
    )
    identity = case_selectors.related_or_none(case.person, "identity") if sees_identity else None
    return Status(
        200,
        {
            **case_out(case),
            "identity": None
            if identity is None
            else {
                "given_names": identity.given_names,
                "family_name": identity.family_name,
                "aliases": identity.aliases,
                "date_of_birth": identity.date_of_birth,
            },
            "available_steps": [
                str(a)
                for a in case_selectors.case_available_actions(
                    case, timezone.localdate(), user=user
                )
            ],
        },
    )


# --- steps ------------------------------------------------------------------------------


class AssignIn(Schema):
    caseworker: int | None = Field(None, description="A centre staff member's id; null: nobody")


class InterviewPlanIn(Schema):
    planned_for: datetime
    place: str = Field("", max_length=200)
    interviewers: list[int] = Field(default_factory=list, max_length=20)
    interpreter_language: str = Field("", max_length=20)


class DecisionIn(Schema):
    decided_on: date
    deciding_authority: str
    outcome: str
    exploitation_forms: list[str] = Field(default_factory=list, max_length=20)
    sexual_exploitation_type: str = ""
    labour_sector: str = ""
    means_of_control: list[str] = Field(default_factory=list, max_length=30)
    countries_of_exploitation: list[str] = Field(default_factory=list, max_length=30)
    exploitation_from: date | None = None
    exploitation_to: date | None = None
    notes: str = Field("", max_length=20000)


# A record's id in a step (an interview, a support measure, a staff member, a partner).
Id = Annotated[int, Field(ge=1, le=2**63 - 1)]
Text = Annotated[str, Field(max_length=10000)]
Code = Annotated[str, Field(max_length=50)]


class ScreeningIn(Schema):
    screened_on: date
    urgent: bool = False
    safe_to_contact: Code = Field(description="yes, no or unknown")
    needs_interpreter: bool = False
    interpreter_language: str = Field("", max_length=20)
    notes: Text = ""


class InterviewRecordIn(Schema):
    interview: Id | None = Field(None, description="The planned interview held; null: none")
    held_on: date
    place: str = Field("", max_length=200)
    interviewers: list[Id] = Field(default_factory=list, max_length=20)
    interpreter_language: str = Field("", max_length=20)
    indicators: list[Code] = Field(default_factory=list, max_length=50)
    dimensions: list[Code] = Field(default_factory=list, max_length=50)
    notes: Text = ""


class InterviewCancelIn(Schema):
    interview: Id
    reason: str = Field("", max_length=200)


class ReflectionStartIn(Schema):
    starts_on: date


class ReflectionExtendIn(Schema):
    new_ends_on: date
    reason: Code
    extended_on: date
    note: Text = ""


class SupportAddIn(Schema):
    kind: Code
    starts_on: date
    ends_on: date | None = None
    provider: Id | None = Field(None, description="An organisation's id")
    note: Text = ""


class SupportEndIn(Schema):
    measure: Id
    ends_on: date


class ReturnOfferIn(Schema):
    offered_on: date


class ReturnAcceptIn(Schema):
    accepted_on: date
    destination_country: Code
    destination_kind: Code = Field(description="home or residence")
    reintegration_partner: Id | None = Field(None, description="An organisation's id")
    plan_allowance: bool = False
    plan_housing: bool = False
    plan_income_activity: bool = False
    plan_medical: bool = False
    plan_schooling_self: bool = False
    plan_schooling_children: bool = False
    plan_notes: Text = ""


class ReturnDeclineIn(Schema):
    declined_on: date


class ReturnDepartIn(Schema):
    departed_on: date
    follow_up_months: int = Field(ge=0, le=120)


class FollowUpIn(Schema):
    held_on: date
    status: Code
    notes: Text = ""


class StayIn(Schema):
    basis: Code
    stay_from: date


class CloseIn(Schema):
    closed_on: date
    reason: Code
    follow_up_end_reason: Text = ""
    carry_over: list[Id] = Field(default_factory=list, max_length=50)
    note: Text = ""


class ReopenIn(Schema):
    reopened_on: date
    reason: Code
    note: Text = ""


class AmendIn(Schema):
    target: str = Field(max_length=100, description="One of the case's amendable values")
    value: str | list[str] | None = Field(
        None, description="The corrected value (a list for several choices or staff ids)"
    )
    reason: Text


def _step(
    request: HttpRequest,
    case_id: int,
    action: Action,
    payload: Schema,
    key: str,
    extra: dict | None = None,
):
    """The web's step: its form, its service, the web step page's abilities (case_action)."""
    user = allowed(request, Scope.CASES_WRITE, Ability.CASE_VIEW, Ability.CASE_CHANGE)
    step = STEPS[action]
    body = payload.model_dump(mode="json")

    def run():
        case = _case(user, case_id)
        data = QueryDict(mutable=True)
        data.update(form_data({**payload.model_dump(), **(extra or {})}))
        form = step.form(data, case=case, user=user)
        run_form(form, lambda data: step.run(user, case, data), step.field_map)
        return 200, case_out(_case(user, case_id))

    return Status(*idempotent(request, key, body, run))


KEY = Header(..., alias="Idempotency-Key", min_length=1, max_length=200)


@router.post("/cases/{case_id}/assign", response=responses(_200=CaseOut), url_name="case_assign")
def case_assign(request: HttpRequest, case_id: int, payload: AssignIn, idempotency_key: str = KEY):
    """Assign the case's contact person (the step case_assign)."""
    return _step(request, case_id, Action.CASE_ASSIGN, payload, idempotency_key)


@router.post(
    "/cases/{case_id}/interviews", response=responses(_200=CaseOut), url_name="interview_plan"
)
def interview_plan(
    request: HttpRequest, case_id: int, payload: InterviewPlanIn, idempotency_key: str = KEY
):
    """Plan an interview (the step interview_plan)."""
    return _step(request, case_id, Action.INTERVIEW_PLAN, payload, idempotency_key)


@router.post(
    "/cases/{case_id}/decision", response=responses(_200=CaseOut), url_name="assessment_decide"
)
def assessment_decide(
    request: HttpRequest, case_id: int, payload: DecisionIn, idempotency_key: str = KEY
):
    """Record the assessment decision (the step assessment_decide)."""
    return _step(request, case_id, Action.ASSESSMENT_DECIDE, payload, idempotency_key)


@router.post(
    "/cases/{case_id}/screening", response=responses(_200=CaseOut), url_name="screening_record"
)
def screening_record(
    request: HttpRequest, case_id: int, payload: ScreeningIn, idempotency_key: str = KEY
):
    """Record the screening (the step screening_record)."""
    return _step(request, case_id, Action.SCREENING_RECORD, payload, idempotency_key)


@router.post(
    "/cases/{case_id}/interviews/record",
    response=responses(_200=CaseOut),
    url_name="interview_record",
)
def interview_record(
    request: HttpRequest, case_id: int, payload: InterviewRecordIn, idempotency_key: str = KEY
):
    """Record an interview held (planned or not) (the step interview_record)."""
    return _step(request, case_id, Action.INTERVIEW_RECORD, payload, idempotency_key)


@router.post(
    "/cases/{case_id}/interviews/cancel",
    response=responses(_200=CaseOut),
    url_name="interview_cancel",
)
def interview_cancel(
    request: HttpRequest, case_id: int, payload: InterviewCancelIn, idempotency_key: str = KEY
):
    """Cancel a planned interview (the step interview_cancel)."""
    return _step(request, case_id, Action.INTERVIEW_CANCEL, payload, idempotency_key)


@router.post(
    "/cases/{case_id}/reflection", response=responses(_200=CaseOut), url_name="reflection_start"
)
def reflection_start(
    request: HttpRequest, case_id: int, payload: ReflectionStartIn, idempotency_key: str = KEY
):
    """Start the reflection period (the step reflection_start)."""
    return _step(request, case_id, Action.REFLECTION_START, payload, idempotency_key)


@router.post(
    "/cases/{case_id}/reflection/extend",
    response=responses(_200=CaseOut),
    url_name="reflection_extend",
)
def reflection_extend(
    request: HttpRequest, case_id: int, payload: ReflectionExtendIn, idempotency_key: str = KEY
):
    """Extend the reflection period (the step reflection_extend)."""
    return _step(request, case_id, Action.REFLECTION_EXTEND, payload, idempotency_key)


@router.post("/cases/{case_id}/support", response=responses(_200=CaseOut), url_name="support_add")
def support_add(
    request: HttpRequest, case_id: int, payload: SupportAddIn, idempotency_key: str = KEY
):
    """Add a support measure (the step support_add)."""
    return _step(request, case_id, Action.SUPPORT_ADD, payload, idempotency_key)


@router.post(
    "/cases/{case_id}/support/end", response=responses(_200=CaseOut), url_name="support_end"
)
def support_end(
    request: HttpRequest, case_id: int, payload: SupportEndIn, idempotency_key: str = KEY
):
    """End a support measure (the step support_end)."""
    return _step(request, case_id, Action.SUPPORT_END, payload, idempotency_key)


@router.post(
    "/cases/{case_id}/return/offer", response=responses(_200=CaseOut), url_name="return_offer"
)
def return_offer(
    request: HttpRequest, case_id: int, payload: ReturnOfferIn, idempotency_key: str = KEY
):
    """Offer a prepared return (the step return_offer)."""
    return _step(request, case_id, Action.RETURN_OFFER, payload, idempotency_key)


@router.post(
    "/cases/{case_id}/return/accept", response=responses(_200=CaseOut), url_name="return_accept"
)
def return_accept(
    request: HttpRequest, case_id: int, payload: ReturnAcceptIn, idempotency_key: str = KEY
):
    """Record that the person accepts the prepared return, with the plan (the step return_accept)."""
    return _step(request, case_id, Action.RETURN_ACCEPT, payload, idempotency_key)


@router.post(
    "/cases/{case_id}/return/decline", response=responses(_200=CaseOut), url_name="return_decline"
)
def return_decline(
    request: HttpRequest, case_id: int, payload: ReturnDeclineIn, idempotency_key: str = KEY
):
    """Record that the person declines the prepared return (the step return_decline)."""
    return _step(request, case_id, Action.RETURN_DECLINE, payload, idempotency_key)


@router.post(
    "/cases/{case_id}/return/depart", response=responses(_200=CaseOut), url_name="return_depart"
)
def return_depart(
    request: HttpRequest, case_id: int, payload: ReturnDepartIn, idempotency_key: str = KEY
):
    """Record the departure (the step return_depart)."""
    return _step(request, case_id, Action.RETURN_DEPART, payload, idempotency_key)


@router.post(
    "/cases/{case_id}/follow-ups", response=responses(_200=CaseOut), url_name="follow_up_add"
)
def follow_up_add(
    request: HttpRequest, case_id: int, payload: FollowUpIn, idempotency_key: str = KEY
):
    """Add a follow-up contact after the return (the step follow_up_add)."""
    return _step(request, case_id, Action.FOLLOW_UP_ADD, payload, idempotency_key)


@router.post("/cases/{case_id}/stay", response=responses(_200=CaseOut), url_name="case_record_stay")
def case_record_stay(
    request: HttpRequest, case_id: int, payload: StayIn, idempotency_key: str = KEY
):
    """Record that the person stays in the country (the step case_record_stay)."""
    return _step(request, case_id, Action.CASE_RECORD_STAY, payload, idempotency_key)


@router.post("/cases/{case_id}/close", response=responses(_200=CaseOut), url_name="case_close")
def case_close(request: HttpRequest, case_id: int, payload: CloseIn, idempotency_key: str = KEY):
    """Close the case (the step case_close)."""
    return _step(request, case_id, Action.CASE_CLOSE, payload, idempotency_key)


@router.post("/cases/{case_id}/reopen", response=responses(_200=CaseOut), url_name="case_reopen")
def case_reopen(request: HttpRequest, case_id: int, payload: ReopenIn, idempotency_key: str = KEY):
    """Reopen the case (the step case_reopen)."""
    return _step(request, case_id, Action.CASE_REOPEN, payload, idempotency_key)


@router.post("/cases/{case_id}/amend", response=responses(_200=CaseOut), url_name="case_amend")
def case_amend(request: HttpRequest, case_id: int, payload: AmendIn, idempotency_key: str = KEY):
    """Correct one recorded value, with the reason (the step case_amend)."""
    # The web form takes a value only from the field it showed for the chosen target;
    # an API client names the target with the value, so the value's field is the one seen.
    extra = {"shown": payload.target}
    return _step(request, case_id, Action.CASE_AMEND, payload, idempotency_key, extra)
