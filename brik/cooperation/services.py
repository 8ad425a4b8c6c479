"""Every change to the cooperation records goes through one function here.

Joint authority actions, NGO outreach counts, prosecutions and the national
action plan. Each function runs in one transaction, checks the step, writes it
and records who did it (brik.audit). A refused step raises TransitionError
(the record's state does not allow it) or ValidationError (a bad value, named
by its argument: ValidationError({"persons_met": ...})) and changes nothing.
Dates, counts, amounts and texts are checked for plausibility here
(brik.core.validation), so the API and importers get the same checks as the
forms.
"""

from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from brik.accounts.models import Organisation
from brik.audit.events import AuditEvent
from brik.audit.services import changes_since, log_action, snapshot
from brik.cases.models import Case, Referral
from brik.cooperation.anonymity import check_outreach_note
from brik.cooperation.models import (
    ActionPlan,
    FocusArea,
    IndicatorMeasurement,
    Initiative,
    JointAction,
    Milestone,
    OutreachLog,
    PlanIndicator,
    ProsecutionCase,
)
from brik.core import choices as c
from brik.core.errors import TransitionError
from brik.core.validation import (
    ACTION_PLAN_HORIZON_YEARS,
    bounded_count,
    bounded_decimal,
    bounded_text,
    decimal_maximum,
    field_error,
    not_before,
    plausible_past,
    plausible_plan,
    row_lock,
)

OUTREACH_NOTE_MAX_LENGTH = 500
OUTREACH_COUNT_FIELDS = ("women", "men", "trans", "unknown", "referrals_made")
# Action plans are numbered from the first (1990s) on; suspects in one police case.
MAX_PLAN_NUMBER = 100
MAX_SUSPECTS = 1_000


# --- helpers -------------------------------------------------------------------


def _create(model: type[models.Model], **values):
    """Create a row after the model's own checks (lengths, digits, constraints)."""
    obj = model(**values)
    relations = [f.name for f in model._meta.concrete_fields if f.is_relation]
    obj.full_clean(exclude=relations, validate_unique=False)
    obj.save()
    return obj


def _choice(value: str, choices: type[models.TextChoices], label: str) -> str:
    if value not in choices.values:
        raise ValidationError(
            _("Unknown %(field)s: %(value)s."),
            code="invalid_choice",
            params={"field": label, "value": value},
        )
    return value


def _text(value: str, label: str, *, field: str, max_length: int) -> str:
    value = bounded_text(value, label, field=field, max_length=max_length)
    if not value:
        raise field_error(
            field, _("%(field)s is required."), code="required", params={"field": label}
        )
    return value


def _amount(
    value, label: str, *, field: str, model, column: str, signed: bool = False, rounded=False
) -> Decimal:
    """A number that fits the DecimalField `column` of `model` (the model's own check
    then refuses more decimal places than it keeps, unless `rounded` to them here)."""
    maximum = decimal_maximum(model, column)
    return bounded_decimal(
        value,
        label,
        field=field,
        minimum=-maximum if signed else Decimal(0),
        maximum=maximum,
        decimal_places=model._meta.get_field(column).decimal_places if rounded else None,
    )


def _active(organisation: Organisation) -> Organisation:
    if not organisation.is_active:
        raise ValidationError(
            _("“%(organisation)s” is no longer active."),
            code="organisation_inactive",
            params={"organisation": organisation.name},
        )
    return organisation


def _referral_of(case: Case) -> Referral:
    try:
        return Referral.objects.select_for_update().get(case=case)
    except Referral.DoesNotExist:
        raise TransitionError(
            _("Case %(code)s has no referral."), code="no_referral", params={"code": case.code}
        ) from None


# --- joint authority actions ------------------------------------------------------


