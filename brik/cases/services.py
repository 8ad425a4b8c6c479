"""Every change to a case goes through one function here.

Each function runs in one transaction, checks that the case's state and the
law allow the step (brik.cases.rules), writes the step, updates the case's
status and milestone dates, and records who did it (brik.audit). A refused
step raises TransitionError (or ValidationError for bad values) and changes
nothing. A bad value is refused with the name of its argument
(ValidationError({"held_on": ...})), so a form shows it next to its field.
Dates and texts are checked for plausibility here (brik.core.validation), so
the API and importers get the same checks as the forms. Views, the API, the
CLI and importers all call these.
"""

from collections.abc import Iterable
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from brik.audit.events import AuditEvent
from brik.audit.services import changes_since, log_action, snapshot
from brik.cases import rules, workflow
from brik.cases.models import (
    Assessment,
    AssessmentForm,
    Case,
    FollowUp,
    Interview,
    Person,
    PersonCitizenship,
    PersonIdentity,
    PreparedReturn,
    Referral,
    ReflectionExtension,
    ReflectionPeriod,
    SupportMeasure,
)
from brik.cases.workflow import Action
from brik.core import choices as c
from brik.core.countries import validate_country_code, validate_language_code
from brik.core.errors import TransitionError
from brik.core.validation import (
    bounded_text,
    field_error,
    not_before,
    plausible_past,
    plausible_plan,
    row_lock,
)

IDENTITY_FIELDS = (
    "given_names",
    "family_name",
    "aliases",
    "date_of_birth",
    "phone",
    "email",
    "address",
    "identity_documents",
)


# --- helpers -------------------------------------------------------------------


def _move(case: Case, action: Action) -> None:
    """Set the case's status after `action` (brik.cases.workflow) and save it if it changed."""
    before = case.status
    if workflow.apply(case, action) != before:
        _save_case(case, "status")


def _choices(values: Iterable[str], choices: type[c.models.TextChoices], label: str) -> list[str]:
    # A bare string is one value, not a sequence of one-letter values.
    values = [values] if isinstance(values, str) else list(dict.fromkeys(values))
    wrong = [str(v) for v in values if v not in choices.values]
    if wrong:
        raise ValidationError(
            _("Unknown %(field)s: %(values)s."),
            code="invalid_choice",
            params={"field": label, "values": ", ".join(wrong)},
        )
    return values


def _optional_choice(value: str, choices: type[c.models.TextChoices], label: str) -> str:
    return _choices([value], choices, label)[0] if value else ""


def _country(code: str) -> str:
    """A valid ISO 3166 alpha-2 code, in capitals (pycountry's lookup ignores case)."""
    code = (code or "").strip().upper()
    validate_country_code(code)
    return code


def _language(code: str) -> str:
    """A valid ISO 639-3 code, in lower case (pycountry's lookup ignores case)."""
    code = (code or "").strip().lower()
    validate_language_code(code)
    return code


def _contact_person(user) -> None:
    """Contact persons are the centre's caseworkers and leads, never a partner's user."""
    if user is not None and not (user.is_active and user.is_centre_staff):
        raise ValidationError(
            _("%(user)s cannot be the contact person: only the centre's active staff can."),
            code="not_centre_staff",
            params={"user": str(user)},
        )


def _save_case(case: Case, *fields: str) -> None:
    case.full_clean(exclude=["person", "assigned_to"], validate_unique=False)
    case.save(update_fields=[*fields, "updated_at"])


# --- referral and person --------------------------------------------------------


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
    _choices([channel], c.ReferralChannel, _("channel"))
    _choices([urgency], c.Urgency, _("urgency"))
    indicators = _choices(indicators, c.Indicator, _("indicator"))
    citizenships = list(dict.fromkeys(_country(code) for code in citizenships))
    languages = list(dict.fromkeys(_language(code) for code in languages))
    if interpreter_language:
        interpreter_language = _language(interpreter_language)
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
    _contact_person(assigned_to)
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
    _contact_person(caseworker)
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


# --- identification interviews ---------------------------------------------------


