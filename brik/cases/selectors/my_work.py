"""My work: a triage board of what needs the caseworker today, then the lists it is
drawn from, for the caseworker alone ("mine") or for the team.

Every list is a `Listing`: a capped count and a page of 25 rows, both from the
same queryset, so a card's number is the length of its list. Each list is ordered
by an indexed column; counts stop at COUNT_CAP (the page says "1000+"), so no
request counts every open case at 100,000 persons. The number of queries is fixed
(the tests pin it): the six counts in one query, then a page of each list.

Building and compiling the querysets cost more than running them, so each list's
queryset is made from the values of its parameters (the user's and the
organisation's ids, the days) and its SQL compiled once per process and kind of
list (brik.core.kept.kept_values, kept_counts): a request puts its values in.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import cached_property, lru_cache, partial
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db.models import Count, FilteredRelation, Model, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from brik.accounts.models import User
from brik.accounts.permissions import Ability, can, users_with
from brik.cases import sort_keys
from brik.cases.models import Case, Interview, PreparedReturn
from brik.cases.selectors.common import COUNT_CAP
from brik.core import choices
from brik.core.kept import kept_counts, kept_values

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

    def __init__(self, values: tuple, at: int = 0) -> None:
        # The columns of CASE_VALUES from `at` on (an interview's or a return's case:
        # those of _CASE_OWN_VALUES, no referral nor period).
        (pk, self.person_id, self.sequence, self.status, self.urgent, self.referred_on,
         self.assigned_to_id, person_code, username, first_name, last_name) = values[at : at + 11]  # fmt: skip
        self.pk = self.id = pk
        self.code = Case.code_of(person_code, self.sequence)
        self.assigned_to = (
            None
            if self.assigned_to_id is None
            else StaffRow(self.assigned_to_id, username, first_name, last_name)
        )
        self.referral = self.reflection_period = None
        if len(values) > at + 11:
            referral, urgency, period, ends_on = values[at + 11 : at + 15]
            if referral is not None:
                self.referral = _Urgency(referral, urgency)
            if period is not None:
                self.reflection_period = _PeriodEnd(period, ends_on)

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

    def __init__(self, values: tuple) -> None:
        self.pk = self.id = values[0]
        _, self.case_id, self.status, self.planned_for, self.place = values[:5]
        self.case = CaseRow(values, 5)


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

    def __init__(self, values: tuple) -> None:
        self.pk = self.id = values[0]
        (_, self.case_id, self.status, self.departed_on, self.follow_up_until,
         self.last_contact_on) = values[:6]  # fmt: skip
        self.case = CaseRow(values, 6)


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
_ROWS: dict[type, tuple[tuple[str, ...], Callable[[tuple], Any]]] = {
    Case: (CASE_VALUES, CaseRow),
    Interview: (INTERVIEW_VALUES, InterviewRow),
    PreparedReturn: (RETURN_VALUES, ReturnRow),
}


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
    user: "User | StaffRow"
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

    # The interview groups of the page shown (each read twice by the template).
    @cached_property
    def _interview_groups(
        self,
    ) -> tuple[list[InterviewRow], list[InterviewRow], list[InterviewRow]]:
        start = datetime.combine(self.today, time.min, tzinfo=timezone.get_current_timezone())
        tomorrow = start + timedelta(days=1)
        overdue: list[InterviewRow] = []
        today: list[InterviewRow] = []
        later: list[InterviewRow] = []
        for interview in self.interviews.rows:
            planned = _planned_for(interview)
            (overdue if planned < start else today if planned < tomorrow else later).append(
                interview
            )
        return overdue, today, later

    @property
    def interviews_overdue(self) -> list[InterviewRow]:
        return self._interview_groups[0]

    @property
    def interviews_today(self) -> list[InterviewRow]:
        return self._interview_groups[1]

    @property
    def interviews_this_week(self) -> list[InterviewRow]:
        return self._interview_groups[2]

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


@dataclass(frozen=True)
class _List:
    """One list's query: `make(*values)` gives its rows (model rows, in the list's order).
    `name` stands for everything the SQL depends on but the values (brik.core.kept): the
    SQL of its count and of its pages is compiled once per process and name."""

    key: str
    name: str
    make: Callable[..., QuerySet]
    values: tuple
    wrap: Callable[[Any], Any] | None = None
    # A condition every row meets, added to the count's query alone for the index it
    # lets the database use (it changes no number).
    also_true: Q | None = None
    # The list's count from another query with a row for each of the list's rows (and no
    # other), cheaper to count; None: the list's own query.
    counted_as: Callable[..., QuerySet] | None = None
    # The page's rows chosen first (their ids, in the list's order), then joined to what
    # the rows show: for a list the database sorts (no index in its order), which would
    # otherwise join every row it sorts (hundreds for a caseworker's new referrals).
    page_first: bool = False

    def counted(self, *values: Any) -> QuerySet:
        rows = (self.counted_as or self.make)(*values)
        return rows if self.also_true is None else rows.filter(self.also_true)

    def rows(self, start: int, stop: int) -> list:
        """Rows start to stop (not included) of the list, made into its rows."""
        model = _MODELS[self.key]
        values, make = _ROWS[model]

        def page(*args: Any) -> QuerySet:
            rows = self.make(*args)
            if not self.page_first:
                return rows.values_list(*values)[start:stop]
            chosen = rows.values("pk")[start:stop]
            return (
                model._default_manager.filter(pk__in=chosen)
                .order_by(*rows.query.order_by)
                .values_list(*values)
            )

        fetched = kept_values(f"{self.name}: rows {start}:{stop}", model, page, self.values)
        if self.wrap is None:
            return [make(row) for row in fetched]
        wrap = self.wrap
        return [wrap(make(row)) for row in fetched]


_MODELS: dict[str, type[Model]] = {
    "new": Case,
    "deadlines": Case,
    "decisions": Case,
    "interviews": Interview,
    "follow_ups": PreparedReturn,
    "cases": Case,
}


def _listings(
    lists: list[_List], pages: dict[str, Any], *also: tuple[str, Callable[..., QuerySet]]
) -> tuple[dict[str, Listing], list[int]]:
    """A page of each list with the list's count (capped), the counts first, all in one
    query; and the counts of `also` (name, queryset without values) in the same query."""
    counts = kept_counts(
        "count",
        Case,
        [(item.name, item.counted, item.values) for item in lists]
        + [(name, make, ()) for name, make in also],
        COUNT_CAP,
    )
    listings = {}
    for item, count in zip(lists, counts, strict=False):
        last_page = max(1, -(-min(count, COUNT_CAP) // PER_PAGE))
        number = min(_page_number(pages.get(item.key)), last_page)
        start = (number - 1) * PER_PAGE
        fetched = item.rows(start, start + PER_PAGE + 1)
        listings[item.key] = Listing(
            key=item.key,
            rows=fetched[:PER_PAGE],
            count=count,
            page=number,
            has_next=len(fetched) > PER_PAGE and number < last_page,
        )
    return listings, counts[len(lists) :]


def _who(user: User, scope: str) -> tuple:
    """The values of a scope's condition (_scope_q): my id; for the team's, my
    organisation's as well."""
    return (user.pk,) if scope == "mine" else (user.pk, user.organisation_id)


