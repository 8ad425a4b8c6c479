"""What the case page shows of its timeline: audit rows turned into lines to read.

The rows come from brik.cases.selectors.case_timeline_rows; this module only
presents them (labels, dates, the details of each kind of step), so the read
layer stays free of display rules.
"""

from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from brik.accounts.models import Organisation, User
from brik.accounts.permissions import MASK
from brik.audit.events import AuditEvent
from brik.audit.models import ActionLog
from brik.cases.models import Case
from brik.cases.selectors import TimelineRows, related_or_none
from brik.core import choices
from brik.core.countries import country_name, language_name

if TYPE_CHECKING:
    from django_stubs_ext import StrPromise

# Keyed by str: an action-log row holds the event's name (an AuditEvent is its name).
TIMELINE_LABELS: dict[str, "StrPromise"] = {
    AuditEvent.CASE_REFERRED: _("Referred"),
    AuditEvent.CASE_ASSIGNED: _("Contact person assigned"),
    AuditEvent.INTERVIEW_PLANNED: _("Interview planned"),
    AuditEvent.INTERVIEW_RECORDED: _("Interview held"),
    AuditEvent.INTERVIEW_CANCELLED: _("Interview cancelled"),
    AuditEvent.ASSESSMENT_DECIDED: _("Decision"),
    AuditEvent.REFLECTION_STARTED: _("Reflection period started"),
    AuditEvent.REFLECTION_EXTENDED: _("Reflection period extended"),
    AuditEvent.SUPPORT_ADDED: _("Support started"),
    AuditEvent.SUPPORT_ENDED: _("Support ended"),
    AuditEvent.RETURN_OFFERED: _("Prepared return offered"),
    AuditEvent.RETURN_ACCEPTED: _("Prepared return accepted"),
    AuditEvent.RETURN_DECLINED: _("Prepared return declined"),
    AuditEvent.RETURN_DEPARTED: _("Departed"),
    AuditEvent.FOLLOWUP_ADDED: _("Follow-up contact"),
    AuditEvent.CASE_STAYING: _("Stays in the country"),
    AuditEvent.CASE_CLOSED: _("Case closed"),
    AuditEvent.CASE_SCREENED: _("Screening recorded"),
    AuditEvent.CASE_REOPENED: _("Case reopened"),
    AuditEvent.CASE_AMENDED: _("Amended"),
}

# The record history names every kind of entry on a case in words, not by its code.
HISTORY_LABELS: dict[str, "StrPromise"] = {
    **TIMELINE_LABELS,
    AuditEvent.CASE_VIEWED: _("Case viewed"),
    AuditEvent.CASE_DUPLICATES_CHECKED: _("Checked for earlier records of the person"),
    AuditEvent.PERSON_SUBJECT_ACCESS_EXPORTED: _("Subject access export"),
    AuditEvent.RETENTION_IDENTITY_DROPPED: _("Identity dropped (retention)"),
    AuditEvent.RETENTION_NARRATIVES_DROPPED: _("Narratives dropped (retention)"),
    AuditEvent.ADMIN_CHANGED: _("Changed in the administration"),
    AuditEvent.ADMIN_ADDED: _("Added in the administration"),
    AuditEvent.ADMIN_DELETED: _("Deleted in the administration"),
    AuditEvent.JOINT_ACTION_REFERRAL_LINKED: _("Linked to a joint action"),
    AuditEvent.JOINT_ACTION_REFERRAL_UNLINKED: _("Unlinked from a joint action"),
    AuditEvent.PROSECUTION_VICTIM_LINKED: _("Linked to a prosecution"),
    AuditEvent.PROSECUTION_VICTIM_UNLINKED: _("Unlinked from a prosecution"),
    AuditEvent.EXCHANGE_EXPORTED: _("Exported"),
}


def event_label(action: str) -> str:
    """An action-log entry's kind in words (the event's own label if no better one)."""
    if action in HISTORY_LABELS:
        return str(HISTORY_LABELS[action])
    try:
        return str(AuditEvent(action).label)
    except ValueError:
        return action


# Why an interview was cancelled, when a step rather than a person gave the reason.
_CANCEL_REASONS: dict[str, "StrPromise"] = {"case_closed": _("The case was closed")}

# Which key of the log entry's data holds the date the step happened.
_EVENT_DATE_KEYS = (
    "referred_on",
    "planned_for",
    "held_on",
    "decided_on",
    "starts_on",
    "offered_on",
    "accepted_on",
    "declined_on",
    "departed_on",
    "closed_on",
    "ends_on",
    "screened_on",
    "reopened_on",
)