@transaction.atomic
def interview_plan(
    *,
    actor,
    case: Case,
    planned_for: datetime,
    place: str = "",
    interviewers: Iterable = (),
    interpreter_language: str = "",
) -> Interview:
    case = row_lock(case)
    workflow.require(case, Action.INTERVIEW_PLAN)
    # Checked before any conversion: a time at the calendar's ends cannot be converted.
    plausible_plan(planned_for, _("The interview"), field="planned_for")
    if timezone.is_naive(planned_for):
        planned_for = timezone.make_aware(planned_for)
    not_before(
        timezone.localtime(planned_for).date(),
        case.referred_on,
        _("An interview cannot be planned before the referral (%(date)s)."),
        field="planned_for",
    )
    place = bounded_text(place, _("The place"), field="place", max_length=200)
    if interpreter_language:
        interpreter_language = _language(interpreter_language)
    interview = Interview.objects.create(
        case=case,
        planned_for=planned_for,
        place=place,
        interpreter_language=interpreter_language,
    )
    interview.interviewers.set(interviewers)
    _move(case, Action.INTERVIEW_PLAN)
    log_action(
        actor=actor,
        action=AuditEvent.INTERVIEW_PLANNED,
        obj=interview,
        case=case,
        data={"planned_for": planned_for, "place": place},
    )
    return interview


@transaction.atomic
def interview_record(
    *,
    actor,
    case: Case,
    held_on: date,
    interview: Interview | None = None,
    place: str = "",
    interviewers: Iterable = (),
    interpreter_language: str = "",
    indicators: Iterable[str] = (),
    dimensions: Iterable[str] = (),
    notes: str = "",
) -> Interview:
    """Record an interview as held: a planned one, or one held without being planned."""
    case = row_lock(case)
    workflow.require(case, Action.INTERVIEW_RECORD)
    plausible_past(held_on, _("The interview date"), field="held_on")
    not_before(
        held_on,
        case.referred_on,
        _("An interview cannot be held before the referral (%(date)s)."),
        field="held_on",
    )
    place = bounded_text(place, _("The place"), field="place", max_length=200)
    notes = bounded_text(notes, _("The interview notes"), field="notes")
    indicators = _choices(indicators, c.Indicator, _("indicator"))
    dimensions = _choices(dimensions, c.IndicatorDimension, _("dimension"))
    if interpreter_language:
        interpreter_language = _language(interpreter_language)
    if interview is None:
        interview = Interview(case=case)
    else:
        # Re-read under the case lock: a second submit of the same form must not
        # overwrite the interview the first one recorded.
        interview = Interview.objects.filter(pk=interview.pk, case=case).first()
        if interview is None or interview.status != c.InterviewStatus.PLANNED:
            raise TransitionError(
                _("Only a planned interview of this case can be recorded."),
                code="interview_state",
            )
    # A planned interview is changed; one held without planning is new.
    before = snapshot(interview) if interview.pk else None
    interview.status = c.InterviewStatus.HELD
    interview.held_on = held_on
    interview.place = place or interview.place
    interview.interpreter_language = interpreter_language or interview.interpreter_language
    interview.indicators = indicators
    interview.dimensions = dimensions
    interview.notes = notes
    interview.save()
    if interviewers:
        interview.interviewers.set(interviewers)
    _move(case, Action.INTERVIEW_RECORD)
    log_action(
        actor=actor,
        action=AuditEvent.INTERVIEW_RECORDED,
        obj=interview,
        case=case,
        data={"held_on": held_on, "indicators": indicators, "dimensions": dimensions},
        changes=changes_since(interview, before) if before is not None else None,
    )
    return interview


@transaction.atomic
def interview_cancel(*, actor, interview: Interview, reason: str = "") -> Interview:
    case = row_lock(interview.case)
    workflow.require(case, Action.INTERVIEW_CANCEL)
    interview = Interview.objects.get(pk=interview.pk)
    if interview.status != c.InterviewStatus.PLANNED:
        raise TransitionError(
            _("Only a planned interview can be cancelled."), code="interview_state"
        )
    reason = bounded_text(reason, _("The reason"), field="reason", max_length=200)
    before = snapshot(interview)
    interview.status = c.InterviewStatus.CANCELLED
    interview.save(update_fields=["status", "updated_at"])
    _move(case, Action.INTERVIEW_CANCEL)
    log_action(
        actor=actor,
        action=AuditEvent.INTERVIEW_CANCELLED,
        obj=interview,
        case=case,
        data={"reason": reason},
        changes=changes_since(interview, before),
    )
    return interview


# --- the assessment decision -----------------------------------------------------


