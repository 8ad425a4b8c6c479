"""The prepared return: offered, accepted or declined, the departure, and the
reintegration follow-up after it."""

from dataclasses import dataclass, fields, replace
from datetime import date
from typing import Any

from django.db import transaction
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from brik.accounts.models import Organisation, User
from brik.audit.events import AuditEvent
from brik.audit.services import changes_since, log_action, snapshot
from brik.cases import rules, workflow
from brik.cases.models import (
    Case,
    FollowUp,
    PreparedReturn,
)
from brik.cases.services.common import (
    advance,
    country_code,
    keep_last_contact_on,
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


def _live_return(case: Case) -> PreparedReturn | None:
    return (
        PreparedReturn.objects.select_for_update()
        .filter(case=case)
        .exclude(status=choices.ReturnStatus.DECLINED)
        .first()
    )


@transaction.atomic
def return_offer(*, actor: User, case: Case, offered_on: date) -> PreparedReturn:
    """Offer a prepared return. Offered to every identified victim; not conditional on anything."""
    case = row_lock(case)
    workflow.require(case, Action.RETURN_OFFER)
    # The step is taken only on an identified case (IN_PERIOD), so its decision date is
    # set (constraints status_follows_identification and decision_has_date_and_outcome).
    assert case.decided_on is not None
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


def _open_return(case: Case, status: choices.ReturnStatus) -> PreparedReturn:
    prepared = _live_return(case)
    if prepared is None or prepared.status != status:
        messages = {
            choices.ReturnStatus.OFFERED: _("No prepared return is waiting for an answer."),
            choices.ReturnStatus.ACCEPTED: _(
                "The prepared return must be accepted before departure."
            ),
        }
        raise TransitionError(messages[status], code="return_state")
    return prepared


@dataclass(frozen=True)
class ReturnPlan:
    """The person's acceptance of a prepared return, and the reintegration plan."""

    accepted_on: date
    destination_country: str
    destination_kind: str
    reintegration_partner: Organisation | None = None
    plan_allowance: bool = False
    plan_housing: bool = False
    plan_income_activity: bool = False
    plan_medical: bool = False
    plan_schooling_self: bool = False
    plan_schooling_children: bool = False
    plan_notes: str = ""


@transaction.atomic
def return_accept(
    *, actor: User, case: Case, plan: ReturnPlan | None = None, **values: Any
) -> PreparedReturn:
    """Record that the person accepts the offered return, with the reintegration plan.

    Give the plan as a ReturnPlan, or its fields as keywords (ReturnPlan(**values)).
    """
    plan = plan if plan is not None else ReturnPlan(**values)
    case = row_lock(case)
    workflow.require(case, Action.RETURN_ACCEPT)
    prepared = _open_return(case, choices.ReturnStatus.OFFERED)
    plan = _checked_plan(plan, offered_on=prepared.offered_on)
    before = snapshot(prepared)
    prepared.status = choices.ReturnStatus.ACCEPTED
    for field in fields(plan):  # the plan's fields are the prepared return's, by name
        setattr(prepared, field.name, getattr(plan, field.name))
    prepared.save()
    log_action(
        actor=actor,
        action=AuditEvent.RETURN_ACCEPTED,
        obj=prepared,
        case=case,
        data={"accepted_on": plan.accepted_on, "destination_country": plan.destination_country},
        changes=changes_since(prepared, before),
    )
    return prepared


def _checked_plan(plan: ReturnPlan, *, offered_on: date) -> ReturnPlan:
    plausible_past(plan.accepted_on, _("The acceptance date"), field="accepted_on")
    not_before(
        plan.accepted_on,
        offered_on,
        _("Acceptance cannot precede the offer (%(date)s)."),
        field="accepted_on",
    )
    plan_notes = bounded_text(plan.plan_notes, _("The reintegration plan"), field="plan_notes")
    destination_country = country_code(plan.destination_country)
    valid_choices([plan.destination_kind], choices.DestinationKind, _("destination"))
    return replace(plan, plan_notes=plan_notes, destination_country=destination_country)


@transaction.atomic
def return_decline(*, actor: User, case: Case, declined_on: date) -> PreparedReturn:
    case = row_lock(case)
    workflow.require(case, Action.RETURN_DECLINE)
    prepared = _open_return(case, choices.ReturnStatus.OFFERED)
    plausible_past(declined_on, _("The date"), field="declined_on")
    not_before(
        declined_on,
        prepared.offered_on,
        _("A refusal cannot precede the offer (%(date)s)."),
        field="declined_on",
    )
    before = snapshot(prepared)
    prepared.status = choices.ReturnStatus.DECLINED
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
    *, actor: User, case: Case, departed_on: date, follow_up_months: int = rules.FOLLOW_UP_MONTHS
) -> PreparedReturn:
    case = row_lock(case)
    workflow.require(case, Action.RETURN_DEPART)
    prepared = _open_return(case, choices.ReturnStatus.ACCEPTED)
    # An accepted return has its acceptance date (accepted_return_has_date_and_destination).
    assert prepared.accepted_on is not None
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
    prepared.status = choices.ReturnStatus.DEPARTED
    prepared.departed_on = departed_on
    prepared.follow_up_until = rules.follow_up_until(departed_on, follow_up_months)
    prepared.save(update_fields=["status", "departed_on", "follow_up_until", "updated_at"])
    changes = changes_since(prepared, before)
    keep_last_contact_on(prepared)
    advance(case, Action.RETURN_DEPART)
    log_action(
        actor=actor,
        action=AuditEvent.RETURN_DEPARTED,
        obj=prepared,
        case=case,
        data={"departed_on": departed_on, "follow_up_until": prepared.follow_up_until},
        changes=changes,
    )
    return prepared


@transaction.atomic
def follow_up_add(
    *, actor: User, case: Case, held_on: date, status: str, notes: str = ""
) -> FollowUp:
    case = row_lock(case)
    workflow.require(case, Action.FOLLOW_UP_ADD)
    prepared = PreparedReturn.objects.get(case=case, status=choices.ReturnStatus.DEPARTED)
    # A departed return has its departure date (constraint departed_return_has_date) and,
    # set with it by return_depart (the only step that records a departure), its end of
    # follow-up.
    assert prepared.departed_on is not None
    assert prepared.follow_up_until is not None
    valid_choices([status], choices.FollowUpStatus, _("status"))
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
    keep_last_contact_on(prepared)
    log_action(
        actor=actor,
        action=AuditEvent.FOLLOWUP_ADDED,
        obj=follow_up,
        case=case,
        data={"held_on": held_on, "status": status},
    )
    return follow_up
