"""Reads of the cooperation records for pages and reports.

One module per sub-domain: joint actions, outreach, prosecutions, the action
plan. Every count and sum is computed by the database: each selector runs a
fixed number of queries whatever the number of rows (pinned in the tests).
Callers import from this package (`from brik.cooperation import selectors`).
"""

from brik.cooperation.selectors.action_plan import (
    FocusAreaProgress,
    IndicatorProgress,
    PlanProgress,
    action_plan_latest,
    action_plan_list,
    action_plan_progress,
    focus_areas_with_initiatives,
    indicators_with_plan,
    initiatives_with_plan,
    milestones_overdue,
    milestones_with_plan,
)
from brik.cooperation.selectors.joint_actions import (
    joint_action_details,
    joint_action_linked_cases,
    joint_action_list,
    joint_actions_upcoming,
)
from brik.cooperation.selectors.outreach import outreach_logs_for, outreach_totals
from brik.cooperation.selectors.prosecutions import (
    prosecution_details,
    prosecution_list,
    prosecutions_open,
)

__all__ = [
    "FocusAreaProgress",
    "IndicatorProgress",
    "PlanProgress",
    "action_plan_latest",
    "action_plan_list",
    "action_plan_progress",
    "focus_areas_with_initiatives",
    "indicators_with_plan",
    "initiatives_with_plan",
    "joint_action_details",
    "joint_action_linked_cases",
    "joint_action_list",
    "joint_actions_upcoming",
    "milestones_overdue",
    "milestones_with_plan",
    "outreach_logs_for",
    "outreach_totals",
    "prosecution_details",
    "prosecution_list",
    "prosecutions_open",
]
