"""Joint authority actions: planned, held (with whom they met and referred) or cancelled,
and the referrals in Brik that came from them."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from brik.accounts.models import Organisation
from brik.audit.events import AuditEvent
from brik.audit.services import changes_since, log_action, snapshot
from brik.cases.models import Case, Referral
from brik.cooperation.models import JointAction
from brik.cooperation.services.common import (
    active_organisation,
    checked_choice,
    create_checked,
    required_text,
)
from brik.core import choices
from brik.core.errors import TransitionError
from brik.core.validation import (
    bounded_count,
    bounded_text,
    field_error,
    not_before,
    plausible_plan,
    row_lock,
)

if TYPE_CHECKING:
    from brik.accounts.models import User


def _referral_of(case: Case) -> Referral:
    try:
        return Referral.objects.select_for_update().get(case=case)
    except Referral.DoesNotExist:
        raise TransitionError(
            _("Case %(code)s has no referral."), code="no_referral", params={"code": case.code}
        ) from None


@transaction.atomic
def joint_action_plan(
    *,
    actor: User,
    title: str,
    planned_for: date,
    region: str,
    sector: str,
    lead_organisation: Organisation,
    participants: Iterable[Organisation] = (),
) -> JointAction:
    """Plan a joint authority action; the lead always takes part."""
    title = required_text(title, _("The title"), field="title", max_length=200)
    plausible_plan(planned_for, _("The date"), field="planned_for")
    checked_choice(region, choices.Region, _("region"))
    checked_choice(sector, choices.Sector, _("sector"))
    organisations = {o.pk: o for o in [lead_organisation, *participants]}
    for organisation in organisations.values():
        active_organisation(organisation)
    action = create_checked(
        JointAction,
        title=title,
        planned_for=planned_for,
        region=region,
        sector=sector,
        lead_organisation=lead_organisation,
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    action.participants.set(organisations.values())
    log_action(
        actor=actor,
        action=AuditEvent.JOINT_ACTION_PLANNED,
        obj=action,
        data={
            "planned_for": planned_for,
            "region": region,
            "sector": sector,
            "lead_organisation": lead_organisation,
            "participants": sorted(organisations),
        },
    )
    return action


@transaction.atomic
def joint_action_record_outcome(
    *,
    actor: User,
    action: JointAction,
    persons_met: int,
    persons_referred: int,
    notes: str = "",
) -> JointAction:
    """Record that a planned action was held, and whom it met and referred."""
    action = row_lock(action)
    if action.status != choices.JointActionStatus.PLANNED:
        raise TransitionError(
            _("Only a planned action can be recorded as held; this action is “%(status)s”."),
            code="invalid_transition",
            params={"status": action.get_status_display()},
        )
    if action.planned_for > timezone.localdate():
        raise TransitionError(
            _("The action is planned for %(date)s; its outcome can be recorded from that day."),
            code="future_date",
            params={"date": date_format(action.planned_for)},
        )
    bounded_count(persons_met, _("Persons met"), field="persons_met")
    bounded_count(persons_referred, _("Persons referred"), field="persons_referred")
    notes = bounded_text(notes, _("The outcome"), field="notes")
    if persons_referred > persons_met:
        raise field_error(
            "persons_referred",
            _("Persons referred (%(referred)s) cannot exceed persons met (%(met)s)."),
            code="referred_above_met",
            params={"referred": persons_referred, "met": persons_met},
        )
    before = snapshot(action)
    action.status = choices.JointActionStatus.HELD
    action.persons_met = persons_met
    action.persons_referred = persons_referred
    action.outcome_notes = notes
    action.save(
        update_fields=["status", "persons_met", "persons_referred", "outcome_notes", "updated_at"]
    )
    log_action(
        actor=actor,
        action=AuditEvent.JOINT_ACTION_HELD,
        obj=action,
        data={"persons_met": persons_met, "persons_referred": persons_referred},
        changes=changes_since(action, before),
    )
    return action


@transaction.atomic
def joint_action_cancel(*, actor: User, action: JointAction, reason: str = "") -> JointAction:
    action = row_lock(action)
    reason = bounded_text(reason, _("The reason"), field="reason", max_length=200)
    if action.status != choices.JointActionStatus.PLANNED:
        raise TransitionError(
            _("Only a planned action can be cancelled; this action is “%(status)s”."),
            code="invalid_transition",
            params={"status": action.get_status_display()},
        )
    linked = action.referrals.count()
    if linked:
        raise TransitionError(
            ngettext(
                "%(count)s referral is linked to this action, so it took place; unlink it first.",
                "%(count)s referrals are linked to this action, so it took place; "
                "unlink them first.",
                linked,
            ),
            code="has_referrals",
            params={"count": linked},
        )
    before = snapshot(action)
    action.status = choices.JointActionStatus.CANCELLED
    action.save(update_fields=["status", "updated_at"])
    log_action(
        actor=actor,
        action=AuditEvent.JOINT_ACTION_CANCELLED,
        obj=action,
        data={"reason": reason},
        changes=changes_since(action, before),
    )
    return action


@transaction.atomic
def joint_action_link_referral(*, actor: User, action: JointAction, case: Case) -> Referral:
    """Record that the case's referral came from this action."""
    action = row_lock(action)
    referral = _referral_of(case)
    if action.status == choices.JointActionStatus.CANCELLED:
        raise TransitionError(_("A cancelled action has no referrals."), code="action_cancelled")
    if referral.joint_action_id == action.pk:
        raise TransitionError(
            _("The referral of %(code)s is already linked to this action."),
            code="already_linked",
            params={"code": case.code},
        )
    if referral.joint_action_id is not None:
        raise TransitionError(
            _("The referral of %(code)s is already linked to the action “%(title)s”."),
            code="linked_elsewhere",
            params={"code": case.code, "title": referral.joint_action.title},
        )
    not_before(
        referral.referred_on,
        action.planned_for,
        _("The referral is dated before the action (%(date)s), so it cannot come from it."),
        field="case",
    )
    referral.joint_action = action
    referral.save(update_fields=["joint_action", "updated_at"])
    log_action(
        actor=actor,
        action=AuditEvent.JOINT_ACTION_REFERRAL_LINKED,
        obj=action,
        case=case,
        data={"referral": referral.pk},
    )
    return referral


@transaction.atomic
def joint_action_unlink_referral(*, actor: User, action: JointAction, case: Case) -> Referral:
    """Undo a link made in error."""
    action = row_lock(action)
    referral = _referral_of(case)
    if referral.joint_action_id != action.pk:
        raise TransitionError(
            _("The referral of %(code)s is not linked to this action."),
            code="not_linked",
            params={"code": case.code},
        )
    referral.joint_action = None
    referral.save(update_fields=["joint_action", "updated_at"])
    log_action(
        actor=actor,
        action=AuditEvent.JOINT_ACTION_REFERRAL_UNLINKED,
        obj=action,
        case=case,
        data={"referral": referral.pk},
    )
    return referral
