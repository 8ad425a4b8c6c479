from django import forms
from django.utils.translation import gettext_lazy as _

from brik.core.forms import TokenForm
from brik.statistics.forms import PublishForm
from brik.statistics.years import FIRST_YEAR

__all__ = ["ExportJobForm", "PublishForm", "SyntheticReleaseForm"]


class ExportJobForm(TokenForm):
    """Ask for the case list (with the filter in the page's address) as a background export."""

    file_format = forms.ChoiceField(
        label=_("Format"), choices=[("csv", "CSV"), ("xlsx", _("Excel"))], initial="csv"
    )


class SyntheticReleaseForm(TokenForm):
    years = forms.CharField(
        label=_("Years"),
        max_length=60,
        help_text=_("Ended years, separated by spaces or commas, e.g. 2022 2023."),
    )
    epsilon = forms.FloatField(
        label=_("Epsilon (ε)"),
        min_value=0.01,
        max_value=20,
        initial=1.0,
        help_text=_("The privacy budget: smaller protects more and is less accurate."),
    )
    delta = forms.FloatField(label=_("Delta (δ)"), min_value=1e-12, max_value=1e-4, initial=1e-6)

    def clean_years(self):
        parts = self.cleaned_data["years"].replace(",", " ").split()
        try:
            years = sorted({int(p) for p in parts})
        except ValueError:
            raise forms.ValidationError(_("Write years as numbers, e.g. 2022 2023.")) from None
        if not years or len(years) > 10 or any(y < FIRST_YEAR or y > 9999 for y in years):
            raise forms.ValidationError(_("Write one to ten years, e.g. 2022 2023."))
        return years
