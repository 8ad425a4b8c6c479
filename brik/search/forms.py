from django import forms
from django.utils.translation import gettext_lazy as _

from brik.cases.forms.fields import QuickTextInput
from brik.search.query import MAX_LENGTH


class PersonSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Find a person"),
        max_length=MAX_LENGTH,
        required=False,
        help_text=_(
            "Any part of a name or alias, a date of birth (31-12-1990), a year, "
            "a phone number or a case code."
        ),
        # Written without the widget's templates (the same HTML): on every search.
        widget=QuickTextInput(attrs={"type": "search", "autocomplete": "off"}),
    )
