"""What every Brik form shares: the one-time token, and showing a service's refusal."""

import secrets

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


class TokenForm(forms.Form):
    """A form whose every rendering carries a new one-time token.

    The view claims the token in the same transaction as the change
    (brik.core.services.form_submission_claim), so a double submit makes one record.
    """

    form_token = forms.CharField(
        widget=forms.HiddenInput,
        error_messages={"required": _("This form has expired. Please send it again.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("form_token", secrets.token_urlsafe(24))

    def _post_clean(self):
        super()._post_clean()
        # The token is hidden: its error must show above the form.
        for error in self._errors.pop("form_token", []):
            self.add_error(None, error)


def apply_service_error(form, error: ValidationError, field_map: dict[str, str] | None = None):
    """Show a refusal from a service next to the field it is about, or above the form.

    `field_map` maps the error's code (e.g. "date_order") to a field of the form.
    """
    field_map = field_map or {}
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            for item in errors:
                form.add_error(name if name in form.fields else None, item)
        return
    for item in error.error_list:
        name = field_map.get(item.code)
        form.add_error(name if name in form.fields else None, item)