def _scope_q(user: User, scope: str, prefix: str = "") -> Q:
    """Mine: cases assigned to me. Team: to me, a colleague of my organisation, or nobody."""
    return _who_q(_who(user, scope), prefix)


def _who_q(who: tuple, prefix: str = "") -> Q:
    """_scope_q from the scope's values (_who)."""
    mine = Q(**{f"{prefix}assigned_to": who[0]})
    if len(who) == 1:
        return mine
    return (
        mine
        | Q(**{f"{prefix}assigned_to__organisation": who[1]})
        | Q(**{f"{prefix}assigned_to__isnull": True})
    )


def _scope_name(who: tuple) -> str:
    # A user without an organisation: another SQL (IS NULL), under another name.
    return "mine" if len(who) == 1 else "team" if who[1] is not None else "team, no organisation"


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


# --- the querysets, one per list ---------------------------------------------------------
# Each from the values its SQL's parameters take (brik.core.kept): the ids of the scope
# (_who) first, then the days.


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

    @property
    def period_ends_by(self) -> date:
        return self.today + timedelta(days=self.warn)

    @property
    def pending_since(self) -> date:
        return self.today - timedelta(days=settings.BRIK_DECISION_PENDING_DAYS)

    @property
    def last_contact_by(self) -> date:
        return self.today + timedelta(days=self.warn) - relativedelta(months=1)


