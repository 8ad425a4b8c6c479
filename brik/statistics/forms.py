from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from brik.core.forms import TokenForm
from brik.statistics import years
from brik.statistics.models import FOREWORD_MAX_LENGTH


class ReportChoiceForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=years.FIRST_YEAR)
    lang = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES, required=False)
    version = forms.ChoiceField(
        label=_("Version"),
        choices=[
            ("internal", _("Internal: exact figures")),
            ("public", _("Public: disclosure-controlled")),
        ],
        required=False,
    )

    def clean(self):
        data = super().clean()
        # Left out of a link: the page's defaults.
        data["lang"] = data.get("lang") or self.initial.get("lang") or settings.LANGUAGE_CODE
        data["version"] = data.get("version") or "internal"
        return data

    def clean_year(self):
        # The last year is the current one, so it cannot be a fixed max_value.
        try:
            return years.validate_year(self.cleaned_data["year"])
        except ValidationError as error:
            raise ValidationError(error.messages) from None


class ForewordForm(forms.Form):
    text_da = forms.CharField(
        label=_("Foreword in Danish"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=FOREWORD_MAX_LENGTH,
        required=False,
    )
    text_en = forms.CharField(
        label=_("Foreword in English"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=FOREWORD_MAX_LENGTH,
        required=False,
    )


class PublishForm(TokenForm):
    """The explicit confirmation of a publication: what was shown (its digest), once."""

    form_token = forms.CharField(
        widget=forms.HiddenInput,
        max_length=64,
        error_messages={
            "required": _("This form has expired. Please send it again."),
            "max_length": _("This form has expired. Please send it again."),
        },
    )
    confirmation = forms.CharField(
        widget=forms.HiddenInput,
        max_length=64,
        error_messages={
            "required": _("Open the confirmation page and publish from there."),
            "max_length": _("Open the confirmation page and publish from there."),
        },
    )

    def _post_clean(self):
        super()._post_clean()
        for error in self._errors.pop("confirmation", []):
            self.add_error(None, error)


class SubscriptionForm(forms.Form):
    email = forms.EmailField(label=_("E-mail"), max_length=254)
    consent = forms.BooleanField(
        label=_(
            "I want an e-mail when a new annual report is published, and can unsubscribe at any time."
        ),
    )
