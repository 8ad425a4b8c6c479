import hashlib
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import transaction
from django.test import override_settings

from brik.audit.models import ActionLog
from brik.cases import models as cases
from brik.cooperation import models as coop
from brik.demo.generator import generate

FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# The day the module's demo is made and read on: a Tuesday, with the real clock frozen
# at its noon (Copenhagen), so that the demo, the services and My work share one today.
DEMO_TODAY = date(2026, 3, 10)


def frozen_at(day: date):
    """Freeze the clock at noon in Copenhagen on `day` (time-machine)."""
    noon = datetime(day.year, day.month, day.day, 12, tzinfo=ZoneInfo("Europe/Copenhagen"))
    return time_machine.travel(noon, tick=False)


@pytest.fixture(autouse=True)
def fast_password_hasher(settings):
    settings.PASSWORD_HASHERS = FAST_HASHERS


@pytest.fixture(autouse=True)
def data_dir(settings, tmp_path):
    """The login sheet goes to a folder of the test's own, never to ./data; and the demo
    runs as on a development computer (Django's tests otherwise run with DEBUG=False)."""
    settings.DEBUG = True
    settings.DATA_DIR = tmp_path / "data"
    return settings.DATA_DIR


@pytest.fixture(scope="module")
def demo_world(django_db_setup, django_db_blocker):
    """The calibrated demo (seed 2021) made on DEMO_TODAY, with the clock frozen on that day
    for the whole module; generated once per test module and rolled back after it.

    Tests that read it also take `db`, which wraps each test in a savepoint inside
    this module's transaction.
    """
    with (
        frozen_at(DEMO_TODAY),
        django_db_blocker.unblock(),
        override_settings(PASSWORD_HASHERS=FAST_HASHERS),
        transaction.atomic(),
    ):
        summary = generate(seed=2021)
        yield summary
        transaction.set_rollback(True)


def _rows(queryset, *fields) -> list[tuple]:
    return sorted(tuple(str(v) for v in row) for row in queryset.values_list(*fields))


def rows_digest() -> list[str]:
    """A digest per table of the demo's content by natural keys (codes, names, dates), never pk."""
    case = "case__person__code", "case__sequence"
    tables = [
        _rows(cases.Person.objects, "code", "gender", "birth_year", "languages"),
        _rows(
            cases.PersonIdentity.objects,
            "person__code",
            "given_names",
            "family_name",
            "date_of_birth",
            "identity_documents",
        ),
        _rows(cases.PersonCitizenship.objects, "person__code", "country"),
        _rows(
            cases.Case.objects,
            "person__code",
            "sequence",
            "status",
            "has_legal_residence",
            "assigned_to__username",
            "referred_on",
            "decided_on",
            "outcome",
            "stay_basis",
            "stay_from",
            "closed_on",
            "closing_reason",
            "closing_note",
            "created_at",
            "updated_at",
        ),
        _rows(
            cases.Referral.objects,
            *case,
            "referring_organisation__name",
            "referred_by__username",
            "channel",
            "police_district__name",
            "municipality",
            "indicators",
            "urgency",
            "interpreter_language",
            "consent_to_share",
            "joint_action__title",
            "joint_action__planned_for",
            "observations",
        ),
        _rows(
            cases.Interview.objects,
            *case,
            "status",
            "planned_for",
            "held_on",
            "place",
            "indicators",
            "dimensions",
            "notes",
            "interviewers__username",
        ),
        _rows(
            cases.Assessment.objects,
            *case,
            "decided_on",
            "deciding_authority",
            "outcome",
            "sexual_exploitation_type",
            "labour_sector",
            "means_of_control",
            "countries_of_exploitation",
            "exploitation_from",
            "exploitation_to",
            "notes",
        ),
        _rows(cases.ExploitationForm.objects, "assessment__case__person__code", "form"),
        _rows(cases.ReflectionPeriod.objects, *case, "kind", "starts_on", "ends_on", "days"),
        _rows(
            cases.ReflectionExtension.objects,
            "period__case__person__code",
            "extended_on",
            "previous_ends_on",
            "new_ends_on",
            "reason",
        ),
        _rows(
            cases.SupportMeasure.objects, *case, "kind", "provider__name", "starts_on", "ends_on"
        ),
        _rows(
            cases.PreparedReturn.objects,
            *case,
            "status",
            "offered_on",
            "accepted_on",
            "declined_on",
            "departed_on",
            "destination_country",
            "reintegration_partner__name",
            "follow_up_until",
        ),
        _rows(cases.FollowUp.objects, "prepared_return__case__person__code", "held_on", "status"),
        # Not the demo logins' entries: they are made today, by brik.accounts.services.
        _rows(
            ActionLog.objects.exclude(action__startswith="brik.user.").exclude(
                action__startswith="brik.organisation."
            ),
            "created_at",
            "action",
            "object_type",
            "case__person__code",
        ),
        _rows(
            coop.JointAction.objects,
            "title",
            "planned_for",
            "status",
            "region",
            "sector",
            "lead_organisation__name",
            "persons_met",
            "persons_referred",
        ),
        _rows(
            coop.OutreachLog.objects,
            "organisation__name",
            "held_on",
            "place_type",
            "women",
            "men",
            "referrals_made",
        ),
        _rows(
            coop.ProsecutionCase.objects,
            "police_case_number",
            "status",
            "opened_on",
            "charged_on",
            "verdict",
            "victims__person__code",
        ),
        _rows(coop.IndicatorMeasurement.objects, "indicator__name", "measured_on", "value"),
    ]
    return [hashlib.sha256(repr(table).encode()).hexdigest()[:12] for table in tables]
