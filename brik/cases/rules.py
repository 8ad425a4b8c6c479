"""The legal limits of the national referral mechanism: the reflection period and
the reintegration follow-up. Which step may follow which status is decided in
brik.cases.workflow, which uses these limits in its guards.
"""

from datetime import date, timedelta

from dateutil.relativedelta import relativedelta

# Aliens Act § 33, stk. 14: a departure deadline of 30 days, which can be
# extended for special reasons or while the person works towards a prepared
# return, to at most 120 days in all.
REFLECTION_INITIAL_DAYS = 30
REFLECTION_MAX_DAYS = 120

# Reintegration support after a prepared return lasts up to six months.
FOLLOW_UP_MONTHS = 6


def reflection_initial_end(starts_on: date) -> date:
    return starts_on + timedelta(days=REFLECTION_INITIAL_DAYS)


def reflection_latest_end(starts_on: date) -> date:
    return starts_on + timedelta(days=REFLECTION_MAX_DAYS)


def follow_up_until(departed_on: date, months: int = FOLLOW_UP_MONTHS) -> date:
    return departed_on + relativedelta(months=months)
