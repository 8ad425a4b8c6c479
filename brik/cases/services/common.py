"""Shared by the case services: checks of choices, countries, languages and contact
persons, and moving a case along the workflow."""

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db.models import TextChoices
from django.utils.translation import gettext as _

from brik.accounts.models import User
from brik.accounts.permissions import Ability, can
from brik.cases import workflow
from brik.cases.models import Case
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
