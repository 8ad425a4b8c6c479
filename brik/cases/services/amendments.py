"""Correcting a recorded step: the step's row takes the corrected value (the
statistics read it), an Amendment row keeps the old one with the reason.

Which values may be corrected is the table AMENDABLE below. Each correction is
checked by the same rules as the step that recorded it (a plausible date, in
the case's order of events, the decision's rules about forms of exploitation).
A correction never changes the case's status: the outcome of a decision, for
example, is not amendable (it decides the workflow; reopen and record the
steps again instead).
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from dateutil.relativedelta import relativedelta
from django.db import transaction
from django.db.models import Max, Min, TextChoices
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from brik.accounts.models import User
from brik.audit.events import AuditEvent
from brik.audit.services import log_action
from brik.cases import rules, workflow
from brik.cases.models import (
    Amendment,
    Assessment,
    Case,
    ExploitationForm,
    FollowUp,
    Interview,
    PreparedReturn,
    Referral,
    ReflectionPeriod,
    Screening,
    SupportMeasure,
)
from brik.cases.services.common import (
    check_contact_person,
    country_code,
    keep_last_contact_on,
    valid_choices,
)
from brik.cases.workflow import Action
from brik.core import choices
from brik.core.validation import bounded_text, field_error, not_before, plausible_past, row_lock

DATE, CHOICE, CHOICES, COUNTRY, STAFF = "date", "choice", "choices", "country", "staff"


@dataclass(frozen=True)
class Amendable:
    """One value a correction may change: which step, which field, of what kind."""

    step_type: str
    field: str
    kind: str
    label: Any  # a lazy translation
    kinds: type[TextChoices] | None = None  # the choices of a CHOICE or CHOICES value

    @property
    def key(self) -> str:
        return f"{self.step_type}.{self.field}"


AMENDABLE: dict[str, Amendable] = {
    a.key: a
    for a in (
        Amendable("referral", "referred_on", DATE, gettext_lazy("date of referral")),
        Amendable("interview", "held_on", DATE, gettext_lazy("date of interview")),
        Amendable("interview", "interviewers", STAFF, gettext_lazy("interviewers")),
        Amendable("assessment", "decided_on", DATE, gettext_lazy("date of decision")),
        Amendable(
            "assessment",
            "deciding_authority",
            CHOICE,
            gettext_lazy("deciding authority"),
            choices.DecidingAuthority,
        ),
        Amendable(
            "assessment",
            "forms",
            CHOICES,
            gettext_lazy("forms of exploitation"),
            choices.ExploitationForm,
        ),
        Amendable("return", "departed_on", DATE, gettext_lazy("date of departure")),
        Amendable("return", "destination_country", COUNTRY, gettext_lazy("destination country")),
    )
}


@dataclass(frozen=True)
class Target:
    """A value of one recorded step of a case, as the form offers it."""

    spec: Amendable
    step: Any  # the step's row
    current: Any  # its stored value (a date, a code, a list of codes or user ids)

    @property
    def value(self) -> str:
        """How the form names it: "assessment.decided_on" or "interview.held_on.12"."""
        return f"{self.spec.key}.{self.step.pk}"


def amendable_targets(case: Case) -> list[Target]:
    """Every value of the case's recorded steps that may be corrected now."""
    targets: list[Target] = []
    referral = Referral.objects.filter(case=case).first()
    if referral is not None:
        targets.append(Target(AMENDABLE["referral.referred_on"], referral, referral.referred_on))
    for interview in Interview.objects.filter(
        case=case, status=choices.InterviewStatus.HELD
    ).prefetch_related("interviewers"):
        targets.append(Target(AMENDABLE["interview.held_on"], interview, interview.held_on))
        targets.append(
            Target(
                AMENDABLE["interview.interviewers"],
                interview,
                sorted(u.pk for u in interview.interviewers.all()),
            )
        )
    assessment = Assessment.objects.filter(case=case).prefetch_related("forms").first()
    if assessment is not None:
        targets.append(
            Target(AMENDABLE["assessment.decided_on"], assessment, assessment.decided_on)
        )
        targets.append(
            Target(
                AMENDABLE["assessment.deciding_authority"],
                assessment,
                assessment.deciding_authority,
            )
        )
        targets.append(
            Target(
                AMENDABLE["assessment.forms"],
                assessment,
                sorted(f.form for f in assessment.forms.all()),
            )
        )
    departed = PreparedReturn.objects.filter(
        case=case, status=choices.ReturnStatus.DEPARTED
    ).first()
    if departed is not None:
        targets.append(Target(AMENDABLE["return.departed_on"], departed, departed.departed_on))
        targets.append(
            Target(AMENDABLE["return.destination_country"], departed, departed.destination_country)
        )
    return targets


def find_target(case: Case, value: str) -> Target | None:
    return next((t for t in amendable_targets(case) if t.value == value), None)


