"""Checks that every service uses the same way, with the same translatable messages.

A refusal names the field it is about: given `field`, the error is
ValidationError({field: error}), so a form shows it next to that field and the
API and importers can say which value was wrong (the error inside keeps its
code). The bounds here are what Brik holds plausible for the records of a
national referral mechanism:

- no date before 1 January 1900;
- a date that records the past (a referral, an interview held, a decision) is
  not after today;
- a date that plans something (an interview, a joint action, support) is at
  most PLAN_HORIZON_YEARS ahead, and a date of the national action plan at
  most ACTION_PLAN_HORIZON_YEARS ahead;
- a count (persons met, contacts of an outreach round, suspects) is a whole
  number from 0 to MAX_COUNT;
- an amount fits its column, and free text its length.
"""

from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import TypeVar

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _

EARLIEST_DATE = date(1900, 1, 1)
PLAN_HORIZON_YEARS = 2
ACTION_PLAN_HORIZON_YEARS = 10
MAX_COUNT = 10_000
# Free text typed into a form (notes, reasons, observations).
NOTE_MAX_LENGTH = 10_000

ModelT = TypeVar("ModelT", bound=models.Model)


def field_error(
    field: str | None, message: str, *, code: str, params: dict | None = None
) -> ValidationError:
    """A refusal about `field` (or about the whole step when `field` is None)."""
    error = ValidationError(message, code=code, params=params)
    return ValidationError({field: error}) if field else error


def error_code(error: ValidationError) -> str | None:
    """The code of a single refusal, whether or not it names its field."""
    if hasattr(error, "error_dict"):
        errors = [e for items in error.error_dict.values() for e in items]
        return errors[0].code if len(errors) == 1 else None
    return getattr(error, "code", None)


def row_lock(obj: ModelT) -> ModelT:
    """Re-read the record under a row lock so two concurrent steps cannot both pass."""
    list(type(obj)._default_manager.select_for_update().filter(pk=obj.pk).values_list("pk"))
    obj.refresh_from_db()
    return obj


# --- dates ---------------------------------------------------------------------------


def _as_date(value: date | datetime) -> date:
    if isinstance(value, datetime):
        # No conversion: a datetime near the calendar's ends cannot overflow here.
        return value.date()
    return value


def latest_plan_date(years: int = PLAN_HORIZON_YEARS) -> date:
    today = timezone.localdate()
    try:
        return today.replace(year=today.year + years)
    except ValueError:  # 29 February
        return today.replace(year=today.year + years, day=28)


def not_too_early(value: date | datetime, label: str, *, field: str | None = None) -> None:
    if _as_date(value) < EARLIEST_DATE:
        raise field_error(
            field,
            _("%(field)s cannot be before %(date)s."),
            code="implausible_date",
            params={"field": label, "date": date_format(EARLIEST_DATE)},
        )


def not_in_future(value: date | datetime, label: str, *, field: str | None = None) -> None:
    if _as_date(value) > timezone.localdate():
        raise field_error(
            field,
            _("%(field)s cannot be in the future."),
            code="future_date",
            params={"field": label},
        )


def plausible_past(value: date | datetime, label: str, *, field: str | None = None) -> None:
    """A date that records something done: from 1900 to today."""
    not_too_early(value, label, field=field)
    not_in_future(value, label, field=field)


def plausible_plan(
    value: date | datetime,
    label: str,
    *,
    field: str | None = None,
    years: int = PLAN_HORIZON_YEARS,
) -> None:
    """A date that may plan ahead: from 1900 to `years` years from today."""
    not_too_early(value, label, field=field)
    latest = latest_plan_date(years)
    if _as_date(value) > latest:
        raise field_error(
            field,
            _("%(field)s cannot be later than %(date)s."),
            code="implausible_date",
            params={"field": label, "date": date_format(latest)},
        )


def not_before(
    value: date | datetime, earliest: date, message: str, *, field: str | None = None
) -> None:
    """`message` names the earliest date as %(date)s."""
    if _as_date(value) < earliest:
        raise field_error(field, message, code="date_order", params={"date": date_format(earliest)})


def latest_plan_year() -> int:
    """The last year an action plan may run to (a model validator's limit)."""
    return timezone.localdate().year + ACTION_PLAN_HORIZON_YEARS


def validate_action_plan_date(value: date) -> None:
    """A model validator: a date of the national action plan (e.g. a milestone's due date)."""
    plausible_plan(value, _("The date"), years=ACTION_PLAN_HORIZON_YEARS)


# --- numbers and text ----------------------------------------------------------------


def bounded_count(
    value,
    label: str,
    *,
    field: str | None = None,
    minimum: int = 0,
    maximum: int = MAX_COUNT,
    grouping: bool = True,
) -> int:
    """A whole number from `minimum` to `maximum` (a year: without `grouping` of digits)."""
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise field_error(
            field,
            _("%(field)s must be a whole number of at least %(minimum)s."),
            code="invalid_count",
            params={"field": label, "minimum": minimum},
        )
    if value > maximum:
        raise field_error(
            field,
            _("%(field)s cannot be more than %(maximum)s."),
            code="implausible_count",
            params={"field": label, "maximum": number_format(maximum, force_grouping=grouping)},
        )
    return value


def decimal_maximum(model: type[models.Model], name: str) -> Decimal:
    """The largest value a DecimalField of `model` can store (e.g. 9999999999.99)."""
    column = model._meta.get_field(name)
    if not isinstance(column, models.DecimalField):
        raise TypeError(f"{model.__name__}.{name} is not a DecimalField")
    whole = column.max_digits - column.decimal_places
    return Decimal(10) ** whole - Decimal(10) ** -column.decimal_places


def bounded_decimal(
    value,
    label: str,
    *,
    field: str | None = None,
    minimum: Decimal | None = None,
    maximum: Decimal,
    decimal_places: int | None = None,
) -> Decimal:
    """A finite number from `minimum` to `maximum`; rounded to `decimal_places` if given."""
    invalid = field_error(
        field, _("%(field)s must be a number."), code="invalid_number", params={"field": label}
    )
    if isinstance(value, bool):
        raise invalid
    try:
        number = value if isinstance(value, Decimal) else Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise invalid from None
    if not number.is_finite():
        raise invalid
    if minimum is not None and number < minimum:
        raise field_error(
            field,
            _("%(field)s cannot be below %(minimum)s."),
            code="below_minimum",
            params={"field": label, "minimum": number_format(minimum, force_grouping=True)},
        )
    if number > maximum:
        raise field_error(
            field,
            _("%(field)s cannot be more than %(maximum)s."),
            code="above_maximum",
            params={"field": label, "maximum": number_format(maximum, force_grouping=True)},
        )
    if decimal_places is None:
        return number
    return number.quantize(Decimal(10) ** -decimal_places)


def bounded_text(
    value, label: str, *, field: str | None = None, max_length: int = NOTE_MAX_LENGTH
) -> str:
    """Text without NUL characters, at most `max_length` characters long, stripped."""
    text = "" if value is None else str(value)
    if "\x00" in text:
        raise field_error(
            field,
            _("%(field)s contains a character that cannot be stored."),
            code="null_characters",
            params={"field": label},
        )
    text = text.strip()
    if len(text) > max_length:
        raise field_error(
            field,
            _("%(field)s can be at most %(max)s characters long."),
            code="too_long",
            params={"field": label, "max": number_format(max_length, force_grouping=True)},
        )
    return text
