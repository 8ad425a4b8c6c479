"""What every cooperation service shares: creating a row after the model's own checks,
and the checks of choices, required texts, amounts and active organisations."""

from __future__ import annotations

from decimal import Decimal
from typing import TypeVar

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _

from brik.accounts.models import Organisation
from brik.core.validation import bounded_decimal, bounded_text, decimal_maximum, field_error

ModelT = TypeVar("ModelT", bound=models.Model)


def create_checked(model: type[ModelT], **values: object) -> ModelT:
    """Create a row after the model's own checks (lengths, digits, constraints)."""
    obj = model(**values)
    relations = [f.name for f in model._meta.concrete_fields if f.is_relation]
    obj.full_clean(exclude=relations, validate_unique=False)
    obj.save()
    return obj


def checked_choice(value: str, options: type[models.TextChoices], label: str) -> str:
    if value not in options.values:
        raise ValidationError(
            _("Unknown %(field)s: %(value)s."),
            code="invalid_choice",
            params={"field": label, "value": value},
        )
    return value


def required_text(value: str, label: str, *, field: str, max_length: int) -> str:
    value = bounded_text(value, label, field=field, max_length=max_length)
    if not value:
        raise field_error(
            field, _("%(field)s is required."), code="required", params={"field": label}
        )
    return value


def checked_amount(
    value: Decimal | int | str,
    label: str,
    *,
    field: str,
    model: type[models.Model],
    column: str,
    signed: bool = False,
    rounded: bool = False,
) -> Decimal:
    """A number that fits the DecimalField `column` of `model` (the model's own check
    then refuses more decimal places than it keeps, unless `rounded` to them here)."""
    maximum = decimal_maximum(model, column)
    return bounded_decimal(
        value,
        label,
        field=field,
        minimum=-maximum if signed else Decimal(0),
        maximum=maximum,
        decimal_places=model._meta.get_field(column).decimal_places if rounded else None,
    )


def active_organisation(organisation: Organisation) -> Organisation:
    if not organisation.is_active:
        raise ValidationError(
            _("“%(organisation)s” is no longer active."),
            code="organisation_inactive",
            params={"organisation": organisation.name},
        )
    return organisation
