"""Checks that every service uses the same way, with the same translatable messages."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _


def row_lock(obj: models.Model) -> models.Model:
    """Re-read the record under a row lock so two concurrent steps cannot both pass."""
    list(type(obj).objects.select_for_update().filter(pk=obj.pk).values_list("pk"))
    obj.refresh_from_db()
    return obj


def not_in_future(value: date, label: str) -> None:
    if value > timezone.localdate():
        raise ValidationError(
            _("%(field)s cannot be in the future."), code="future_date", params={"field": label}
        )


def not_before(value: date, earliest: date, message: str) -> None:
    """`message` names the earliest date as %(date)s."""
    if value < earliest:
        raise ValidationError(message, code="date_order", params={"date": date_format(earliest)})