def _open() -> QuerySet[Case]:
    # "Not closed" (sort_keys.OPEN) as the partial indexes on the open cases say it: SQLite
    # uses one only when the query repeats its condition, and then walks a contact
    # person's (or everyone's) open cases in My work's order without reading a closed one.
    return Case.objects.filter(sort_keys.OPEN)


def _new_referrals(user_id: int) -> QuerySet[Case]:
    return _case_rows(
        Case.objects.filter(status=choices.CaseStatus.REFERRED).filter(
            Q(assigned_to=user_id) | Q(assigned_to__isnull=True)
        )
    ).order_by("urgency_rank", "referred_on", "id")


def new_referrals(user: User) -> QuerySet[Case]:
    """Referrals nobody has begun: assigned to me or to nobody, no interview planned yet."""
    return _new_referrals(user.pk)


def _reflection_deadlines(*values: Any) -> QuerySet[Case]:
    # By the period's end stored on the case (sort_keys): the cases in a period read from
    # their index up to the day, not the period of each case looked up.
    *who, ends_by = values
    return _case_rows(
        Case.objects.filter(_who_q(tuple(who)), sort_keys.IN_PERIOD, period_ends_on__lte=ends_by)
    ).order_by("period_ends_on", "id")


def reflection_deadlines(user: User, scope: str, window: _Window) -> QuerySet[Case]:
    return _reflection_deadlines(*_who(user, scope), window.period_ends_by)


def _decisions_pending(*values: Any) -> QuerySet[Case]:
    *who, pending_since = values
    return _case_rows(
        Case.objects.filter(
            _who_q(tuple(who)),
            status__in=choices.CASE_BEFORE_DECISION,
            referred_on__lt=pending_since,
        )
    ).order_by("referred_on", "id")


def decisions_pending(user: User, scope: str, window: _Window) -> QuerySet[Case]:
    return _decisions_pending(*_who(user, scope), window.pending_since)


def _interviews_planned(*values: Any) -> QuerySet[Interview]:
    *who, end_of_week = values
    return (
        Interview.objects.filter(
            # The case's contact person as the interview keeps it (sort_keys): read from
            # the index of a contact person's planned interviews.
            _who_q(tuple(who), "case_"),
            status=choices.InterviewStatus.PLANNED,
            planned_for__lt=end_of_week,
        )
        # No case status: closing a case cancels its planned interviews (case_close),
        # and nothing is planned in a closed case (the workflow), so that the count and
        # the page are read from the index alone (the demo's invariants check it).
        .select_related("case__person", "case__assigned_to")
        .defer("notes", "case__closing_note")
        .order_by("planned_for", "id")
    )


def _interviews_overdue(
    user_id: int, end_of_week: datetime, start_of_today: datetime
) -> QuerySet[Interview]:
    """My planned interviews before today (of those up to the end of this week)."""
    return _interviews_planned(user_id, end_of_week).filter(planned_for__lt=start_of_today)


def interviews_planned(user: User, scope: str, window: _Window) -> QuerySet[Interview]:
    """Planned interviews up to the end of this week, the overdue ones included."""
    return _interviews_planned(*_who(user, scope), window.end_of_week)


