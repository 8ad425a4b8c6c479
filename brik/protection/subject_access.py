"""Everything Brik holds about one person, for a data-subject access request.

Collected through the ORM (so encrypted fields come out decrypted), written as
JSON for machines and as a readable HTML page, and audited as an export.

Everything about the person: the person and their identity and citizenships;
for each of their cases the case, the referral, the joint authority action the
referral came from, the interviews, the decision with its forms of
exploitation, the reflection period and its extensions, support, prepared
returns and their follow-ups, and the prosecutions they are a victim in; and
the action log's rows about the person and their cases (who recorded, read,
exported or searched for what, and when). COVERED_MODELS names every model
exported; a test enumerates, through Django's _meta, the models that refer to
a person or a case and fails when one is not covered.

Nothing about anyone else: a prosecution shows its own facts but not the
other victims linked to it; a joint action its own facts but not the other
referrals from it, nor its free-text outcome (which may speak of others); the
action log only its rows about this person.

In the reader's language: every field is given with its name as the forms
show it, and its value as a person reads it (choices by their label, dates
written out, countries and languages by name, yes or no), in the language
active while collecting (the request's; the command's --language). The JSON
gives beside each such value its code (an ISO date, a choice's code), so that
it stays machine-readable.

Longer than 400 lines on purpose: everything held about a person is gathered
in this one module, so that a reader can check that nothing is left out.
"""

import json
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.db.models import Q, QuerySet

if TYPE_CHECKING:
    from django_stubs_ext import StrPromise
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from brik.audit.events import AuditEvent
from brik.audit.models import ActionLog
from brik.audit.selectors import case_history
from brik.audit.services import log_action
from brik.casefiles.models import Attachment, CaseNote
from brik.cases.models import (
    Amendment,
    Assessment,
    Case,
    ExploitationForm,
    FollowUp,
    Interview,
    Person,
    PersonCitizenship,
    PersonIdentity,
    PreparedReturn,
    Referral,
    ReflectionExtension,
    ReflectionPeriod,
    Reopening,
    Screening,
    SupportMeasure,
)
from brik.cooperation.models import JointAction, ProsecutionCase
from brik.core import choices as c
from brik.core.countries import country_name, language_name
from brik.notifications.models import Notification

# Every model the export covers (brik.protection.tests checks that no model that
# refers to a person or a case is missing).
COVERED_MODELS = frozenset(
    m._meta.label_lower
    for m in (
        Person,
        PersonIdentity,
        PersonCitizenship,
        Case,
        Referral,
        JointAction,
        Interview,
        Assessment,
        ExploitationForm,
        ReflectionPeriod,
        ReflectionExtension,
        SupportMeasure,
        PreparedReturn,
        FollowUp,
        ProsecutionCase,
        CaseNote,
        Attachment,
        Screening,
        Amendment,
        Reopening,
        ActionLog,
        Notification,
    )
)

# Models that refer to a person but hold only keyed, truncated hashes of what the
# export already gives (brik.search's tokens, like the identity's name_index):
# nothing a person can read, so they are left out.
DERIVED_ONLY = frozenset({"search.personsearchtoken"})

# Fields left out: the row's number, the link to the record the section is
# about, technical values, and what is about other people.
_ALWAYS_LEFT_OUT = {"id", "person", "case", "period", "prepared_return", "assessment"}
LEFT_OUT = {
    "cases.personidentity": {"name_index"},  # a keyed hash of the name, not the name
    "cases.referral": {"joint_action"},  # its own section
    "cooperation.prosecutioncase": {"victims"},  # other persons' cases
    "cooperation.jointaction": {"outcome_notes", "created_by"},  # may speak of others
    # Where and under which key the file is stored: technical; the file itself is
    # written beside the export (subject_access_export).
    "casefiles.attachment": {"stored_name", "file_key", "content_type"},
}

