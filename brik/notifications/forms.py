from django import forms
from django.utils.translation import gettext_lazy as _


class MarkReadForm(forms.Form):
    """Which notification to mark read; none named means all of them."""

    notification = forms.IntegerField(required=False, min_value=1, max_value=2**62)


class DigestForm(forms.Form):
    daily_digest = forms.BooleanField(
        label=_("Send me a daily e-mail with the number of new notifications"), required=False
    )
