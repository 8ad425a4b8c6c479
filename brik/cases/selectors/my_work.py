"""My work: a triage board of what needs the caseworker today, then the lists it is
drawn from, for the caseworker alone ("mine") or for the team.

Every list is a `Listing`: one query for a capped count and one for a page of
25 rows, both from the same queryset, so a card's number is the length of its
list. Each list is ordered by an indexed column; counts stop at COUNT_CAP (the
page says "1000+"), so no request counts every open case at 100,000 persons.
The number of queries is fixed (the tests pin it).
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import partial
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db.models import Count, FilteredRelation, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from brik.accounts.models import User
from brik.accounts.permissions import Ability, can, users_with
from brik.cases import sort_keys
from brik.cases.models import Case, Interview, PreparedReturn
from brik.cases.selectors.common import COUNT_CAP
from brik.core import choices

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

PER_PAGE = 25
# Items of each kind in "What needs me today" (the lists below hold the rest).
TODAY_LIMIT = 5
# Kept for callers of the old selector: no list is longer than this per page.
MY_WORK_LIMIT = PER_PAGE

SCOPES = ("mine", "team")
LISTS = ("new", "deadlines", "decisions", "interviews", "follow_ups", "cases")

# The filters of the case list at the bottom: status and urgency.
# A case is urgent when its referral said so or its latest screening flagged it
# (Case.urgent); otherwise the referral's urgency counts: the stored rank
# (brik.cases.sort_keys), an equality on the open cases' index.
URGENCY_FILTERS: dict[str, Callable[[], Q]] = {
    urgency: partial(Q, urgency_rank=rank) for urgency, rank in sort_keys.URGENCY_RANKS.items()
}

T = TypeVar("T")


@dataclass
class Listing(Generic[T]):
    """One page of a list, with the list's (capped) length."""

    key: str
    rows: list[T]
    count: int
    page: int
    has_next: bool

    @property
    def capped(self) -> bool:
        return self.count > COUNT_CAP

    @property
    def shown_count(self) -> str:
        return f"{COUNT_CAP}+" if self.capped else str(self.count)

    @property
    def has_previous(self) -> bool:
        return self.page > 1

    @property
    def next_page(self) -> int:
        return self.page + 1

    @property
    def previous_page(self) -> int:
        return self.page - 1

    @property
    def page_param(self) -> str:
        return f"{self.key}_page"


class StaffRow:
    """A contact person as a case row shows them (staff_name reads these)."""

    __slots__ = ("first_name", "id", "last_name", "pk", "username")

    def __init__(self, pk: int, username: str, first_name: str, last_name: str) -> None:
        self.pk = self.id = pk
        self.username = username
        self.first_name = first_name
        self.last_name = last_name

    def get_full_name(self) -> str:
        # As Django's AbstractUser.get_full_name.
        return f"{self.first_name} {self.last_name}".strip()

    def __str__(self) -> str:
        return self.get_full_name() or self.username


class _Urgency:
    __slots__ = ("id", "urgency")

    def __init__(self, pk: int, urgency: str) -> None:
        self.id = pk
        self.urgency = urgency


class _PeriodEnd:
    __slots__ = ("ends_on", "id")

    def __init__(self, pk: int, ends_on: date) -> None:
        self.id = pk
        self.ends_on = ends_on


class CaseRow:
    """A case as My work's case lists show it: the columns of CASE_SHOWN, read as values
    (building a Case with its four related models per row cost a quarter of the page).
    Read like a Case: `referral` and `reflection_period` are None when missing."""

    __slots__ = (
        "assigned_to",
        "assigned_to_id",
        "code",
        "id",
        "person_id",
        "pk",
        "referral",
        "referred_on",
        "reflection_period",
        "sequence",
        "status",
        "urgent",
    )

    def __init__(self, values: dict[str, Any], prefix: str = "") -> None:
        self.pk = self.id = values[f"{prefix}id"]
        self.person_id = values[f"{prefix}person_id"]
        self.sequence = values[f"{prefix}sequence"]
        self.status = values[f"{prefix}status"]
        self.urgent = values[f"{prefix}urgent"]
        self.referred_on = values[f"{prefix}referred_on"]
        self.assigned_to_id = values[f"{prefix}assigned_to_id"]
        self.code = Case.code_of(values[f"{prefix}person__code"], self.sequence)
        self.assigned_to = (
            None
            if self.assigned_to_id is None
            else StaffRow(
                self.assigned_to_id,
                values[f"{prefix}assigned_to__username"],
                values[f"{prefix}assigned_to__first_name"],
                values[f"{prefix}assigned_to__last_name"],
            )
        )
        # The lists of a case's interviews and returns read neither (None).
        referral = values.get(f"{prefix}referral__id")
        self.referral = (
            None if referral is None else _Urgency(referral, values[f"{prefix}referral__urgency"])
        )
        period = values.get(f"{prefix}reflection_period__id")
        self.reflection_period = (
            None
            if period is None
            else _PeriodEnd(period, values[f"{prefix}reflection_period__ends_on"])
        )

    def get_absolute_url(self) -> str:
        return reverse("cases:detail", args=[self.pk])

    def get_status_display(self) -> str:
        return str(choices.CaseStatus(self.status).label)


