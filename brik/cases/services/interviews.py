"""Identification interviews: planned, recorded as held, or cancelled."""

from collections.abc import Iterable
from datetime import date, datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from brik.accounts.models import User
from brik.audit.events import AuditEvent
from brik.audit.services import changes_since, log_action, snapshot
from brik.cases import workflow
from brik.cases.models import (
    Case,
    Interview,
)
from brik.cases.services.common import (
    advance,
    language_code,
    valid_choices,
)
from brik.cases.workflow import Action
from brik.core import choices
from brik.core.errors import TransitionError
from brik.core.validation import (
    bounded_text,
    not_before,
    plausible_past,
    plausible_plan,
    row_lock,
)


@transaction.atomic
def interview_plan(
    *,
    actor: User,
    case: Case,
    planned_for: datetime,
    place: str = "",
    interviewers: Iterable[User] = (),
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
        interpreter_language = language_code(interpreter_language)
    interview = Interview.objects.create(
        case=case,
        case_assigned_to_id=case.assigned_to_id,  # sort key (brik.cases.sort_keys)
        planned_for=planned_for,
        place=place,
        interpreter_language=interpreter_language,
    )
    interview.interviewers.set(interviewers)
    advance(case, Action.INTERVIEW_PLAN)
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
    actor: User,
    case: Case,
    held_on: date,
    interview: Interview | None = None,
    place: str = "",
    interviewers: Iterable[User] = (),
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
    indicators = valid_choices(indicators, choices.Indicator, _("indicator"))
    dimensions = valid_choices(dimensions, choices.IndicatorDimension, _("dimension"))
    if interpreter_language:
        interpreter_language = language_code(interpreter_language)
    if interview is None:
        interview = Interview(case=case, case_assigned_to_id=case.assigned_to_id)
    else:
        # Re-read under the case lock: a second submit of the same form must not
        # overwrite the interview the first one recorded.
        interview = Interview.objects.filter(pk=interview.pk, case=case).first()
        if interview is None or interview.status != choices.InterviewStatus.PLANNED:
            raise TransitionError(
                _("Only a planned interview of this case can be recorded."),
                code="interview_state",
            )
    # A planned interview is changed; one held without planning is new.
    before = snapshot(interview) if interview.pk else None
    interview.status = choices.InterviewStatus.HELD
    interview.held_on = held_on
    interview.place = place or interview.place
    interview.interpreter_language = interpreter_language or interview.interpreter_language
    interview.indicators = indicators
    interview.dimensions = dimensions
    interview.notes = notes
    interview.save()
    if interviewers:
        interview.interviewers.set(interviewers)
    advance(case, Action.INTERVIEW_RECORD)
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
def interview_cancel(*, actor: User, interview: Interview, reason: str = "") -> Interview:
    case = row_lock(interview.case)
    workflow.require(case, Action.INTERVIEW_CANCEL)
    interview = Interview.objects.get(pk=interview.pk)
    if interview.status != choices.InterviewStatus.PLANNED:
        raise TransitionError(
            _("Only a planned interview can be cancelled."), code="interview_state"
        )
    reason = bounded_text(reason, _("The reason"), field="reason", max_length=200)
    before = snapshot(interview)
    interview.status = choices.InterviewStatus.CANCELLED
    interview.save(update_fields=["status", "updated_at"])
    advance(case, Action.INTERVIEW_CANCEL)
    log_action(
        actor=actor,
        action=AuditEvent.INTERVIEW_CANCELLED,
        obj=interview,
        case=case,
        data={"reason": reason},
        changes=changes_since(interview, before),
    )
    return interview
