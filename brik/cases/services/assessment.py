"""The assessment decision: is the person identified as a victim of trafficking?"""

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from brik.accounts.models import User
from brik.audit.events import AuditEvent
from brik.audit.services import log_action
from brik.cases import workflow
from brik.cases.models import (
    Assessment,
    Case,
    ExploitationForm,
)
from brik.cases.services.common import (
    country_code,
    optional_choice,
    save_case,
    valid_choices,
)
from brik.cases.workflow import Action
from brik.core import choices
from brik.core.errors import TransitionError
from brik.core.validation import (
    bounded_text,
    field_error,
    not_before,
    plausible_past,
    row_lock,
)


@dataclass(frozen=True)
class Decision:
    """The assessment decision as `assessment_decide` takes it."""

    decided_on: date
    deciding_authority: str
    outcome: str
    forms: Iterable[str] = ()  # forms of exploitation (choices.ExploitationForm)
    sexual_exploitation_type: str = ""
    labour_sector: str = ""
    means_of_control: Iterable[str] = ()
    countries_of_exploitation: Iterable[str] = ()
    exploitation_from: date | None = None
    exploitation_to: date | None = None
    notes: str = ""


@transaction.atomic
def assessment_decide(
    *, actor: User, case: Case, decision: Decision | None = None, **values: Any
) -> Assessment:
    """Decide whether the person is identified as a victim of trafficking.

    Give the decision as a Decision, or its fields as keywords (Decision(**values)).
    """
    decision = decision if decision is not None else Decision(**values)
    case = row_lock(case)
    workflow.require(case, Action.ASSESSMENT_DECIDE)
    _check_date_and_outcome(case, decision)
    _check_interviews_done(case, decision.decided_on)
    decision = _checked_findings(decision)
    assessment = Assessment.objects.create(
        case=case,
        decided_on=decision.decided_on,
        deciding_authority=decision.deciding_authority,
        outcome=decision.outcome,
        decided_by=actor,
        sexual_exploitation_type=decision.sexual_exploitation_type,
        labour_sector=decision.labour_sector,
        means_of_control=decision.means_of_control,
        countries_of_exploitation=decision.countries_of_exploitation,
        exploitation_from=decision.exploitation_from,
        exploitation_to=decision.exploitation_to,
        notes=decision.notes,
    )
    ExploitationForm.objects.bulk_create(
        ExploitationForm(assessment=assessment, form=form) for form in decision.forms
    )
    case.decided_on = decision.decided_on
    case.outcome = decision.outcome
    workflow.apply(case, Action.ASSESSMENT_DECIDE)
    save_case(case, "decided_on", "outcome", "status")
    log_action(
        actor=actor,
        action=AuditEvent.ASSESSMENT_DECIDED,
        obj=assessment,
        case=case,
        data={
            "decided_on": decision.decided_on,
            "deciding_authority": decision.deciding_authority,
            "outcome": decision.outcome,
            "forms": decision.forms,
        },
    )
    return assessment


def _check_date_and_outcome(case: Case, decision: Decision) -> None:
    plausible_past(decision.decided_on, _("The decision date"), field="decided_on")
    not_before(
        decision.decided_on,
        case.referred_on,
        _("A decision cannot precede the referral (%(date)s)."),
        field="decided_on",
    )
    valid_choices([decision.deciding_authority], choices.DecidingAuthority, _("deciding authority"))
    valid_choices([decision.outcome], choices.Outcome, _("outcome"))


def _check_interviews_done(case: Case, decided_on: date) -> None:
    last_interview = case.interviews.filter(status=choices.InterviewStatus.HELD).aggregate(
        m=Max("held_on")
    )["m"]
    if last_interview is not None:
        not_before(
            decided_on,
            last_interview,
            _("A decision cannot precede the last interview (%(date)s)."),
            field="decided_on",
        )
    if case.interviews.filter(status=choices.InterviewStatus.PLANNED).exists():
        # After the decision a planned interview could no longer be recorded or
        # cancelled, and would wait in the lists for ever.
        raise TransitionError(
            _("An interview is still planned: record or cancel it before the decision."),
            code="interview_planned",
        )


def _checked_findings(decision: Decision) -> Decision:
    """The decision with its findings checked, lists and texts in their stored form."""
    forms = valid_choices(decision.forms, choices.ExploitationForm, _("form of exploitation"))
    means_of_control = valid_choices(
        decision.means_of_control, choices.MeansOfControl, _("means of control")
    )
    sexual_exploitation_type = optional_choice(
        decision.sexual_exploitation_type,
        choices.SexualExploitationType,
        _("type of sexual exploitation"),
    )
    labour_sector = optional_choice(
        decision.labour_sector, choices.LabourSector, _("labour sector")
    )
    countries = list(
        dict.fromkeys(country_code(code) for code in decision.countries_of_exploitation)
    )
    if decision.outcome == choices.Outcome.IDENTIFIED and not forms:
        raise ValidationError(
            _("Choose at least one form of exploitation (or “not determined”)."),
            code="forms_required",
        )
    if sexual_exploitation_type and choices.ExploitationForm.SEXUAL not in forms:
        raise ValidationError(
            _("A type of sexual exploitation needs the form “sexual exploitation”."),
            code="form_mismatch",
        )
    _check_exploitation_period(decision)
    notes = bounded_text(decision.notes, _("The reasons"), field="notes")
    return replace(
        decision,
        forms=forms,
        means_of_control=means_of_control,
        sexual_exploitation_type=sexual_exploitation_type,
        labour_sector=labour_sector,
        countries_of_exploitation=countries,
        notes=notes,
    )


def _check_exploitation_period(decision: Decision) -> None:
    start, end = decision.exploitation_from, decision.exploitation_to
    if start is not None:
        plausible_past(start, _("The start of the exploitation"), field="exploitation_from")
    if end is not None:
        plausible_past(end, _("The end of the exploitation"), field="exploitation_to")
    if start and end and end < start:
        raise field_error(
            "exploitation_to",
            _("The period of exploitation ends before it starts."),
            code="date_order",
        )
    for name, day in (("exploitation_from", start), ("exploitation_to", end)):
        if day is not None and day > decision.decided_on:
            raise field_error(
                name,
                _("The period of exploitation cannot be after the decision."),
                code="date_order",
            )
