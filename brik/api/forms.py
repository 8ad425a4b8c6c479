"""The form that makes an API token."""

from datetime import timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from brik.accounts.permissions import Ability, can
from brik.api.models import Scope
from brik.api.services import MAX_LIFETIME_DAYS
from brik.core.forms import PlausibleDateField, TokenForm

DEFAULT_LIFETIME_DAYS = 90


def _default_expiry():
    return timezone.localdate() + timedelta(days=DEFAULT_LIFETIME_DAYS)


class TokenCreateForm(TokenForm):
    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        help_text=_("What the token is for, e.g. the system that uses it."),
    )
    kind = forms.ChoiceField(
        label=_("Whose token"),
        choices=[("personal", _("Mine (acts as me)")), ("organisation", _("My organisation's"))],
        initial="personal",
        widget=forms.RadioSelect,
    )
    scopes = forms.MultipleChoiceField(
        label=_("What it may do"), choices=Scope.choices, widget=forms.CheckboxSelectMultiple
    )
    expires_on = PlausibleDateField(
        label=_("Expires on"),
        past=False,
        initial=_default_expiry,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("At most a year from today."),
    )

    def __init__(self, *args, user, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)
        if not (can(user, Ability.API_ORGANISATION_TOKEN) and user.organisation_id):
            del self.fields["kind"]

    def clean_expires_on(self):
        day = self.cleaned_data["expires_on"]
        today = timezone.localdate()
        if day <= today or day > today + timedelta(days=MAX_LIFETIME_DAYS - 1):
            raise forms.ValidationError(
                _("Choose a day from tomorrow to a year from today."), code="expiry"
            )
        return day