@dataclass
class TimelineEntry:
    action: str
    label: str
    when: date | datetime | None
    recorded_at: datetime
    actor: User | None
    organisation: Organisation | None
    details: list[tuple[str, str]]

    @property
    def kind(self) -> str:
        return self.action.split(".")[1]

    @property
    def has_time(self) -> bool:
        return isinstance(self.when, datetime)


def _parse_when(value):
    if not isinstance(value, str):
        return None
    try:
        if len(value) == 10:
            return date.fromisoformat(value)
        return timezone.localtime(datetime.fromisoformat(value))
    except ValueError:
        return None


def _fmt(value) -> str:
    if isinstance(value, datetime):
        return date_format(timezone.localtime(value), "SHORT_DATETIME_FORMAT")
    if isinstance(value, date):
        return date_format(value, "SHORT_DATE_FORMAT")
    parsed = _parse_when(value)
    return _fmt(parsed) if parsed else str(value)


def _choice_label(kind, value) -> str:
    try:
        return str(kind(value).label)
    except ValueError:
        return str(value)


def _details(
    log: ActionLog, case: Case, objects: dict, narratives: bool = True
) -> list[tuple[str, str]]:
    data = log.data or {}
    obj = objects.get((log.object_type, log.object_id))
    action = log.action
    details: list[tuple[str, str]] = []
    if action == AuditEvent.CASE_REFERRED:
        referral = related_or_none(case, "referral")
        if referral is not None and data.get("referral") == referral.pk:
            details.append((str(_("Referring organisation")), referral.referring_organisation.name))
            details.append((str(_("Urgency")), referral.get_urgency_display()))
        if data.get("new_person") is False:
            details.append((str(_("Person")), str(_("Known from an earlier case"))))
    elif action == AuditEvent.CASE_ASSIGNED:
        staff = objects.get(("user", str(data.get("to"))))
        details.append(
            (str(_("Contact person")), (staff.get_full_name() or staff.username) if staff else "—")
        )
    elif (
        action in (AuditEvent.INTERVIEW_PLANNED, AuditEvent.INTERVIEW_RECORDED) and obj is not None
    ):
        if obj.place:
            details.append((str(_("Place")), obj.place))
        if obj.interpreter_language:
            details.append((str(_("Interpreter")), language_name(obj.interpreter_language)))
        if action == AuditEvent.INTERVIEW_RECORDED:
            if data.get("indicators"):
                details.append(
                    (
                        str(_("Indicators")),
                        ", ".join(_choice_label(choices.Indicator, v) for v in data["indicators"]),
                    )
                )
            if data.get("dimensions"):
                details.append(
                    (
                        str(_("Dimensions")),
                        ", ".join(
                            _choice_label(choices.IndicatorDimension, v) for v in data["dimensions"]
                        ),
                    )
                )
    elif action == AuditEvent.INTERVIEW_CANCELLED and data.get("reason"):
        reason = data["reason"]
        details.append((str(_("Reason")), str(_CANCEL_REASONS.get(reason, reason))))
    elif action == AuditEvent.ASSESSMENT_DECIDED:
        details.append((str(_("Outcome")), _choice_label(choices.Outcome, data.get("outcome"))))
        details.append(
            (
                str(_("Deciding authority")),
                _choice_label(choices.DecidingAuthority, data.get("deciding_authority")),
            )
        )
        if data.get("forms"):
            details.append(
                (
                    str(_("Forms of exploitation")),
                    ", ".join(_choice_label(choices.ExploitationForm, v) for v in data["forms"]),
                )
            )
    elif action == AuditEvent.REFLECTION_STARTED:
        details.append((str(_("Ends")), _fmt(data.get("ends_on"))))
    elif action == AuditEvent.REFLECTION_EXTENDED:
        details.append((str(_("From")), _fmt(data.get("from"))))
        details.append((str(_("To")), _fmt(data.get("to"))))
        details.append(
            (str(_("Reason")), _choice_label(choices.ExtensionReason, data.get("reason")))
        )
    elif action in (AuditEvent.SUPPORT_ADDED, AuditEvent.SUPPORT_ENDED) and obj is not None:
        details.append((str(_("Support")), obj.get_kind_display()))
        if obj.provider:
            details.append((str(_("Provider")), obj.provider.name))
    elif action == AuditEvent.RETURN_ACCEPTED:
        details.append((str(_("Destination")), country_name(data.get("destination_country", ""))))
    elif action == AuditEvent.RETURN_DEPARTED:
        details.append((str(_("Follow-up until")), _fmt(data.get("follow_up_until"))))
    elif action == AuditEvent.FOLLOWUP_ADDED:
        details.append(
            (str(_("Status")), _choice_label(choices.FollowUpStatus, data.get("status")))
        )
    elif action == AuditEvent.CASE_STAYING:
        details.append(
            (str(_("Basis of stay")), _choice_label(choices.StayBasis, data.get("basis")))
        )
        details.append((str(_("From")), _fmt(data.get("from"))))
    elif action == AuditEvent.CASE_CLOSED:
        details.append((str(_("Reason")), _choice_label(choices.ClosingReason, data.get("reason"))))
        if data.get("follow_up_ended_early"):
            details.append((str(_("Follow-up")), str(_("Ended early"))))
        carried = [
            objects.get(("cases.supportmeasure", str(pk)))
            for pk in data.get("support_carried_over", [])
        ]
        if carried:
            details.append(
                (
                    str(_("Support carried over")),
                    ", ".join(m.get_kind_display() for m in carried if m is not None),
                )
            )
    elif action == AuditEvent.CASE_SCREENED:
        details.append((str(_("Urgent")), str(_("Yes") if data.get("urgent") else _("No"))))
        details.append(
            (
                str(_("Safe to contact")),
                _choice_label(choices.SafeToContact, data.get("safe_to_contact")),
            )
        )
        if data.get("needs_interpreter"):
            language = data.get("interpreter_language")
            details.append(
                (str(_("Interpreter")), language_name(language) if language else str(_("Yes")))
            )
    elif action == AuditEvent.CASE_REOPENED:
        details.append(
            (
                str(_("Closed before")),
                f"{_fmt(data.get('previous_closed_on'))} ({_choice_label(choices.ClosingReason, data.get('previous_closing_reason'))})",
            )
        )
        details.append(
            (str(_("Status now")), _choice_label(choices.CaseStatus, data.get("status")))
        )
        if obj is not None and obj.note:
            details.append((str(_("Note")), obj.note if narratives else str(MASK)))
    elif action == AuditEvent.CASE_AMENDED and obj is not None:
        details.append((str(_("Reason")), obj.reason if narratives else str(MASK)))
    return details


