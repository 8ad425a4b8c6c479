"""My work: a caseworker's cases, deadlines, interviews and follow-ups, in a fixed
number of queries."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db.models import Case as SqlCase
from django.db.models import F, IntegerField, Max, Q, QuerySet, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from brik.accounts.models import User
from brik.cases.models import (
    Case,
    Interview,
    PreparedReturn,
)
from brik.core import choices


@dataclass
class Deadline:
    case: Case
    due: date
    days: int  # negative when passed
    note: str = ""
    item: PreparedReturn | None = None  # the return whose follow-up is due


@dataclass
class MyWork:
    today: date
    warning_days: int
    assigned_to_me: list[Case]
    unassigned: list[Case]
    reflection_deadlines: list[Deadline]
    interviews_overdue: list[Interview]
    interviews_today: list[Interview]
    interviews_this_week: list[Interview]
    follow_ups_due: list[Deadline]
    decisions_pending: list[Deadline]

    @property
    def is_empty(self) -> bool:
        return not any(
            (
                self.assigned_to_me,
                self.unassigned,
                self.reflection_deadlines,
                self.interviews_overdue,
                self.interviews_today,
                self.interviews_this_week,
                self.follow_ups_due,
                self.decisions_pending,
            )
        )


MY_WORK_LIMIT = 200


def _team(user: User, prefix: str = "") -> Q:
    """Cases assigned to me, to a colleague in my organisation, or to nobody yet."""
    return (
        Q(**{f"{prefix}assigned_to": user})
        | Q(**{f"{prefix}assigned_to__organisation": user.organisation_id})
        | Q(**{f"{prefix}assigned_to__isnull": True})
    )


def _by_urgency(cases: QuerySet[Case]) -> QuerySet[Case]:
    """Urgent referrals first, then the nearest departure deadline, then the oldest referral."""
    return cases.annotate(
        urgency_rank=SqlCase(
            When(referral__urgency=choices.Urgency.URGENT, then=Value(0)),
            When(referral__urgency=choices.Urgency.SOON, then=Value(1)),
            default=Value(2),
            output_field=IntegerField(),
        )
    ).order_by(
        "urgency_rank", F("reflection_period__ends_on").asc(nulls_last=True), "referred_on", "id"
    )


def _case_rows(cases: QuerySet[Case]) -> QuerySet[Case]:
    return cases.select_related("person", "assigned_to", "referral", "reflection_period")


def _planned_for(interview: Interview) -> datetime:
    # The interviews are read with planned_for__lt, which leaves out those without a time.
    assert interview.planned_for is not None
    return interview.planned_for


def my_work(*, user: User, today: date | None = None) -> MyWork:
    today = today or timezone.localdate()
    warn = settings.BRIK_DEADLINE_WARNING_DAYS
    open_cases = Case.objects.exclude(status=choices.CaseStatus.CLOSED)

    assigned_to_me = list(
        _case_rows(_by_urgency(open_cases.filter(assigned_to=user)))[:MY_WORK_LIMIT]
    )
    unassigned = list(
        _case_rows(_by_urgency(open_cases.filter(assigned_to__isnull=True)))[:MY_WORK_LIMIT]
    )

    team_cases = open_cases.filter(_team(user))
    reflection_deadlines = [
        Deadline(
            case=case,
            due=case.reflection_period.ends_on,
            days=(case.reflection_period.ends_on - today).days,
        )
        for case in _case_rows(
            team_cases.filter(
                status__in=choices.CASE_IN_PERIOD,
                reflection_period__ends_on__lte=today + timedelta(days=warn),
            ).order_by("reflection_period__ends_on", "id")
        )[:MY_WORK_LIMIT]
    ]

    tz = timezone.get_current_timezone()
    start_of_today = datetime.combine(today, time.min, tzinfo=tz)
    end_of_today = start_of_today + timedelta(days=1)
    end_of_week = datetime.combine(today + timedelta(days=7 - today.weekday()), time.min, tzinfo=tz)
    interviews = list(
        Interview.objects.filter(
            _team(user, "case__"),
            status=choices.InterviewStatus.PLANNED,
            planned_for__lt=end_of_week,
        )
        .exclude(case__status=choices.CaseStatus.CLOSED)
        .select_related("case__person", "case__assigned_to")
        .order_by("planned_for", "id")[:MY_WORK_LIMIT]
    )

    follow_ups_due = []
    returns = (
        PreparedReturn.objects.filter(
            _team(user, "case__"),
            status=choices.ReturnStatus.DEPARTED,
            case__status=choices.CaseStatus.RETURNED,
        )
        .annotate(last_contact=Max("follow_ups__held_on"))
        .select_related("case__person", "case__assigned_to")
        .order_by("departed_on", "id")[:MY_WORK_LIMIT]
    )
    for prepared in returns:
        # Reintegration follow-up is monthly after departure, until follow_up_until.
        next_due = (prepared.last_contact or prepared.departed_on) + relativedelta(months=1)
        if prepared.follow_up_until and prepared.follow_up_until < today:
            follow_ups_due.append(
                Deadline(
                    case=prepared.case,
                    due=prepared.follow_up_until,
                    days=(prepared.follow_up_until - today).days,
                    note=str(_("Follow-up period over: close the case")),
                    item=prepared,
                )
            )
        elif next_due <= today + timedelta(days=warn) and next_due <= (
            prepared.follow_up_until or next_due
        ):
            follow_ups_due.append(
                Deadline(
                    case=prepared.case, due=next_due, days=(next_due - today).days, item=prepared
                )
            )
    follow_ups_due.sort(key=lambda d: d.due)

    pending_since = today - timedelta(days=settings.BRIK_DECISION_PENDING_DAYS)
    decisions_pending = [
        Deadline(case=case, due=case.referred_on, days=(today - case.referred_on).days)
        for case in _case_rows(
            team_cases.filter(
                status__in=choices.CASE_BEFORE_DECISION, referred_on__lt=pending_since
            ).order_by("referred_on", "id")
        )[:MY_WORK_LIMIT]
    ]

    return MyWork(
        today=today,
        warning_days=warn,
        assigned_to_me=assigned_to_me,
        unassigned=unassigned,
        reflection_deadlines=reflection_deadlines,
        interviews_overdue=[i for i in interviews if _planned_for(i) < start_of_today],
        interviews_today=[
            i for i in interviews if start_of_today <= _planned_for(i) < end_of_today
        ],
        interviews_this_week=[i for i in interviews if _planned_for(i) >= end_of_today],
        follow_ups_due=follow_ups_due,
        decisions_pending=decisions_pending,
    )