@transaction.atomic
def assessment_decide(
    *,
    actor,
    case: Case,
    decided_on: date,
    deciding_authority: str,
    outcome: str,
    forms: Iterable[str] = (),
    sexual_exploitation_type: str = "",
    labour_sector: str = "",
    means_of_control: Iterable[str] = (),
    countries_of_exploitation: Iterable[str] = (),
    exploitation_from: date | None = None,
    exploitation_to: date | None = None,
    notes: str = "",
) -> Assessment:
    """Decide whether the person is identified as a victim of trafficking."""
    case = row_lock(case)
    workflow.require(case, Action.ASSESSMENT_DECIDE)
    plausible_past(decided_on, _("The decision date"), field="decided_on")
    not_before(
        decided_on,
        case.referred_on,
        _("A decision cannot precede the referral (%(date)s)."),
        field="decided_on",
    )
    _choices([deciding_authority], c.DecidingAuthority, _("deciding authority"))
    _choices([outcome], c.Outcome, _("outcome"))
    last_interview = case.interviews.filter(status=c.InterviewStatus.HELD).aggregate(
        m=Max("held_on")
    )["m"]
    if last_interview is not None:
        not_before(
            decided_on,
            last_interview,
            _("A decision cannot precede the last interview (%(date)s)."),
            field="decided_on",
        )
    if case.interviews.filter(status=c.InterviewStatus.PLANNED).exists():
        # After the decision a planned interview could no longer be recorded or
        # cancelled, and would wait in the lists for ever.
        raise TransitionError(
            _("An interview is still planned: record or cancel it before the decision."),
            code="interview_planned",
        )
    forms = _choices(forms, c.ExploitationForm, _("form of exploitation"))
    means_of_control = _choices(means_of_control, c.MeansOfControl, _("means of control"))
    sexual_exploitation_type = _optional_choice(
        sexual_exploitation_type, c.SexualExploitationType, _("type of sexual exploitation")
    )
    labour_sector = _optional_choice(labour_sector, c.LabourSector, _("labour sector"))
    countries = list(dict.fromkeys(_country(code) for code in countries_of_exploitation))
    if outcome == c.Outcome.IDENTIFIED and not forms:
        raise ValidationError(
            _("Choose at least one form of exploitation (or “not determined”)."),
            code="forms_required",
        )
    if sexual_exploitation_type and c.ExploitationForm.SEXUAL not in forms:
        raise ValidationError(
            _("A type of sexual exploitation needs the form “sexual exploitation”."),
            code="form_mismatch",
        )
    if exploitation_from is not None:
        plausible_past(
            exploitation_from, _("The start of the exploitation"), field="exploitation_from"
        )
    if exploitation_to is not None:
        plausible_past(exploitation_to, _("The end of the exploitation"), field="exploitation_to")
    if exploitation_from and exploitation_to and exploitation_to < exploitation_from:
        raise field_error(
            "exploitation_to",
            _("The period of exploitation ends before it starts."),
            code="date_order",
        )
    for name, day in (
        ("exploitation_from", exploitation_from),
        ("exploitation_to", exploitation_to),
    ):
        if day is not None and day > decided_on:
            raise field_error(
                name,
                _("The period of exploitation cannot be after the decision."),
                code="date_order",
            )
    notes = bounded_text(notes, _("The reasons"), field="notes")

    assessment = Assessment.objects.create(
        case=case,
        decided_on=decided_on,
        deciding_authority=deciding_authority,
        outcome=outcome,
        decided_by=actor,
        sexual_exploitation_type=sexual_exploitation_type,
        labour_sector=labour_sector,
        means_of_control=means_of_control,
        countries_of_exploitation=countries,
        exploitation_from=exploitation_from,
        exploitation_to=exploitation_to,
        notes=notes,
    )
    AssessmentForm.objects.bulk_create(AssessmentForm(assessment=assessment, form=f) for f in forms)
    case.decided_on = decided_on
    case.outcome = outcome
    workflow.apply(case, Action.ASSESSMENT_DECIDE)
    _save_case(case, "decided_on", "outcome", "status")
    log_action(
        actor=actor,
        action=AuditEvent.ASSESSMENT_DECIDED,
        obj=assessment,
        case=case,
        data={
            "decided_on": decided_on,
            "deciding_authority": deciding_authority,
            "outcome": outcome,
            "forms": forms,
        },
    )
    return assessment


# --- the reflection period and support -------------------------------------------


