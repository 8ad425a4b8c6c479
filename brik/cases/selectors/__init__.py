"""Reads for the case work pages: lists, My work, one case, possible duplicates.

Every selector here runs a fixed number of queries, whatever the number of
cases (select_related for one-to-one rows, prefetch_related for the
multi-valued ones, annotations instead of per-row queries); the tests pin
those numbers. One module per page or concern; this package re-exports them,
so callers write `from brik.cases import selectors; selectors.my_work(...)`.
What the timeline shows of each step is presentation: brik.cases.presenters.
"""

from brik.cases.selectors.amendments import (
    AmendmentAfterPublication,
    amendments_after_publication,
)
from brik.cases.selectors.case_list import (
    case_list_choices,
    case_list_filter_choices,
    case_list_page,
    cases_filtered,
    partner_referrals,
    partner_referrals_page,
)
from brik.cases.selectors.common import cases_visible_to, related_or_none
from brik.cases.selectors.detail import (
    Countdown,
    TimelineRows,
    case_available_actions,
    case_detail,
    case_page_detail,
    case_timeline_rows,
    live_return,
    reflection_countdown,
)
from brik.cases.selectors.duplicates import (
    PossibleMatch,
    case_for_duplicate_check,
    duplicate_check_applies,
    likely_existing_persons,
    person_possible_matches,
)
from brik.cases.selectors.languages import country_search, language_search
from brik.cases.selectors.my_work import LISTS as MY_WORK_LISTS
from brik.cases.selectors.my_work import MY_WORK_LIMIT, Deadline, MyWork, TodayItem, my_work

__all__ = [
    "MY_WORK_LIMIT",
    "MY_WORK_LISTS",
    "AmendmentAfterPublication",
    "Countdown",
    "Deadline",
    "MyWork",
    "PossibleMatch",
    "TimelineRows",
    "TodayItem",
    "amendments_after_publication",
    "case_available_actions",
    "case_detail",
    "case_for_duplicate_check",
    "case_list_choices",
    "case_list_filter_choices",
    "case_list_page",
    "case_page_detail",
    "case_timeline_rows",
    "cases_filtered",
    "cases_visible_to",
    "country_search",
    "duplicate_check_applies",
    "language_search",
    "likely_existing_persons",
    "live_return",
    "my_work",
    "partner_referrals",
    "partner_referrals_page",
    "person_possible_matches",
    "reflection_countdown",
    "related_or_none",
]
