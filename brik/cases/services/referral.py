"""Opening a case (a referral of a new or known person) and assigning its contact person."""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import date
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import IntegerField, Max
from django.db.models.functions import Cast, Substr
from django.utils.translation import gettext as _

from brik.accounts.models import Organisation, User
from brik.audit.events import AuditEvent
from brik.audit.services import changes_since, log_action, snapshot
from brik.cases import sort_keys, workflow
from brik.cases.models import (
    PERSON_CODE_PREFIX,
    Case,
    Interview,
    Person,
    PersonCitizenship,
    PersonIdentity,
    Referral,
    codes_starting,
)
from brik.cases.services.common import (
    IDENTITY_FIELDS,
    check_contact_person,
    country_code,
    language_code,
    valid_choices,
)
from brik.cases.workflow import Action
from brik.core import choices
from brik.core.errors import TransitionError
from brik.core.municipalities import official_name
from brik.core.validation import (
    bounded_text,
    field_error,
    not_before,
    plausible_past,
    row_lock,
)
from brik.search import services as search_services

if TYPE_CHECKING:
    from brik.cooperation.models import JointAction


def _next_person_code(year: int) -> str:
    """The year's next number: one more than the largest as a number (BRK-2021-10000
    sorts before BRK-2021-9999 as text)."""
    prefix = f"{PERSON_CODE_PREFIX}{year}-"
    number = Cast(Substr("code", len(prefix) + 1), IntegerField())
    last = Person.objects.filter(codes_starting(prefix)).aggregate(m=Max(number))["m"]
    return f"{prefix}{(last or 0) + 1:04d}"


def _person_create(
    *, year: int, gender: str, birth_year: int | None, languages: list[str]
) -> Person:
    # Two referrals registered at the same moment can draw the same number; the
    # unique constraint catches it and we draw again inside a savepoint.
    for _attempt in range(5):
        try:
            with transaction.atomic():
                return Person.objects.create(
                    code=_next_person_code(year),
                    gender=gender,
                    birth_year=birth_year,
                    languages=languages,
                )
        except IntegrityError:
            continue
    raise TransitionError(_("Could not allocate a case code; please try again."))


@dataclass(frozen=True)
class NewReferral:
    """A referral of a presumed victim, as `case_refer` takes it.

    Built by the referral form (ReferralForm.new_referral), the API or an
    importer; `case_refer` checks every value before anything is written.
    """

    referring_organisation: Organisation
    referred_on: date
    gender: str = choices.Gender.UNKNOWN
    birth_year: int | None = None
    citizenships: Iterable[str] = ()
    languages: Iterable[str] = ()
    identity: Mapping[str, Any] | None = None  # IDENTITY_FIELDS; only for a new person
    has_legal_residence: bool = False
    channel: str = choices.ReferralChannel.PARTNER
    police_district: Organisation | None = None
    municipality: str = ""
    partner_reference: str = ""
    indicators: Iterable[str] = ()
    urgency: str = choices.Urgency.ROUTINE
    interpreter_language: str = ""
    consent_to_share: bool = False
    joint_action: "JointAction | None" = None
    observations: str = ""
    assigned_to: User | None = None


@transaction.atomic
def case_refer(
    *,
    actor: User,
    referral: NewReferral | None = None,
    person: Person | None = None,
    **values: Any,
) -> Case:
    """Open a case for a presumed victim: a new person, or a known one (re-trafficking).

    Give the referral as a NewReferral, or its fields as keywords (a shorthand
    for NewReferral(**values)).
    """
    referral = _checked(referral if referral is not None else NewReferral(**values))
    if person is None:
        person = _new_person(referral)
        sequence = 1
    else:
        person, sequence = _next_passage(person, referral.referred_on)
    case = Case.objects.create(
        person=person,
        sequence=sequence,
        referred_on=referral.referred_on,
        has_legal_residence=referral.has_legal_residence,
        assigned_to=referral.assigned_to,
        urgency_rank=sort_keys.urgency_rank(referral.urgency, urgent=False),
    )
    row = _referral_row(case, actor, referral)
    log_action(
        actor=actor,
        action=AuditEvent.CASE_REFERRED,
        obj=case,
        case=case,
        data={
            "referral": row.pk,
            "referring_organisation": referral.referring_organisation.pk,
            "referred_on": referral.referred_on,
            "new_person": sequence == 1,
        },
    )
    return case


def _checked(referral: NewReferral) -> NewReferral:
    """The referral with every value checked, and lists and texts in their stored form."""
    referred_on = referral.referred_on
    plausible_past(referred_on, _("The referral date"), field="referred_on")
    if referral.gender not in choices.Gender.values:
        raise ValidationError(_("Unknown gender."), code="invalid_choice")
    valid_choices([referral.channel], choices.ReferralChannel, _("channel"))
    valid_choices([referral.urgency], choices.Urgency, _("urgency"))
    indicators = valid_choices(referral.indicators, choices.Indicator, _("indicator"))
    citizenships = list(dict.fromkeys(country_code(code) for code in referral.citizenships))
    languages = list(dict.fromkeys(language_code(code) for code in referral.languages))
    interpreter_language = referral.interpreter_language
    if interpreter_language:
        interpreter_language = language_code(interpreter_language)
    _check_birth_year(referral.birth_year, referred_on)
    # A recognised municipality in its official spelling, so that it is counted under
    # its region (brik.core.municipalities); any other text as it was typed.
    municipality = official_name(
        bounded_text(
            referral.municipality, _("The municipality"), field="municipality", max_length=100
        )
    )
    observations = bounded_text(referral.observations, _("What was observed"), field="observations")
    partner_reference = bounded_text(
        referral.partner_reference, _("Your reference"), field="partner_reference", max_length=50
    )
    _check_police_district(referral.police_district)
    check_contact_person(referral.assigned_to)
    _check_joint_action(referral.joint_action, referred_on)
    identity = _checked_identity(referral.identity)
    return replace(
        referral,
        indicators=indicators,
        citizenships=citizenships,
        languages=languages,
        interpreter_language=interpreter_language,
        municipality=municipality,
        observations=observations,
        partner_reference=partner_reference,
        identity=identity,
    )


