"""Every change to the cooperation records goes through one function here.

Joint authority actions, NGO outreach counts, prosecutions and the national
action plan, one module each (common holds the checks they share). Each
function runs in one transaction, checks the step, writes it and records who
did it (brik.audit). A refused step raises TransitionError (the record's state
does not allow it) or ValidationError (a bad value, named by its argument:
ValidationError({"persons_met": ...})) and changes nothing. Dates, counts,
amounts and texts are checked for plausibility here (brik.core.validation), so
the API and importers get the same checks as the forms.

Callers import from this package (`from brik.cooperation import services`);
the modules are its inner layout.
"""

from brik.cooperation.services.action_plan import (
    MAX_PLAN_NUMBER,
    action_plan_create,
    focus_area_add,
    indicator_measure,
    initiative_add,
    initiative_set_status,
    milestone_add,
    milestone_reach,
    plan_indicator_add,
)
from brik.cooperation.services.joint_actions import (
    joint_action_cancel,
    joint_action_link_referral,
    joint_action_plan,
    joint_action_record_outcome,
    joint_action_unlink_referral,
)
from brik.cooperation.services.outreach import (
    OUTREACH_COUNT_FIELDS,
    OUTREACH_NOTE_MAX_LENGTH,
    outreach_log_add,
    outreach_log_correct,
)
from brik.cooperation.services.prosecutions import (
    MAX_SUSPECTS,
    prosecution_charge,
    prosecution_drop,
    prosecution_link_victim,
    prosecution_open,
    prosecution_record_verdict,
    prosecution_unlink_victim,
)

__all__ = [
    "MAX_PLAN_NUMBER",
    "MAX_SUSPECTS",
    "OUTREACH_COUNT_FIELDS",
    "OUTREACH_NOTE_MAX_LENGTH",
    "action_plan_create",
    "focus_area_add",
    "indicator_measure",
    "initiative_add",
    "initiative_set_status",
    "joint_action_cancel",
    "joint_action_link_referral",
    "joint_action_plan",
    "joint_action_record_outcome",
    "joint_action_unlink_referral",
    "milestone_add",
    "milestone_reach",
    "outreach_log_add",
    "outreach_log_correct",
    "plan_indicator_add",
    "prosecution_charge",
    "prosecution_drop",
    "prosecution_link_victim",
    "prosecution_open",
    "prosecution_record_verdict",
    "prosecution_unlink_victim",
]
