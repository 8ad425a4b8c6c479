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
}

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


def _details(log: ActionLog, case: Case, objects: dict) -> list[tuple[str, str]]:
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
        details.append((str(_("Reason")), data["reason"]))
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
    return details


def case_timeline(case: Case, rows: TimelineRows) -> list[TimelineEntry]:
    """The case's steps as the timeline shows them, oldest first."""
    entries = []
    for log in rows.logs:
        data = log.data or {}
        when = next((_parse_when(data[k]) for k in _EVENT_DATE_KEYS if k in data), None)
        entries.append(
            TimelineEntry(
                action=log.action,
                label=str(TIMELINE_LABELS[log.action]),
                when=when,
                recorded_at=log.created_at,
                actor=log.actor,
                organisation=log.organisation,
                details=_details(log, case, rows.objects),
            )
        )
    return entries
