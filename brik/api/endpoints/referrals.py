"""Partners send referrals and read where their own referrals stand.

A referral goes through the web's ReferralForm and `case_refer`: the same
validation, the same duplicate check (centre staff only; a partner is never told
whether a person is known), one case per Idempotency-Key. Reading follows the
page "My referrals": status and outcome only where the person consented to sharing.
"""

from datetime import date

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Header, Query, Router, Schema, Status

from brik.accounts.permissions import Ability, can, referral_outcome_visible
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
)
from brik.api.models import Scope
from brik.cases import forms, services
from brik.cases import selectors as case_selectors
from brik.cases.models import Case

router = Router(tags=["referrals"])

# The service's refusals, by code, and the form field each is about (as the web form).
FIELD_MAP = {"future_date": "referred_on", "birth_year": "birth_year", "open_case_exists": None}


class ReferralIn(Schema):
    """A referral as the web form takes it. A partner refers on behalf of their own
    organisation (referring_organisation and assigned_to are for centre staff)."""

    given_names: str = Field("", max_length=200)
    family_name: str = Field("", max_length=200)
    aliases: str = Field("", max_length=400)
    date_of_birth: date | None = None
    birth_year: int | None = None
    gender: str = "unknown"
    citizenships: list[str] = Field(default_factory=list, max_length=20)
    languages: list[str] = Field(default_factory=list, max_length=20)
    has_legal_residence: bool = False
    referring_organisation: int | None = None
    referred_on: date
    channel: str = "partner"
    urgency: str = "routine"
    police_district: int | None = None
    municipality: str = Field("", max_length=100)
    indicators: list[str] = Field(default_factory=list, max_length=50)
    interpreter_language: str = Field("", max_length=20)
    consent_to_share: bool = False
    observations: str = Field("", max_length=20000)
    assigned_to: int | None = None
    person_choice: str = Field(
        "",
        max_length=20,
        description=(
            "Centre staff only: when possible matches are returned (409), resend with "
            "the id of the known person, or 'new'."
        ),
    )


class ReferralOut(Schema):
    id: int
    code: str
    referred_on: date
    status: str = Field(description="'received' when the outcome is not shared")
    outcome: str = ""
    shared: bool = Field(description="Whether the person consented to sharing the outcome")


class ReferralPage(Schema):
    items: list[ReferralOut]
    next_cursor: str | None


def referral_out(user, case: Case) -> dict:
    shared = referral_outcome_visible(user, case)
    return {
        "id": case.pk,
        "code": case.code,
        "referred_on": case.referred_on,
        "status": case.status if shared else "received",
        "outcome": case.outcome if shared else "",
        "shared": shared,
    }


@router.post("/referrals", response=responses(_201=ReferralOut), url_name="referral_create")
def referral_create(
    request: HttpRequest,
    payload: ReferralIn,
    idempotency_key: str = Header(..., alias="Idempotency-Key", min_length=1, max_length=200),
):
    """Register a referral (as the web form "Register a referral")."""
    user = allowed(request, Scope.REFERRALS_WRITE, Ability.REFERRAL_CREATE)
    body = payload.model_dump(mode="json")

    def run():
        form = forms.ReferralForm(form_data(payload.model_dump()), user=user)
        if not form.is_valid():
            raise invalid(form_errors(form))
        person = _known_person(user, form)
        case = run_form(
            form,
            lambda data: services.case_refer(
                actor=user,
                referral=form.new_referral(known_person=person is not None),
                person=person,
            ),
            FIELD_MAP,
        )
        return 201, referral_out(user, case)

    return Status(*idempotent(request, idempotency_key, body, run))


def _known_person(user, form):
    """The duplicate check, as on the web: only centre staff, who read identities, see
    possible matches and choose one of them or a new person."""
    if not can(user, Ability.PERSON_IDENTITY):
        return None
    data = form.cleaned_data
    matches = case_selectors.person_possible_matches(
        given_names=data["given_names"],
        family_name=data["family_name"],
        date_of_birth=data["date_of_birth"],
        birth_year=data["birth_year"],
        gender=data["gender"],
        citizenships=data["citizenships"],
    )
    choice = data["person_choice"]
    if not matches or choice == "new":
        return None
    person = next((m.person for m in matches if str(m.person.pk) == choice), None)
    if person is None:
        known = ", ".join(f"{m.person.pk} ({m.person.code})" for m in matches)
        raise ApiProblem(
            409,
            "possible-duplicate",
            _("The person may already be known."),
            _("Possible matches: %(known)s. Send person_choice: one of their ids, or 'new'.")
            % {"known": known},
            [
                {
                    "field": "person_choice",
                    "message": _("Choose one of the known persons, or “a new person”."),
                }
            ],
        )
    return person


@router.get("/referrals", response=responses(_200=ReferralPage), url_name="referral_list")
def referral_list(
    request: HttpRequest,
    cursor: str | None = Query(None, max_length=500),
    limit: int = Query(50, ge=1, le=selectors.MAX_LIMIT),
):
    """Your organisation's referrals, newest first (as the page "My referrals")."""
    user = allowed(request, Scope.REFERRALS_READ, Ability.REFERRAL_STATUS)
    page = selectors.referral_page(user=user, cursor=cursor, limit=limit)
    return Status(
        200,
        {
            "items": [referral_out(user, case) for case in page.items],
            "next_cursor": page.next_cursor,
        },
    )


@router.get(
    "/referrals/{referral_id}", response=responses(_200=ReferralOut), url_name="referral_detail"
)
def referral_detail(request: HttpRequest, referral_id: int):
    """One of your organisation's referrals; any other id is not found."""
    user = allowed(request, Scope.REFERRALS_READ, Ability.REFERRAL_STATUS)
    case = selectors.visible_case(user=user, pk=referral_id)
    if case is None or not can(user, Ability.REFERRAL_STATUS, case):
        raise ApiProblem(404, "not-found", _("Not found."))
    return 200, referral_out(user, case)
