"""Reading the action log: the auditor's search and a case's full history."""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from brik.accounts.models import Organisation
from brik.audit.events import READ_EVENT_VALUES, READ_EVENTS, AuditEvent
from brik.audit.models import ActionLog
from brik.core.countries import country_name
from brik.core.kept import kept_list

if TYPE_CHECKING:
    from brik.cases.models import Case

# Rows that record a read or an export, not a change of the record.
READ_ACTIONS = READ_EVENTS


# --- the auditor's search ---------------------------------------------------------------


def action_log_search(
    *,
    person_code: str = "",
    user: str = "",
    organisation: Organisation | None = None,
    action: str = "",
    date_from: date | None = None,
    date_to: date | None = None,
) -> QuerySet[ActionLog]:
    """Rows matching every filter given, newest first.

    person_code: rows about the person's cases, and about the person (exports).
    user: rows by users whose user name contains it, and rows about such a
    user (refused logins, which have no actor).
    """
    from brik.accounts.models import User
    from brik.cases.models import Person

    rows = ActionLog.objects.select_related("actor", "organisation", "case__person")
    if person_code := person_code.strip():
        persons = list(Person.objects.filter(code__iexact=person_code).values_list("pk", flat=True))
        rows = rows.filter(
            Q(case__person__in=persons)
            | Q(object_type="cases.person", object_id__in=[str(pk) for pk in persons])
        )
    if user := user.strip():
        ids = [
            str(pk)
            for pk in User.objects.filter(username__icontains=user).values_list("pk", flat=True)
        ]
        rows = rows.filter(
            Q(actor__username__icontains=user)
            | Q(object_type="accounts.user", object_id__in=ids)
            | Q(action=AuditEvent.USER_LOGIN_FAILED, data__username__icontains=user)
        )
    if organisation is not None:
        rows = rows.filter(organisation=organisation)
    if action := action.strip():
        rows = rows.filter(action__icontains=action)
    tz = timezone.get_current_timezone()
    if date_from:
        rows = rows.filter(created_at__gte=datetime.combine(date_from, time.min, tzinfo=tz))
    if date_to:
        end = datetime.combine(date_to + timedelta(days=1), time.min, tzinfo=tz)
        rows = rows.filter(created_at__lt=end)
    return rows.order_by("-created_at", "-id")


def entry_details(entry: ActionLog) -> list[tuple[str, str]]:
    """What the auditor is shown of a row's details.

    For rows about a case or a person, only which fields changed (the values
    are case contents, for the case page); for the rest (logins, users,
    organisations, reference data) the details themselves.
    """
    if entry.case_id or entry.object_type.startswith("cases."):
        if entry.changes:
            return [(_("Fields changed"), ", ".join(sorted(entry.changes)))]
        return []
    details = [(key, _plain(value)) for key, value in sorted(entry.data.items())]
    if entry.changes:
        details.append((_("Fields changed"), ", ".join(sorted(entry.changes))))
    return details


def _plain(value: object) -> str:
    if isinstance(value, (list, tuple)):
        return ", ".join(_plain(v) for v in value)
    if isinstance(value, dict):
        return "; ".join(f"{k}: {_plain(v)}" for k, v in value.items())
    return "—" if value in (None, "") else str(value)


# --- a case's full history ----------------------------------------------------------------


@dataclass
class FieldChange:
    label: str
    old: str = ""
    new: str = ""
    encrypted: bool = False


@dataclass
class HistoryEntry:
    entry: ActionLog
    changes: list[FieldChange] = field(default_factory=list)


def case_change_rows(case: "Case") -> list[ActionLog]:
    """The case's action-log rows but reads and exports, oldest first, with who and
    their organisation: what case_history shows, and the case page's timeline
    (brik.cases.selectors.case_timeline_rows) takes its steps from the same rows."""
    return kept_list("the case's changes", ActionLog, case_changes_query, case.pk)


def case_changes_query(case_id: int) -> QuerySet[ActionLog]:
    """case_change_rows' query: read from the index "actionlog_case_changes" (its
    condition written as the index's), never through the case's reads."""
    return (
        ActionLog.objects.filter(case_id=case_id)
        .exclude(action__in=READ_EVENT_VALUES)
        .select_related("actor", "organisation")
        .order_by("created_at", "id")
    )


def case_history(case: "Case", rows: list[ActionLog] | None = None) -> list[HistoryEntry]:
    """Every change recorded on the case, oldest first: who, when, which fields, from what to what.

    Reads and exports are left out. Foreign keys are shown by name, with one
    query per kind of record they point at. `rows`: case_change_rows(case), when
    the caller has read them already.
    """
    if rows is None:
        rows = case_change_rows(case)
    related = _related_objects(rows)
    history = []
    for row in rows:
        model = _model(row.object_type)
        changes = [
            _field_change(model, name, change, related) for name, change in row.changes.items()
        ]
        history.append(HistoryEntry(entry=row, changes=changes))
    return history


def _model(label: str) -> type[models.Model] | None:
    try:
        return apps.get_model(label)
    except (LookupError, ValueError):
        return None


def _field(model: type[models.Model] | None, name: str) -> models.Field | None:
    """The model's field of that name; None for a model or a field that is gone."""
    if model is None:
        return None
    try:
        found = model._meta.get_field(name)
    except FieldDoesNotExist:
        return None
    # Changes are recorded for fields only, never for reverse relations.
    return found if isinstance(found, models.Field) else None


def _related_objects(rows: list[ActionLog]) -> dict:
    wanted: dict = {}
    for row in rows:
        model = _model(row.object_type)
        for name, change in row.changes.items():
            f = _field(model, name)
            if f is not None and f.is_relation and "from" in change:
                ids = wanted.setdefault(f.related_model, set())
                ids.update(v for v in (change["from"], change["to"]) if v is not None)
    found = {}
    for related_model, ids in wanted.items():
        for obj in related_model._default_manager.filter(pk__in=ids):
            found[(related_model, obj.pk)] = obj
    return found


def _field_change(
    model: type[models.Model] | None, name: str, change: dict, related: dict
) -> FieldChange:
    f = _field(model, name)
    label = str(f.verbose_name) if f is not None else name
    if change.get("changed") and "from" not in change:
        return FieldChange(label=label, encrypted=True)
    return FieldChange(
        label=label,
        old=_display(f, change.get("from"), related),
        new=_display(f, change.get("to"), related),
    )


def _display(f: models.Field | None, value: object, related: dict) -> str:
    if value in (None, "", []):
        return "—"
    if f is not None and f.is_relation:
        obj = related.get((f.related_model, value))
        if obj is None:
            return str(value)
        return getattr(obj, "get_full_name", lambda: "")() or str(obj)
    if f is not None and f.choices:
        return str(dict(f.flatchoices).get(value, value))
    if f is not None and f.name.endswith("country") and isinstance(value, str):
        return country_name(value)  # "Romania", not "RO"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if isinstance(value, str) and len(value) == 10 and value[4] == "-":
        try:
            return date_format(date.fromisoformat(value), "SHORT_DATE_FORMAT")
        except ValueError:
            return value
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    return str(value)


def none() -> QuerySet[ActionLog]:
    return ActionLog.objects.none()
