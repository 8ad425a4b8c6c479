"""The retention policy: drop identities and narratives some years after closing.

A person is due when all of their cases are closed and the last was closed
more than the configured number of years ago. Dropping keeps every
statistical field (gender, birth year, citizenships, decisions, forms,
dates), so published statistics do not change; it blanks the encrypted
identity fields and narrative notes and records that it did so.
"""

from dataclasses import dataclass
from datetime import date

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db import transaction
from django.db.models import Exists, Max, OuterRef, QuerySet

from brik.audit.services import log_action
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

IDENTITY = "identity"
NARRATIVES = "narratives"

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


def _due(kind: str, years: int, today: date) -> QuerySet[Person]:
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
    person.anonymised_on = today
    person.save(update_fields=["anonymised_on", "updated_at"])


def _drop_narratives(person: Person, today: date) -> None:
    for model, field, path in NARRATIVE_FIELDS:
        lookup = "person" if path is None else f"{path}__person"
        model.objects.filter(**{lookup: person}).update(**{field: ""})
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
            else:
                _drop_narratives(person, today)
            log_action(
                actor=actor,
                action=f"brik.retention.{item.kind}_dropped",
                obj=person,
                data={"last_closed_on": item.last_closed_on},
            )
    return done