@transaction.atomic
def reflection_start(*, actor, case: Case, starts_on: date) -> ReflectionPeriod:
    """Start the 30-day period: reflection without legal residence, restitution with it."""
    case = row_lock(case)
    workflow.require(case, Action.REFLECTION_START)
    if ReflectionPeriod.objects.filter(case=case).exists():
        raise TransitionError(
            _("The reflection period has already been started."), code="period_exists"
        )
    plausible_past(starts_on, _("The start of the period"), field="starts_on")
    not_before(
        starts_on,
        case.decided_on,
        _("The period cannot start before the decision (%(date)s)."),
        field="starts_on",
    )
    period = ReflectionPeriod.objects.create(
        case=case,
        kind=c.PeriodKind.RESTITUTION if case.has_legal_residence else c.PeriodKind.REFLECTION,
        starts_on=starts_on,
        ends_on=rules.reflection_initial_end(starts_on),
        days=rules.REFLECTION_INITIAL_DAYS,
        started_by=actor,
    )
    _move(case, Action.REFLECTION_START)
    log_action(
        actor=actor,
        action=AuditEvent.REFLECTION_STARTED,
        obj=period,
        case=case,
        data={"kind": period.kind, "starts_on": starts_on, "ends_on": period.ends_on},
    )
    return period


@transaction.atomic
def reflection_extend(
    *,
    actor,
    case: Case,
    new_ends_on: date,
    reason: str,
    extended_on: date,
    note: str = "",
) -> ReflectionExtension:
    """Move the departure deadline later, never beyond 120 days from the start."""
    case = row_lock(case)
    workflow.require(case, Action.REFLECTION_EXTEND)
    try:
        period = ReflectionPeriod.objects.select_for_update().get(case=case)
    except ReflectionPeriod.DoesNotExist:
        raise TransitionError(
            _("No reflection period has been started."), code="no_period"
        ) from None
    _choices([reason], c.ExtensionReason, _("reason"))
    plausible_past(extended_on, _("The date of the extension"), field="extended_on")
    not_before(
        extended_on,
        period.starts_on,
        _("An extension cannot be decided before the period starts (%(date)s)."),
        field="extended_on",
    )
    if extended_on > period.ends_on:
        raise TransitionError(
            _("The period ended on %(date)s; an ended period cannot be extended."),
            code="period_ended",
            params={"date": date_format(period.ends_on)},
        )
    if new_ends_on <= period.ends_on:
        raise field_error(
            "new_ends_on",
            _("The new end must be after the current end (%(date)s)."),
            code="date_order",
            params={"date": date_format(period.ends_on)},
        )
    latest = rules.reflection_latest_end(period.starts_on)
    if new_ends_on > latest:
        raise field_error(
            "new_ends_on",
            _(
                "The law allows at most %(days)s days: "
                "the period can end on %(date)s at the latest."
            ),
            code="beyond_legal_maximum",
            params={"days": rules.REFLECTION_MAX_DAYS, "date": date_format(latest)},
        )
    note = bounded_text(note, _("The note"), field="note")
    before = snapshot(period)
    extension = ReflectionExtension.objects.create(
        period=period,
        extended_on=extended_on,
        previous_ends_on=period.ends_on,
        new_ends_on=new_ends_on,
        reason=reason,
        note=note,
        extended_by=actor,
    )
    period.ends_on = new_ends_on
    period.days = (new_ends_on - period.starts_on).days
    period.save(update_fields=["ends_on", "days", "updated_at"])
    log_action(
        actor=actor,
        action=AuditEvent.REFLECTION_EXTENDED,
        obj=period,
        case=case,
        data={
            "from": extension.previous_ends_on,
            "to": new_ends_on,
            "reason": reason,
        },
        changes=changes_since(period, before),
    )
    return extension


@transaction.atomic
def support_add(
    *,
    actor,
    case: Case,
    kind: str,
    starts_on: date,
    ends_on: date | None = None,
    provider=None,
    note: str = "",
) -> SupportMeasure:
    case = row_lock(case)
    workflow.require(case, Action.SUPPORT_ADD)
    _choices([kind], c.SupportType, _("support"))
    plausible_plan(starts_on, _("The start of the support"), field="starts_on")
    not_before(
        starts_on,
        case.referred_on,
        _("Support cannot start before the referral (%(date)s)."),
        field="starts_on",
    )
    if ends_on is not None:
        plausible_plan(ends_on, _("The end of the support"), field="ends_on")
    if ends_on and ends_on < starts_on:
        raise field_error("ends_on", _("Support cannot end before it starts."), code="date_order")
    note = bounded_text(note, _("The note"), field="note")
    measure = SupportMeasure.objects.create(
        case=case, kind=kind, starts_on=starts_on, ends_on=ends_on, provider=provider, note=note
    )
    _move(case, Action.SUPPORT_ADD)
    log_action(
        actor=actor,
        action=AuditEvent.SUPPORT_ADDED,
        obj=measure,
        case=case,
        data={"kind": kind, "starts_on": starts_on, "ends_on": ends_on},
    )
    return measure