# --- the checks: the same rules as the step that recorded the value -------------------------


def _min(*days: date | None) -> date | None:
    present = [d for d in days if d is not None]
    return min(present) if present else None


def _max(*days: date | None) -> date | None:
    present = [d for d in days if d is not None]
    return max(present) if present else None


def _not_after(value: date, latest: date | None, message: str) -> None:
    if latest is not None and value > latest:
        raise field_error("value", message, code="date_order", params={"date": date_format(latest)})


def _check_referred_on(case: Case, target: Target, new: date) -> None:
    plausible_past(new, _("The date of referral"), field="value")
    later = _min(
        Interview.objects.filter(case=case, status=choices.InterviewStatus.HELD).aggregate(
            m=Min("held_on")
        )["m"],
        Screening.objects.filter(case=case).aggregate(m=Min("screened_on"))["m"],
        SupportMeasure.objects.filter(case=case).aggregate(m=Min("starts_on"))["m"],
        PreparedReturn.objects.filter(case=case).aggregate(m=Min("offered_on"))["m"],
        case.decided_on,
        case.stay_from,
        case.closed_on,
    )
    _not_after(new, later, _("The referral cannot be after the steps that followed it (%(date)s)."))


def _check_held_on(case: Case, target: Target, new: date) -> None:
    plausible_past(new, _("The date of interview"), field="value")
    not_before(
        new,
        case.referred_on,
        _("An interview cannot precede the referral (%(date)s)."),
        field="value",
    )
    _not_after(new, case.decided_on, _("An interview cannot be after the decision (%(date)s)."))


def _check_decided_on(case: Case, target: Target, new: date) -> None:
    assessment: Assessment = target.step
    plausible_past(new, _("The decision date"), field="value")
    earliest = _max(
        case.referred_on,
        Interview.objects.filter(case=case, status=choices.InterviewStatus.HELD).aggregate(
            m=Max("held_on")
        )["m"],
        assessment.exploitation_from,
        assessment.exploitation_to,
    )
    assert earliest is not None
    not_before(
        new,
        earliest,
        _("The decision cannot precede the referral, an interview or the exploitation (%(date)s)."),
        field="value",
    )
    later = _min(
        ReflectionPeriod.objects.filter(case=case).values_list("starts_on", flat=True).first(),
        PreparedReturn.objects.filter(case=case).aggregate(m=Min("offered_on"))["m"],
        case.stay_from,
        case.closed_on,
    )
    _not_after(new, later, _("The decision cannot be after the steps that followed it (%(date)s)."))


def _check_forms(case: Case, target: Target, new: list[str]) -> None:
    assessment: Assessment = target.step
    if assessment.outcome == choices.Outcome.IDENTIFIED and not new:
        raise field_error(
            "value",
            _("Choose at least one form of exploitation (or “not determined”)."),
            code="forms_required",
        )
    if assessment.sexual_exploitation_type and choices.ExploitationForm.SEXUAL not in new:
        raise field_error(
            "value",
            _("A type of sexual exploitation needs the form “sexual exploitation”."),
            code="form_mismatch",
        )


def _check_departed_on(case: Case, target: Target, new: date) -> None:
    prepared: PreparedReturn = target.step
    assert prepared.accepted_on is not None
    plausible_past(new, _("The departure date"), field="value")
    not_before(
        new,
        prepared.accepted_on,
        _("Departure cannot precede acceptance (%(date)s)."),
        field="value",
    )
    later = _min(
        FollowUp.objects.filter(prepared_return=prepared).aggregate(m=Min("held_on"))["m"],
        case.closed_on,
    )
    _not_after(
        new, later, _("The departure cannot be after the follow-up or the closing (%(date)s).")
    )


def _clean_value(case: Case, target: Target, value: Any) -> Any:
    """The new value in its stored form, checked as the original step checks it."""
    spec = target.spec
    if spec.kind == DATE:
        if not isinstance(value, date):
            raise field_error("value", _("Enter a date."), code="invalid")
        check: Callable[[Case, Target, date], None] = {
            "referral.referred_on": _check_referred_on,
            "interview.held_on": _check_held_on,
            "assessment.decided_on": _check_decided_on,
            "return.departed_on": _check_departed_on,
        }[spec.key]
        check(case, target, value)
        return value
    if spec.kind == CHOICE:
        assert spec.kinds is not None
        return valid_choices([value], spec.kinds, str(spec.label))[0]
    if spec.kind == CHOICES:
        assert spec.kinds is not None
        codes = sorted(valid_choices(list(value), spec.kinds, str(spec.label)))
        _check_forms(case, target, codes)
        return codes
    if spec.kind == COUNTRY:
        return country_code(value)
    # STAFF: the interviewers are the centre's staff.
    users = list(value)
    for user in users:
        check_contact_person(user)
    return sorted(u.pk for u in users)


