"""Every change to a case goes through one function of this package.

Each function runs in one transaction, checks that the case's state and the
law allow the step (brik.cases.workflow, brik.cases.rules), writes the step, updates the case's
status and milestone dates, and records who did it (brik.audit). A refused
step raises TransitionError (or ValidationError for bad values) and changes
nothing. A bad value is refused with the name of its argument
(ValidationError({"held_on": ...})), so a form shows it next to its field.
Dates and texts are checked for plausibility here (brik.core.validation), so
the API and importers get the same checks as the forms. Views, the API, the
CLI and importers all call these.

One module per part of the work (referral, interviews, assessment, reflection,
support, returns, closing); this package re-exports every service, so callers
write `from brik.cases import services; services.case_refer(...)`.
"""

from brik.cases.services.amendments import AMENDABLE, Target, case_amend
from brik.cases.services.assessment import Decision, assessment_decide
from brik.cases.services.closing import case_close, case_record_stay, case_reopen
from brik.cases.services.common import IDENTITY_FIELDS
from brik.cases.services.interviews import interview_cancel, interview_plan, interview_record
from brik.cases.services.referral import NewReferral, case_assign, case_refer
from brik.cases.services.reflection import reflection_extend, reflection_start
from brik.cases.services.returns import (
    ReturnPlan,
    follow_up_add,
    return_accept,
    return_decline,
    return_depart,
    return_offer,
)
from brik.cases.services.screening import screening_record
from brik.cases.services.support import support_add, support_end

__all__ = [
    "AMENDABLE",
    "IDENTITY_FIELDS",
    "Decision",
    "NewReferral",
    "ReturnPlan",
    "Target",
    "assessment_decide",
    "case_amend",
    "case_assign",
    "case_close",
    "case_record_stay",
    "case_refer",
    "case_reopen",
    "follow_up_add",
    "interview_cancel",
    "interview_plan",
    "interview_record",
    "reflection_extend",
    "reflection_start",
    "return_accept",
    "return_decline",
    "return_depart",
    "return_offer",
    "screening_record",
    "support_add",
    "support_end",
]
