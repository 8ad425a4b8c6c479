"""Support measures: added while the case is open, ended when they stop."""

from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from brik.accounts.models import Organisation, User
from brik.audit.events import AuditEvent
from brik.audit.services import changes_since, log_action, snapshot
from brik.cases import workflow
from brik.cases.models import (
    Case,
    SupportMeasure,
)
from brik.cases.services.common import (
    advance,
    valid_choices,
)
from brik.cases.workflow import Action
from brik.core import choices
from brik.core.errors import TransitionError
from brik.core.validation import (
    bounded_text,
    field_error,
    not_before,
    plausible_plan,
    row_lock,
)


@transaction.atomic
def support_add(
    *,
    actor: User,
    case: Case,
    kind: str,
    starts_on: date,
    ends_on: date | None = None,
    provider: Organisation | None = None,
    note: str = "",
) -> SupportMeasure:
    case = row_lock(case)
    workflow.require(case, Action.SUPPORT_ADD)
    valid_choices([kind], choices.SupportType, _("support"))
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
    advance(case, Action.SUPPORT_ADD)
    log_action(
        actor=actor,
        action=AuditEvent.SUPPORT_ADDED,
        obj=measure,
        case=case,
        data={"kind": kind, "starts_on": starts_on, "ends_on": ends_on},
    )
    return measure


@transaction.atomic
def support_end(*, actor: User, measure: SupportMeasure, ends_on: date) -> SupportMeasure:
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