def _users(objects: dict) -> dict[int, User]:
    return {int(key[1]): obj for key, obj in objects.items() if key[0] == "user"}


def amendable_value_text(spec, value, users: dict | None = None) -> str:
    """A recorded or corrected value in words: a date, a label, a country's name, names."""
    from brik.cases.services.amendments import CHOICE, CHOICES, COUNTRY, DATE

    if value in (None, "", []):
        return "—"
    if spec.kind == DATE:
        day = value if isinstance(value, date) else _parse_when(value)
        return date_format(day, "DATE_FORMAT") if day else str(value)
    if spec.kind == CHOICE:
        return _choice_label(spec.kinds, value)
    if spec.kind == CHOICES:
        return ", ".join(_choice_label(spec.kinds, v) for v in value)
    if spec.kind == COUNTRY:
        return country_name(value)
    users = users or {}
    return ", ".join(
        (users[pk].get_full_name() or users[pk].username) if pk in users else "?" for pk in value
    )


def amendable_target_label(target, users: dict | None = None) -> str:
    """How the correction form names a value: "Date of decision: 3 March 2026"."""
    from django.utils.text import capfirst

    if users is None and target.spec.kind == "staff":
        users = {u.pk: u for u in User.objects.filter(pk__in=target.current)}
    text = amendable_value_text(target.spec, target.current, users)
    return f"{capfirst(str(target.spec.label))}: {text}"


