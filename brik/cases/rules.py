"""The rules of the national referral mechanism, in one place.

Which step may follow which status, and the legal limits on the reflection
period. Services enforce these; views read `allowed_actions` to offer only
the steps that the case's state allows.
"""

from datetime import date, timedelta

from dateutil.relativedelta import relativedelta

from brik.core.choices import CaseStatus

# Aliens Act § 33, stk. 14: a departure deadline of 30 days, which can be
# extended for special reasons or while the person works towards a prepared
# return, to at most 120 days in all.
REFLECTION_INITIAL_DAYS = 30
REFLECTION_MAX_DAYS = 120

# Reintegration support after a prepared return lasts up to six months.
FOLLOW_UP_MONTHS = 6

_BEFORE_DECISION = frozenset(
    {CaseStatus.REFERRED, CaseStatus.INTERVIEW_PLANNED, CaseStatus.INTERVIEWED}
)
_IDENTIFIED = frozenset({CaseStatus.IDENTIFIED, CaseStatus.IN_SUPPORT})

# action name -> the case statuses in which it may be taken
ALLOWED_IN: dict[str, frozenset[str]] = {
    "interview_plan": _BEFORE_DECISION,
    "interview_record": _BEFORE_DECISION,
    "interview_cancel": _BEFORE_DECISION,
    "assessment_decide": _BEFORE_DECISION,
    "reflection_start": _IDENTIFIED,
    "reflection_extend": _IDENTIFIED,
    "support_add": _BEFORE_DECISION | _IDENTIFIED | {CaseStatus.STAYING},
    "support_end": frozenset(CaseStatus.values) - {CaseStatus.CLOSED},
    "return_offer": _IDENTIFIED,
    "return_accept": _IDENTIFIED,
    "return_decline": _IDENTIFIED,
    "return_depart": _IDENTIFIED,
    "followup_add": frozenset({CaseStatus.RETURNED}),
    "case_record_stay": _IDENTIFIED,
    "case_assign": frozenset(CaseStatus.values) - {CaseStatus.CLOSED},
    "case_close": frozenset(CaseStatus.values) - {CaseStatus.CLOSED},
}


def is_allowed(action: str, status: str) -> bool:
    return status in ALLOWED_IN[action]


def reflection_initial_end(starts_on: date) -> date:
    return starts_on + timedelta(days=REFLECTION_INITIAL_DAYS)


def reflection_latest_end(starts_on: date) -> date:
    return starts_on + timedelta(days=REFLECTION_MAX_DAYS)


def follow_up_until(departed_on: date, months: int = FOLLOW_UP_MONTHS) -> date:
    return departed_on + relativedelta(months=months)