# The values a CaseRow is made of (the columns of CASE_SHOWN).
CASE_VALUES = (
    "id",
    "person_id",
    "sequence",
    "status",
    "urgent",
    "referred_on",
    "assigned_to_id",
    "person__code",
    "assigned_to__username",
    "assigned_to__first_name",
    "assigned_to__last_name",
    "referral__id",
    "referral__urgency",
    "reflection_period__id",
    "reflection_period__ends_on",
)


# A case's own values, without its referral and period (an interview's or a return's case).
_CASE_OWN_VALUES = tuple(v for v in CASE_VALUES if not v.startswith(("referral", "reflection")))


class InterviewRow:
    """A planned interview as My work shows it (its case a CaseRow without referral
    and period): values, not an Interview with its case, person and contact person."""

    __slots__ = ("case", "case_id", "id", "pk", "place", "planned_for", "status")

    def __init__(self, values: dict[str, Any]) -> None:
        self.pk = self.id = values["id"]
        self.case_id = values["case_id"]
        self.status = values["status"]
        self.planned_for = values["planned_for"]
        self.place = values["place"]
        self.case = CaseRow(values, "case__")


INTERVIEW_VALUES = (
    "id",
    "case_id",
    "status",
    "planned_for",
    "place",
    *(f"case__{v}" for v in _CASE_OWN_VALUES),
)


class ReturnRow:
    """A departed return as the follow-ups list reads it (its case a CaseRow)."""

    __slots__ = (
        "case",
        "case_id",
        "departed_on",
        "follow_up_until",
        "id",
        "last_contact_on",
        "pk",
        "status",
    )

    def __init__(self, values: dict[str, Any]) -> None:
        self.pk = self.id = values["id"]
        self.case_id = values["case_id"]
        self.status = values["status"]
        self.departed_on = values["departed_on"]
        self.follow_up_until = values["follow_up_until"]
        self.last_contact_on = values["last_contact_on"]
        self.case = CaseRow(values, "case__")


RETURN_VALUES = (
    "id",
    "case_id",
    "status",
    "departed_on",
    "follow_up_until",
    "last_contact_on",
    *(f"case__{v}" for v in _CASE_OWN_VALUES),
)

# Each list's rows, read as values (building the model instances, four or five per
# row, cost about a quarter of the page): the values read and the row they make.
_ROWS: dict[type, tuple[tuple[str, ...], Callable[[dict[str, Any]], Any]]] = {
    Case: (CASE_VALUES, CaseRow),
    Interview: (INTERVIEW_VALUES, InterviewRow),
    PreparedReturn: (RETURN_VALUES, ReturnRow),
}


def _rows(rows: QuerySet, wrap: Callable[[Any], Any] | None) -> tuple[QuerySet, Callable]:
    """The queryset to read a page from, and what makes each of its rows (then `wrap`)."""
    values, make = _ROWS[rows.model]
    if wrap is None:
        return rows.values(*values), make
    wrapped = wrap
    return rows.values(*values), lambda row: wrapped(make(row))


@dataclass
class Deadline:
    case: "Case | CaseRow"
    due: date
    days: int  # negative when passed
    note: str = ""
    item: "ReturnRow | None" = None  # the return whose follow-up is due


@dataclass
class TodayItem:
    """One line of "What needs me today": why, about which case, and one thing to do."""

    case: "Case | CaseRow"
    reason: str
    action: str
    url: str
    due: date | None = None
    days: int | None = None
    overdue: bool = False


@dataclass
class TeamMember:
    user: User
    open_cases: int
    urgent: int
    deadlines: int


