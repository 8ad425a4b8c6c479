"""The end of a case: the person stays in the country, or the case is closed."""

from collections.abc import Iterable
from datetime import date

from django.db import transaction
from django.db.models import Max
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from brik.accounts.models import User
from brik.audit.events import AuditEvent
from brik.audit.services import changes_since, log_action, snapshot
from brik.cases import workflow
from brik.cases.models import (
    Case,
    FollowUp,
    PreparedReturn,
    Reopening,
    SupportMeasure,
)
from brik.cases.services.common import (
    save_case,
    valid_choices,
)
from brik.cases.workflow import Action
from brik.core import choices
from brik.core.errors import TransitionError
from brik.core.validation import (
    bounded_text,
    field_error,
    not_before,
    plausible_past,
    row_lock,
)


@transaction.atomic
def case_record_stay(*, actor: User, case: Case, basis: str, stay_from: date) -> Case:
    case = row_lock(case)
    workflow.require(case, Action.CASE_RECORD_STAY)
    # The step is taken only on an identified case (IN_PERIOD), so its decision date is
    # set (constraints status_follows_identification and decision_has_date_and_outcome).
    assert case.decided_on is not None
    valid_choices([basis], choices.StayBasis, _("basis of stay"))
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
    save_case(case, "stay_basis", "stay_from", "status")
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
        case.interviews.filter(status=choices.InterviewStatus.HELD).aggregate(m=Max("held_on"))["m"]
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


def _check_reason_against_facts(
    case: Case, *, closed_on: date, reason: str, note: str, follow_up_end_reason: str
) -> PreparedReturn | None:
    """Refuse a closing reason that the case's facts do not bear out (naming the field).

    Returns the departed prepared return whose follow-up is ended early, if any.
    """
    departed = PreparedReturn.objects.filter(
        case=case, status=choices.ReturnStatus.DEPARTED
    ).first()
    if (
        reason == choices.ClosingReason.NOT_IDENTIFIED
        and case.outcome != choices.Outcome.NOT_IDENTIFIED
    ):
        raise field_error(
            "reason",
            _("“Not identified” needs a decision that the person was not identified."),
            code="reason_mismatch",
        )
    if reason == choices.ClosingReason.RETURN_COMPLETED:
        if case.status != choices.CaseStatus.RETURNED or departed is None:
            raise field_error(
                "reason",
                _("“Prepared return completed” needs a recorded departure."),
                code="reason_mismatch",
            )
        completed = departed.follow_ups.filter(status=choices.FollowUpStatus.COMPLETED).exists()
        until = departed.follow_up_until
        runs_on = until is not None and closed_on < until
        if until is not None and runs_on and not completed and not follow_up_end_reason:
            raise field_error(
                "follow_up_end_reason",
                _(
                    "The follow-up runs until %(date)s. Close the case then, or give the "
                    "reason it ended early."
                ),
                code="follow_up_running",
                params={"date": date_format(until)},
            )
        return departed if runs_on and not completed else None
    if follow_up_end_reason:
        raise field_error(
            "follow_up_end_reason",
            _("Only a case closed as “Prepared return and follow-up completed” ends a follow-up."),
            code="reason_mismatch",
        )
    if reason == choices.ClosingReason.STAYING and case.status != choices.CaseStatus.STAYING:
        raise field_error(
            "reason",
            _("“Stays in the country” needs a recorded basis of stay."),
            code="reason_mismatch",
        )
    if reason == choices.ClosingReason.DEPARTED_WITHOUT_RETURN and departed is not None:
        raise field_error(
            "reason",
            _(
                "The person left with a prepared return: choose “Prepared return and follow-up completed”."
            ),
            code="reason_mismatch",
        )
    if (
        reason == choices.ClosingReason.DECLINED_SUPPORT
        and case.outcome != choices.Outcome.IDENTIFIED
    ):
        raise field_error(
            "reason",
            _("Support is offered after a decision that the person was identified."),
            code="reason_mismatch",
        )
    if reason == choices.ClosingReason.OTHER and not note:
        raise field_error(
            "note", _("Say in the note why the case is closed."), code="note_required"
        )
    return None


def _end_open_support(
    *, actor: User, case: Case, closed_on: date, carried_over: list[int]
) -> list[int]:
    """End the open support measures on the closing date, except those carried over.

    Returns the ids carried over (kept open: another authority or case takes them on).
    """
    open_measures = list(SupportMeasure.objects.filter(case=case, ends_on__isnull=True))
    known = {m.pk for m in open_measures}
    unknown = set(carried_over) - known
    if unknown:
        raise field_error(
            "carry_over", _("Choose among the case's open support."), code="invalid_choice"
        )
    for measure in open_measures:
        if measure.pk in carried_over:
            continue
        if measure.starts_on > closed_on:
            raise field_error(
                "carry_over",
                _(
                    "%(support)s starts after the closing date (%(date)s): carry it over or end it first."
                ),
                code="support_after_closing",
                params={
                    "support": measure.get_kind_display(),
                    "date": date_format(measure.starts_on),
                },
            )
        before = snapshot(measure)
        measure.ends_on = closed_on
        measure.save(update_fields=["ends_on", "updated_at"])
        log_action(
            actor=actor,
            action=AuditEvent.SUPPORT_ENDED,
            obj=measure,
            case=case,
            data={"ends_on": closed_on, "case_closed": True},
            changes=changes_since(measure, before),
        )
    return sorted(set(carried_over))


