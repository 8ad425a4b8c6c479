"""The case workflow, in one table: which step may be taken when, and where it leads.

Every step on a case is one row of TRANSITIONS:

- ``action``: the step (its service in brik.cases.services has the same name);
- ``from_statuses``: the case statuses in which it may be taken;
- ``to``: the case's status after it: a status, None (unchanged), or a small
  function of the case's facts after the step (e.g. a decision leads to
  "identified" or "not identified");
- ``guard``: what else must hold for the step to be offered (e.g. a reflection
  period may be extended only while it runs and has not reached 120 days);
- ``ability``: what the person needs (brik.accounts.permissions);
- ``same_day``: the order of steps taken on one day (the demo's histories);
- ``event``: the action-log entry the step writes (brik.audit.events).

Services call ``require`` before a step and ``apply`` after it (never
``case.status = ...`` by hand); the case page offers ``available(case, user)``;
the views' step list and the demo's histories are built from this table.
The services still refuse a step with their own precise message (the guard's
"today" is the step's own date there); the guards here decide what is offered.

Adding a step: one row here, one service of the same name, one form and its
entry in brik.cases.views.steps (its page), one template if it needs its own.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from functools import cached_property
from typing import TYPE_CHECKING, Protocol

from django.core.exceptions import ObjectDoesNotExist
from django.utils import timezone
from django.utils.translation import gettext as _

from brik.accounts.permissions import Ability, can
from brik.audit.events import AuditEvent as Event
from brik.cases import rules
from brik.core import choices
from brik.core.errors import TransitionError

if TYPE_CHECKING:
    from brik.accounts.models import User
    from brik.cases.models import Case

Status = choices.CaseStatus


class Action(StrEnum):
    """The steps on a case, in the order a caseworker meets them on the case page."""

    CASE_REFER = "case_refer"
    SCREENING_RECORD = "screening_record"
    INTERVIEW_PLAN = "interview_plan"
    INTERVIEW_RECORD = "interview_record"
    INTERVIEW_CANCEL = "interview_cancel"
    ASSESSMENT_DECIDE = "assessment_decide"
    REFLECTION_START = "reflection_start"
    REFLECTION_EXTEND = "reflection_extend"
    SUPPORT_ADD = "support_add"
    SUPPORT_END = "support_end"
    RETURN_OFFER = "return_offer"
    RETURN_ACCEPT = "return_accept"
    RETURN_DECLINE = "return_decline"
    RETURN_DEPART = "return_depart"
    FOLLOW_UP_ADD = "follow_up_add"
    CASE_RECORD_STAY = "case_record_stay"
    CASE_ASSIGN = "case_assign"
    CASE_CLOSE = "case_close"
    CASE_REOPEN = "case_reopen"
    CASE_AMEND = "case_amend"


class Facts(Protocol):
    """What the guards and the computed targets read about a case.

    CaseFacts reads them from a case (prefetched on the case page, queried in a
    service); the demo's histories provide the same from the rows they hold.
    The members are read-only (properties): the guards only read them.
    """

    @property
    def status(self) -> str: ...
    @property
    def outcome(self) -> str: ...
    @property
    def today(self) -> date: ...
    @property
    def has_planned_interview(self) -> bool: ...
    @property
    def has_held_interview(self) -> bool: ...
    @property
    def has_open_support(self) -> bool: ...
    @property
    def period_starts_on(self) -> date | None: ...
    @property
    def period_ends_on(self) -> date | None: ...
    @property
    def return_status(self) -> str | None:
        """The prepared return under way (not declined), if any."""


# --- the guards: what else must hold for a step to be offered -----------------------


def no_interview_planned(f: Facts) -> bool:
    # The decision waits for every planned interview to be recorded or cancelled.
    return not f.has_planned_interview


def interview_planned(f: Facts) -> bool:
    return f.has_planned_interview


def no_period_yet(f: Facts) -> bool:
    return f.period_starts_on is None


def period_can_be_extended(f: Facts) -> bool:
    """May this reflection period be extended? Only while it runs (it has not ended
    yet) and before it reaches the legal maximum of 120 days (Aliens Act § 33)."""
    if f.period_starts_on is None or f.period_ends_on is None:
        return False
    below_maximum = f.period_ends_on < rules.reflection_latest_end(f.period_starts_on)
    return below_maximum and f.today <= f.period_ends_on


def support_running(f: Facts) -> bool:
    return f.has_open_support


def no_return_under_way(f: Facts) -> bool:
    return f.return_status is None


def return_offered(f: Facts) -> bool:
    return f.return_status == choices.ReturnStatus.OFFERED


def return_accepted(f: Facts) -> bool:
    return f.return_status == choices.ReturnStatus.ACCEPTED


# --- the computed targets: where a step leads when it depends on the case ------------


def after_interview_recorded(f: Facts) -> str:
    # Another interview may still be planned; the case waits for it.
    return Status.INTERVIEW_PLANNED if f.has_planned_interview else Status.INTERVIEWED


def after_interview_cancelled(f: Facts) -> str:
    if f.has_planned_interview:
        return f.status
    return Status.INTERVIEWED if f.has_held_interview else Status.REFERRED


def after_decision(f: Facts) -> str:
    return Status.IDENTIFIED if f.outcome == choices.Outcome.IDENTIFIED else Status.NOT_IDENTIFIED


def into_support(f: Facts) -> str:
    # The first support or the start of the period moves an identified case into support.
    return Status.IN_SUPPORT if f.status == Status.IDENTIFIED else f.status


def after_reopen(f: Facts) -> str:
    """A reopened case returns to the status its facts give (the one it had before
    closing: closing cancels planned interviews and changes no other fact)."""
    if f.outcome == choices.Outcome.NOT_IDENTIFIED:
        return Status.NOT_IDENTIFIED
    if f.outcome != choices.Outcome.IDENTIFIED:
        return Status.INTERVIEWED if f.has_held_interview else Status.REFERRED
    if f.return_status == choices.ReturnStatus.DEPARTED:
        return Status.RETURNED
    # Facts only a case's own rows give (CaseFacts); other Facts say "none".
    if getattr(f, "stay_basis", ""):
        return Status.STAYING
    if f.period_starts_on is not None or getattr(f, "has_any_support", False):
        return Status.IN_SUPPORT
    return Status.IDENTIFIED


# --- the table ---------------------------------------------------------------------------

BEFORE_DECISION = choices.CASE_BEFORE_DECISION
IN_PERIOD = choices.CASE_IN_PERIOD
OPEN = choices.CASE_OPEN
CLOSED = frozenset({Status.CLOSED})
ANY = OPEN | CLOSED
NEW_CASE: frozenset[str] = frozenset()  # a referral opens a case: no status before it


@dataclass(frozen=True)
class Transition:
    action: Action
    from_statuses: frozenset[str]
    to: str | Callable[[Facts], str] | None
    guard: Callable[[Facts], bool] | None
    ability: Ability
    same_day: int
    event: Event


# fmt: off
TRANSITIONS: tuple[Transition, ...] = (
    #          action                    from-statuses                  to                         guard                   ability                  day audit event
    Transition(Action.CASE_REFER,        NEW_CASE,                      Status.REFERRED,           None,                   Ability.REFERRAL_CREATE, 0,  Event.CASE_REFERRED),
    Transition(Action.SCREENING_RECORD,  frozenset({Status.REFERRED}),  None,                      None,                   Ability.CASE_CHANGE,     1,  Event.CASE_SCREENED),
    Transition(Action.INTERVIEW_PLAN,    BEFORE_DECISION,               Status.INTERVIEW_PLANNED,  None,                   Ability.CASE_CHANGE,     1,  Event.INTERVIEW_PLANNED),
    Transition(Action.INTERVIEW_RECORD,  BEFORE_DECISION,               after_interview_recorded,  None,                   Ability.CASE_CHANGE,     2,  Event.INTERVIEW_RECORDED),
    Transition(Action.INTERVIEW_CANCEL,  BEFORE_DECISION,               after_interview_cancelled, interview_planned,      Ability.CASE_CHANGE,     2,  Event.INTERVIEW_CANCELLED),
    Transition(Action.ASSESSMENT_DECIDE, BEFORE_DECISION,               after_decision,            no_interview_planned,   Ability.CASE_CHANGE,     3,  Event.ASSESSMENT_DECIDED),
    Transition(Action.REFLECTION_START,  IN_PERIOD,                     into_support,              no_period_yet,          Ability.CASE_CHANGE,     4,  Event.REFLECTION_STARTED),
    Transition(Action.REFLECTION_EXTEND, IN_PERIOD,                     None,                      period_can_be_extended, Ability.CASE_CHANGE,     6,  Event.REFLECTION_EXTENDED),
    Transition(Action.SUPPORT_ADD,       BEFORE_DECISION | IN_PERIOD | {Status.STAYING}, into_support, None,           Ability.CASE_CHANGE,     5,  Event.SUPPORT_ADDED),
    Transition(Action.SUPPORT_END,       OPEN,                          None,                      support_running,        Ability.CASE_CHANGE,     9,  Event.SUPPORT_ENDED),
    Transition(Action.RETURN_OFFER,      IN_PERIOD,                     None,                      no_return_under_way,    Ability.CASE_CHANGE,     7,  Event.RETURN_OFFERED),
    Transition(Action.RETURN_ACCEPT,     IN_PERIOD,                     None,                      return_offered,         Ability.CASE_CHANGE,     8,  Event.RETURN_ACCEPTED),
    Transition(Action.RETURN_DECLINE,    IN_PERIOD,                     None,                      return_offered,         Ability.CASE_CHANGE,     8,  Event.RETURN_DECLINED),
    Transition(Action.RETURN_DEPART,     IN_PERIOD,                     Status.RETURNED,           return_accepted,        Ability.CASE_CHANGE,     10, Event.RETURN_DEPARTED),
    Transition(Action.FOLLOW_UP_ADD,     frozenset({Status.RETURNED}),  None,                      None,                   Ability.CASE_CHANGE,     11, Event.FOLLOWUP_ADDED),
    Transition(Action.CASE_RECORD_STAY,  IN_PERIOD,                     Status.STAYING,            None,                   Ability.CASE_CHANGE,     12, Event.CASE_STAYING),
    Transition(Action.CASE_ASSIGN,       OPEN,                          None,                      None,                   Ability.CASE_CHANGE,     13, Event.CASE_ASSIGNED),
    Transition(Action.CASE_CLOSE,        OPEN,                          Status.CLOSED,             None,                   Ability.CASE_CHANGE,     13, Event.CASE_CLOSED),
    Transition(Action.CASE_REOPEN,       CLOSED,                        after_reopen,              None,                   Ability.CASE_CHANGE,     14, Event.CASE_REOPENED),
    Transition(Action.CASE_AMEND,        ANY,                           None,                      None,                   Ability.CASE_CHANGE,     14, Event.CASE_AMENDED),
)
# fmt: on

TABLE: dict[Action, Transition] = {t.action: t for t in TRANSITIONS}

# The steps on an existing case, in the order of the case page.
CASE_STEPS: tuple[Action, ...] = tuple(t.action for t in TRANSITIONS if t.from_statuses)

# action name -> the case statuses in which it may be taken (steps on an existing case)
ALLOWED_IN: dict[str, frozenset[str]] = {
    t.action.value: t.from_statuses for t in TRANSITIONS if t.from_statuses
}

# The action-log entries of the steps: a case's timeline shows these.
STEP_EVENTS: tuple[Event, ...] = tuple(t.event for t in TRANSITIONS)

# Same-day steps happen in this order (a decision before the period it starts...).
SAME_DAY_RANK: dict[str, int] = {t.action.value: t.same_day for t in TRANSITIONS}


def is_allowed(action: str, status: str) -> bool:
    """May `action` be taken while a case is `status` (the from-statuses only)?"""
    return status in TABLE[Action(action)].from_statuses


# --- the facts of a case ----------------------------------------------------------------


def _related_or_none(obj, name: str):
    try:
        return getattr(obj, name)
    except ObjectDoesNotExist:
        return None


class CaseFacts:
    """The facts of a case, read from its related rows (prefetched or not), once each."""

    def __init__(self, case: "Case", today: date | None = None):
        self.case = case
        self.status = case.status
        self.outcome = case.outcome
        self.today = today or timezone.localdate()

    @cached_property
    def _interview_statuses(self) -> set[str]:
        return {i.status for i in self.case.interviews.all()}

    @property
    def has_planned_interview(self) -> bool:
        return choices.InterviewStatus.PLANNED in self._interview_statuses

    @property
    def has_held_interview(self) -> bool:
        return choices.InterviewStatus.HELD in self._interview_statuses

    @cached_property
    def has_open_support(self) -> bool:
        return any(m.ends_on is None for m in self.case.support_measures.all())

    @cached_property
    def has_any_support(self) -> bool:
        return any(True for _m in self.case.support_measures.all())

    @property
    def stay_basis(self) -> str:
        return self.case.stay_basis

    @cached_property
    def _period(self):
        return _related_or_none(self.case, "reflection_period")

    @property
    def period_starts_on(self) -> date | None:
        return self._period.starts_on if self._period else None

    @property
    def period_ends_on(self) -> date | None:
        return self._period.ends_on if self._period else None

    @cached_property
    def return_status(self) -> str | None:
        live = [r for r in self.case.returns.all() if r.status != choices.ReturnStatus.DECLINED]
        return live[0].status if live else None


# --- asking and applying -------------------------------------------------------------------


def offered(facts: Facts) -> list[Action]:
    """The steps the case's state allows now: status and guard (no person involved)."""
    return [
        t.action
        for t in TRANSITIONS
        if facts.status in t.from_statuses and (t.guard is None or t.guard(facts))
    ]


def available(case: "Case", user: "User | None" = None, today: date | None = None) -> list[Action]:
    """The steps `user` may take on `case` now: its status, the guards, and the policy.

    Without `user`, what the case's state allows whoever asks.
    """
    steps = offered(CaseFacts(case, today))
    if user is None:
        return steps
    return [a for a in steps if can(user, TABLE[a].ability)]


def require(case: "Case", action: Action) -> None:
    """Refuse `action` (TransitionError) unless the case's status allows it."""
    if case.status not in TABLE[action].from_statuses:
        raise TransitionError(
            _("This step is not possible while the case is “%(status)s”."),
            code="invalid_transition",
            params={"status": case.get_status_display()},
        )


def target(action: Action, facts: Facts) -> str:
    """The case's status after `action`, given the facts after the step."""
    to = TABLE[action].to
    if to is None:
        return facts.status
    return to(facts) if callable(to) else to


def apply(case: "Case", action: Action, facts: Facts | None = None) -> str:
    """Set the case's status after `action` has been carried out; return it.

    Call after the step's rows are written (the target may depend on them). The
    caller saves the case (only when the status changed, or with other fields).
    """
    case.status = target(action, facts or CaseFacts(case))
    return case.status