# --- writing the corrected value -----------------------------------------------------------


def _write(case: Case, target: Target, new: Any) -> None:
    step = target.step
    key = target.spec.key
    if key == "referral.referred_on":
        step.referred_on = new
        step.save(update_fields=["referred_on", "updated_at"])
        case.referred_on = new
        case.full_clean(exclude=["person", "assigned_to"], validate_unique=False)
        case.save(update_fields=["referred_on", "updated_at"])
    elif key == "interview.held_on":
        step.held_on = new
        step.save(update_fields=["held_on", "updated_at"])
    elif key == "interview.interviewers":
        step.interviewers.set(new)
    elif key == "assessment.decided_on":
        step.decided_on = new
        step.save(update_fields=["decided_on", "updated_at"])
        case.decided_on = new
        case.full_clean(exclude=["person", "assigned_to"], validate_unique=False)
        case.save(update_fields=["decided_on", "updated_at"])
    elif key == "assessment.deciding_authority":
        step.deciding_authority = new
        step.save(update_fields=["deciding_authority", "updated_at"])
    elif key == "assessment.forms":
        ExploitationForm.objects.filter(assessment=step).exclude(form__in=new).delete()
        have = set(ExploitationForm.objects.filter(assessment=step).values_list("form", flat=True))
        ExploitationForm.objects.bulk_create(
            ExploitationForm(assessment=step, form=f) for f in new if f not in have
        )
    elif key == "return.departed_on":
        old = step.departed_on
        if step.follow_up_until is not None:
            span = relativedelta(step.follow_up_until, old)
            step.follow_up_until = rules.follow_up_until(new, span.years * 12 + span.months)
        step.departed_on = new
        step.save(update_fields=["departed_on", "follow_up_until", "updated_at"])
        keep_last_contact_on(step)
    elif key == "return.destination_country":
        step.destination_country = new
        step.save(update_fields=["destination_country", "updated_at"])


# The steps whose values the statistics count, and the date that places them in a year
# (brik.statistics reads Case.decided_on, the decision's forms and authority, and the
# departure's date and destination). Referral and interview dates count in no figure.
_COUNTED_BY: dict[str, str] = {"assessment": "decided_on", "return": "departed_on"}


def _years_touched(target: Target, new: Any) -> list[int]:
    """The report years whose figures the correction changes (old and new year of a date)."""
    name = _COUNTED_BY.get(target.spec.step_type)
    if name is None:
        return []
    day = getattr(target.step, name)
    years = {day.year} if day else set()
    if target.spec.field == name:
        years.add(new.year)
    return sorted(years)


def _jsonable(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


@transaction.atomic
def case_amend(*, actor: User, case: Case, target: str, value: Any, reason: str) -> Amendment:
    """Correct one recorded value of the case (`target` as amendable_targets names it).

    The step's row gets the new value; the Amendment keeps the old one and the
    reason (required). Refused when nothing changes or the value breaks the
    rules of the step.
    """
    case = row_lock(case)
    workflow.require(case, Action.CASE_AMEND)
    found = find_target(case, target)
    if found is None:
        raise field_error("target", _("Choose a recorded value to correct."), code="invalid_choice")
    reason = bounded_text(reason, _("The reason"), field="reason")
    if not reason:
        raise field_error("reason", _("Say why the value is corrected."), code="reason_required")
    if value in (None, "", [], ()) and found.spec.kind != CHOICES:
        raise field_error("value", _("Enter the corrected value."), code="required")
    new = _clean_value(case, found, value)
    if new == found.current:
        raise field_error("value", _("This is the value already recorded."), code="unchanged")
    years = _years_touched(found, new)
    # No amendable value decides the case's status (the outcome is not amendable),
    # so a correction never moves the case along the workflow.
    _write(case, found, new)
    amendment = Amendment.objects.create(
        case=case,
        step_type=found.spec.step_type,
        step_id=found.step.pk,
        field=found.spec.field,
        old_value=_jsonable(found.current),
        new_value=_jsonable(new),
        reason=reason,
        years=years,
        amended_by=actor,
    )
    log_action(
        actor=actor,
        action=AuditEvent.CASE_AMENDED,
        obj=amendment,
        case=case,
        data={
            "step": found.spec.step_type,
            "step_id": found.step.pk,
            "field": found.spec.field,
            "from": _jsonable(found.current),
            "to": _jsonable(new),
            "years": amendment.years,
        },
    )
    return amendment


def amendable_label(spec_key: str) -> str:
    spec = AMENDABLE.get(spec_key)
    return str(spec.label) if spec else spec_key


__all__ = [
    "AMENDABLE",
    "Amendable",
    "Target",
    "amendable_label",
    "amendable_targets",
    "case_amend",
    "find_target",
]
