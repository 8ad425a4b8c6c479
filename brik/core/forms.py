"""What every Brik form shares: the one-time token, plausible dates, and showing a
service's refusal next to the field it is about."""

import secrets
from collections.abc import Mapping
from datetime import datetime
from typing import TYPE_CHECKING, TypeVar

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from brik.core import validation
from brik.core.tokens import form_token_is_valid

DAMAGED_TOKEN = _("This form has expired or was damaged. Please send it again.")


class TokenForm(forms.Form):
    """A form whose every rendering carries a new one-time token.

    The view claims the token in the same transaction as the change
    (brik.core.services.form_submission_claim), so a double submit makes one record.
    A missing or malformed token is refused with a clear message, and the form
    comes back with a fresh one, so sending it again works.
    """

    form_token = forms.CharField(
        widget=forms.HiddenInput,
        strip=False,
        error_messages={"required": _("This form has expired. Please send it again.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("form_token", secrets.token_urlsafe(24))

    def clean_form_token(self):
        token = self.cleaned_data["form_token"]
        if not form_token_is_valid(token):
            raise ValidationError(DAMAGED_TOKEN, code="invalid_token")
        return token

    # BaseForm._post_clean: the last step of full_clean (ModelForm's too), left out
    # of django-stubs.
    def _post_clean(self):
        super()._post_clean()  # type: ignore[misc]
        # The token is hidden: its error must show above the form, as one clear
        # sentence whatever was wrong with it (missing, too long, NUL bytes...).
        errors = self.errors.pop("form_token", None)
        if errors:
            missing = any(e.code == "required" for e in errors.as_data())
            self.add_error(
                None,
                ValidationError(
                    self.fields["form_token"].error_messages["required"]
                    if missing
                    else DAMAGED_TOKEN,
                    code="required" if missing else "invalid_token",
                ),
            )
            # Sent back with a new token, so that the next submit can succeed.
            # A QueryDict (a dict in tests): both copy to a mutable one, which
            # django-stubs cannot know from their Mapping.
            self.data = self.data.copy()  # type: ignore[attr-defined]
            self.data["form_token"] = secrets.token_urlsafe(24)  # type: ignore[index]


if TYPE_CHECKING:
    # What the mixin is mixed into, so that its super() calls are checked.
    _FieldBase = forms.Field
else:
    _FieldBase = object


class _PlausibleMixin(_FieldBase):
    default_error_messages = {
        "too_early": _("Enter a date from %(date)s on."),
        "future": _("This date cannot be in the future."),
        "too_late": _("Enter a date no later than %(date)s."),
    }

    def __init__(self, *, past: bool, years: int = validation.PLAN_HORIZON_YEARS, **kwargs):
        self.past = past
        self.years = years
        super().__init__(**kwargs)

    @staticmethod
    def _day(value):
        # The day as typed; converting a time near the calendar's ends could overflow.
        return value.date() if isinstance(value, datetime) else value

    def validate(self, value):
        super().validate(value)
        if value in self.empty_values:
            return
        day = self._day(value)
        if day < validation.EARLIEST_DATE:
            raise ValidationError(
                self.error_messages["too_early"],
                code="too_early",
                params={"date": date_format(validation.EARLIEST_DATE)},
            )
        if self.past and day > timezone.localdate():
            raise ValidationError(self.error_messages["future"], code="future")
        latest = validation.latest_plan_date(self.years)
        if not self.past and day > latest:
            raise ValidationError(
                self.error_messages["too_late"],
                code="too_late",
                params={"date": date_format(latest)},
            )


class PlausibleDateField(_PlausibleMixin, forms.DateField):
    """A date from 1 January 1900 on: not after today when it records the past
    (`past=True`, the default), otherwise at most `years` years ahead."""

    def __init__(self, *, past: bool = True, **kwargs):
        super().__init__(past=past, **kwargs)


class PlausibleDateTimeField(_PlausibleMixin, forms.DateTimeField):
    """A date and time within the same range; by default a plan (`past=False`)."""

    def __init__(self, *, past: bool = False, **kwargs):
        super().__init__(past=past, **kwargs)


class SearchDateField(PlausibleDateField):
    """A date to search by: plausible, and a little ahead of today is allowed."""

    def __init__(self, **kwargs):
        super().__init__(past=False, years=validation.ACTION_PLAN_HORIZON_YEARS, **kwargs)


FieldT = TypeVar("FieldT", bound=forms.Field)


def form_field(form: forms.BaseForm, name: str, kind: type[FieldT]) -> FieldT:
    """The form's own copy of its field `name`, typed as the kind it is declared as.

    `form.fields` types every field as a plain Field; a form that sets a field's
    queryset or choices in __init__ reads the field through this.
    """
    field = form.fields[name]
    assert isinstance(field, kind), f"{name} is a {type(field).__name__}, not a {kind.__name__}"
    return field


def apply_service_error(
    form, error: ValidationError, field_map: Mapping[str, str | None] | None = None
):
    """Show a refusal from a service next to the field it is about, or above the form.

    A refusal that names its field (ValidationError({field: ...})) goes next to
    that field; `field_map` maps a service's field name, or for a refusal without
    a field its code (e.g. "date_order"), to a field of the form.
    """
    field_map = field_map or {}
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            target = field_map.get(name, name)
            for item in errors:
                form.add_error(target if target in form.fields else None, item)
        return
    for item in error.error_list:
        target = field_map.get(item.code) if item.code else None
        form.add_error(target if target in form.fields else None, item)
