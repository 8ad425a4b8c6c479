"""The demo is written in bulk, past the services: these prove it is what they would have written."""

import pytest
from django.apps import apps

from brik.cases.models import Case, Interview, ReflectionPeriod
from brik.core import choices as c
from brik.demo.calibration import history_end
from brik.demo.reference import CASEWORKERS
from brik.demo.tests import invariants

pytestmark = pytest.mark.usefixtures("demo_world", "db")

DEMO_APPS = ("cases", "cooperation", "audit")


@pytest.mark.parametrize(
    "model",
    [m for m in apps.get_models() if m._meta.app_label in DEMO_APPS],
    ids=lambda m: m._meta.label,
)
def test_a_sample_of_every_model_passes_full_validation(model):
    rows = list(model.objects.order_by("pk"))
    for row in rows[:: max(1, len(rows) // 40)]:
        row.full_clean()


@pytest.mark.parametrize("check", invariants.ALL, ids=lambda f: f.__name__)
def test_every_case_satisfies_the_services_invariants(check):
    assert check() == []


def test_cases_near_the_end_remain_open_with_live_work():
    open_cases = Case.objects.exclude(status=c.CaseStatus.CLOSED)
    for status in (
        c.CaseStatus.REFERRED,
        c.CaseStatus.INTERVIEW_PLANNED,
        c.CaseStatus.INTERVIEWED,
        c.CaseStatus.IN_SUPPORT,
        c.CaseStatus.RETURNED,
        c.CaseStatus.STAYING,
    ):
        assert open_cases.filter(status=status).exists(), status
    assert ReflectionPeriod.objects.filter(ends_on__gt=history_end()).exists()
    assert Interview.objects.filter(
        status=c.InterviewStatus.PLANNED, planned_for__date__gt=history_end()
    ).exists()
    assert not Case.objects.filter(
        status=c.CaseStatus.CLOSED, referred_on__year__lt=2024, closed_on__isnull=True
    ).exists()


def test_every_demo_caseworker_has_cases_and_caseworker_has_the_most_open_ones():
    open_counts = {
        username: Case.objects.filter(assigned_to__username=username)
        .exclude(status=c.CaseStatus.CLOSED)
        .count()
        for username in CASEWORKERS
    }
    assert all(Case.objects.filter(assigned_to__username=u).exists() for u in CASEWORKERS)
    assert open_counts["caseworker"] == max(open_counts.values()) > 0


def test_some_periods_are_extended_but_never_beyond_120_days():
    periods = ReflectionPeriod.objects.all()
    assert periods.filter(days=30).exists()
    assert periods.filter(days__gt=30, extensions__isnull=False).exists()
    assert not periods.filter(days__gt=120).exists()
