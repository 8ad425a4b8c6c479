"""Pages of the work around the cases: joint authority actions, NGO outreach,
prosecutions linked to victims, and the national action plan, one module each.

Each page shows a record with the forms for its next steps; each form posts
to its own small view, which calls one service through submit_once and
redirects back (or shows the page again with the errors next to the fields).
Views read through brik.cooperation.selectors and write through
brik.cooperation.services only.
"""

from brik.cooperation.views.action_plan import (
    indicator_measure,
    initiative_status,
    milestone_reach,
    plan,
    plans,
)
from brik.cooperation.views.common import index
from brik.cooperation.views.joint_actions import (
    joint_action,
    joint_action_cancel,
    joint_action_link,
    joint_action_outcome,
    joint_action_plan,
    joint_action_unlink,
    joint_actions,
)
from brik.cooperation.views.outreach import outreach
from brik.cooperation.views.prosecutions import (
    prosecution,
    prosecution_charge,
    prosecution_drop,
    prosecution_link,
    prosecution_open,
    prosecution_unlink,
    prosecution_verdict,
    prosecutions,
)

__all__ = [
    "index",
    "indicator_measure",
    "initiative_status",
    "joint_action",
    "joint_action_cancel",
    "joint_action_link",
    "joint_action_outcome",
    "joint_action_plan",
    "joint_action_unlink",
    "joint_actions",
    "milestone_reach",
    "outreach",
    "plan",
    "plans",
    "prosecution",
    "prosecution_charge",
    "prosecution_drop",
    "prosecution_link",
    "prosecution_open",
    "prosecution_unlink",
    "prosecution_verdict",
    "prosecutions",
]