@dataclass
class MyWork:
    today: date
    warning_days: int
    scope: str
    sort: str
    status: str
    urgency: str
    needs_me: list[TodayItem]
    new: Listing[CaseRow]
    deadlines: Listing[Deadline]
    decisions: Listing[Deadline]
    interviews: Listing[InterviewRow]
    follow_ups: Listing[Deadline]
    cases: Listing[CaseRow]
    team: list[TeamMember] = field(default_factory=list)
    unassigned_count: int = 0

    # The interview groups of the page shown.
    def _interviews_between(
        self, start: datetime | None, end: datetime | None
    ) -> list[InterviewRow]:
        return [
            i
            for i in self.interviews.rows
            if (start is None or _planned_for(i) >= start)
            and (end is None or _planned_for(i) < end)
        ]

    @property
    def _start_of_today(self) -> datetime:
        return datetime.combine(self.today, time.min, tzinfo=timezone.get_current_timezone())

    @property
    def interviews_overdue(self) -> list[InterviewRow]:
        return self._interviews_between(None, self._start_of_today)

    @property
    def interviews_today(self) -> list[InterviewRow]:
        start = self._start_of_today
        return self._interviews_between(start, start + timedelta(days=1))

    @property
    def interviews_this_week(self) -> list[InterviewRow]:
        return self._interviews_between(self._start_of_today + timedelta(days=1), None)

    @property
    def is_empty(self) -> bool:
        return not any(getattr(self, key).count for key in LISTS)


# --- the pieces --------------------------------------------------------------------------