# Lists of codes, shown by their labels.
LIST_CHOICES = {
    ("cases.referral", "indicators"): c.Indicator,
    ("cases.interview", "indicators"): c.Indicator,
    ("cases.interview", "dimensions"): c.IndicatorDimension,
    ("cases.assessment", "means_of_control"): c.MeansOfControl,
    ("cooperation.prosecutioncase", "charges"): c.Charge,
}
COUNTRY_FIELDS = {
    ("cases.personcitizenship", "country"),
    ("cases.preparedreturn", "destination_country"),
    ("cases.assessment", "countries_of_exploitation"),
}
LANGUAGE_FIELDS = {
    ("cases.person", "languages"),
    ("cases.referral", "interpreter_language"),
    ("cases.interview", "interpreter_language"),
}

# The action log's actions about a person, as a reader says them.
ACTIONS: dict[str, "StrPromise"] = {
    AuditEvent.CASE_REFERRED: gettext_lazy("Referral registered"),
    AuditEvent.CASE_ASSIGNED: gettext_lazy("Contact person assigned"),
    AuditEvent.CASE_VIEWED: gettext_lazy("Case page read"),
    AuditEvent.CASE_DUPLICATES_CHECKED: gettext_lazy("Checked for earlier records of the person"),
    AuditEvent.REFERRAL_INITIALS_VIEWED: gettext_lazy("Initials shown to the referring partner"),
    AuditEvent.CASE_STAYING: gettext_lazy("Stay in the country recorded"),
    AuditEvent.CASE_CLOSED: gettext_lazy("Case closed"),
    AuditEvent.INTERVIEW_PLANNED: gettext_lazy("Interview planned"),
    AuditEvent.INTERVIEW_RECORDED: gettext_lazy("Interview recorded"),
    AuditEvent.INTERVIEW_CANCELLED: gettext_lazy("Interview cancelled"),
    AuditEvent.ASSESSMENT_DECIDED: gettext_lazy("Decision recorded"),
    AuditEvent.REFLECTION_STARTED: gettext_lazy("Reflection period started"),
    AuditEvent.REFLECTION_EXTENDED: gettext_lazy("Reflection period extended"),
    AuditEvent.SUPPORT_ADDED: gettext_lazy("Support added"),
    AuditEvent.SUPPORT_ENDED: gettext_lazy("Support ended"),
    AuditEvent.RETURN_OFFERED: gettext_lazy("Prepared return offered"),
    AuditEvent.RETURN_ACCEPTED: gettext_lazy("Prepared return accepted"),
    AuditEvent.RETURN_DECLINED: gettext_lazy("Prepared return declined"),
    AuditEvent.RETURN_DEPARTED: gettext_lazy("Departure recorded"),
    AuditEvent.FOLLOWUP_ADDED: gettext_lazy("Follow-up contact recorded"),
    AuditEvent.JOINT_ACTION_REFERRAL_LINKED: gettext_lazy("Referral linked to a joint action"),
    AuditEvent.JOINT_ACTION_REFERRAL_UNLINKED: gettext_lazy(
        "Referral unlinked from a joint action"
    ),
    AuditEvent.PROSECUTION_VICTIM_LINKED: gettext_lazy("Linked to a prosecution as a victim"),
    AuditEvent.PROSECUTION_VICTIM_UNLINKED: gettext_lazy("Unlinked from a prosecution"),
    AuditEvent.PERSON_SUBJECT_ACCESS_EXPORTED: gettext_lazy("Everything held exported"),
    AuditEvent.AUDIT_SEARCHED: gettext_lazy("Action log searched for the case code"),
    AuditEvent.NOTE_ADDED: gettext_lazy("Note written"),
    AuditEvent.NOTE_EDITED: gettext_lazy("Note changed by its author"),
    AuditEvent.NOTE_CORRECTED: gettext_lazy("Note corrected"),
    AuditEvent.NOTE_READ: gettext_lazy("Notes read"),
    AuditEvent.ATTACHMENT_UPLOADED: gettext_lazy("Document attached"),
    AuditEvent.ATTACHMENT_DOWNLOADED: gettext_lazy("Document downloaded"),
    AuditEvent.ATTACHMENT_DELETED: gettext_lazy("Document deleted"),
}


@dataclass
class Item:
    field: str
    label: str
    value: str
    code: object = None  # the value as stored, where it differs from what is shown


@dataclass
class Section:
    key: str
    title: str
    rows: list[list[Item]] = field(default_factory=list)


