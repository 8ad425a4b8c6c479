"""Forms of the cooperation pages: input checking and widgets only; the services decide.

Dates, counts and amounts are bounded here as in the services (brik.core.validation),
so a wrong value is shown next to its field before anything is sent on.
"""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from brik.accounts.models import Organisation
from brik.cases.forms import DateInput, SearchableSelect, SearchableSelectMultiple, organisations
from brik.cases.models import Case
from brik.cooperation.anonymity import check_outreach_note
from brik.cooperation.services import MAX_SUSPECTS, OUTREACH_COUNT_FIELDS
from brik.core import choices
from brik.core.forms import PlausibleDateField, TokenForm
from brik.core.validation import MAX_COUNT, NOTE_MAX_LENGTH


def today():
    return timezone.localdate()


def _blank(label):
    return [("", label)]


class CaseCodeField(forms.CharField):
    """A case by its code (BRK-2021-0007, or BRK-2021-0007/2 for a later passage)."""

    default_error_messages = {"unknown": _("There is no case %(code)s.")}

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 30)
        kwargs.setdefault("help_text", _("For example BRK-2021-0007."))
        super().__init__(**kwargs)

    def clean(self, value):
        code = super().clean(value).strip().upper()
        person_code, _slash, sequence = code.partition("/")
        try:
            return Case.objects.select_related("person").get(
                person__code=person_code, sequence=int(sequence or 1)
            )
        except (Case.DoesNotExist, ValueError):
            raise forms.ValidationError(
                self.error_messages["unknown"], code="unknown", params={"code": code}
            ) from None


# --- joint authority actions ----------------------------------------------------