def _page_number(value: Any) -> int:
    try:
        number = int(str(value))
    except (TypeError, ValueError):
        return 1
    return min(max(number, 1), COUNT_CAP // PER_PAGE + 1)


def _listing(
    key: str,
    rows: QuerySet,
    page: Any,
    wrap: Callable[[Any], Any] | None = None,
    also_true: Q | None = None,
) -> Listing:
    """A page of `rows` and their count, capped, from the same queryset.

    `also_true`: a condition every row meets, added to the count's query alone for the
    index it lets the database use (it changes no number).
    """
    counted = rows.order_by().values("pk")
    if also_true is not None:
        counted = counted.filter(also_true)
    count = counted[: COUNT_CAP + 1].count()
    last_page = max(1, -(-min(count, COUNT_CAP) // PER_PAGE))
    number = min(_page_number(page), last_page)
    start = (number - 1) * PER_PAGE
    read, make = _rows(rows, wrap)
    fetched = list(read[start : start + PER_PAGE + 1])
    return Listing(
        key=key,
        rows=[make(item) for item in fetched[:PER_PAGE]],
        count=count,
        page=number,
        has_next=len(fetched) > PER_PAGE and number < last_page,
    )


def _scope_q(user: User, scope: str, prefix: str = "") -> Q:
    """Mine: cases assigned to me. Team: to me, a colleague of my organisation, or nobody."""
    mine = Q(**{f"{prefix}assigned_to": user})
    if scope == "mine":
        return mine
    return (
        mine
        | Q(**{f"{prefix}assigned_to__organisation": user.organisation_id})
        | Q(**{f"{prefix}assigned_to__isnull": True})
    )


# The orders of the open cases, each walked on a partial index of its own (sort_keys):
# urgent referrals first, then the nearest departure deadline (cases without a
# reflection period last), then the oldest referral; or by the period's end, the
# referral date or the status.
CASE_SORTS: dict[str, tuple] = sort_keys.OPEN_CASE_ORDERS


# The columns My work's case rows show (and the keys that join them): only these are
# read, so no encrypted column is read nor decrypted.
CASE_SHOWN = (
    "id",
    "person_id",
    "sequence",
    "status",
    "urgent",
    "referred_on",
    "assigned_to_id",
    "person__id",
    "person__code",
    "assigned_to__id",
    "assigned_to__username",
    "assigned_to__first_name",
    "assigned_to__last_name",
    "referral__id",
    "referral__case_id",
    "referral__urgency",
    "reflection_period__id",
    "reflection_period__case_id",
    "reflection_period__ends_on",
)


# The columns of CASE_SHOWN that a prepared return's case row reads (no referral nor period).
_CASE_OWN = {"id", "person_id", "sequence", "status", "urgent", "referred_on", "assigned_to_id",
             "person", "assigned_to"}  # fmt: skip


def _case_rows(cases: QuerySet[Case]) -> QuerySet[Case]:
    return cases.select_related("person", "assigned_to", "referral", "reflection_period").only(
        *CASE_SHOWN
    )


def _planned_for(interview: InterviewRow) -> datetime:
    # The interviews are read with planned_for__lt, which leaves out those without a time.
    assert interview.planned_for is not None
    return interview.planned_for


def _step_url(case: "Case | CaseRow", action: str) -> str:
    return reverse("cases:action", kwargs={"pk": case.pk, "action": action})


# --- the querysets, one per list ---------------------------------------------------------


@dataclass(frozen=True)
class _Window:
    today: date
    warn: int

    @property
    def start_of_today(self) -> datetime:
        return datetime.combine(self.today, time.min, tzinfo=timezone.get_current_timezone())

    @property
    def end_of_week(self) -> datetime:
        return datetime.combine(
            self.today + timedelta(days=7 - self.today.weekday()),
            time.min,
            tzinfo=timezone.get_current_timezone(),
        )


def _open() -> QuerySet[Case]:
    # "Not closed" (sort_keys.OPEN) as the partial indexes on the open cases say it: SQLite
    # uses one only when the query repeats its condition, and then walks a contact
    # person's (or everyone's) open cases in My work's order without reading a closed one.
    return Case.objects.filter(sort_keys.OPEN)


def new_referrals(user: User) -> QuerySet[Case]:
    """Referrals nobody has begun: assigned to me or to nobody, no interview planned yet."""
    return _case_rows(
        Case.objects.filter(status=choices.CaseStatus.REFERRED).filter(
            Q(assigned_to=user) | Q(assigned_to__isnull=True)
        )
    ).order_by("urgency_rank", "referred_on", "id")


def reflection_deadlines(user: User, scope: str, window: _Window) -> QuerySet[Case]:
    return _case_rows(
        Case.objects.filter(
            _scope_q(user, scope),
            status__in=choices.CASE_IN_PERIOD,
            reflection_period__ends_on__lte=window.today + timedelta(days=window.warn),
        )
    ).order_by("reflection_period__ends_on", "id")


def decisions_pending(user: User, scope: str, window: _Window) -> QuerySet[Case]:
    pending_since = window.today - timedelta(days=settings.BRIK_DECISION_PENDING_DAYS)
    return _case_rows(
        Case.objects.filter(
            _scope_q(user, scope),
            status__in=choices.CASE_BEFORE_DECISION,
            referred_on__lt=pending_since,
        )
    ).order_by("referred_on", "id")


def interviews_planned(user: User, scope: str, window: _Window) -> QuerySet[Interview]:
    """Planned interviews up to the end of this week, the overdue ones included."""
    return (
        Interview.objects.filter(
            _scope_q(user, scope, "case__"),
            status=choices.InterviewStatus.PLANNED,
            planned_for__lt=window.end_of_week,
        )
        .exclude(case__status=choices.CaseStatus.CLOSED)
        .select_related("case__person", "case__assigned_to")
        .defer("notes", "case__closing_note")
        .order_by("planned_for", "id")
    )


def follow_ups_due(user: User, scope: str, window: _Window) -> QuerySet[PreparedReturn]:
    """Departed returns whose monthly follow-up falls due within the warning window
    (a month after the last contact, or after departure), or whose follow-up period
    is over (the case should be closed)."""
    last_contact_by = window.today + timedelta(days=window.warn) - relativedelta(months=1)
    return (
        PreparedReturn.objects.filter(
            _scope_q(user, scope, "case__"),
            status=choices.ReturnStatus.DEPARTED,
            case__status=choices.CaseStatus.RETURNED,
        )
        # The stored last contact (brik.cases.sort_keys): no grouping of the follow-ups.
        .filter(Q(last_contact_on__lte=last_contact_by) | Q(follow_up_until__lt=window.today))
        .select_related("case__person", "case__assigned_to")
        # Only what the rows show: the rows sorted by the last contact are narrow.
        .only(
            "id",
            "case_id",
            "status",
            "departed_on",
            "follow_up_until",
            "last_contact_on",
            *(f"case__{column}" for column in CASE_SHOWN if column.split("__")[0] in _CASE_OWN),
        )
        .order_by("last_contact_on", "id")
    )


def open_cases(
    user: User, scope: str, *, status: str = "", urgency: str = "", sort: str = "urgency"
) -> QuerySet[Case]:
    cases = _open().filter(_scope_q(user, scope))
    if status:
        cases = cases.filter(status=status)
    if urgency in URGENCY_FILTERS:
        cases = cases.filter(URGENCY_FILTERS[urgency]())
    return _case_rows(cases).order_by(*CASE_SORTS.get(sort, CASE_SORTS["urgency"]))


# --- rows into deadlines and today's items -----------------------------------------------


def _reflection_deadline(today: date) -> Callable[[CaseRow], Deadline]:
    def wrap(case: CaseRow) -> Deadline:
        assert case.reflection_period is not None  # the list's filter needs one
        ends_on = case.reflection_period.ends_on
        return Deadline(case=case, due=ends_on, days=(ends_on - today).days)

    return wrap


def _decision_deadline(today: date) -> Callable[[CaseRow], Deadline]:
    def wrap(case: CaseRow) -> Deadline:
        return Deadline(case=case, due=case.referred_on, days=(today - case.referred_on).days)

    return wrap


def _follow_up_deadline(today: date) -> Callable[[PreparedReturn], Deadline]:
    def wrap(prepared: Any) -> Deadline:
        if prepared.follow_up_until and prepared.follow_up_until < today:
            return Deadline(
                case=prepared.case,
                due=prepared.follow_up_until,
                days=(prepared.follow_up_until - today).days,
                note=str(_("Follow-up period over: close the case")),
                item=prepared,
            )
        due = prepared.last_contact_on + relativedelta(months=1)
        if prepared.follow_up_until:
            due = min(due, prepared.follow_up_until)
        return Deadline(case=prepared.case, due=due, days=(due - today).days, item=prepared)

    return wrap


def _mine_first_rows(user: User, window: _Window) -> dict[str, Listing]:
    """The first rows of my own lists, for "What needs me" when the page shows the team's."""
    today = window.today

    def first(key: str, rows: QuerySet, wrap: Callable[[Any], Any] | None = None) -> Listing:
        read, make = _rows(rows, wrap)
        items = [make(item) for item in read[:TODAY_LIMIT]]
        return Listing(key, items, len(items), 1, False)

    overdue = interviews_planned(user, "mine", window).filter(planned_for__lt=window.start_of_today)
    return {
        "interviews": first("interviews", overdue),
        "deadlines": first(
            "deadlines", reflection_deadlines(user, "mine", window), _reflection_deadline(today)
        ),
        "decisions": first(
            "decisions", decisions_pending(user, "mine", window), _decision_deadline(today)
        ),
        "follow_ups": first(
            "follow_ups", follow_ups_due(user, "mine", window), _follow_up_deadline(today)
        ),
    }


def _needs_me(user: User, window: _Window, work: dict[str, Listing]) -> list[TodayItem]:
    """What needs me today: new referrals for me or nobody, and my cases' deadlines."""
    today = window.today
    items: list[TodayItem] = []

    def add(
        case: "Case | CaseRow",
        reason: "StrOrPromise",
        action: "StrOrPromise",
        step: str | None,
        due: date,
        overdue: bool = False,
    ) -> None:
        url = _step_url(case, step) if step else case.get_absolute_url()
        items.append(
            TodayItem(case, str(reason), str(action), url, due, (due - today).days, overdue)
        )

    for case in work["new"].rows[:TODAY_LIMIT]:
        if case.assigned_to_id is None:
            add(
                case,
                _("New referral without a contact person"),
                _("Assign a contact person"),
                "case_assign",
                case.referred_on,
            )
        else:
            add(
                case,
                _("New referral assigned to you"),
                _("Plan the interview"),
                "interview_plan",
                case.referred_on,
            )
    overdue = [i for i in work["interviews"].rows if _planned_for(i) < window.start_of_today]
    for interview in overdue[:TODAY_LIMIT]:
        add(
            interview.case,
            _("Interview planned earlier, not yet recorded"),
            _("Record the interview"),
            "interview_record",
            timezone.localdate(_planned_for(interview)),
            overdue=True,
        )
    for d in work["deadlines"].rows[:TODAY_LIMIT]:
        add(d.case, _("Reflection period ends"), _("Open the case"), None, d.due, d.days < 0)
    for d in work["decisions"].rows[:TODAY_LIMIT]:
        planned = d.case.status == choices.CaseStatus.INTERVIEW_PLANNED
        add(
            d.case,
            _("Decision pending"),
            _("Record the interview") if planned else _("Record the decision"),
            "interview_record" if planned else "assessment_decide",
            d.due,
            overdue=True,
        )
    for d in work["follow_ups"].rows[:TODAY_LIMIT]:
        over = bool(d.note)
        add(
            d.case,
            _("Follow-up period over") if over else _("Follow-up due"),
            _("Close the case") if over else _("Record a follow-up"),
            "case_close" if over else "follow_up_add",
            d.due,
            d.days < 0,
        )
    # Overdue first, then by date.
    items.sort(key=lambda item: (not item.overdue, item.due or today))
    return items


def team_load(user: User, window: _Window) -> list[TeamMember]:
    """Each possible contact person of my organisation with their open cases (one query).

    The cases are joined on "open" (a status among the open ones): the (contact person,
    status) index then finds each member's open cases without reading the closed ones
    (a caseworker has tens of thousands at 100,000 persons).
    """
    open_cases = FilteredRelation(
        "assigned_cases", condition=Q(assigned_cases__status__in=sorted(choices.CASE_OPEN))
    )
    members = (
        users_with(Ability.CASE_CONTACT)
        .filter(organisation=user.organisation_id)
        .annotate(open_assigned=open_cases)
        .annotate(
            open_count=Count("open_assigned"),
            urgent_count=Count(
                "open_assigned",
                # Urgent as My work's urgency filter says: the referral's urgency or
                # the screening's flag (the stored rank, sort_keys).
                filter=Q(open_assigned__urgency_rank=sort_keys.URGENT_RANK),
            ),
            deadline_count=Count(
                "open_assigned",
                filter=Q(
                    open_assigned__status__in=choices.CASE_IN_PERIOD,
                    # The period's end stored on the case (sort_keys): no join of the periods.
                    open_assigned__period_ends_on__lte=window.today + timedelta(days=window.warn),
                ),
            ),
        )
        .order_by("-open_count", "first_name", "last_name", "id")
    )
    return [
        TeamMember(
            user=member,
            open_cases=member.open_count,
            urgent=member.urgent_count,
            deadlines=member.deadline_count,
        )
        for member in members
    ]


def my_work(
    *,
    user: User,
    today: date | None = None,
    scope: str = "mine",
    sort: str = "urgency",
    status: str = "",
    urgency: str = "",
    pages: dict[str, Any] | None = None,
) -> MyWork:
    today = today or timezone.localdate()
    scope = scope if scope in SCOPES else "mine"
    sort = sort if sort in CASE_SORTS else "urgency"
    status = status if status in choices.CASE_OPEN else ""
    urgency = urgency if urgency in URGENCY_FILTERS else ""
    pages = pages or {}
    window = _Window(today=today, warn=settings.BRIK_DEADLINE_WARNING_DAYS)

    work: dict[str, Listing] = {
        "new": _listing("new", new_referrals(user), pages.get("new")),
        "deadlines": _listing(
            "deadlines",
            reflection_deadlines(user, scope, window),
            pages.get("deadlines"),
            _reflection_deadline(today),
        ),
        "decisions": _listing(
            "decisions",
            decisions_pending(user, scope, window),
            pages.get("decisions"),
            _decision_deadline(today),
        ),
        "interviews": _listing(
            "interviews", interviews_planned(user, scope, window), pages.get("interviews")
        ),
        "follow_ups": _listing(
            "follow_ups",
            follow_ups_due(user, scope, window),
            pages.get("follow_ups"),
            _follow_up_deadline(today),
        ),
        "cases": _listing(
            "cases",
            open_cases(user, scope, status=status, urgency=urgency, sort=sort),
            pages.get("cases"),
            # "Not closed" is "one of the open statuses": counted on (contact person,
            # status), which finds a caseworker's open cases by seeking, where the
            # planner would read all their cases for "not closed".
            also_true=Q(status__in=sorted(choices.CASE_OPEN)),
        ),
    }
    team: list[TeamMember] = []
    unassigned = 0
    if can(user, Ability.CASE_TEAM_LOAD):
        team = team_load(user, window)
        unassigned = _open().filter(assigned_to__isnull=True)[: COUNT_CAP + 1].count()
    return MyWork(
        today=today,
        warning_days=window.warn,
        scope=scope,
        sort=sort,
        status=status,
        urgency=urgency,
        needs_me=_needs_me(
            user,
            window,
            work if scope == "mine" else {"new": work["new"], **_mine_first_rows(user, window)},
        ),
        team=team,
        unassigned_count=unassigned,
        **work,
    )
