"""Prosecutions: a police case from investigation to charge and verdict (or dropped),
and the victims' cases linked to it."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from brik.accounts.models import Organisation
from brik.audit.events import AuditEvent
from brik.audit.services import changes_since, log_action, snapshot
from brik.cases.models import Case
from brik.cooperation.models import ProsecutionCase
from brik.cooperation.services.common import (
    checked_amount,
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
    plausible_past,
    row_lock,
)

if TYPE_CHECKING:
    from brik.accounts.models import User


# Suspects in one police case.
MAX_SUSPECTS = 1_000


def _prosecution_state(prosecution: ProsecutionCase, allowed: set[str], message: str) -> None:
    if prosecution.status not in allowed:
        raise TransitionError(
            message,
            code="invalid_transition",
            params={"status": prosecution.get_status_display()},
        )


@transaction.atomic
def prosecution_open(
    *,
    actor: User,
    police_district: Organisation,
    police_case_number: str,
    opened_on: date,
    suspects: int = 1,
) -> ProsecutionCase:
    if police_district.type != choices.OrganisationType.POLICE:
        raise ValidationError(
            _("“%(organisation)s” is not a police district."),
            code="not_police",
            params={"organisation": police_district.name},
        )
    number = required_text(
        police_case_number, _("The police case number"), field="police_case_number", max_length=60
    )
    plausible_past(opened_on, _("The opening date"), field="opened_on")
    bounded_count(suspects, _("Suspects"), field="suspects", maximum=MAX_SUSPECTS)
    duplicate = field_error(
        "police_case_number",
        _("Police case number %(number)s is already registered."),
        code="duplicate_case_number",
        params={"number": number},
    )
    if ProsecutionCase.objects.filter(police_case_number__iexact=number).exists():
        raise duplicate
    try:
        with transaction.atomic():
            prosecution = create_checked(
                ProsecutionCase,
                police_district=police_district,
                police_case_number=number,
                opened_on=opened_on,
                suspects=suspects,
            )
    except IntegrityError:
        # Registered by someone else a moment ago.
        raise duplicate from None
    log_action(
        actor=actor,
        action=AuditEvent.PROSECUTION_OPENED,
        obj=prosecution,
        data={
            "police_district": police_district,
            "police_case_number": number,
            "opened_on": opened_on,
            "suspects": suspects,
        },
    )
    return prosecution


@transaction.atomic
def prosecution_charge(
    *,
    actor: User,
    prosecution: ProsecutionCase,
    charged_on: date,
    charges: Iterable[str],
    persons_charged: int,
) -> ProsecutionCase:
    prosecution = row_lock(prosecution)
    _prosecution_state(
        prosecution,
        {choices.ProsecutionStatus.INVESTIGATION},
        _("Charges are raised during the investigation; this case is “%(status)s”."),
    )
    charges = list(dict.fromkeys(charges))
    if not charges:
        raise field_error("charges", _("Choose at least one charge."), code="charges_required")
    for charge in charges:
        checked_choice(charge, choices.Charge, _("charge"))
    bounded_count(
        persons_charged,
        _("Persons charged"),
        field="persons_charged",
        minimum=1,
        maximum=MAX_SUSPECTS,
    )
    plausible_past(charged_on, _("The date of the charge"), field="charged_on")
    not_before(
        charged_on,
        prosecution.opened_on,
        _("A charge cannot precede the opening (%(date)s)."),
        field="charged_on",
    )
    before = snapshot(prosecution)
    prosecution.status = choices.ProsecutionStatus.CHARGED
    prosecution.charged_on = charged_on
    prosecution.charges = charges
    prosecution.persons_charged = persons_charged
    prosecution.save(
        update_fields=["status", "charged_on", "charges", "persons_charged", "updated_at"]
    )
    log_action(
        actor=actor,
        action=AuditEvent.PROSECUTION_CHARGED,
        obj=prosecution,
        data={"charged_on": charged_on, "charges": charges, "persons_charged": persons_charged},
        changes=changes_since(prosecution, before),
    )
    return prosecution


@transaction.atomic
def prosecution_record_verdict(
    *,
    actor: User,
    prosecution: ProsecutionCase,
    verdict_on: date,
    verdict: str,
    persons_convicted: int,
    sentence: str = "",
    compensation_dkk: Decimal | int | str | None = None,
) -> ProsecutionCase:
    prosecution = row_lock(prosecution)
    _prosecution_state(
        prosecution,
        {choices.ProsecutionStatus.CHARGED},
        _("A verdict can only follow a charge; this case is “%(status)s”."),
    )
    checked_choice(verdict, choices.Verdict, _("verdict"))
    plausible_past(verdict_on, _("The verdict date"), field="verdict_on")
    not_before(
        verdict_on,
        prosecution.charged_on,
        _("A verdict cannot precede the charge (%(date)s)."),
        field="verdict_on",
    )
    bounded_count(
        persons_convicted, _("Persons convicted"), field="persons_convicted", maximum=MAX_SUSPECTS
    )
    if persons_convicted > prosecution.persons_charged:
        raise field_error(
            "persons_convicted",
            _("Persons convicted (%(convicted)s) cannot exceed persons charged (%(charged)s)."),
            code="convicted_above_charged",
            params={"convicted": persons_convicted, "charged": prosecution.persons_charged},
        )
    sentence = bounded_text(sentence, _("The sentence"), field="sentence", max_length=200)
    if verdict == choices.Verdict.ACQUITTED and (persons_convicted or sentence):
        raise ValidationError(
            _("An acquittal convicts no one and has no sentence."), code="acquittal_mismatch"
        )
    if verdict != choices.Verdict.ACQUITTED and persons_convicted == 0:
        raise ValidationError(
            _("A conviction needs at least one person convicted."), code="conviction_mismatch"
        )
    if compensation_dkk is not None:
        compensation_dkk = checked_amount(
            compensation_dkk,
            _("Compensation"),
            field="compensation_dkk",
            model=ProsecutionCase,
            column="compensation_dkk",
            rounded=True,
        )
    before = snapshot(prosecution)
    prosecution.status = choices.ProsecutionStatus.VERDICT
    prosecution.verdict_on = verdict_on
    prosecution.verdict = verdict
    prosecution.persons_convicted = persons_convicted
    prosecution.sentence = sentence
    prosecution.compensation_dkk = compensation_dkk
    prosecution.full_clean(exclude=["police_district", "victims"], validate_unique=False)
    prosecution.save(
        update_fields=[
            "status",
            "verdict_on",
            "verdict",
            "persons_convicted",
            "sentence",
            "compensation_dkk",
            "updated_at",
        ]
    )
    log_action(
        actor=actor,
        action=AuditEvent.PROSECUTION_VERDICT_RECORDED,
        obj=prosecution,
        data={
            "verdict_on": verdict_on,
            "verdict": verdict,
            "persons_convicted": persons_convicted,
            "compensation_dkk": compensation_dkk,
        },
        changes=changes_since(prosecution, before),
    )
    return prosecution


@transaction.atomic
def prosecution_drop(
    *, actor: User, prosecution: ProsecutionCase, dropped_on: date, reason: str = ""
) -> ProsecutionCase:
    prosecution = row_lock(prosecution)
    _prosecution_state(
        prosecution,
        {choices.ProsecutionStatus.INVESTIGATION, choices.ProsecutionStatus.CHARGED},
        _("Only a case under investigation or charged can be dropped; this case is “%(status)s”."),
    )
    plausible_past(dropped_on, _("The date"), field="dropped_on")
    earliest = prosecution.charged_on or prosecution.opened_on
    not_before(
        dropped_on,
        earliest,
        _("The case cannot be dropped before %(date)s."),
        field="dropped_on",
    )
    reason = bounded_text(reason, _("The reason"), field="reason", max_length=200)
    previous = prosecution.status
    before = snapshot(prosecution)
    prosecution.status = choices.ProsecutionStatus.DROPPED
    prosecution.dropped_on = dropped_on
    prosecution.save(update_fields=["status", "dropped_on", "updated_at"])
    log_action(
        actor=actor,
        action=AuditEvent.PROSECUTION_DROPPED,
        obj=prosecution,
        data={"dropped_on": dropped_on, "previous_status": previous, "reason": reason},
        changes=changes_since(prosecution, before),
    )
    return prosecution


@transaction.atomic
def prosecution_link_victim(
    *, actor: User, prosecution: ProsecutionCase, case: Case
) -> ProsecutionCase:
    """Link a victim's case: identified, or presumed while the assessment is pending."""
    prosecution = row_lock(prosecution)
    case = row_lock(case)
    if case.outcome == choices.Outcome.NOT_IDENTIFIED:
        raise ValidationError(
            _(
                "%(code)s was assessed as not identified; "
                "only identified or presumed victims are linked."
            ),
            code="not_a_victim",
            params={"code": case.code},
        )
    if prosecution.victims.filter(pk=case.pk).exists():
        raise TransitionError(
            _("%(code)s is already linked to this prosecution."),
            code="already_linked",
            params={"code": case.code},
        )
    prosecution.victims.add(case)
    log_action(
        actor=actor,
        action=AuditEvent.PROSECUTION_VICTIM_LINKED,
        obj=prosecution,
        case=case,
        data={"outcome": case.outcome or choices.TraffickingStatus.POSSIBLE},
    )
    return prosecution


@transaction.atomic
def prosecution_unlink_victim(
    *, actor: User, prosecution: ProsecutionCase, case: Case
) -> ProsecutionCase:
    prosecution = row_lock(prosecution)
    if not prosecution.victims.filter(pk=case.pk).exists():
        raise TransitionError(
            _("%(code)s is not linked to this prosecution."),
            code="not_linked",
            params={"code": case.code},
        )
    prosecution.victims.remove(case)
    log_action(
        actor=actor, action=AuditEvent.PROSECUTION_VICTIM_UNLINKED, obj=prosecution, case=case
    )
    return prosecution
