"""The demo looks like a real Tuesday: made relative to its today, whatever the day.

Its last year is today's, deadlines fall around today, a handful of new
referrals arrived this week (some for nobody yet), and My work holds nothing
long overdue for any demo caseworker; the calibrated years stay as published
(test_calibrated_figures checks them on the same demo).
"""

import base64
from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.auth import authenticate
from django.db.models import Max
from django.urls import reverse
from django_otp.oath import totp

from brik.accounts.models import User
from brik.cases.models import Case, Interview, ReflectionPeriod
from brik.cases.selectors.my_work import LISTS, SCOPES, MyWork, my_work
from brik.core import choices
from brik.core.choices import Role
from brik.demo import calibration
from brik.demo.reference import CASEWORKERS, DEMO_PASSWORD
from brik.demo.tests.conftest import DEMO_TODAY

# My work may show items a few weeks late (a follow-up call or an interview that
# slipped), never one that waited for months.
MOST_DAYS_OVERDUE = 60
# "A handful": the calibrated demo's live work on one caseworker's page.
HANDFUL = 25


def days_overdue(work: MyWork) -> dict[str, int]:
    """The most days any item of each list of My work is past its due day."""
    today = work.today
    decision_due = timedelta(days=settings.BRIK_DECISION_PENDING_DAYS)
    lists = {
        "reflection_deadlines": [-d.days for d in work.deadlines.rows],
        "follow_ups_due": [-d.days for d in work.follow_ups.rows],
        "decisions_pending": [
            (today - (d.case.referred_on + decision_due)).days for d in work.decisions.rows
        ],
        "interviews_overdue": [
            (today - i.planned_for.date()).days for i in work.interviews_overdue
        ],
    }
    return {name: max(values, default=0) for name, values in lists.items()}


def work_user_id() -> int:
    return User.objects.get(username=CASEWORKERS[0]).pk


def caseworkers() -> list[User]:
    return list(User.objects.filter(username__in=CASEWORKERS))


