"""The screening of a new referral: a first triage before the interview."""

from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from brik.accounts.models import User
from brik.audit.events import AuditEvent
from brik.audit.services import changes_since, log_action, snapshot
from brik.cases import workflow
from brik.cases.models import Case, Screening
from brik.cases.services.common import (
    keep_urgency_rank,
    language_code,
    save_case,
    valid_choices,
)
from brik.cases.workflow import Action
from brik.core import choices
from brik.core.validation import bounded_text, field_error, not_before, plausible_past, row_lock


@transaction.atomic
def screening_record(
    *,
    actor: User,
    case: Case,
    screened_on: date,
    urgent: bool,
    needs_interpreter: bool,
    safe_to_contact: str,
    interpreter_language: str = "",
    notes: str = "",
) -> Screening:
    """Record the triage of a referred case (optional; it does not block interviews).

    The latest screening decides whether the case is flagged as urgent (Case.urgent).
    """
    case = row_lock(case)
    workflow.require(case, Action.SCREENING_RECORD)
    plausible_past(screened_on, _("The screening date"), field="screened_on")
    not_before(
        screened_on,
        case.referred_on,
        _("The screening cannot precede the referral (%(date)s)."),
        field="screened_on",
    )
    valid_choices([safe_to_contact], choices.SafeToContact, _("safe to contact"))
    language = language_code(interpreter_language) if interpreter_language else ""
    if language and not needs_interpreter:
        raise field_error(
            "interpreter_language",
            _("An interpreter language is given, but no interpreter is needed."),
            code="language_without_interpreter",
        )
    notes = bounded_text(notes, _("The notes"), field="notes")
    screening = Screening.objects.create(
        case=case,
        screened_on=screened_on,
        urgent=bool(urgent),
        needs_interpreter=bool(needs_interpreter),
        interpreter_language=language,
        safe_to_contact=safe_to_contact,
        notes=notes,
        screened_by=actor,
    )
    before = snapshot(case)
    case.urgent = screening.urgent
    workflow.apply(case, Action.SCREENING_RECORD)
    save_case(case, "urgent", "status")
    changes = changes_since(case, before)
    keep_urgency_rank(case)
    log_action(
        actor=actor,
        action=AuditEvent.CASE_SCREENED,
        obj=screening,
        case=case,
        data={
            "screened_on": screened_on,
            "urgent": screening.urgent,
            "needs_interpreter": screening.needs_interpreter,
            "interpreter_language": language,
            "safe_to_contact": safe_to_contact,
        },
        changes=changes,
    )
    return screening
