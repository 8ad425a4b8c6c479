"""The reflection (or restitution) period: started after identification, extended
within the legal maximum (brik.cases.rules)."""

from datetime import date

from django.db import transaction
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from brik.accounts.models import User
from brik.audit.events import AuditEvent
from brik.audit.services import changes_since, log_action, snapshot
from brik.cases import rules, workflow
from brik.cases.models import (
    Case,
    ReflectionExtension,
    ReflectionPeriod,
)
from brik.cases.services.common import (
    advance,
    keep_period_ends_on,
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
def reflection_start(*, actor: User, case: Case, starts_on: date) -> ReflectionPeriod:
    """Start the 30-day period: reflection without legal residence, restitution with it."""
    case = row_lock(case)
    workflow.require(case, Action.REFLECTION_START)
    # The step is taken only on an identified case (IN_PERIOD), so its decision date is
    # set (constraints status_follows_identification and decision_has_date_and_outcome).
    assert case.decided_on is not None
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
        kind=choices.PeriodKind.RESTITUTION
        if case.has_legal_residence
        else choices.PeriodKind.REFLECTION,
        starts_on=starts_on,
        ends_on=rules.reflection_initial_end(starts_on),
        days=rules.REFLECTION_INITIAL_DAYS,
        started_by=actor,
    )
    keep_period_ends_on(case, period.ends_on)
    advance(case, Action.REFLECTION_START)
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
    actor: User,
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
    valid_choices([reason], choices.ExtensionReason, _("reason"))
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
    keep_period_ends_on(case, new_ends_on)
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