class TestTheCalibratedDemoOnATuesday:
    """The module's demo (conftest.demo_world), made and read on DEMO_TODAY."""

    pytestmark = pytest.mark.usefixtures("demo_world", "db")

    def test_its_last_year_is_todays_and_the_years_between_have_activity(self):
        assert DEMO_TODAY.weekday() == 1  # a Tuesday
        decided = Case.objects.filter(decided_on__isnull=False)
        assert decided.aggregate(last=Max("decided_on"))["last"] >= DEMO_TODAY - timedelta(days=7)
        assert not decided.filter(decided_on__gte=DEMO_TODAY).exists()
        for year in range(calibration.YEARS[-1] + 1, DEMO_TODAY.year):
            count = decided.filter(decided_on__year=year).count()
            assert 150 <= count <= 300, (year, count)  # a year like the calibrated ones
        assert decided.filter(decided_on__year=DEMO_TODAY.year).count() > 0

    def test_nothing_is_done_after_today_and_some_work_is_planned_ahead(self):
        assert not Case.objects.filter(referred_on__gt=DEMO_TODAY).exists()
        assert not Case.objects.filter(closed_on__gt=DEMO_TODAY).exists()
        assert Interview.objects.filter(
            status=choices.InterviewStatus.PLANNED, planned_for__date__gte=DEMO_TODAY
        ).exists()

    def test_reflection_periods_end_in_the_next_days(self):
        soon = ReflectionPeriod.objects.filter(
            case__status__in=choices.CASE_IN_PERIOD,
            ends_on__gte=DEMO_TODAY,
            ends_on__lte=DEMO_TODAY + timedelta(days=14),
        )
        assert 1 <= soon.count() <= HANDFUL
        # No open case is still in a reflection period that ended long ago.
        assert not ReflectionPeriod.objects.filter(
            case__status__in=choices.CASE_IN_PERIOD,
            ends_on__lt=DEMO_TODAY - timedelta(days=MOST_DAYS_OVERDUE),
        ).exists()

    def test_a_handful_of_new_referrals_arrived_this_week_some_for_nobody_yet(self):
        monday = DEMO_TODAY - timedelta(days=DEMO_TODAY.weekday())
        new = Case.objects.filter(referred_on__gte=monday, referred_on__lte=DEMO_TODAY)
        assert 3 <= new.count() <= 10
        assert new.filter(status=choices.CaseStatus.REFERRED).count() == new.count()
        unassigned = new.filter(assigned_to__isnull=True)
        assert 1 <= unassigned.count() < new.count()
        # Only this week's new referrals wait for a caseworker.
        assert Case.objects.filter(assigned_to__isnull=True).count() == unassigned.count()

    def test_open_cases_are_recent_and_old_ones_are_closed(self):
        open_cases = Case.objects.exclude(status=choices.CaseStatus.CLOSED)
        assert open_cases.exists()
        oldest = open_cases.order_by("referred_on").first()
        assert oldest.referred_on >= DEMO_TODAY - timedelta(days=2 * 365), oldest.referred_on
        assert (
            not Case.objects.filter(referred_on__year__lte=calibration.YEARS[-1] - 1)
            .exclude(status=choices.CaseStatus.CLOSED)
            .exists()
        )

    def test_my_work_has_live_work_and_nothing_long_overdue_for_any_caseworker(self):
        for user in caseworkers():
            work = my_work(user=user, today=DEMO_TODAY)
            late = days_overdue(work)
            assert max(late.values()) <= MOST_DAYS_OVERDUE, (user.username, late)
            assert work.deadlines.count <= HANDFUL
            assert work.follow_ups.count <= HANDFUL
            assert work.decisions.count <= HANDFUL
            assert len(work.interviews_overdue) <= 5
        work = my_work(user=User.objects.get(username=CASEWORKERS[0]), today=DEMO_TODAY)
        # New referrals: some assigned to this caseworker, some to nobody yet.
        assert any(c.assigned_to_id == work_user_id() for c in work.new.rows)
        assert any(c.assigned_to_id is None for c in work.new.rows)
        assert work.decisions.rows
        assert work.deadlines.rows or work.follow_ups.rows

    def test_each_list_of_my_work_is_counted_as_many_as_its_rows(self):
        """A count may come from another query than the list's rows (the follow-ups'
        from their cases): on the demo's cases, returned ones among cases closed after
        their return, the two agree for every caseworker and scope."""
        counted = dict.fromkeys(LISTS, 0)
        for user in caseworkers():
            for scope in SCOPES:
                first = my_work(user=user, today=DEMO_TODAY, scope=scope)
                for key in LISTS:
                    listing, rows = getattr(first, key), []
                    while True:
                        rows += listing.rows
                        if not listing.has_next:
                            break
                        pages = {key: listing.next_page}
                        listing = getattr(
                            my_work(user=user, today=DEMO_TODAY, scope=scope, pages=pages), key
                        )
                    assert getattr(first, key).count == len(rows), (user.username, scope, key)
                    counted[key] += len(rows)
        assert all(counted.values()), counted

    def test_the_my_work_page_shows_the_same_day(self, client):
        client.force_login(User.objects.get(username=CASEWORKERS[0]))
        response = client.get(reverse("cases:my_work"))
        assert response.status_code == 200
        assert response.context["work"].today == DEMO_TODAY

    def test_the_auditor_logs_in_with_the_sheets_key_and_reaches_the_audit_search(
        self, demo_world, client
    ):
        login = next(x for x in demo_world.logins if x.username == "auditor")
        assert login.role == Role.AUDITOR
        assert login.key
        assert login.recovery_codes
        user = authenticate(username="auditor", password=DEMO_PASSWORD)
        assert user is not None
        assert user.role == Role.AUDITOR
        client.post(reverse("login"), {"username": "auditor", "password": DEMO_PASSWORD})
        code = f"{totp(base64.b32decode(login.key)):06d}"
        response = client.post(
            reverse("accounts:two_factor"), {"code": code, "next": reverse("audit:search")}
        )
        assert response.status_code == 302
        assert client.get(reverse("audit:search")).status_code == 200