def _returned_and_due(values: tuple, prefix: str = "") -> Q:
    """A returned case of the scope whose follow-up is due (the values: the scope's, the
    last contact's latest day, today), by the last contact and the follow-up's end as
    the case keeps them (sort_keys): the returned cases read from their index up to the
    day, not the return of each looked up; the stored last contact groups no follow-ups.
    `prefix`: the way to the case."""
    *who, last_contact_by, today = values
    return (
        _who_q(tuple(who), prefix)
        & Q(**{f"{prefix}status": choices.CaseStatus.RETURNED})
        & (
            Q(**{f"{prefix}return_last_contact_on__lte": last_contact_by})
            | Q(**{f"{prefix}return_follow_up_until__lt": today})
        )
    )


def _follow_ups_due(*values: Any) -> QuerySet[PreparedReturn]:
    return (
        PreparedReturn.objects.filter(
            _returned_and_due(values, "case__"), status=choices.ReturnStatus.DEPARTED
        )
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
        .order_by("case__return_last_contact_on", "case__id")
    )


def _returned_cases_due(*values: Any) -> QuerySet[Case]:
    """The cases of _follow_ups_due's returns, one for each: a case has one departed
    return at most (the returns' unique constraint), and its follow-up keys are that
    return's (sort_keys). Counted from the returned cases' index alone, without looking
    up the return of each (about 500 index pages a view for the benchmark's caseworker)."""
    return Case.objects.filter(_returned_and_due(values))


def follow_ups_due(user: User, scope: str, window: _Window) -> QuerySet[PreparedReturn]:
    """Departed returns whose monthly follow-up falls due within the warning window
    (a month after the last contact, or after departure), or whose follow-up period
    is over (the case should be closed)."""
    return _follow_ups_due(*_who(user, scope), window.last_contact_by, window.today)


def _open_cases(sort: str, status: bool, urgency: bool, *values: Any) -> QuerySet[Case]:
    """The open cases in `sort`'s order; the values: the scope's, then the status and
    the urgency rank when `status` and `urgency` say they are filtered."""
    rest = list(values)
    rank = rest.pop() if urgency else None
    chosen = rest.pop() if status else None
    cases = _open().filter(_who_q(tuple(rest)))
    if chosen is not None:
        cases = cases.filter(status=chosen)
    if rank is not None:
        cases = cases.filter(urgency_rank=rank)
    return _case_rows(cases).order_by(*CASE_SORTS.get(sort, CASE_SORTS["urgency"]))


def _case_filter_values(status: str, urgency: str) -> tuple:
    """The values of the case list's filters, those chosen: the status, the urgency's rank."""
    return (
        *((status,) if status else ()),
        *((sort_keys.URGENCY_RANKS[urgency],) if urgency else ()),
    )


def open_cases(
    user: User, scope: str, *, status: str = "", urgency: str = "", sort: str = "urgency"
) -> QuerySet[Case]:
    urgency = urgency if urgency in URGENCY_FILTERS else ""
    return _open_cases(
        sort,
        bool(status),
        bool(urgency),
        *_who(user, scope),
        *_case_filter_values(status, urgency),
    )


def _unassigned() -> QuerySet[Case]:
    return _open().filter(assigned_to__isnull=True)


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


_A_MONTH = relativedelta(months=1)


@lru_cache(maxsize=4096)
def _a_month_after(day: date) -> date:
    """`day` + one calendar month (dateutil's rule: the 31st gives the month's last
    day), kept per day: a page adds it to every follow-up's last contact, and
    relativedelta's arithmetic costs about 8 µs a time."""
    return day + _A_MONTH


def _follow_up_deadline(today: date) -> Callable[[PreparedReturn], Deadline]:
    note = str(_("Follow-up period over: close the case"))

    def wrap(prepared: Any) -> Deadline:
        if prepared.follow_up_until and prepared.follow_up_until < today:
            return Deadline(
                case=prepared.case,
                due=prepared.follow_up_until,
                days=(prepared.follow_up_until - today).days,
                note=note,
                item=prepared,
            )
        due = _a_month_after(prepared.last_contact_on)
        if prepared.follow_up_until:
            due = min(due, prepared.follow_up_until)
        return Deadline(case=prepared.case, due=due, days=(due - today).days, item=prepared)

    return wrap


