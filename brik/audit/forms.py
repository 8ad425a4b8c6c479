from django import forms
from django.utils.translation import gettext_lazy as _

from brik.accounts.models import Organisation
from brik.core.forms import SearchDateField


class ActionLogSearchForm(forms.Form):
    person_code = forms.CharField(label=_("Person (case code)"), required=False, max_length=20)
    user = forms.CharField(label=_("User name"), required=False, max_length=150)
    organisation = forms.ModelChoiceField(
        label=_("Organisation"),
        queryset=Organisation.objects.order_by("name"),
        required=False,
        empty_label=_("Any organisation"),
    )
    action = forms.CharField(
        label=_("Action"),
        required=False,
        max_length=100,
        help_text=_("Part of the action's name, e.g. “login”, “brik.case” or “viewed”."),
    )
    # Plausible dates only: the calendar's ends (0001-01-01, 9999-12-31) cannot be
    # turned into the times the search compares.
    date_from = SearchDateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = SearchDateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean(self):
        super().clean()
        cleaned = self.cleaned_data
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", _("The end date is before the start date."))
        return cleaned