@transaction.atomic
def support_end(*, actor, measure: SupportMeasure, ends_on: date) -> SupportMeasure:
    case = row_lock(measure.case)
    workflow.require(case, Action.SUPPORT_END)
    measure = SupportMeasure.objects.get(pk=measure.pk)
    if measure.ends_on is not None:
        raise TransitionError(_("This support has already ended."), code="already_ended")
    plausible_plan(ends_on, _("The end of the support"), field="ends_on")
    not_before(
        ends_on,
        measure.starts_on,
        _("Support cannot end before it starts (%(date)s)."),
        field="ends_on",
    )
    before = snapshot(measure)
    measure.ends_on = ends_on
    measure.save(update_fields=["ends_on", "updated_at"])
    log_action(
        actor=actor,
        action=AuditEvent.SUPPORT_ENDED,
        obj=measure,
        case=case,
        data={"ends_on": ends_on},
        changes=changes_since(measure, before),
    )
    return measure


# --- prepared return and reintegration ---------------------------------------------


def _live_return(case: Case) -> PreparedReturn | None:
    return (
        PreparedReturn.objects.select_for_update()
        .filter(case=case)
        .exclude(status=c.ReturnStatus.DECLINED)
        .first()
    )


@transaction.atomic
def return_offer(*, actor, case: Case, offered_on: date) -> PreparedReturn:
    """Offer a prepared return. Offered to every identified victim; not conditional on anything."""
    case = row_lock(case)
    workflow.require(case, Action.RETURN_OFFER)
    if _live_return(case) is not None:
        raise TransitionError(_("A prepared return is already under way."), code="return_exists")
    plausible_past(offered_on, _("The offer date"), field="offered_on")
    not_before(
        offered_on,
        case.decided_on,
        _("A return cannot be offered before the decision (%(date)s)."),
        field="offered_on",
    )
    prepared = PreparedReturn.objects.create(case=case, offered_on=offered_on)
    log_action(
        actor=actor,
        action=AuditEvent.RETURN_OFFERED,
        obj=prepared,
        case=case,
        data={"offered_on": offered_on},
    )
    return prepared


def _open_return(case: Case, status: str) -> PreparedReturn:
    prepared = _live_return(case)
    if prepared is None or prepared.status != status:
        messages = {
            c.ReturnStatus.OFFERED: _("No prepared return is waiting for an answer."),
            c.ReturnStatus.ACCEPTED: _("The prepared return must be accepted before departure."),
        }
        raise TransitionError(messages[status], code="return_state")
    return prepared


@transaction.atomic
def return_accept(
    *,
    actor,
    case: Case,
    accepted_on: date,
    destination_country: str,
    destination_kind: str,
    reintegration_partner=None,
    plan_allowance: bool = False,
    plan_housing: bool = False,
    plan_income_activity: bool = False,
    plan_medical: bool = False,
    plan_schooling_self: bool = False,
    plan_schooling_children: bool = False,
    plan_notes: str = "",
) -> PreparedReturn:
    case = row_lock(case)
    workflow.require(case, Action.RETURN_ACCEPT)
    prepared = _open_return(case, c.ReturnStatus.OFFERED)
    plausible_past(accepted_on, _("The acceptance date"), field="accepted_on")
    not_before(
        accepted_on,
        prepared.offered_on,
        _("Acceptance cannot precede the offer (%(date)s)."),
        field="accepted_on",
    )
    plan_notes = bounded_text(plan_notes, _("The reintegration plan"), field="plan_notes")
    destination_country = _country(destination_country)
    _choices([destination_kind], c.DestinationKind, _("destination"))
    before = snapshot(prepared)
    prepared.status = c.ReturnStatus.ACCEPTED
    prepared.accepted_on = accepted_on
    prepared.destination_country = destination_country
    prepared.destination_kind = destination_kind
    prepared.reintegration_partner = reintegration_partner
    prepared.plan_allowance = plan_allowance
    prepared.plan_housing = plan_housing
    prepared.plan_income_activity = plan_income_activity
    prepared.plan_medical = plan_medical
    prepared.plan_schooling_self = plan_schooling_self
    prepared.plan_schooling_children = plan_schooling_children
    prepared.plan_notes = plan_notes
    prepared.save()
    log_action(
        actor=actor,
        action=AuditEvent.RETURN_ACCEPTED,
        obj=prepared,
        case=case,
        data={"accepted_on": accepted_on, "destination_country": destination_country},
        changes=changes_since(prepared, before),
    )
    return prepared


