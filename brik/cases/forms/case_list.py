"""The case list's filters and sort orders."""

from django import forms
from django.utils.translation import gettext_lazy as _

from brik.cases.forms.fields import (
    CountrySearchField,
    NormalChoices,
    QuickChoiceField,
    QuickCountrySearchInput,
    QuickSelect,
    QuickTextInput,
    QuickTypedChoiceField,
    SearchableSelect,
    blank_choice,
    today,
)
from brik.core import choices
from brik.core.forms import form_field

SORTS = {
    "code": ("person__code", "sequence"),
    "-code": ("-person__code", "-sequence"),
    "referred": ("referred_on", "id"),
    "-referred": ("-referred_on", "-id"),
    "decided": ("decided_on", "id"),
    "-decided": ("-decided_on", "-id"),
    "status": ("status", "-referred_on", "-id"),
    "-status": ("-status", "-referred_on", "-id"),
}


def _years():
    this_year = today().year
    return blank_choice(_("Any year")) + [(y, str(y)) for y in range(this_year, 1999, -1)]


class CaseFilterForm(forms.Form):
    # A case code, or (for those who read identities) a name, date of birth or phone.
    q = forms.CharField(
        label=_("Case code or name"), required=False, max_length=200, widget=QuickTextInput
    )
    status = QuickChoiceField(
        widget=QuickSelect,
        label=_("Status"),
        required=False,
        choices=blank_choice(_("Any status")) + list(choices.CaseStatus.choices),
    )
    open = QuickChoiceField(
        widget=QuickSelect,
        label=_("Open or closed"),
        required=False,
        choices=[("", _("Open and closed")), ("open", _("Open")), ("closed", _("Closed"))],
    )
    referred_year = QuickTypedChoiceField(
        label=_("Referred in"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=_years,
        widget=QuickSelect,
    )
    decided_year = QuickTypedChoiceField(
        label=_("Decided in"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=_years,
        widget=QuickSelect,
    )
    authority = QuickChoiceField(
        widget=QuickSelect,
        label=_("Deciding authority"),
        required=False,
        choices=blank_choice(_("Any authority")) + list(choices.DecidingAuthority.choices),
    )
    form = QuickChoiceField(
        widget=QuickSelect,
        label=_("Form of exploitation"),
        required=False,
        choices=blank_choice(_("Any form")) + list(choices.ExploitationForm.choices),
    )
    # A search that loads its options as one types (no list of 250 countries on every
    # page); a code (?citizenship=NG, the statistics' links) or a name works too.
    citizenship = CountrySearchField(
        label=_("Citizenship"), required=False, widget=QuickCountrySearchInput
    )
    assigned = QuickChoiceField(label=_("Contact person"), required=False, widget=QuickSelect)
    organisation = QuickChoiceField(
        label=_("Referring organisation"), required=False, widget=SearchableSelect
    )
    sort = QuickChoiceField(
        required=False, choices=[(k, k) for k in SORTS], widget=forms.HiddenInput
    )

    def __init__(self, *args, staff=(), referrers=(), choice_pairs=None, **kwargs):
        """`staff` and `referrers` as selectors.case_list_choices() gives them, or
        `choice_pairs`: selectors.case_list_filter_choices()'s (value, label) pairs of both."""
        super().__init__(*args, **kwargs)
        if choice_pairs is None:
            choice_pairs = (
                [(str(u.pk), u.get_full_name() or u.username) for u in staff],
                [(str(o.pk), o.name) for o in referrers],
            )
        staff_choices, referrer_choices = choice_pairs
        form_field(self, "assigned", forms.ChoiceField).choices = NormalChoices(
            [*blank_choice(_("Anyone")), ("none", _("Nobody (unassigned)")), *staff_choices]
        )
        organisation = form_field(self, "organisation", forms.ChoiceField)
        organisation.choices = NormalChoices(
            blank_choice(_("Any organisation")) + list(referrer_choices)
        )
        # The years as a list once per form: as a callable, each reading of the choices
        # (validating, the widget's key, its options) called and normalised it again.
        years = NormalChoices(_years())
        for name in ("referred_year", "decided_year"):
            form_field(self, name, forms.TypedChoiceField).choices = years

    def filters(self) -> dict:
        """The valid filters, empty ones left out (call after is_valid())."""
        data = getattr(self, "cleaned_data", {})
        return {k: v for k, v in data.items() if v not in ("", None) and k != "sort"}

    def sort_key(self) -> str:
        data = getattr(self, "cleaned_data", {})
        return data.get("sort") or "-referred"


class MyWorkForm(forms.Form):
    """My work's switch (mine / my team), and the case list's filters and sort."""

    scope = forms.ChoiceField(
        label=_("Show"),
        required=False,
        choices=[("mine", _("Mine")), ("team", _("My team"))],
        widget=forms.RadioSelect,
    )
    status = forms.ChoiceField(
        widget=QuickSelect,
        label=_("Status"),
        required=False,
        choices=blank_choice(_("Any status"))
        + [
            (value, label)
            for value, label in choices.CaseStatus.choices
            if value in choices.CASE_OPEN
        ],
    )
    urgency = forms.ChoiceField(
        widget=QuickSelect,
        label=_("Urgency"),
        required=False,
        choices=blank_choice(_("Any urgency")) + list(choices.Urgency.choices),
    )
    sort = forms.ChoiceField(
        widget=QuickSelect,
        label=_("Sort by"),
        required=False,
        choices=[
            ("urgency", _("Urgency")),
            ("deadline", _("Deadline")),
            ("referred", _("Oldest referral first")),
            ("-referred", _("Newest referral first")),
            ("status", _("Status")),
        ],
    )

    def choices_made(self) -> dict[str, str]:
        """The valid choices; a value that is not one of the choices is left out."""
        if not self.is_valid():
            return {
                name: self.data.get(name, "")
                for name in self.fields
                if name not in self.errors and self.data.get(name)
            }
        return {name: value for name, value in self.cleaned_data.items() if value}
