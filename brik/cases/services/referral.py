"""Opening a case (a referral of a new or known person) and assigning its contact person."""

from collections.abc import Iterable
from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from brik.audit.events import AuditEvent
from brik.audit.services import changes_since, log_action, snapshot
from brik.cases import workflow
from brik.cases.models import (
    Case,
    Person,
    PersonCitizenship,
    PersonIdentity,
    Referral,
)
from brik.cases.services.common import (
    IDENTITY_FIELDS,
    check_contact_person,
    country_code,
    language_code,
    valid_choices,
)
from brik.cases.workflow import Action
from brik.core import choices as c
from brik.core.errors import TransitionError
from brik.core.validation import (
    bounded_text,
    field_error,
    not_before,
    plausible_past,
    row_lock,
)


def _next_person_code(year: int) -> str:
    prefix = f"BRK-{year}-"
    last = Person.objects.filter(code__startswith=prefix).aggregate(m=Max("code"))["m"]
    number = int(last.rsplit("-", 1)[1]) + 1 if last else 1
    return f"{prefix}{number:04d}"


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


@transaction.atomic
def case_refer(
    *,
    actor,
    referring_organisation,
    referred_on: date,
    person: Person | None = None,
    gender: str = c.Gender.UNKNOWN,
    birth_year: int | None = None,
    citizenships: Iterable[str] = (),
    languages: Iterable[str] = (),
    identity: dict | None = None,
    has_legal_residence: bool = False,
    channel: str = c.ReferralChannel.PARTNER,
    police_district=None,
    municipality: str = "",
    indicators: Iterable[str] = (),
    urgency: str = c.Urgency.ROUTINE,
    interpreter_language: str = "",
    consent_to_share: bool = False,
    joint_action=None,
    observations: str = "",
    assigned_to=None,
) -> Case:
    """Open a case for a presumed victim: a new person, or a known one (re-trafficking)."""
    plausible_past(referred_on, _("The referral date"), field="referred_on")
    if gender not in c.Gender.values:
        raise ValidationError(_("Unknown gender."), code="invalid_choice")
    valid_choices([channel], c.ReferralChannel, _("channel"))
    valid_choices([urgency], c.Urgency, _("urgency"))
    indicators = valid_choices(indicators, c.Indicator, _("indicator"))
    citizenships = list(dict.fromkeys(country_code(code) for code in citizenships))
    languages = list(dict.fromkeys(language_code(code) for code in languages))
    if interpreter_language:
        interpreter_language = language_code(interpreter_language)
    if birth_year is not None and (
        isinstance(birth_year, bool)
        or not isinstance(birth_year, int)
        or not 1900 <= birth_year <= referred_on.year
    ):
        raise field_error("birth_year", _("The year of birth is not plausible."), code="birth_year")
    municipality = bounded_text(
        municipality, _("The municipality"), field="municipality", max_length=100
    )
    observations = bounded_text(observations, _("What was observed"), field="observations")
    if police_district is not None and police_district.type != c.OrganisationType.POLICE:
        raise ValidationError(
            _("%(organisation)s is not a police district."),
            code="not_police",
            params={"organisation": str(police_district)},
        )
    check_contact_person(assigned_to)
    if joint_action is not None:
        if joint_action.status == c.JointActionStatus.CANCELLED:
            raise TransitionError(
                _("A cancelled action has no referrals."), code="action_cancelled"
            )
        not_before(
            referred_on,
            joint_action.planned_for,
            _("The referral is dated before the action (%(date)s), so it cannot come from it."),
            field="referred_on",
        )
    identity = identity or {}
    unknown = sorted(set(identity) - set(IDENTITY_FIELDS))
    if unknown:
        raise ValidationError(
            _("Unknown identity fields: %(f)s"),
            code="unknown_identity_field",
            params={"f": ", ".join(unknown)},
        )
    if identity.get("date_of_birth") is not None:
        plausible_past(identity["date_of_birth"], _("The date of birth"), field="date_of_birth")

    if person is None:
        person = _person_create(
            year=referred_on.year, gender=gender, birth_year=birth_year, languages=languages
        )
        PersonCitizenship.objects.bulk_create(
            PersonCitizenship(person=person, country=code) for code in citizenships
        )
        identity_row = PersonIdentity(person=person, **identity)
        identity_row.full_clean(exclude=["person"])
        identity_row.compute_indexes()
        identity_row.save()
        sequence = 1
    else:
        person = Person.objects.select_for_update().get(pk=person.pk)
        if person.cases.exclude(status=c.CaseStatus.CLOSED).exists():
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
        sequence = (person.cases.aggregate(m=Max("sequence"))["m"] or 0) + 1

    case = Case.objects.create(
        person=person,
        sequence=sequence,
        referred_on=referred_on,
        has_legal_residence=has_legal_residence,
        assigned_to=assigned_to,
    )
    referral = Referral.objects.create(
        case=case,
        referring_organisation=referring_organisation,
        referred_by=actor,
        referred_on=referred_on,
        channel=channel,
        police_district=police_district,
        municipality=municipality,
        indicators=indicators,
        urgency=urgency,
        interpreter_language=interpreter_language,
        consent_to_share=consent_to_share,
        joint_action=joint_action,
        observations=observations,
    )
    log_action(
        actor=actor,
        action=AuditEvent.CASE_REFERRED,
        obj=case,
        case=case,
        data={
            "referral": referral.pk,
            "referring_organisation": referring_organisation.pk,
            "referred_on": referred_on,
            "new_person": sequence == 1,
        },
    )
    return case


@transaction.atomic
def case_assign(*, actor, case: Case, caseworker) -> Case:
    case = row_lock(case)
    workflow.require(case, Action.CASE_ASSIGN)
    check_contact_person(caseworker)
    previous = case.assigned_to_id
    before = snapshot(case)
    case.assigned_to = caseworker
    case.save(update_fields=["assigned_to", "updated_at"])
    log_action(
        actor=actor,
        action=AuditEvent.CASE_ASSIGNED,
        obj=case,
        case=case,
        data={"from": previous, "to": getattr(caseworker, "pk", None)},
        changes=changes_since(case, before),
    )
    return case