@transaction.atomic
def case_close(
    *,
    actor: User,
    case: Case,
    closed_on: date,
    reason: str,
    note: str = "",
    carry_over: Iterable[int] = (),
    follow_up_end_reason: str = "",
) -> Case:
    """Close the case. The reason must agree with the facts (a follow-up still running
    ends early only with its reason); open support ends on the closing date unless
    it is carried over (listed in `carry_over`)."""
    case = row_lock(case)
    workflow.require(case, Action.CASE_CLOSE)
    valid_choices([reason], choices.ClosingReason, _("closing reason"))
    plausible_past(closed_on, _("The closing date"), field="closed_on")
    note = bounded_text(note, _("The note"), field="note")
    follow_up_end_reason = bounded_text(
        follow_up_end_reason, _("The reason"), field="follow_up_end_reason"
    )
    departed = (
        PreparedReturn.objects.filter(case=case, status=choices.ReturnStatus.DEPARTED)
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
    ended_early = _check_reason_against_facts(
        case,
        closed_on=closed_on,
        reason=reason,
        note=note,
        follow_up_end_reason=follow_up_end_reason,
    )
    if ended_early is not None:
        ended_early.follow_up_end_reason = follow_up_end_reason
        ended_early.save(update_fields=["follow_up_end_reason", "updated_at"])
    carried = _end_open_support(
        actor=actor, case=case, closed_on=closed_on, carried_over=[int(pk) for pk in carry_over]
    )
    # Nothing planned can happen in a closed case: its planned interviews are
    # cancelled with it, so no list keeps offering them.
    for interview in case.interviews.filter(status=choices.InterviewStatus.PLANNED):
        interview_before = snapshot(interview)
        interview.status = choices.InterviewStatus.CANCELLED
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
    save_case(case, "status", "closed_on", "closing_reason", "closing_note")
    data: dict = {"closed_on": closed_on, "reason": reason}
    if carried:
        data["support_carried_over"] = carried
    if ended_early is not None:
        data["follow_up_ended_early"] = True
    log_action(
        actor=actor,
        action=AuditEvent.CASE_CLOSED,
        obj=case,
        case=case,
        data=data,
        changes=changes_since(case, before),
    )
    return case


@transaction.atomic
def case_reopen(
    *, actor: User, case: Case, reopened_on: date, reason: str, note: str = ""
) -> Reopening:
    """Open a closed case again (new information, the person came back...).

    The case returns to the status its facts give (brik.cases.workflow.after_reopen);
    the closing's date and reason stay in the reopening row and the history.
    """
    case = row_lock(case)
    workflow.require(case, Action.CASE_REOPEN)
    # A closed case has its date and reason (closed_case_has_date_and_reason).
    assert case.closed_on is not None
    valid_choices([reason], choices.ReopenReason, _("reason"))
    plausible_past(reopened_on, _("The date of reopening"), field="reopened_on")
    not_before(
        reopened_on,
        case.closed_on,
        _("A case cannot be reopened before it was closed (%(date)s)."),
        field="reopened_on",
    )
    note = bounded_text(note, _("The note"), field="note")
    if reason == choices.ReopenReason.OTHER and not note:
        raise field_error(
            "note", _("Say in the note why the case is reopened."), code="note_required"
        )
    if Case.objects.filter(person=case.person).exclude(status=choices.CaseStatus.CLOSED).exists():
        raise TransitionError(
            _("This person already has an open case: continue that one."),
            code="open_case_exists",
        )
    reopening = Reopening.objects.create(
        case=case,
        reopened_on=reopened_on,
        reason=reason,
        note=note,
        previous_closed_on=case.closed_on,
        previous_closing_reason=case.closing_reason,
        previous_closing_note=case.closing_note,
        reopened_by=actor,
    )
    before = snapshot(case)
    workflow.apply(case, Action.CASE_REOPEN)
    case.closed_on = None
    case.closing_reason = ""
    case.closing_note = ""
    save_case(case, "status", "closed_on", "closing_reason", "closing_note")
    log_action(
        actor=actor,
        action=AuditEvent.CASE_REOPENED,
        obj=reopening,
        case=case,
        data={
            "reopened_on": reopened_on,
            "reason": reason,
            "previous_closed_on": reopening.previous_closed_on,
            "previous_closing_reason": reopening.previous_closing_reason,
            "status": case.status,
        },
        changes=changes_since(case, before),
    )
    return reopening