@transaction.atomic
def return_decline(*, actor, case: Case, declined_on: date) -> PreparedReturn:
    case = row_lock(case)
    workflow.require(case, Action.RETURN_DECLINE)
    prepared = _open_return(case, c.ReturnStatus.OFFERED)
    plausible_past(declined_on, _("The date"), field="declined_on")
    not_before(
        declined_on,
        prepared.offered_on,
        _("A refusal cannot precede the offer (%(date)s)."),
        field="declined_on",
    )
    before = snapshot(prepared)
    prepared.status = c.ReturnStatus.DECLINED
    prepared.declined_on = declined_on
    prepared.save(update_fields=["status", "declined_on", "updated_at"])
    log_action(
        actor=actor,
        action=AuditEvent.RETURN_DECLINED,
        obj=prepared,
        case=case,
        data={"declined_on": declined_on},
        changes=changes_since(prepared, before),
    )
    return prepared


@transaction.atomic
def return_depart(
    *, actor, case: Case, departed_on: date, follow_up_months: int = rules.FOLLOW_UP_MONTHS
) -> PreparedReturn:
    case = row_lock(case)
    workflow.require(case, Action.RETURN_DEPART)
    prepared = _open_return(case, c.ReturnStatus.ACCEPTED)
    plausible_past(departed_on, _("The departure date"), field="departed_on")
    not_before(
        departed_on,
        prepared.accepted_on,
        _("Departure cannot precede acceptance (%(date)s)."),
        field="departed_on",
    )
    if (
        isinstance(follow_up_months, bool)
        or not isinstance(follow_up_months, int)
        or not 0 <= follow_up_months <= rules.FOLLOW_UP_MONTHS
    ):
        raise field_error(
            "follow_up_months",
            _("Reintegration follow-up lasts at most %(months)s months."),
            code="follow_up_months",
            params={"months": rules.FOLLOW_UP_MONTHS},
        )
    before = snapshot(prepared)
    prepared.status = c.ReturnStatus.DEPARTED
    prepared.departed_on = departed_on
    prepared.follow_up_until = rules.follow_up_until(departed_on, follow_up_months)
    prepared.save(update_fields=["status", "departed_on", "follow_up_until", "updated_at"])
    _move(case, Action.RETURN_DEPART)
    log_action(
        actor=actor,
        action=AuditEvent.RETURN_DEPARTED,
        obj=prepared,
        case=case,
        data={"departed_on": departed_on, "follow_up_until": prepared.follow_up_until},
        changes=changes_since(prepared, before),
    )
    return prepared


@transaction.atomic
def follow_up_add(*, actor, case: Case, held_on: date, status: str, notes: str = "") -> FollowUp:
    case = row_lock(case)
    workflow.require(case, Action.FOLLOW_UP_ADD)
    prepared = PreparedReturn.objects.get(case=case, status=c.ReturnStatus.DEPARTED)
    _choices([status], c.FollowUpStatus, _("status"))
    plausible_past(held_on, _("The follow-up date"), field="held_on")
    not_before(
        held_on,
        prepared.departed_on,
        _("A follow-up cannot precede the departure (%(date)s)."),
        field="held_on",
    )
    notes = bounded_text(notes, _("The notes"), field="notes")
    if held_on > prepared.follow_up_until:
        raise TransitionError(
            _("The follow-up period ended on %(date)s."),
            code="follow_up_over",
            params={"date": date_format(prepared.follow_up_until)},
        )
    follow_up = FollowUp.objects.create(
        prepared_return=prepared, held_on=held_on, status=status, notes=notes, recorded_by=actor
    )
    log_action(
        actor=actor,
        action=AuditEvent.FOLLOWUP_ADDED,
        obj=follow_up,
        case=case,
        data={"held_on": held_on, "status": status},
    )
    return follow_up