# --- showing a value as a person reads it ---------------------------------------------


def _yes_no(value: bool) -> str:
    return _("Yes") if value else _("No")


def _date(value) -> str:
    if isinstance(value, datetime):
        return date_format(timezone.localtime(value), "DATETIME_FORMAT")
    return date_format(value, "DATE_FORMAT")


def _person_name(obj) -> str:
    name = getattr(obj, "get_full_name", None)
    return (name() if name else "") or str(obj)


def _item(obj: models.Model, f: models.Field) -> Item:
    label = capfirst(str(f.verbose_name))
    key = (obj._meta.label_lower, f.name)
    if f.many_to_many:
        names = sorted(_person_name(o) for o in getattr(obj, f.name).all())
        return Item(f.name, label, ", ".join(names))
    value = getattr(obj, f.name)
    if value is None or value == "" or value == []:
        return Item(f.name, label, "")
    if f.is_relation:
        return Item(f.name, label, _person_name(value))
    if f.choices:
        return Item(f.name, label, str(getattr(obj, f"get_{f.name}_display")()), value)
    if key in LIST_CHOICES:
        labels = dict(LIST_CHOICES[key].choices)
        return Item(f.name, label, ", ".join(str(labels.get(v, v)) for v in value), value)
    if key in COUNTRY_FIELDS:
        codes = value if isinstance(value, list) else [value]
        return Item(f.name, label, ", ".join(country_name(v) for v in codes), value)
    if key in LANGUAGE_FIELDS:
        codes = value if isinstance(value, list) else [value]
        return Item(f.name, label, ", ".join(language_name(v) for v in codes), value)
    if isinstance(value, bool):
        return Item(f.name, label, _yes_no(value), value)
    if isinstance(value, (date, datetime)):
        return Item(f.name, label, _date(value), value.isoformat())
    if isinstance(value, Decimal):
        return Item(f.name, label, number_format(value, force_grouping=True), str(value))
    if isinstance(value, list):
        return Item(f.name, label, ", ".join(str(v) for v in value), value)
    return Item(f.name, label, str(value))


def describe(obj: models.Model) -> list[Item]:
    """Every field of `obj` the export shows, in the reader's language."""
    meta = obj._meta
    left_out = _ALWAYS_LEFT_OUT | LEFT_OUT.get(meta.label_lower, set())
    fields = [*meta.concrete_fields, *meta.many_to_many]
    return [_item(obj, f) for f in fields if f.name not in left_out]


def _section(key: str, title: str, objects) -> Section:
    return Section(key, title, [describe(obj) for obj in objects])


def _title(model: type[models.Model], plural: bool = False) -> str:
    meta = model._meta
    return capfirst(str(meta.verbose_name_plural if plural else meta.verbose_name))


# --- collecting --------------------------------------------------------------------------


