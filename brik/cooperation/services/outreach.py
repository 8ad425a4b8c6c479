"""NGO outreach: anonymous counts of the persons met on a round, never who was met."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from brik.accounts.models import Organisation
from brik.audit.events import AuditEvent
from brik.audit.services import changes_since, log_action, snapshot
from brik.cooperation.anonymity import check_outreach_note
from brik.cooperation.models import OutreachLog
from brik.cooperation.services.common import (
    active_organisation,
    checked_choice,
    create_checked,
    required_text,
)
from brik.core import choices
from brik.core.validation import bounded_count, bounded_text, field_error, plausible_past, row_lock

if TYPE_CHECKING:
    from brik.accounts.models import User


OUTREACH_NOTE_MAX_LENGTH = 500
OUTREACH_COUNT_FIELDS = ("women", "men", "trans", "unknown", "referrals_made")


def _outreach_counts(
    *, women: int, men: int, trans: int, unknown: int, referrals_made: int
) -> dict[str, int]:
    counts = {
        "women": bounded_count(women, _("Women"), field="women"),
        "men": bounded_count(men, _("Men"), field="men"),
        "trans": bounded_count(trans, _("Transgender / non-conforming"), field="trans"),
        "unknown": bounded_count(unknown, _("Gender unknown"), field="unknown"),
        "referrals_made": bounded_count(
            referrals_made, _("Referrals made"), field="referrals_made"
        ),
    }
    contacts = counts["women"] + counts["men"] + counts["trans"] + counts["unknown"]
    if counts["referrals_made"] > contacts:
        raise field_error(
            "referrals_made",
            _("Referrals made (%(referrals)s) cannot exceed the persons contacted (%(contacts)s)."),
            code="referrals_above_contacts",
            params={"referrals": counts["referrals_made"], "contacts": contacts},
        )
    return counts


def _anonymous_note(note: str) -> str:
    """The note, if the check finds nothing identifying in it (brik.cooperation.anonymity
    says what it recognises, and that it cannot recognise names)."""
    note = bounded_text(note, _("The note"), field="note")
    if len(note) > OUTREACH_NOTE_MAX_LENGTH:
        raise field_error(
            "note",
            _("Keep the note under %(max)s characters."),
            code="note_too_long",
            params={"max": OUTREACH_NOTE_MAX_LENGTH},
        )
    check_outreach_note(note, field="note")
    return note


@transaction.atomic
def outreach_log_add(
    *,
    actor: User,
    organisation: Organisation,
    held_on: date,
    place_type: str,
    region: str,
    sector: str = "",
    women: int = 0,
    men: int = 0,
    trans: int = 0,
    unknown: int = 0,
    referrals_made: int = 0,
    note: str = "",
) -> OutreachLog:
    """Log one outreach round: anonymous counts only, never who was met."""
    if organisation.type != choices.OrganisationType.NGO:
        raise ValidationError(
            _("Outreach is logged by NGOs; “%(organisation)s” is not an NGO."),
            code="not_ngo",
            params={"organisation": organisation.name},
        )
    active_organisation(organisation)
    plausible_past(held_on, _("The outreach date"), field="held_on")
    checked_choice(place_type, choices.PlaceType, _("place"))
    checked_choice(region, choices.Region, _("region"))
    if sector:
        checked_choice(sector, choices.Sector, _("sector"))
    counts = _outreach_counts(
        women=women, men=men, trans=trans, unknown=unknown, referrals_made=referrals_made
    )
    log = create_checked(
        OutreachLog,
        organisation=organisation,
        held_on=held_on,
        place_type=place_type,
        region=region,
        sector=sector,
        note=_anonymous_note(note),
        logged_by=actor if getattr(actor, "pk", None) else None,
        **counts,
    )
    log_action(
        actor=actor,
        action=AuditEvent.OUTREACH_LOG_ADDED,
        obj=log,
        data={"organisation": organisation, "held_on": held_on, **counts},
    )
    return log


@transaction.atomic
def outreach_log_correct(
    *,
    actor: User,
    log: OutreachLog,
    reason: str,
    women: int | None = None,
    men: int | None = None,
    trans: int | None = None,
    unknown: int | None = None,
    referrals_made: int | None = None,
) -> OutreachLog:
    """Correct the counts of a logged round; the old and new counts stay in the action log."""
    log = row_lock(log)
    reason = required_text(
        reason, _("The reason for the correction"), field="reason", max_length=200
    )
    given = {"women": women, "men": men, "trans": trans, "unknown": unknown}
    given["referrals_made"] = referrals_made
    old = {f: getattr(log, f) for f in OUTREACH_COUNT_FIELDS}
    new = _outreach_counts(**{f: old[f] if v is None else v for f, v in given.items()})
    if new == old:
        raise ValidationError(_("The correction changes no count."), code="no_change")
    before = snapshot(log)
    for field, value in new.items():
        setattr(log, field, value)
    log.save(update_fields=[*OUTREACH_COUNT_FIELDS, "updated_at"])
    log_action(
        actor=actor,
        action=AuditEvent.OUTREACH_LOG_CORRECTED,
        obj=log,
        data={"from": old, "to": new, "reason": reason},
        changes=changes_since(log, before),
    )
    return log