def _sentence(log: ActionLog, case: Case, objects: dict) -> str:
    """The entry's headline in words ("Referred by Østjyllands Politi", "Returned to Romania")."""
    data = log.data or {}
    action = log.action
    obj = objects.get((log.object_type, log.object_id))
    if action == AuditEvent.CASE_REFERRED:
        referral = related_or_none(case, "referral")
        if referral is not None and data.get("referral") == referral.pk:
            return str(_("Referred by %(organisation)s")) % {
                "organisation": referral.referring_organisation.name
            }
    elif action == AuditEvent.ASSESSMENT_DECIDED:
        if data.get("outcome") == choices.Outcome.IDENTIFIED:
            forms = ", ".join(
                _choice_label(choices.ExploitationForm, v) for v in data.get("forms") or []
            )
            if forms:
                return str(_("Identified: %(forms)s")) % {"forms": forms.lower()}
            return str(_("Identified"))
        if data.get("outcome") == choices.Outcome.NOT_IDENTIFIED:
            return str(_("Not identified"))
    elif action == AuditEvent.RETURN_DEPARTED and obj is not None and obj.destination_country:
        return str(_("Returned to %(country)s")) % {
            "country": country_name(obj.destination_country)
        }
    elif action == AuditEvent.RETURN_ACCEPTED and data.get("destination_country"):
        return str(_("Prepared return to %(country)s accepted")) % {
            "country": country_name(data["destination_country"])
        }
    elif action in (AuditEvent.SUPPORT_ADDED, AuditEvent.SUPPORT_ENDED) and obj is not None:
        text = (
            _("Support started: %(support)s")
            if action == AuditEvent.SUPPORT_ADDED
            else _("Support ended: %(support)s")
        )
        return str(text) % {"support": obj.get_kind_display().lower()}
    elif action == AuditEvent.CASE_ASSIGNED:
        staff = objects.get(("user", str(data.get("to"))))
        if staff is not None:
            return str(_("Contact person: %(name)s")) % {
                "name": staff.get_full_name() or staff.username
            }
        return str(_("Contact person removed"))
    elif action == AuditEvent.FOLLOWUP_ADDED and data.get("status"):
        return str(_("Follow-up contact: %(status)s")) % {
            "status": _choice_label(choices.FollowUpStatus, data["status"]).lower()
        }
    elif action == AuditEvent.CASE_STAYING and data.get("basis"):
        return str(_("Stays in the country: %(basis)s")) % {
            "basis": _choice_label(choices.StayBasis, data["basis"])
        }
    elif action == AuditEvent.CASE_CLOSED and data.get("reason"):
        return str(_("Case closed: %(reason)s")) % {
            "reason": _choice_label(choices.ClosingReason, data["reason"]).lower()
        }
    elif action == AuditEvent.CASE_REOPENED and data.get("reason"):
        return str(_("Case reopened: %(reason)s")) % {
            "reason": _choice_label(choices.ReopenReason, data["reason"]).lower()
        }
    elif action == AuditEvent.CASE_SCREENED:
        return str(_("Screening: urgent") if data.get("urgent") else _("Screening recorded"))
    elif action == AuditEvent.REFLECTION_EXTENDED and data.get("to"):
        return str(_("Reflection period extended to %(date)s")) % {"date": _fmt(data["to"])}
    elif action == AuditEvent.CASE_AMENDED:
        from brik.cases.services.amendments import AMENDABLE

        spec = AMENDABLE.get(f"{data.get('step')}.{data.get('field')}")
        if spec is not None:
            users = _users(objects)
            return str(_("Amended: %(field)s %(old)s → %(new)s")) % {
                "field": spec.label,
                "old": amendable_value_text(spec, data.get("from"), users),
                "new": amendable_value_text(spec, data.get("to"), users),
            }
    return str(TIMELINE_LABELS[action])


def case_timeline(case: Case, rows: TimelineRows, narratives: bool = True) -> list[TimelineEntry]:
    """The case's steps as the timeline shows them, oldest first.

    Without `narratives` (the reader may not read narratives) the reasons of
    corrections and the notes of reopenings show as "(hidden)".
    """
    entries = []
    for log in rows.logs:
        data = log.data or {}
        when = next((_parse_when(data[k]) for k in _EVENT_DATE_KEYS if k in data), None)
        entries.append(
            TimelineEntry(
                action=log.action,
                label=_sentence(log, case, rows.objects),
                when=when,
                recorded_at=log.created_at,
                actor=log.actor,
                organisation=log.organisation,
                details=_details(log, case, rows.objects, narratives),
            )
        )
    return entries


@dataclass
class AmendmentLine:
    """A correction as a list shows it: the case, what, from and to, when, which years."""

    case: Case
    field: str
    old: str
    new: str
    years: list[int]
    at: datetime
    amendment: object


def amendment_lines(items) -> list[AmendmentLine]:
    """selectors.amendments_after_publication's items in words."""
    from brik.cases.services.amendments import AMENDABLE

    lines = []
    for item in items:
        amendment = item.amendment
        spec = AMENDABLE.get(f"{amendment.step_type}.{amendment.field}")
        if spec is None:
            continue
        lines.append(
            AmendmentLine(
                case=amendment.case,
                field=str(spec.label),
                old=amendable_value_text(spec, amendment.old_value),
                new=amendable_value_text(spec, amendment.new_value),
                years=item.years,
                at=amendment.created_at,
                amendment=amendment,
            )
        )
    return lines