def _check_birth_year(birth_year: int | None, referred_on: date) -> None:
    if birth_year is not None and (
        isinstance(birth_year, bool)
        or not isinstance(birth_year, int)
        or not 1900 <= birth_year <= referred_on.year
    ):
        raise field_error("birth_year", _("The year of birth is not plausible."), code="birth_year")


def _check_police_district(police_district: Organisation | None) -> None:
    if police_district is not None and police_district.type != choices.OrganisationType.POLICE:
        raise ValidationError(
            _("%(organisation)s is not a police district."),
            code="not_police",
            params={"organisation": str(police_district)},
        )


def _check_joint_action(joint_action: "JointAction | None", referred_on: date) -> None:
    if joint_action is None:
        return
    if joint_action.status == choices.JointActionStatus.CANCELLED:
        raise TransitionError(_("A cancelled action has no referrals."), code="action_cancelled")
    not_before(
        referred_on,
        joint_action.planned_for,
        _("The referral is dated before the action (%(date)s), so it cannot come from it."),
        field="referred_on",
    )


def _checked_identity(identity: Mapping[str, Any] | None) -> dict[str, Any]:
    identity = dict(identity or {})
    unknown = sorted(set(identity) - set(IDENTITY_FIELDS))
    if unknown:
        raise ValidationError(
            _("Unknown identity fields: %(f)s"),
            code="unknown_identity_field",
            params={"f": ", ".join(unknown)},
        )
    if identity.get("date_of_birth") is not None:
        plausible_past(identity["date_of_birth"], _("The date of birth"), field="date_of_birth")
    return identity


def _new_person(referral: NewReferral) -> Person:
    person = _person_create(
        year=referral.referred_on.year,
        gender=referral.gender,
        birth_year=referral.birth_year,
        languages=list(referral.languages),
    )
    PersonCitizenship.objects.bulk_create(
        PersonCitizenship(person=person, country=code) for code in referral.citizenships
    )
    identity_row = PersonIdentity(person=person, **(referral.identity or {}))
    identity_row.full_clean(exclude=["person"])
    identity_row.compute_indexes()
    identity_row.save()
    search_services.person_tokens_update(identity_row)
    return person


def _next_passage(person: Person, referred_on: date) -> tuple[Person, int]:
    """A known person's next case: only when their last one is closed, never overlapping."""
    person = Person.objects.select_for_update().get(pk=person.pk)
    if person.cases.exclude(status=choices.CaseStatus.CLOSED).exists():
        raise TransitionError(
            _("%(code)s already has an open case. Add to that case instead."),
            code="open_case_exists",
            params={"code": person.code},
        )
    last_closed = person.cases.aggregate(m=Max("closed_on"))["m"]
    if last_closed is not None:
        # Passages of one person follow each other; they never overlap.
        not_before(
            referred_on,
            last_closed,
            _("A new referral cannot precede the closing of the previous case (%(date)s)."),
            field="referred_on",
        )
    return person, (person.cases.aggregate(m=Max("sequence"))["m"] or 0) + 1


def _referral_row(case: Case, actor: User, referral: NewReferral) -> Referral:
    return Referral.objects.create(
        case=case,
        referring_organisation=referral.referring_organisation,
        referred_by=actor,
        referred_on=referral.referred_on,
        channel=referral.channel,
        police_district=referral.police_district,
        municipality=referral.municipality,
        partner_reference=referral.partner_reference,
        indicators=referral.indicators,
        urgency=referral.urgency,
        interpreter_language=referral.interpreter_language,
        consent_to_share=referral.consent_to_share,
        joint_action=referral.joint_action,
        observations=referral.observations,
    )


@transaction.atomic
def case_assign(*, actor: User, case: Case, caseworker: User | None) -> Case:
    case = row_lock(case)
    workflow.require(case, Action.CASE_ASSIGN)
    check_contact_person(caseworker)
    previous = case.assigned_to_id
    before = snapshot(case)
    case.assigned_to = caseworker
    case.save(update_fields=["assigned_to", "updated_at"])
    # Its interviews' sort key (brik.cases.sort_keys).
    Interview.objects.filter(case=case).update(case_assigned_to=caseworker)
    log_action(
        actor=actor,
        action=AuditEvent.CASE_ASSIGNED,
        obj=case,
        case=case,
        data={"from": previous, "to": getattr(caseworker, "pk", None)},
        changes=changes_since(case, before),
    )
    return case
