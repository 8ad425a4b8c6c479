"""The end of a case: the person stays in the country, or the case is closed."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from brik.accounts.models import User
from brik.audit.events import AuditEvent
from brik.audit.services import changes_since, log_action, snapshot
from brik.cases import workflow
from brik.cases.models import (
    Case,
    FollowUp,
    PreparedReturn,
)
from brik.cases.services.common import (
    save_case,
    valid_choices,
)
from brik.cases.workflow import Action
from brik.core import choices
from brik.core.validation import (
    bounded_text,
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


@transaction.atomic
def case_close(*, actor: User, case: Case, closed_on: date, reason: str, note: str = "") -> Case:
    case = row_lock(case)
    workflow.require(case, Action.CASE_CLOSE)
    valid_choices([reason], choices.ClosingReason, _("closing reason"))
    plausible_past(closed_on, _("The closing date"), field="closed_on")
    note = bounded_text(note, _("The note"), field="note")
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
    if (
        reason == choices.ClosingReason.NOT_IDENTIFIED
        and case.outcome != choices.Outcome.NOT_IDENTIFIED
    ):
        raise ValidationError(
            _("“Not identified” needs a decision that the person was not identified."),
            code="reason_mismatch",
        )
    if (
        reason == choices.ClosingReason.RETURN_COMPLETED
        and case.status != choices.CaseStatus.RETURNED
    ):
        raise ValidationError(
            _("“Prepared return completed” needs a recorded departure."), code="reason_mismatch"
        )
    if reason == choices.ClosingReason.STAYING and case.status != choices.CaseStatus.STAYING:
        raise ValidationError(
            _("“Stays in the country” needs a recorded basis of stay."), code="reason_mismatch"
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
    log_action(
        actor=actor,
        action=AuditEvent.CASE_CLOSED,
        obj=case,
        case=case,
        data={"closed_on": closed_on, "reason": reason},
        changes=changes_since(case, before),
    )
    return case