# --- staying and closing -----------------------------------------------------------


@transaction.atomic
def case_record_stay(*, actor, case: Case, basis: str, stay_from: date) -> Case:
    case = row_lock(case)
    workflow.require(case, Action.CASE_RECORD_STAY)
    _choices([basis], c.StayBasis, _("basis of stay"))
    plausible_past(stay_from, _("The start of the stay"), field="stay_from")
    not_before(
        stay_from,
        case.decided_on,
        _("The stay cannot start before the decision (%(date)s)."),
        field="stay_from",
    )
    before = snapshot(case)
    case.stay_basis = basis
    case.stay_from = stay_from
    workflow.apply(case, Action.CASE_RECORD_STAY)
    _save_case(case, "stay_basis", "stay_from", "status")
    log_action(
        actor=actor,
        action=AuditEvent.CASE_STAYING,
        obj=case,
        case=case,
        data={"basis": basis, "from": stay_from},
        changes=changes_since(case, before),
    )
    return case


def _last_step_on(case: Case) -> date:
    """The date of the latest recorded step: a case cannot be closed before it."""
    dates = [case.referred_on, case.decided_on, case.stay_from]
    dates.append(
        case.interviews.filter(status=c.InterviewStatus.HELD).aggregate(m=Max("held_on"))["m"]
    )
    dates.extend(
        case.returns.aggregate(
            Max("offered_on"), Max("accepted_on"), Max("declined_on"), Max("departed_on")
        ).values()
    )
    dates.append(
        FollowUp.objects.filter(prepared_return__case=case).aggregate(m=Max("held_on"))["m"]
    )
    return max(d for d in dates if d is not None)


@transaction.atomic
def case_close(*, actor, case: Case, closed_on: date, reason: str, note: str = "") -> Case:
    case = row_lock(case)
    workflow.require(case, Action.CASE_CLOSE)
    _choices([reason], c.ClosingReason, _("closing reason"))
    plausible_past(closed_on, _("The closing date"), field="closed_on")
    note = bounded_text(note, _("The note"), field="note")
    departed = (
        PreparedReturn.objects.filter(case=case, status=c.ReturnStatus.DEPARTED)
        .values_list("departed_on", flat=True)
        .first()
    )
    if departed is not None:
        not_before(
            closed_on,
            departed,
            _("The case cannot be closed before the departure (%(date)s)."),
            field="closed_on",
        )
    not_before(
        closed_on,
        _last_step_on(case),
        _("The case cannot be closed before %(date)s."),
        field="closed_on",
    )
    if reason == c.ClosingReason.NOT_IDENTIFIED and case.outcome != c.Outcome.NOT_IDENTIFIED:
        raise ValidationError(
            _("“Not identified” needs a decision that the person was not identified."),
            code="reason_mismatch",
        )
    if reason == c.ClosingReason.RETURN_COMPLETED and case.status != c.CaseStatus.RETURNED:
        raise ValidationError(
            _("“Prepared return completed” needs a recorded departure."), code="reason_mismatch"
        )
    if reason == c.ClosingReason.STAYING and case.status != c.CaseStatus.STAYING:
        raise ValidationError(
            _("“Stays in the country” needs a recorded basis of stay."), code="reason_mismatch"
        )
    # Nothing planned can happen in a closed case: its planned interviews are
    # cancelled with it, so no list keeps offering them.
    for interview in case.interviews.filter(status=c.InterviewStatus.PLANNED):
        interview_before = snapshot(interview)
        interview.status = c.InterviewStatus.CANCELLED
        interview.save(update_fields=["status", "updated_at"])
        log_action(
            actor=actor,
            action=AuditEvent.INTERVIEW_CANCELLED,
            obj=interview,
            case=case,
            data={"reason": "case_closed"},
            changes=changes_since(interview, interview_before),
        )
    before = snapshot(case)
    workflow.apply(case, Action.CASE_CLOSE)
    case.closed_on = closed_on
    case.closing_reason = reason
    case.closing_note = note
    _save_case(case, "status", "closed_on", "closing_reason", "closing_note")
    log_action(
        actor=actor,
        action=AuditEvent.CASE_CLOSED,
        obj=case,
        case=case,
        data={"closed_on": closed_on, "reason": reason},
        changes=changes_since(case, before),
    )
    return case