@transaction.atomic
def joint_action_plan(
    *,
    actor,
    title: str,
    planned_for: date,
    region: str,
    sector: str,
    lead_organisation: Organisation,
    participants: Iterable[Organisation] = (),
) -> JointAction:
    """Plan a joint authority action; the lead always takes part."""
    title = _text(title, _("The title"), field="title", max_length=200)
    plausible_plan(planned_for, _("The date"), field="planned_for")
    _choice(region, c.Region, _("region"))
    _choice(sector, c.Sector, _("sector"))
    organisations = {o.pk: o for o in [lead_organisation, *participants]}
    for organisation in organisations.values():
        _active(organisation)
    action = _create(
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
    actor,
    action: JointAction,
    persons_met: int,
    persons_referred: int,
    notes: str = "",
) -> JointAction:
    """Record that a planned action was held, and whom it met and referred."""
    action = row_lock(action)
    if action.status != c.JointActionStatus.PLANNED:
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
    action.status = c.JointActionStatus.HELD
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
def joint_action_cancel(*, actor, action: JointAction, reason: str = "") -> JointAction:
    action = row_lock(action)
    reason = bounded_text(reason, _("The reason"), field="reason", max_length=200)
    if action.status != c.JointActionStatus.PLANNED:
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
    action.status = c.JointActionStatus.CANCELLED
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
def joint_action_link_referral(*, actor, action: JointAction, case: Case) -> Referral:
    """Record that the case's referral came from this action."""
    action = row_lock(action)
    referral = _referral_of(case)
    if action.status == c.JointActionStatus.CANCELLED:
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
def joint_action_unlink_referral(*, actor, action: JointAction, case: Case) -> Referral:
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


# --- NGO outreach -------------------------------------------------------------------


def _outreach_counts(*, women, men, trans, unknown, referrals_made) -> dict[str, int]:
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
    actor,
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
    if organisation.type != c.OrganisationType.NGO:
        raise ValidationError(
            _("Outreach is logged by NGOs; “%(organisation)s” is not an NGO."),
            code="not_ngo",
            params={"organisation": organisation.name},
        )
    _active(organisation)
    plausible_past(held_on, _("The outreach date"), field="held_on")
    _choice(place_type, c.PlaceType, _("place"))
    _choice(region, c.Region, _("region"))
    if sector:
        _choice(sector, c.Sector, _("sector"))
    counts = _outreach_counts(
        women=women, men=men, trans=trans, unknown=unknown, referrals_made=referrals_made
    )
    log = _create(
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
    actor,
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
    reason = _text(reason, _("The reason for the correction"), field="reason", max_length=200)
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


# --- prosecution ------------------------------------------------------------------


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
    actor,
    police_district: Organisation,
    police_case_number: str,
    opened_on: date,
    suspects: int = 1,
) -> ProsecutionCase:
    if police_district.type != c.OrganisationType.POLICE:
        raise ValidationError(
            _("“%(organisation)s” is not a police district."),
            code="not_police",
            params={"organisation": police_district.name},
        )
    number = _text(
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
            prosecution = _create(
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
    actor,
    prosecution: ProsecutionCase,
    charged_on: date,
    charges: Iterable[str],
    persons_charged: int,
) -> ProsecutionCase:
    prosecution = row_lock(prosecution)
    _prosecution_state(
        prosecution,
        {c.ProsecutionStatus.INVESTIGATION},
        _("Charges are raised during the investigation; this case is “%(status)s”."),
    )
    charges = list(dict.fromkeys(charges))
    if not charges:
        raise field_error("charges", _("Choose at least one charge."), code="charges_required")
    for charge in charges:
        _choice(charge, c.Charge, _("charge"))
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
    prosecution.status = c.ProsecutionStatus.CHARGED
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
    actor,
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
        {c.ProsecutionStatus.CHARGED},
        _("A verdict can only follow a charge; this case is “%(status)s”."),
    )
    _choice(verdict, c.Verdict, _("verdict"))
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
    if verdict == c.Verdict.ACQUITTED and (persons_convicted or sentence):
        raise ValidationError(
            _("An acquittal convicts no one and has no sentence."), code="acquittal_mismatch"
        )
    if verdict != c.Verdict.ACQUITTED and persons_convicted == 0:
        raise ValidationError(
            _("A conviction needs at least one person convicted."), code="conviction_mismatch"
        )
    if compensation_dkk is not None:
        compensation_dkk = _amount(
            compensation_dkk,
            _("Compensation"),
            field="compensation_dkk",
            model=ProsecutionCase,
            column="compensation_dkk",
            rounded=True,
        )
    before = snapshot(prosecution)
    prosecution.status = c.ProsecutionStatus.VERDICT
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
    *, actor, prosecution: ProsecutionCase, dropped_on: date, reason: str = ""
) -> ProsecutionCase:
    prosecution = row_lock(prosecution)
    _prosecution_state(
        prosecution,
        {c.ProsecutionStatus.INVESTIGATION, c.ProsecutionStatus.CHARGED},
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
    prosecution.status = c.ProsecutionStatus.DROPPED
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
def prosecution_link_victim(*, actor, prosecution: ProsecutionCase, case: Case) -> ProsecutionCase:
    """Link a victim's case: identified, or presumed while the assessment is pending."""
    prosecution = row_lock(prosecution)
    case = row_lock(case)
    if case.outcome == c.Outcome.NOT_IDENTIFIED:
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
        data={"outcome": case.outcome or c.TraffickingStatus.POSSIBLE},
    )
    return prosecution


