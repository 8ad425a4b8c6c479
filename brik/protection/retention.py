"""The retention policy: drop identities and narratives some years after closing.

A person is due when all of their cases are closed and the last was closed
more than the configured number of years ago. Dropping keeps every
statistical field (gender, birth year, citizenships, decisions, forms,
dates), so published statistics do not change; it blanks the encrypted
identity fields and narrative notes and records that it did so. The case notes
and attachments (brik.casefiles), rows and files, are deleted with whichever
is dropped first.

Dropping an identity also blanks where the person was met and interviewed
(the referral's municipality, the interviews' place), which are stored in
plain text, and the same values in the action log's rows about the person's
cases (a recorded redaction that keeps the log's chain verifiable,
brik.audit.services.audit_values_redact).

Traces elsewhere are handled by the `apply_retention` command after a run:
on SQLite, `secure_delete` (brik.settings) zeroes freed space and a VACUUM
plus a WAL checkpoint rewrites the file without the old pages; on
PostgreSQL a plain VACUUM makes the space reusable but guarantees no
erasure (see the README). Brik's backups older than
BRIK_BACKUP_RETENTION_DAYS are deleted, since they still hold what was dropped.
"""

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, TypedDict

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db import connection, transaction
from django.db.models import Exists, Max, OuterRef, Q, QuerySet

from brik.audit.events import AuditEvent
from brik.audit.models import ActionLog
from brik.audit.services import audit_values_redact, log_action
from brik.cases.models import (
    Assessment,
    Case,
    FollowUp,
    Interview,
    Person,
    PersonIdentity,
    PreparedReturn,
    Referral,
    ReflectionExtension,
    SupportMeasure,
)
from brik.core.choices import CaseStatus
from brik.search import services as search_services

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

    class _Due(TypedDict):
        last_closed_on: date
        has_open: bool


IDENTITY = "identity"
NARRATIVES = "narratives"

# Plain-text places that say where the person was; blanked with the identity,
# in the records and in the action log.
PLACE_FIELDS: list[tuple[type[Referral] | type[Interview], str]] = [
    (Referral, "municipality"),
    (Interview, "place"),
]
PLACE_NAMES = ("municipality", "place")

# (model, narrative field, path from the model to its case)
NARRATIVE_FIELDS = [
    (Referral, "observations", "case"),
    (Interview, "notes", "case"),
    (Assessment, "notes", "case"),
    (SupportMeasure, "note", "case"),
    (ReflectionExtension, "note", "period__case"),
    (PreparedReturn, "plan_notes", "case"),
    (FollowUp, "notes", "prepared_return__case"),
    (Case, "closing_note", None),
]


@dataclass(frozen=True)
class Due:
    code: str
    kind: str
    last_closed_on: date


def _due(kind: str, years: int, today: date) -> "QuerySet[WithAnnotations[Person, _Due]]":
    cutoff = today - relativedelta(years=years)
    marker = "anonymised_on" if kind == IDENTITY else "narratives_dropped_on"
    open_case = Case.objects.filter(person=OuterRef("pk")).exclude(status=CaseStatus.CLOSED)
    return (
        Person.objects.filter(**{f"{marker}__isnull": True})
        .annotate(last_closed_on=Max("cases__closed_on"), has_open=Exists(open_case))
        .filter(has_open=False, last_closed_on__lte=cutoff)
        .order_by("code")
    )


def retention_due(*, today: date) -> list[Due]:
    """What a run on `today` would do (the dry run)."""
    result = []
    for kind, years in (
        (IDENTITY, settings.BRIK_RETENTION_IDENTITY_YEARS),
        (NARRATIVES, settings.BRIK_RETENTION_NARRATIVE_YEARS),
    ):
        for code, last in _due(kind, years, today).values_list("code", "last_closed_on"):
            result.append(Due(code=code, kind=kind, last_closed_on=last))
    return result


def _drop_identity(person: Person, today: date) -> None:
    blank = dict.fromkeys(
        (
            "given_names",
            "family_name",
            "aliases",
            "phone",
            "email",
            "address",
            "identity_documents",
            "name_index",
        ),
        "",
    )
    PersonIdentity.objects.filter(person=person).update(date_of_birth=None, **blank)
    search_services.person_tokens_delete(person)
    for model, field in PLACE_FIELDS:
        model._default_manager.filter(case__person=person).update(**{field: ""})
    _drop_casefiles(person)
    person.anonymised_on = today
    person.save(update_fields=["anonymised_on", "updated_at"])


