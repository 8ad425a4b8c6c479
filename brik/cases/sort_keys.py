"""My work's sort keys, stored on the rows they sort (issue 13, item 3).

My work's lists are ordered by values that live on other rows: a case's urgency
on its referral and its screening flag, the end of its reflection period on the
period. Sorting by them made SQLite read and sort every open case of a contact
person on every view. So each key is copied onto the row it sorts, by the
services that change its source, and the lists walk an index in their order and
stop at the page's end:

- `Case.urgency_rank` (0 urgent, 1 soon, 2 routine): from the referral's urgency
  and `Case.urgent` (the latest screening) - `case_refer`, `screening_record`;
- `Case.period_ends_on`: the reflection period's `ends_on` - `reflection_start`,
  `reflection_extend`;
- `PreparedReturn.last_contact_on`: the latest follow-up's date, or the departure
  without one - `return_depart`, `follow_up_add`, the correction of the departure;
- `Case.return_last_contact_on` and `Case.return_follow_up_until`: the departed
  return's `last_contact_on` and `follow_up_until`, written with the former (the
  follow-ups due are read from the returned cases' index, not from the return of each);
- `Interview.case_assigned_to`: its case's contact person - `interview_plan`,
  `interview_record` (an interview held without planning), `case_assign` (a
  caseworker's planned interviews are read from their index, not by joining every
  open case of theirs).

The demo writes them in bulk with the same functions. `brik/cases/tests/
test_sort_keys.py` checks after every workflow step that each stored key equals
the one computed from its sources (`computed_*` below): a stale key would hide an
urgent case.
"""

from collections.abc import Iterable
from datetime import date