@transaction.atomic
def prosecution_unlink_victim(
    *, actor, prosecution: ProsecutionCase, case: Case
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


# --- the national action plan -------------------------------------------------------


@transaction.atomic
def action_plan_create(
    *,
    actor,
    number: int,
    title: str,
    starts_year: int,
    ends_year: int,
    budget_dkk: Decimal | int | None = None,
) -> ActionPlan:
    bounded_count(
        number, _("The plan's number"), field="number", minimum=1, maximum=MAX_PLAN_NUMBER
    )
    title = _text(title, _("The title"), field="title", max_length=200)
    last_year = timezone.localdate().year + ACTION_PLAN_HORIZON_YEARS
    for name, year, label in (
        ("starts_year", starts_year, _("The first year")),
        ("ends_year", ends_year, _("The last year")),
    ):
        bounded_count(year, label, field=name, minimum=1900, maximum=last_year, grouping=False)
    if ends_year < starts_year:
        raise field_error(
            "ends_year",
            _("The plan's last year cannot precede its first year."),
            code="years_order",
        )
    if budget_dkk is not None:
        budget_dkk = _amount(
            budget_dkk, _("The budget"), field="budget_dkk", model=ActionPlan, column="budget_dkk"
        )
    if ActionPlan.objects.filter(number=number).exists():
        raise field_error(
            "number",
            _("Action plan number %(number)s already exists."),
            code="duplicate_number",
            params={"number": number},
        )
    plan = _create(
        ActionPlan,
        number=number,
        title=title,
        starts_year=starts_year,
        ends_year=ends_year,
        budget_dkk=budget_dkk,
    )
    log_action(
        actor=actor,
        action=AuditEvent.ACTION_PLAN_CREATED,
        obj=plan,
        data={"number": number, "starts_year": starts_year, "ends_year": ends_year},
    )
    return plan


@transaction.atomic
def focus_area_add(
    *, actor, plan: ActionPlan, title: str, position: int | None = None
) -> FocusArea:
    title = _text(title, _("The title"), field="title", max_length=200)
    row_lock(plan)
    if position is None:
        position = (plan.focus_areas.aggregate(m=Max("position"))["m"] or 0) + 1
    bounded_count(position, _("The position"), field="position")
    area = _create(FocusArea, plan=plan, title=title, position=position)
    log_action(
        actor=actor,
        action=AuditEvent.FOCUS_AREA_ADDED,
        obj=area,
        data={"plan": plan, "title": title, "position": position},
    )
    return area


@transaction.atomic
def initiative_add(
    *,
    actor,
    focus_area: FocusArea,
    title: str,
    responsible: Organisation,
    description: str = "",
) -> Initiative:
    title = _text(title, _("The title"), field="title", max_length=300)
    description = bounded_text(description, _("The description"), field="description")
    _active(responsible)
    initiative = _create(
        Initiative,
        focus_area=focus_area,
        title=title,
        description=description,
        responsible=responsible,
    )
    log_action(
        actor=actor,
        action=AuditEvent.INITIATIVE_ADDED,
        obj=initiative,
        data={"focus_area": focus_area, "responsible": responsible},
    )
    return initiative


_FINAL_INITIATIVE_STATUSES = frozenset({c.InitiativeStatus.COMPLETED, c.InitiativeStatus.CANCELLED})


@transaction.atomic
def initiative_set_status(*, actor, initiative: Initiative, status: str) -> Initiative:
    initiative = row_lock(initiative)
    _choice(status, c.InitiativeStatus, _("status"))
    if initiative.status == status:
        raise TransitionError(
            _("The initiative is already “%(status)s”."),
            code="no_change",
            params={"status": initiative.get_status_display()},
        )
    if initiative.status in _FINAL_INITIATIVE_STATUSES:
        raise TransitionError(
            _("The initiative is “%(status)s”; its status can no longer change."),
            code="final_status",
            params={"status": initiative.get_status_display()},
        )
    previous = initiative.status
    before = snapshot(initiative)
    initiative.status = status
    initiative.save(update_fields=["status", "updated_at"])
    log_action(
        actor=actor,
        action=AuditEvent.INITIATIVE_STATUS_CHANGED,
        obj=initiative,
        data={"from": previous, "to": status},
        changes=changes_since(initiative, before),
    )
    return initiative


@transaction.atomic
def milestone_add(*, actor, initiative: Initiative, title: str, due_on: date) -> Milestone:
    initiative = row_lock(initiative)
    title = _text(title, _("The title"), field="title", max_length=300)
    plausible_plan(due_on, _("The due date"), field="due_on", years=ACTION_PLAN_HORIZON_YEARS)
    if initiative.status == c.InitiativeStatus.CANCELLED:
        raise TransitionError(
            _("A cancelled initiative takes no new milestones."), code="initiative_cancelled"
        )
    milestone = _create(Milestone, initiative=initiative, title=title, due_on=due_on)
    log_action(
        actor=actor,
        action=AuditEvent.MILESTONE_ADDED,
        obj=milestone,
        data={"initiative": initiative, "due_on": due_on},
    )
    return milestone


@transaction.atomic
def milestone_reach(*, actor, milestone: Milestone, reached_on: date) -> Milestone:
    milestone = row_lock(milestone)
    if milestone.reached_on is not None:
        raise TransitionError(
            _("This milestone was already reached on %(date)s."),
            code="already_reached",
            params={"date": date_format(milestone.reached_on)},
        )
    plausible_past(reached_on, _("The date"), field="reached_on")
    before = snapshot(milestone)
    milestone.reached_on = reached_on
    milestone.save(update_fields=["reached_on"])
    log_action(
        actor=actor,
        action=AuditEvent.MILESTONE_REACHED,
        obj=milestone,
        data={"reached_on": reached_on, "due_on": milestone.due_on},
        changes=changes_since(milestone, before),
    )
    return milestone


@transaction.atomic
def plan_indicator_add(
    *,
    actor,
    initiative: Initiative,
    name: str,
    target: Decimal | int | str,
    unit: str = "",
    baseline: Decimal | int | str | None = None,
) -> PlanIndicator:
    name = _text(name, _("The indicator"), field="name", max_length=300)
    unit = bounded_text(unit, _("The unit"), field="unit", max_length=50)
    target = _amount(
        target, _("The target"), field="target", model=PlanIndicator, column="target", signed=True
    )
    if baseline is not None:
        baseline = _amount(
            baseline,
            _("The baseline"),
            field="baseline",
            model=PlanIndicator,
            column="baseline",
            signed=True,
        )
    indicator = _create(
        PlanIndicator,
        initiative=initiative,
        name=name,
        unit=unit,
        baseline=baseline,
        target=target,
    )
    log_action(
        actor=actor,
        action=AuditEvent.PLAN_INDICATOR_ADDED,
        obj=indicator,
        data={"initiative": initiative, "target": target, "baseline": baseline},
    )
    return indicator


@transaction.atomic
def indicator_measure(
    *, actor, indicator: PlanIndicator, measured_on: date, value: Decimal | int | str
) -> IndicatorMeasurement:
    """Record the indicator's value on a day: one measurement per indicator per day."""
    plausible_past(measured_on, _("The measurement date"), field="measured_on")
    value = _amount(
        value,
        _("The value"),
        field="value",
        model=IndicatorMeasurement,
        column="value",
        signed=True,
    )
    duplicate = field_error(
        "measured_on",
        _("“%(indicator)s” already has a measurement on %(date)s; one measurement per day."),
        code="duplicate_measurement",
        params={"indicator": indicator.name, "date": date_format(measured_on)},
    )
    if indicator.measurements.filter(measured_on=measured_on).exists():
        raise duplicate
    try:
        with transaction.atomic():
            measurement = _create(
                IndicatorMeasurement,
                indicator=indicator,
                measured_on=measured_on,
                value=value,
                recorded_by=actor if getattr(actor, "pk", None) else None,
            )
    except IntegrityError:
        raise duplicate from None
    log_action(
        actor=actor,
        action=AuditEvent.INDICATOR_MEASURED,
        obj=measurement,
        data={"indicator": indicator, "measured_on": measured_on, "value": value},
    )
    return measurement
