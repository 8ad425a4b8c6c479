import datetime as dt
import inspect

import pytest

from brik.cases import rules, services, workflow
from brik.core.choices import CaseStatus


def test_the_reflection_period_ends_30_days_after_its_start():
    assert rules.reflection_initial_end(dt.date(2021, 3, 10)) == dt.date(2021, 4, 9)


def test_the_reflection_period_can_end_120_days_after_its_start_at_the_latest():
    assert rules.reflection_latest_end(dt.date(2021, 3, 10)) == dt.date(2021, 7, 8)


def test_the_reflection_arithmetic_counts_the_leap_day():
    assert rules.reflection_initial_end(dt.date(2024, 2, 20)) == dt.date(2024, 3, 21)
    assert rules.reflection_latest_end(dt.date(2024, 1, 1)) == dt.date(2024, 4, 30)


@pytest.mark.parametrize(
    ("departed_on", "months", "until"),
    [
        (dt.date(2021, 4, 1), 6, dt.date(2021, 10, 1)),
        (dt.date(2021, 8, 31), 6, dt.date(2022, 2, 28)),  # no 31 February: the month's last day
        (dt.date(2021, 3, 31), 3, dt.date(2021, 6, 30)),
        (dt.date(2021, 4, 1), 0, dt.date(2021, 4, 1)),
    ],
)
def test_follow_up_lasts_whole_calendar_months(departed_on, months, until):
    assert rules.follow_up_until(departed_on, months) == until


def test_follow_up_lasts_six_months_unless_told_otherwise():
    assert rules.follow_up_until(dt.date(2021, 4, 1)) == dt.date(2021, 10, 1)


def test_every_rule_names_a_service_of_that_name():
    for action in workflow.ALLOWED_IN:
        assert callable(getattr(services, action, None)), action


def test_every_service_that_changes_a_case_has_a_rule():
    public = {
        name
        for name, fn in inspect.getmembers(services, inspect.isfunction)
        if fn.__module__.startswith(services.__name__) and not name.startswith("_")
    }

    assert public - set(workflow.ALLOWED_IN) == {"case_refer"}


def test_every_rule_names_real_statuses():
    for action, statuses in workflow.ALLOWED_IN.items():
        assert statuses, action
        assert set(statuses) <= set(CaseStatus.values), action


@pytest.mark.parametrize("action", sorted(set(workflow.ALLOWED_IN) - {"case_reopen", "case_amend"}))
def test_a_closed_case_allows_no_step_but_reopening_and_correcting(action):
    assert not workflow.is_allowed(action, CaseStatus.CLOSED)
    assert workflow.is_allowed("case_reopen", CaseStatus.CLOSED)
    assert workflow.is_allowed("case_amend", CaseStatus.CLOSED)


def test_the_decision_is_taken_only_before_one_was_taken():
    assert {s for s in CaseStatus.values if workflow.is_allowed("assessment_decide", s)} == {
        CaseStatus.REFERRED,
        CaseStatus.INTERVIEW_PLANNED,
        CaseStatus.INTERVIEWED,
    }


@pytest.mark.parametrize(
    "action",
    [
        "reflection_start",
        "reflection_extend",
        "return_offer",
        "return_accept",
        "return_decline",
        "return_depart",
        "case_record_stay",
    ],
)
def test_the_steps_for_victims_need_an_identified_person_still_here(action):
    assert {s for s in CaseStatus.values if workflow.is_allowed(action, s)} == {
        CaseStatus.IDENTIFIED,
        CaseStatus.IN_SUPPORT,
    }


def test_follow_up_comes_only_after_the_return():
    assert {s for s in CaseStatus.values if workflow.is_allowed("follow_up_add", s)} == {
        CaseStatus.RETURNED
    }


def test_a_person_not_identified_can_only_be_reassigned_or_closed():
    allowed = {a for a in workflow.ALLOWED_IN if workflow.is_allowed(a, CaseStatus.NOT_IDENTIFIED)}

    assert allowed == {"support_end", "case_assign", "case_close", "case_amend"}