def _case_sections(case: Case) -> list[Section]:
    prefix = f"{case.code}: "
    sections = [_section(f"case:{case.pk}", prefix + _title(Case), [case])]
    referral = Referral.objects.filter(case=case).select_related(
        "referring_organisation", "referred_by", "police_district", "joint_action"
    )
    sections.append(_section(f"case:{case.pk}:referral", prefix + _title(Referral), referral))
    action = next((r.joint_action for r in referral if r.joint_action_id), None)
    if action is not None:
        action = (
            JointAction.objects.select_related("lead_organisation")
            .prefetch_related("participants")
            .get(pk=action.pk)
        )
        sections.append(
            _section(f"case:{case.pk}:joint_action", prefix + _title(JointAction), [action])
        )
    interviews = case.interviews.prefetch_related("interviewers").order_by(
        "planned_for", "held_on", "id"
    )
    sections.append(
        _section(f"case:{case.pk}:interviews", prefix + _title(Interview, True), interviews)
    )
    for assessment in Assessment.objects.filter(case=case).select_related("decided_by"):
        rows = describe(assessment)
        found = list(assessment.forms.order_by("form"))
        after_outcome = next(i for i, item in enumerate(rows) if item.field == "outcome") + 1
        rows.insert(
            after_outcome,
            Item(
                "forms",
                _title(ExploitationForm, plural=True),
                ", ".join(f.get_form_display() for f in found),
                [f.form for f in found],
            ),
        )
        sections.append(Section(f"case:{case.pk}:assessment", prefix + _title(Assessment), [rows]))
    for period in ReflectionPeriod.objects.filter(case=case):
        sections.append(
            _section(f"case:{case.pk}:reflection", prefix + _title(ReflectionPeriod), [period])
        )
        sections.append(
            _section(
                f"case:{case.pk}:extensions",
                prefix + _title(ReflectionExtension, True),
                period.extensions.select_related("extended_by"),
            )
        )
    sections.append(
        _section(
            f"case:{case.pk}:support",
            prefix + _title(SupportMeasure, True),
            case.support_measures.select_related("provider"),
        )
    )
    for prepared in case.returns.select_related("reintegration_partner").order_by("offered_on"):
        sections.append(
            _section(
                f"case:{case.pk}:return:{prepared.pk}", prefix + _title(PreparedReturn), [prepared]
            )
        )
        sections.append(
            _section(
                f"case:{case.pk}:return:{prepared.pk}:follow_ups",
                prefix + _title(FollowUp, True),
                prepared.follow_ups.select_related("recorded_by"),
            )
        )
    sections.append(
        _section(
            f"case:{case.pk}:notes",
            prefix + _title(CaseNote, True),
            case.notes.select_related("author", "corrects").order_by("written_at", "id"),
        )
    )
    sections.append(
        _section(
            f"case:{case.pk}:attachments",
            prefix + _title(Attachment, True),
            case.attachments.select_related("uploaded_by").order_by("uploaded_at", "id"),
        )
    )
    steps: tuple[tuple[str, type[models.Model], QuerySet[Any]], ...] = (
        ("screenings", Screening, case.screenings.order_by("screened_on", "id")),
        ("amendments", Amendment, case.amendments.order_by("created_at", "id")),
        ("reopenings", Reopening, case.reopenings.order_by("reopened_on", "id")),
    )
    for key, model, records in steps:
        sections.append(_section(f"case:{case.pk}:{key}", prefix + _title(model, True), records))
    sections.append(
        _section(
            f"case:{case.pk}:notifications",
            prefix + _title(Notification, True),
            Notification.objects.filter(case=case)
            .select_related("user")
            .order_by("created_at", "id"),
        )
    )
    prosecutions = (
        ProsecutionCase.objects.filter(victims=case)
        .select_related("police_district")
        .order_by("opened_on", "id")
    )
    sections.append(
        _section(
            f"case:{case.pk}:prosecutions", prefix + _title(ProsecutionCase, True), prosecutions
        )
    )
    return sections


def _history(person: Person) -> Section:
    """The action log's rows about the person: on their cases, on them, searches for them."""
    identity_ids = [
        str(pk) for pk in PersonIdentity.objects.filter(person=person).values_list("pk", flat=True)
    ]
    rows = (
        ActionLog.objects.filter(
            Q(case__person=person)
            | Q(object_type="cases.person", object_id=str(person.pk))
            | Q(object_type="cases.personidentity", object_id__in=identity_ids)
            | Q(action=AuditEvent.AUDIT_SEARCHED, data__person_code__iexact=person.code)
        )
        .select_related("actor", "organisation", "case__person")
        .order_by("created_at", "id")
    )
    # What each change was, from what to what (encrypted fields: only that they changed).
    changes = {
        item.entry.pk: item.changes for case in person.cases.all() for item in case_history(case)
    }
    out = []
    for entry in rows:
        described = [
            _("%(field)s: changed") % {"field": ch.label}
            if ch.encrypted
            else _("%(field)s: %(old)s → %(new)s")
            % {"field": ch.label, "old": ch.old, "new": ch.new}
            for ch in changes.get(entry.pk, [])
        ]
        out.append(
            [
                Item("when", _("When"), _date(entry.created_at), entry.created_at.isoformat()),
                Item(
                    "action", _("What"), str(ACTIONS.get(entry.action, entry.action)), entry.action
                ),
                Item("case", _("Case"), entry.case.code if entry.case else ""),
                Item(
                    "who", _("Who"), _person_name(entry.actor) if entry.actor else _("the system")
                ),
                Item("organisation", _("Organisation"), str(entry.organisation or "")),
                Item("changes", _("Changes"), "; ".join(described), entry.changes or None),
            ]
        )
    return Section("history", _("Who recorded, read or exported what"), out)


