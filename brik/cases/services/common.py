"""Shared by the case services: checks of choices, countries, languages and contact
persons, and moving a case along the workflow."""

from collections.abc import Iterable
from datetime import date

from django.core.exceptions import ValidationError
from django.db.models import Max, TextChoices
from django.utils.translation import gettext as _

from brik.accounts.models import User
from brik.accounts.permissions import Ability, can
from brik.cases import sort_keys, workflow
from brik.cases.models import Case, FollowUp, PreparedReturn, Referral
from brik.cases.workflow import Action
from brik.core.countries import validate_country_code, validate_language_code

IDENTITY_FIELDS = (
    "given_names",
    "family_name",
    "aliases",
    "date_of_birth",
    "phone",
    "email",
    "address",
    "identity_documents",
)


def advance(case: Case, action: Action) -> None:
    """Set the case's status after `action` (brik.cases.workflow) and save it if it changed."""
    before = case.status
    if workflow.apply(case, action) != before:
        save_case(case, "status")


def valid_choices(values: Iterable[str], kind: type[TextChoices], label: str) -> list[str]:
    # A bare string is one value, not a sequence of one-letter values.
    values = [values] if isinstance(values, str) else list(dict.fromkeys(values))
    wrong = [str(v) for v in values if v not in kind.values]
    if wrong:
        raise ValidationError(
            _("Unknown %(field)s: %(values)s."),
            code="invalid_choice",
            params={"field": label, "values": ", ".join(wrong)},
        )
    return values


def optional_choice(value: str, kind: type[TextChoices], label: str) -> str:
    return valid_choices([value], kind, label)[0] if value else ""


def country_code(code: str) -> str:
    """A valid ISO 3166 alpha-2 code, in capitals (pycountry's lookup ignores case)."""
    code = (code or "").strip().upper()
    validate_country_code(code)
    return code


def language_code(code: str) -> str:
    """A valid ISO 639-3 code, in lower case (pycountry's lookup ignores case)."""
    code = (code or "").strip().lower()
    validate_language_code(code)
    return code


def check_contact_person(user: User | None) -> None:
    """Contact persons are the centre's caseworkers and leads, never a partner's user."""
    if user is not None and not can(user, Ability.CASE_CONTACT):
        raise ValidationError(
            _("%(user)s cannot be the contact person: only the centre's active staff can."),
            code="not_centre_staff",
            params={"user": str(user)},
        )


def save_case(case: Case, *fields: str) -> None:
    case.full_clean(exclude=["person", "assigned_to"], validate_unique=False)
    case.save(update_fields=[*fields, "updated_at"])


# --- My work's sort keys (brik.cases.sort_keys) ------------------------------------------
# Written by every service that changes their sources, in the step's transaction, as
# an UPDATE of the key alone: bookkeeping of the lists' order, not a change the step
# records (they are not in the action log's changes, as the demo writes them too).


def keep_urgency_rank(case: Case) -> None:
    """Case.urgency_rank from the referral's urgency and Case.urgent."""
    urgency = Referral.objects.filter(case=case).values_list("urgency", flat=True).first()
    case.urgency_rank = sort_keys.urgency_rank(urgency or "", case.urgent)
    Case.objects.filter(pk=case.pk).update(urgency_rank=case.urgency_rank)


def keep_period_ends_on(case: Case, ends_on: date) -> None:
    """Case.period_ends_on: the end of the case's reflection period."""
    case.period_ends_on = ends_on
    Case.objects.filter(pk=case.pk).update(period_ends_on=ends_on)


def keep_last_contact_on(prepared: PreparedReturn) -> None:
    """PreparedReturn.last_contact_on: the latest follow-up, or the departure; and the
    case's copies of it and of the follow-up's end (Case.return_last_contact_on and
    return_follow_up_until), which My work's follow-ups are read by. Called after each
    change of a departed return's departure, follow-ups or follow-up end."""
    latest = FollowUp.objects.filter(prepared_return=prepared).aggregate(m=Max("held_on"))["m"]
    prepared.last_contact_on = sort_keys.last_contact_on(
        prepared.departed_on, [latest] if latest else []
    )
    PreparedReturn.objects.filter(pk=prepared.pk).update(last_contact_on=prepared.last_contact_on)
    Case.objects.filter(pk=prepared.case_id).update(
        return_last_contact_on=prepared.last_contact_on,
        return_follow_up_until=prepared.follow_up_until,
    )