from django.db.models import (
    BooleanField,
    ExpressionWrapper,
    F,
    Index,
    IntegerField,
    Max,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models import Case as SqlCase
from django.db.models.functions import Coalesce

from brik.core import choices

URGENCY_RANKS: dict[str, int] = {
    choices.Urgency.URGENT: 0,
    choices.Urgency.SOON: 1,
    choices.Urgency.ROUTINE: 2,
}
URGENT_RANK = URGENCY_RANKS[choices.Urgency.URGENT]
ROUTINE_RANK = URGENCY_RANKS[choices.Urgency.ROUTINE]


def urgency_rank(urgency: str, urgent: bool) -> int:
    """Urgent when the referral said so or the latest screening flagged the case."""
    return URGENT_RANK if urgent else URGENCY_RANKS.get(urgency, ROUTINE_RANK)


def last_contact_on(departed_on: date | None, follow_ups: Iterable[date]) -> date | None:
    """The latest follow-up's date; the departure's while there is none."""
    return max(follow_ups, default=None) or departed_on


# The open cases, written so that SQLite uses the partial indexes on them: it uses one
# only when the query repeats the index's condition (`NOT (status = ?)` matches it,
# `status IN (...)` with bound values does not).
OPEN = ~Q(status=choices.CaseStatus.CLOSED)

# The cases in a reflection period (its deadline counts), in one order of the statuses:
# SQLite uses the partial indexes on them (Case.Meta) only for the same text.
IN_PERIOD = Q(status__in=sorted(choices.CASE_IN_PERIOD))
# The returned cases (their departed return's follow-ups are due).
RETURNED = Q(status=choices.CaseStatus.RETURNED)

# "Cases without a reflection period last", as an expression an index can hold:
# SQLite's indexes sort NULL first and cannot serve ORDER BY ... NULLS LAST.
PERIOD_MISSING = ExpressionWrapper(Q(period_ends_on__isnull=True), output_field=BooleanField())

# The orders of My work's open cases (its "sort" choice): the default by urgency, then
# by the period's end, by referral (either way) and by status. Each has two partial
# indexes on the open cases in that order (Case.Meta.indexes, open_case_indexes()): a
# contact person's ("mine") and everyone's ("team"), so that the page's query walks
# one and stops at the page's end.
OPEN_CASE_ORDERS: dict[str, tuple] = {
    "urgency": ("urgency_rank", PERIOD_MISSING, "period_ends_on", "referred_on", "id"),
    "deadline": (PERIOD_MISSING, "period_ends_on", "referred_on", "id"),
    "referred": ("referred_on", "id"),
    "-referred": ("-referred_on", "-id"),  # the index of "referred", walked backwards
    "status": ("status", "referred_on", "id"),
}
URGENCY_ORDER = OPEN_CASE_ORDERS["urgency"]


def open_case_indexes() -> list[Index]:
    indexes = []
    for sort, order in OPEN_CASE_ORDERS.items():
        if sort.startswith("-"):
            continue
        columns = [F(c) if isinstance(c, str) else c for c in order]
        indexes += [
            Index(F("assigned_to"), *columns, condition=OPEN, name=f"case_open_mine_{sort}_idx"),
            Index(*columns, condition=OPEN, name=f"case_open_{sort}_idx"),
        ]
    return indexes


# --- the keys computed from their sources (what the stored ones must equal) ---------------


def computed_urgency_rank() -> SqlCase:
    """The rank from the referral and the screening flag, as My work computed it before."""
    return SqlCase(
        When(Q(referral__urgency=choices.Urgency.URGENT) | Q(urgent=True), then=Value(0)),
        When(referral__urgency=choices.Urgency.SOON, then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )


def computed_period_ends_on() -> F:
    return F("reflection_period__ends_on")


def computed_last_contact_on() -> Coalesce:
    return Coalesce(Max("follow_ups__held_on"), F("departed_on"))


def computed_return_keys() -> tuple[Subquery, Subquery]:
    """Case.return_last_contact_on and return_follow_up_until: the departed return's
    last contact (from its follow-ups and departure) and follow-up end (a case has one
    departed return at most)."""
    from brik.cases.models import PreparedReturn

    departed = PreparedReturn.objects.filter(
        case=OuterRef("pk"), status=choices.ReturnStatus.DEPARTED
    ).order_by("-pk")
    return (
        Subquery(departed.annotate(last=computed_last_contact_on()).values("last")[:1]),
        Subquery(departed.values("follow_up_until")[:1]),
    )


def stale_keys() -> list[tuple]:
    """Every row whose stored key differs from the key computed from its sources:
    ("case", pk, stored rank, computed rank, stored period end, computed period end),
    ("case return", pk, stored last contact, computed, stored follow-up end, computed),
    ("return", pk, stored last contact, computed last contact) or ("interview", pk,
    stored contact person, the case's). Three queries; for the tests and the demo's
    invariants."""
    from brik.cases.models import Case, Interview, PreparedReturn

    contact, until = computed_return_keys()
    cases = Case.objects.annotate(
        rank=computed_urgency_rank(), ends=computed_period_ends_on(), contact=contact, until=until
    ).values_list(
        "pk",
        "urgency_rank",
        "rank",
        "period_ends_on",
        "ends",
        "return_last_contact_on",
        "contact",
        "return_follow_up_until",
        "until",
    )
    returns = PreparedReturn.objects.annotate(last=computed_last_contact_on()).values_list(
        "pk", "last_contact_on", "last"
    )
    stale: list[tuple] = []
    for pk, rank, rank_is, ends, ends_is, contact_on, contact_is, until_on, until_is in cases:
        if rank != rank_is or ends != ends_is:
            stale.append(("case", pk, rank, rank_is, ends, ends_is))
        if contact_on != contact_is or until_on != until_is:
            stale.append(("case return", pk, contact_on, contact_is, until_on, until_is))
    interviews = Interview.objects.values_list("pk", "case_assigned_to", "case__assigned_to")
    stale += [("return", *row) for row in returns if row[1] != row[2]]
    return stale + [("interview", *row) for row in interviews if row[1] != row[2]]


__all__ = [
    "IN_PERIOD",
    "OPEN",
    "OPEN_CASE_ORDERS",
    "PERIOD_MISSING",
    "RETURNED",
    "ROUTINE_RANK",
    "URGENCY_ORDER",
    "URGENCY_RANKS",
    "URGENT_RANK",
    "computed_last_contact_on",
    "computed_period_ends_on",
    "computed_return_keys",
    "computed_urgency_rank",
    "last_contact_on",
    "open_case_indexes",
    "stale_keys",
    "urgency_rank",
]
