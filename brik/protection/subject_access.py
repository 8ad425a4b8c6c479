"""Everything Brik holds about one person, for a data-subject access request.

Collected through the ORM (so encrypted fields come out decrypted), written as
JSON for machines and as a readable HTML page, and audited as an export.
"""

import json
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.forms.models import model_to_dict
from django.template.loader import render_to_string
from django.utils import timezone

from brik.audit.models import ActionLog
from brik.audit.services import log_action
from brik.cases.models import Assessment, Person, PersonIdentity, Referral, ReflectionPeriod
from brik.core.countries import country_name


@dataclass
class Section:
    title: str
    rows: list[dict]


def _rows(queryset, exclude=("id",)) -> list[dict]:
    out = []
    for obj in queryset:
        data = model_to_dict(obj)
        for field in obj._meta.concrete_fields:
            if field.attname not in data and field.name not in exclude:
                data[field.name] = getattr(obj, field.attname)
        for key in exclude:
            data.pop(key, None)
        out.append({k: _plain(v) for k, v in data.items()})
    return out


def _plain(value):
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if hasattr(value, "pk"):
        return str(value)
    return value


def subject_access_collect(person: Person) -> dict:
    identity = PersonIdentity.objects.filter(person=person)
    cases = person.cases.order_by("sequence")
    sections = [
        Section("Person", _rows([person])),
        Section("Identity", _rows(identity, exclude=("id", "name_index"))),
        Section(
            "Citizenships",
            [
                {"country": c, "name": country_name(c)}
                for c in person.citizenships.values_list("country", flat=True)
            ],
        ),
        Section("Cases", _rows(cases)),
    ]
    for case in cases:
        label = case.code
        for title, qs in (
            ("Referral", Referral.objects.filter(case=case)),
            ("Interviews", case.interviews.all()),
            ("Assessment", Assessment.objects.filter(case=case)),
            ("Support", case.support_measures.all()),
            ("Prepared return", case.returns.all()),
        ):
            sections.append(Section(f"{label}: {title}", _rows(qs)))
        for assessment in Assessment.objects.filter(case=case):
            sections.append(
                Section(
                    f"{label}: Forms of exploitation",
                    [{"form": f} for f in assessment.forms.values_list("form", flat=True)],
                )
            )
        for prepared in case.returns.all():
            sections.append(Section(f"{label}: Follow-ups", _rows(prepared.follow_ups.all())))
        periods = ReflectionPeriod.objects.filter(case=case)
        sections.append(Section(f"{label}: Reflection period", _rows(periods)))
        for period in periods:
            sections.append(Section(f"{label}: Extensions", _rows(period.extensions.all())))
    history = ActionLog.objects.filter(case__person=person).select_related("actor", "organisation")
    sections.append(
        Section(
            "Who recorded what",
            [
                {
                    "when": e.created_at.isoformat(),
                    "action": e.action,
                    "who": str(e.actor) if e.actor else "",
                    "organisation": str(e.organisation) if e.organisation else "",
                }
                for e in history.order_by("created_at", "id")
            ],
        )
    )
    return {
        "generated_at": timezone.now().isoformat(),
        "person": person.code,
        "sections": [{"title": s.title, "rows": s.rows} for s in sections if s.rows],
    }


@transaction.atomic
def subject_access_export(*, actor, person: Person, directory: Path) -> tuple[Path, Path]:
    data = subject_access_collect(person)
    directory.mkdir(parents=True, exist_ok=True)
    json_path = directory / f"{person.code}.json"
    html_path = directory / f"{person.code}.html"
    json_path.write_text(
        json.dumps(data, cls=DjangoJSONEncoder, indent=2, ensure_ascii=False), encoding="utf-8"
    )
    html_path.write_text(
        render_to_string("protection/subject_access.html", {"data": data}), encoding="utf-8"
    )
    for path in (json_path, html_path):
        path.chmod(0o600)
    log_action(
        actor=actor,
        action="brik.person.subject_access_exported",
        obj=person,
        data={"files": [json_path.name, html_path.name]},
    )
    return json_path, html_path


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
        action="brik.person.subject_access_exported",
        obj=person,
        data={"format": fmt, "via": "web"},
    )
    return content, EXPORT_FORMATS[fmt], f"{person.code}.{fmt}"