def _lists(
    user: User, scope: str, window: _Window, sort: str, status: str, urgency: str
) -> list[_List]:
    today = window.today
    who = _who(user, scope)
    whose = _scope_name(who)
    filtered = f"{sort}, status {bool(status)}, urgency {bool(urgency)}"
    return [
        _List("new", "my work: new", _new_referrals, (user.pk,), page_first=True),
        _List(
            "deadlines",
            f"my work: deadlines, {whose}",
            _reflection_deadlines,
            (*who, window.period_ends_by),
            _reflection_deadline(today),
        ),
        _List(
            "decisions",
            f"my work: decisions, {whose}",
            _decisions_pending,
            (*who, window.pending_since),
            _decision_deadline(today),
            page_first=True,
        ),
        _List(
            "interviews",
            f"my work: interviews, {whose}",
            _interviews_planned,
            (*who, window.end_of_week),
            page_first=True,
        ),
        _List(
            "follow_ups",
            f"my work: follow-ups, {whose}",
            _follow_ups_due,
            (*who, window.last_contact_by, today),
            _follow_up_deadline(today),
            page_first=True,
            counted_as=_returned_cases_due,
        ),
        _List(
            "cases",
            f"my work: cases, {whose}, {filtered}",
            partial(_open_cases, sort, bool(status), bool(urgency)),
            (*who, *_case_filter_values(status, urgency)),
            # "Not closed" is "one of the open statuses": counted on (contact person,
            # status), which finds a caseworker's open cases by seeking, where the
            # planner would read all their cases for "not closed".
            also_true=Q(status__in=sorted(choices.CASE_OPEN)),
        ),
    ]


def _mine_first_rows(user: User, window: _Window) -> dict[str, Listing]:
    """The first rows of my own lists, for "What needs me" when the page shows the team's."""
    today = window.today
    mine = (user.pk,)
    firsts = [
        _List(
            "interviews",
            "my work: overdue interviews, mine",
            _interviews_overdue,
            (user.pk, window.end_of_week, window.start_of_today),
        ),
        _List(
            "deadlines",
            "my work: deadlines, mine",
            _reflection_deadlines,
            (*mine, window.period_ends_by),
            _reflection_deadline(today),
        ),
        _List(
            "decisions",
            "my work: decisions, mine",
            _decisions_pending,
            (*mine, window.pending_since),
            _decision_deadline(today),
            page_first=True,
        ),
        _List(
            "follow_ups",
            "my work: follow-ups, mine",
            _follow_ups_due,
            (*mine, window.last_contact_by, today),
            _follow_up_deadline(today),
            page_first=True,
        ),
    ]
    listings = {}
    for first in firsts:
        items = first.rows(0, TODAY_LIMIT)
        listings[first.key] = Listing(first.key, items, len(items), 1, False)
    return listings


# The kinds of item of "What needs me today": (why, the one thing to do, its step, None
# for the case's page).
_TODAY_KINDS: dict[str, tuple["StrOrPromise", "StrOrPromise", str | None]] = {
    "new, nobody's": (
        _("New referral without a contact person"),
        _("Assign a contact person"),
        "case_assign",
    ),
    "new, mine": (_("New referral assigned to you"), _("Plan the interview"), "interview_plan"),
    "interview": (
        _("Interview planned earlier, not yet recorded"),
        _("Record the interview"),
        "interview_record",
    ),
    "period": (_("Reflection period ends"), _("Open the case"), None),
    "decision, interview planned": (
        _("Decision pending"),
        _("Record the interview"),
        "interview_record",
    ),
    "decision": (_("Decision pending"), _("Record the decision"), "assessment_decide"),
    "follow-up period over": (_("Follow-up period over"), _("Close the case"), "case_close"),
    "follow-up": (_("Follow-up due"), _("Record a follow-up"), "follow_up_add"),
}


# A case id no case has, reversed in a link and replaced by each case's.
_MARK = 2_147_483_647