def _drop_casefiles(person: Person) -> None:
    """Case notes and attachments name and describe the person: they go (rows, and the
    encrypted files once the transaction commits) with whichever of the identity or
    the narratives is dropped first."""
    from brik.casefiles.services import casefiles_drop_for_person

    casefiles_drop_for_person(person)


def _redact_audit(person: Person, actor) -> int:
    rows = ActionLog.objects.filter(
        Q(case__person=person) | Q(object_type="cases.person", object_id=str(person.pk))
    )
    return audit_values_redact(
        actor=actor,
        rows=rows,
        names=PLACE_NAMES,
        obj=person,
        reason=AuditEvent.RETENTION_IDENTITY_DROPPED,
    )


def _drop_narratives(person: Person, today: date) -> None:
    for model, field, path in NARRATIVE_FIELDS:
        lookup = "person" if path is None else f"{path}__person"
        model._default_manager.filter(**{lookup: person}).update(**{field: ""})
    _drop_casefiles(person)
    person.narratives_dropped_on = today
    person.save(update_fields=["narratives_dropped_on", "updated_at"])


def retention_apply(*, today: date, actor=None) -> list[Due]:
    """Apply the policy; each person in its own transaction, each audited."""
    done = retention_due(today=today)
    for item in done:
        with transaction.atomic():
            person = Person.objects.select_for_update().get(code=item.code)
            if item.kind == IDENTITY:
                _drop_identity(person, today)
                _redact_audit(person, actor)
            else:
                _drop_narratives(person, today)
            log_action(
                actor=actor,
                action=AuditEvent(f"brik.retention.{item.kind}_dropped"),
                obj=person,
                data={"last_closed_on": item.last_closed_on},
            )
    return done


# --- after a run: backups and free pages ---------------------------------------------------


def retention_orphan_files_delete() -> list[str]:
    """Attachment files that no attachment names (brik.casefiles), older than an hour."""
    from brik.casefiles.services import attachments_orphans_delete

    return attachments_orphans_delete()


def retention_backups_due(*, now: datetime) -> list[Path]:
    from brik.protection.backup import backups_expired

    return backups_expired(now=now, days=settings.BRIK_BACKUP_RETENTION_DAYS)


def retention_backups_expire(*, now: datetime, actor=None) -> list[Path]:
    """Delete Brik's backups older than BRIK_BACKUP_RETENTION_DAYS; audited."""
    from brik.protection.backup import backups_expire
    from brik.protection.keycheck import database_row_ensure

    deleted = backups_expire(now=now, days=settings.BRIK_BACKUP_RETENTION_DAYS)
    if deleted:
        with transaction.atomic():
            log_action(
                actor=actor,
                action=AuditEvent.RETENTION_BACKUPS_DELETED,
                obj=database_row_ensure(),
                data={
                    "files": [p.name for p in deleted],
                    "older_than_days": settings.BRIK_BACKUP_RETENTION_DAYS,
                },
            )
    return deleted


def storage_compact() -> str:
    """Rewrite the storage so dropped values do not linger in free pages; says what it did.

    SQLite: VACUUM, then a WAL checkpoint that truncates the WAL file. With
    secure_delete on, freed space was zeroed already; VACUUM also drops the
    free pages. PostgreSQL: a plain VACUUM of the tables retention changes,
    which lets their space be reused (it does not overwrite it). Nothing
    inside a transaction (VACUUM cannot run there).
    """
    if connection.in_atomic_block:
        return "The database was not compacted (inside a transaction)."
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("VACUUM")
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            return "The database file was rewritten: dropped values are not left in free pages."
        if connection.vendor == "postgresql":
            tables = {m._meta.db_table for m, _f, _p in NARRATIVE_FIELDS}
            tables |= {m._meta.db_table for m, _f in PLACE_FIELDS}
            tables |= {PersonIdentity._meta.db_table, ActionLog._meta.db_table}
            quote = connection.ops.quote_name
            cursor.execute("VACUUM " + ", ".join(quote(t) for t in sorted(tables)))
            return (
                "The changed tables were vacuumed; PostgreSQL may still hold old values on "
                "disk until their space is reused (see the README)."
            )
    return "The database was not compacted."
