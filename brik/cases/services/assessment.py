"""The assessment decision: is the person identified as a victim of trafficking?"""

from collections.abc import Iterable
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from brik.audit.events import AuditEvent
from brik.audit.services import log_action
from brik.cases import workflow
from brik.cases.models import (
    Assessment,
    AssessmentForm,
    Case,
)
from brik.cases.services.common import (
    country_code,
    optional_choice,
    save_case,
    valid_choices,
)
from brik.cases.workflow import Action
from brik.core import choices as c
from brik.core.errors import TransitionError
from brik.core.validation import (
    bounded_text,
    field_error,
    not_before,
    plausible_past,
    row_lock,
)


@transaction.atomic
def assessment_decide(
    *,
    actor,
    case: Case,
    decided_on: date,
    deciding_authority: str,
    outcome: str,
    forms: Iterable[str] = (),
    sexual_exploitation_type: str = "",
    labour_sector: str = "",
    means_of_control: Iterable[str] = (),
    countries_of_exploitation: Iterable[str] = (),
    exploitation_from: date | None = None,
    exploitation_to: date | None = None,
    notes: str = "",
) -> Assessment:
    """Decide whether the person is identified as a victim of trafficking."""
    case = row_lock(case)
    workflow.require(case, Action.ASSESSMENT_DECIDE)
    plausible_past(decided_on, _("The decision date"), field="decided_on")
    not_before(
        decided_on,
        case.referred_on,
        _("A decision cannot precede the referral (%(date)s)."),
        field="decided_on",
    )
    valid_choices([deciding_authority], c.DecidingAuthority, _("deciding authority"))
    valid_choices([outcome], c.Outcome, _("outcome"))
    last_interview = case.interviews.filter(status=c.InterviewStatus.HELD).aggregate(
        m=Max("held_on")
    )["m"]
    if last_interview is not None:
        not_before(
            decided_on,
            last_interview,
            _("A decision cannot precede the last interview (%(date)s)."),
            field="decided_on",
        )
    if case.interviews.filter(status=c.InterviewStatus.PLANNED).exists():
        # After the decision a planned interview could no longer be recorded or
        # cancelled, and would wait in the lists for ever.
        raise TransitionError(
            _("An interview is still planned: record or cancel it before the decision."),
            code="interview_planned",
        )
    forms = valid_choices(forms, c.ExploitationForm, _("form of exploitation"))
    means_of_control = valid_choices(means_of_control, c.MeansOfControl, _("means of control"))
    sexual_exploitation_type = optional_choice(
        sexual_exploitation_type, c.SexualExploitationType, _("type of sexual exploitation")
    )
    labour_sector = optional_choice(labour_sector, c.LabourSector, _("labour sector"))
    countries = list(dict.fromkeys(country_code(code) for code in countries_of_exploitation))
    if outcome == c.Outcome.IDENTIFIED and not forms:
        raise ValidationError(
            _("Choose at least one form of exploitation (or “not determined”)."),
            code="forms_required",
        )
    if sexual_exploitation_type and c.ExploitationForm.SEXUAL not in forms:
        raise ValidationError(
            _("A type of sexual exploitation needs the form “sexual exploitation”."),
            code="form_mismatch",
        )
    if exploitation_from is not None:
        plausible_past(
            exploitation_from, _("The start of the exploitation"), field="exploitation_from"
        )
    if exploitation_to is not None:
        plausible_past(exploitation_to, _("The end of the exploitation"), field="exploitation_to")
    if exploitation_from and exploitation_to and exploitation_to < exploitation_from:
        raise field_error(
            "exploitation_to",
            _("The period of exploitation ends before it starts."),
            code="date_order",
        )
    for name, day in (
        ("exploitation_from", exploitation_from),
        ("exploitation_to", exploitation_to),
    ):
        if day is not None and day > decided_on:
            raise field_error(
                name,
                _("The period of exploitation cannot be after the decision."),
                code="date_order",
            )
    notes = bounded_text(notes, _("The reasons"), field="notes")

    assessment = Assessment.objects.create(
        case=case,
        decided_on=decided_on,
        deciding_authority=deciding_authority,
        outcome=outcome,
        decided_by=actor,
        sexual_exploitation_type=sexual_exploitation_type,
        labour_sector=labour_sector,
        means_of_control=means_of_control,
        countries_of_exploitation=countries,
        exploitation_from=exploitation_from,
        exploitation_to=exploitation_to,
        notes=notes,
    )
    AssessmentForm.objects.bulk_create(AssessmentForm(assessment=assessment, form=f) for f in forms)
    case.decided_on = decided_on
    case.outcome = outcome
    workflow.apply(case, Action.ASSESSMENT_DECIDE)
    save_case(case, "decided_on", "outcome", "status")
    log_action(
        actor=actor,
        action=AuditEvent.ASSESSMENT_DECIDED,
        obj=assessment,
        case=case,
        data={
            "decided_on": decided_on,
            "deciding_authority": deciding_authority,
            "outcome": outcome,
            "forms": forms,
        },
    )
    return assessment
