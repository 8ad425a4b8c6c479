from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _


class ReportChoiceForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=1900, max_value=2100)
    lang = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)
    version = forms.ChoiceField(
        label=_("Version"),
        choices=[
            ("internal", _("Internal: exact figures")),
            ("public", _("Public: disclosure-controlled")),
        ],
    )


class SubscriptionForm(forms.Form):
    email = forms.EmailField(label=_("E-mail"), max_length=254)
    consent = forms.BooleanField(
        label=_(
            "I want an e-mail when a new annual report is published, and can unsubscribe at any time."
        ),
    )