def subject_access_collect(person: Person) -> dict:
    """Everything held about `person`, in the active language."""
    cases = person.cases.select_related("assigned_to").order_by("sequence")
    sections = [
        _section("person", _title(Person), [person]),
        _section("identity", _title(PersonIdentity), PersonIdentity.objects.filter(person=person)),
        _section(
            "citizenships",
            _title(PersonCitizenship, True),
            person.citizenships.order_by("country"),
        ),
    ]
    for case in cases:
        sections.extend(_case_sections(case))
    sections.append(_history(person))
    now = timezone.now()
    return {
        "generated_at": now.isoformat(),
        "generated": _date(now),
        "person": person.code,
        "sections": [
            {
                "key": s.key,
                "title": s.title,
                "rows": [
                    [
                        {"field": i.field, "label": i.label, "value": i.value}
                        | ({"code": i.code} if i.code is not None else {})
                        for i in row
                    ]
                    for row in s.rows
                ],
            }
            for s in sections
            if s.rows
        ],
    }


# --- writing ----------------------------------------------------------------------------------


@transaction.atomic
def subject_access_export(*, actor, person: Person, directory: Path) -> tuple[Path, Path]:
    data = subject_access_collect(person)
    directory.mkdir(parents=True, exist_ok=True)
    json_path = directory / f"{person.code}.json"
    html_path = directory / f"{person.code}.html"
    json_path.write_text(subject_access_render(data, "json"), encoding="utf-8")
    html_path.write_text(subject_access_render(data, "html"), encoding="utf-8")
    for path in (json_path, html_path):
        path.chmod(0o600)
    attachments = _attachments_write(person, directory / f"{person.code}-attachments")
    log_action(
        actor=actor,
        action=AuditEvent.PERSON_SUBJECT_ACCESS_EXPORTED,
        obj=person,
        data={"files": [json_path.name, html_path.name], "attachments": len(attachments)},
    )
    return json_path, html_path


def _attachments_write(person: Person, directory: Path) -> list[Path]:
    """The person's attached documents, decrypted, beside the export (0600 each)."""
    from brik.casefiles.storage import read_decrypted
    from brik.protection.files import private_dir, private_file_create

    attachments = list(
        Attachment.objects.filter(case__person=person)
        .select_related("case")
        .order_by("case__sequence", "uploaded_at", "id")
    )
    if not attachments:
        return []
    private_dir(directory)
    written = []
    for n, attachment in enumerate(attachments, start=1):
        safe = "".join(ch for ch in attachment.name if ch.isalnum() or ch in "._- ")
        path = directory / f"{attachment.case.code}-{n:03d}-{safe or attachment.kind}"
        with open(private_file_create(path), "wb") as out:
            for chunk in read_decrypted(
                stored_name=attachment.stored_name, key=attachment.file_key
            ):
                out.write(chunk)
        written.append(path)
    return written


EXPORT_FORMATS = {"html": "text/html; charset=utf-8", "json": "application/json"}


def subject_access_render(data: dict, fmt: str) -> str:
    """The collected data as JSON, or as the readable HTML page."""
    if fmt == "json":
        return json.dumps(data, cls=DjangoJSONEncoder, indent=2, ensure_ascii=False)
    return render_to_string("protection/subject_access.html", {"data": data})


@transaction.atomic
def subject_access_download(*, actor, person: Person, fmt: str) -> tuple[str, str, str]:
    """The export for one person as a download from the case page, audited as an export.

    Returns (content, content type, file name).
    """
    if fmt not in EXPORT_FORMATS:
        raise ValueError(f"Unknown export format {fmt!r}")
    content = subject_access_render(subject_access_collect(person), fmt)
    log_action(
        actor=actor,
        action=AuditEvent.PERSON_SUBJECT_ACCESS_EXPORTED,
        obj=person,
        data={"format": fmt, "via": "web"},
    )
    return content, EXPORT_FORMATS[fmt], f"{person.code}.{fmt}"