class JointActionPlanForm(TokenForm):
    title = forms.CharField(label=_("Title"), max_length=200)
    planned_for = PlausibleDateField(label=_("Date"), widget=DateInput, initial=today, past=False)
    region = forms.ChoiceField(label=_("Region"), choices=choices.Region.choices)
    sector = forms.ChoiceField(label=_("Sector"), choices=choices.Sector.choices)
    lead_organisation = forms.ModelChoiceField(
        label=_("Lead organisation"),
        queryset=Organisation.objects.none(),
        widget=SearchableSelect,
        empty_label=_("Choose…"),
    )
    participants = forms.ModelMultipleChoiceField(
        label=_("Participating organisations"),
        queryset=Organisation.objects.none(),
        required=False,
        widget=SearchableSelectMultiple,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lead_organisation"].queryset = organisations()
        self.fields["participants"].queryset = organisations()


class JointActionOutcomeForm(TokenForm):
    persons_met = forms.IntegerField(label=_("Persons met"), min_value=0, max_value=MAX_COUNT)
    persons_referred = forms.IntegerField(
        label=_("Persons referred"), min_value=0, max_value=MAX_COUNT
    )
    notes = forms.CharField(
        label=_("Outcome"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=NOTE_MAX_LENGTH,
        required=False,
    )


class JointActionCancelForm(TokenForm):
    reason = forms.CharField(label=_("Reason"), max_length=200, required=False)


class CaseLinkForm(TokenForm):
    case = CaseCodeField(label=_("Case code"))


class CaseUnlinkForm(TokenForm):
    case = forms.ModelChoiceField(queryset=Case.objects.all(), widget=forms.HiddenInput)


# --- outreach ---------------------------------------------------------------------


class OutreachLogForm(TokenForm):
    organisation = forms.ModelChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.none(), empty_label="—"
    )
    held_on = PlausibleDateField(label=_("Date"), widget=DateInput, initial=today)
    place_type = forms.ChoiceField(label=_("Place"), choices=choices.PlaceType.choices)
    region = forms.ChoiceField(label=_("Region"), choices=choices.Region.choices)
    sector = forms.ChoiceField(
        label=_("Sector"), choices=_blank("—") + list(choices.Sector.choices), required=False
    )
    women = forms.IntegerField(label=_("Women"), min_value=0, max_value=MAX_COUNT, initial=0)
    men = forms.IntegerField(label=_("Men"), min_value=0, max_value=MAX_COUNT, initial=0)
    trans = forms.IntegerField(
        label=_("Transgender / non-conforming"), min_value=0, max_value=MAX_COUNT, initial=0
    )
    unknown = forms.IntegerField(
        label=_("Gender unknown"), min_value=0, max_value=MAX_COUNT, initial=0
    )
    referrals_made = forms.IntegerField(
        label=_("Referrals made"), min_value=0, max_value=MAX_COUNT, initial=0
    )
    note = forms.CharField(
        label=_("Note (anonymous)"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=500,
        help_text=_(
            "No names, contact details, dates of birth or addresses. Brik refuses e-mail "
            "addresses, phone and CPR numbers, dates of birth and street addresses that it "
            "recognises. It cannot recognise names or descriptions of a person: leaving "
            "them out is up to you."
        ),
    )

    COUNT_FIELDS = OUTREACH_COUNT_FIELDS  # the template lays these out as one row

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        if user.organisation and user.organisation.type == choices.OrganisationType.NGO:
            # An NGO's outreach worker logs for their own organisation.
            del self.fields["organisation"]
        else:
            self.fields["organisation"].queryset = organisations(type=choices.OrganisationType.NGO)
        for name in self.COUNT_FIELDS:
            self.fields[name].widget.attrs.update({"inputmode": "numeric", "min": 0})

    def clean_note(self):
        note = self.cleaned_data["note"]
        try:
            check_outreach_note(note)
        except forms.ValidationError as error:
            raise forms.ValidationError(error.error_dict["note"]) from None
        return note


# --- prosecution ----------------------------------------------------------------------


class ProsecutionOpenForm(TokenForm):
    police_district = forms.ModelChoiceField(
        label=_("Police district"), queryset=Organisation.objects.none(), empty_label=_("Choose…")
    )
    police_case_number = forms.CharField(label=_("Police case number"), max_length=60)
    opened_on = PlausibleDateField(label=_("Opened on"), widget=DateInput, initial=today)
    suspects = forms.IntegerField(
        label=_("Suspects"), min_value=0, max_value=MAX_SUSPECTS, initial=1
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["police_district"].queryset = organisations(
            type=choices.OrganisationType.POLICE
        )


class ProsecutionChargeForm(TokenForm):
    charged_on = PlausibleDateField(label=_("Charged on"), widget=DateInput, initial=today)
    charges = forms.MultipleChoiceField(
        label=_("Charges"), choices=choices.Charge.choices, widget=forms.CheckboxSelectMultiple
    )
    persons_charged = forms.IntegerField(
        label=_("Persons charged"), min_value=1, max_value=MAX_SUSPECTS, initial=1
    )


class ProsecutionVerdictForm(TokenForm):
    verdict_on = PlausibleDateField(label=_("Verdict date"), widget=DateInput, initial=today)
    verdict = forms.ChoiceField(
        label=_("Verdict"), choices=choices.Verdict.choices, widget=forms.RadioSelect
    )
    persons_convicted = forms.IntegerField(
        label=_("Persons convicted"), min_value=0, max_value=MAX_SUSPECTS, initial=0
    )
    sentence = forms.CharField(label=_("Sentence"), max_length=200, required=False)
    # As the column holds it: up to 9,999,999,999.99.
    compensation_dkk = forms.DecimalField(
        label=_("Compensation (DKK)"),
        min_value=0,
        max_digits=12,
        decimal_places=2,
        required=False,
    )


class ProsecutionDropForm(TokenForm):
    dropped_on = PlausibleDateField(label=_("Dropped on"), widget=DateInput, initial=today)
    reason = forms.CharField(label=_("Reason"), max_length=200, required=False)


# --- the action plan ----------------------------------------------------------------------


class InitiativeStatusForm(TokenForm):
    status = forms.ChoiceField(label=_("Status"), choices=choices.InitiativeStatus.choices)


class MilestoneReachForm(TokenForm):
    reached_on = PlausibleDateField(label=_("Reached on"), widget=DateInput, initial=today)


class IndicatorMeasureForm(TokenForm):
    measured_on = PlausibleDateField(label=_("Measured on"), widget=DateInput, initial=today)
    value = forms.DecimalField(label=_("Value"), max_digits=12, decimal_places=2)