def _needs_me(user: User, window: _Window, work: dict[str, Listing]) -> list[TodayItem]:
    """What needs me today: new referrals for me or nobody, and my cases' deadlines."""
    today = window.today
    items: list[TodayItem] = []
    # Each kind's texts translated, and its link reversed, once a call: the link as
    # reverse("cases:action", ...) or case.get_absolute_url(), with a mark where each
    # item's case id goes.
    kinds: dict[str, tuple[str, str, str, str]] = {}

    def add(case: "Case | CaseRow", kind: str, due: date, overdue: bool = False) -> None:
        known = kinds.get(kind)
        if known is None:
            reason, action, step = _TODAY_KINDS[kind]
            if step:
                url = reverse("cases:action", kwargs={"pk": _MARK, "action": step})
            else:
                url = reverse("cases:detail", args=[_MARK])
            head, _mark, tail = url.partition(str(_MARK))
            known = kinds[kind] = (str(reason), str(action), head, tail)
        reason, action, head, tail = known
        url = f"{head}{int(case.pk)}{tail}"
        items.append(TodayItem(case, reason, action, url, due, (due - today).days, overdue))

    for case in work["new"].rows[:TODAY_LIMIT]:
        add(case, "new, nobody's" if case.assigned_to_id is None else "new, mine", case.referred_on)
    start_of_today = window.start_of_today
    overdue = [i for i in work["interviews"].rows if _planned_for(i) < start_of_today]
    for interview in overdue[:TODAY_LIMIT]:
        add(
            interview.case,
            "interview",
            timezone.localdate(_planned_for(interview)),
            overdue=True,
        )
    for d in work["deadlines"].rows[:TODAY_LIMIT]:
        add(d.case, "period", d.due, d.days < 0)
    for d in work["decisions"].rows[:TODAY_LIMIT]:
        planned = d.case.status == choices.CaseStatus.INTERVIEW_PLANNED
        add(d.case, "decision, interview planned" if planned else "decision", d.due, overdue=True)
    for d in work["follow_ups"].rows[:TODAY_LIMIT]:
        add(d.case, "follow-up period over" if d.note else "follow-up", d.due, d.days < 0)
    # Overdue first, then by date.
    items.sort(key=lambda item: (not item.overdue, item.due or today))
    return items


def _team_load(organisation_id: int, ends_by: date) -> QuerySet:
    open_cases = FilteredRelation(
        "assigned_cases", condition=Q(assigned_cases__status__in=sorted(choices.CASE_OPEN))
    )
    return (
        users_with(Ability.CASE_CONTACT)
        .filter(organisation=organisation_id)
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
                    open_assigned__period_ends_on__lte=ends_by,
                ),
            ),
        )
        .order_by("-open_count", "first_name", "last_name", "id")
        .values_list(
            "id",
            "username",
            "first_name",
            "last_name",
            "open_count",
            "urgent_count",
            "deadline_count",
        )
    )


def team_load(user: User, window: _Window) -> list[TeamMember]:
    """Each possible contact person of my organisation with their open cases (one query,
    its SQL kept: brik.core.kept).

    The cases are joined on "open" (a status among the open ones): the (contact person,
    status) index then finds each member's open cases without reading the closed ones
    (a caseworker has tens of thousands at 100,000 persons).
    """
    rows = kept_values(
        "my work: team load", User, _team_load, (user.organisation_id, window.period_ends_by)
    )
    return [
        TeamMember(
            user=StaffRow(pk, username, first_name, last_name),
            open_cases=open_count,
            urgent=urgent_count,
            deadlines=deadline_count,
        )
        for pk, username, first_name, last_name, open_count, urgent_count, deadline_count in rows
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

    sees_team = can(user, Ability.CASE_TEAM_LOAD)
    # The lists' counts in one query, and the cases nobody is assigned for the team's load.
    work, also = _listings(
        _lists(user, scope, window, sort, status, urgency),
        pages,
        *([("my work: unassigned", _unassigned)] if sees_team else []),
    )
    team: list[TeamMember] = []
    unassigned = 0
    if sees_team:
        team = team_load(user, window)
        (unassigned,) = also
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
