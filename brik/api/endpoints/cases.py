"""Centre staff list, search and read cases, and record steps through the workflow.

The list calls the web case list's selector (`cases_filtered`) with the web's
filter form, so its search is the web's; a case is read with the case page's
selector and audited as `brik.case.viewed`; a step goes through the step's web
form and service (`workflow.require` inside), one step per Idempotency-Key.
"""

from datetime import date, datetime

from django.http import HttpRequest
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


def _step(request: HttpRequest, case_id: int, action: Action, payload: Schema, key: str):
    user = allowed(request, Scope.CASES_WRITE, Ability.CASE_VIEW, Ability.CASE_CHANGE)
    step = STEPS[action]
    body = payload.model_dump(mode="json")

    def run():
        case = _case(user, case_id)
        form = step.form(form_data(payload.model_dump()), case=case, user=user)
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
