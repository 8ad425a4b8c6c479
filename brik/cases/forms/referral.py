"""The referral form: a new or known person and the referral itself."""

from django import forms
from django.utils.translation import gettext_lazy as _

from brik.accounts.models import Organisation, User
from brik.accounts.permissions import Ability, can
from brik.cases.forms.fields import (
    ChecklistField,
    CountriesField,
    DateInput,
    LanguagesField,
    SearchableSelect,
    StaffChoiceField,
    SuggestionsInput,
    centre_staff,
    organisations,
    today,
)
from brik.cases.services import NewReferral
from brik.core import choices, municipalities
from brik.core.forms import PlausibleDateField, TokenForm, form_field
from brik.core.validation import NOTE_MAX_LENGTH


class ReferralForm(TokenForm):
    # The person
    given_names = forms.CharField(label=_("Given names"), max_length=200, required=False)
    family_name = forms.CharField(label=_("Family name"), max_length=200, required=False)
    aliases = forms.CharField(label=_("Other names used"), max_length=400, required=False)
    date_of_birth = PlausibleDateField(
        label=_("Date of birth"),
        required=False,
        widget=DateInput,
        error_messages={"future": _("The date of birth cannot be in the future.")},
    )
    birth_year = forms.IntegerField(
        label=_("Year of birth"),
        required=False,
        min_value=1900,
        help_text=_("If the exact date of birth is not known."),
    )
    gender = forms.ChoiceField(
        label=_("Gender"), choices=choices.Gender.choices, initial=choices.Gender.UNKNOWN
    )
    citizenships = CountriesField(label=_("Citizenship"))
    languages = LanguagesField(label=_("Languages spoken"))
    has_legal_residence = forms.BooleanField(
        label=_("The person has legal residence in Denmark"),
        required=False,
        help_text=_(
            "Persons with legal residence are assessed by the centre; "
            "others by the immigration service."
        ),
    )
    # The referral
    referring_organisation = forms.ModelChoiceField(
        label=_("Referring organisation"),
        queryset=Organisation.objects.none(),
        widget=SearchableSelect,
        empty_label=_("Choose…"),
    )
    referred_on = PlausibleDateField(
        label=_("Referral date"),
        widget=DateInput,
        initial=today,
        error_messages={"future": _("The referral date cannot be in the future.")},
    )
    channel = forms.ChoiceField(
        label=_("How the referral came"),
        choices=choices.ReferralChannel.choices,
        initial=choices.ReferralChannel.PARTNER,
    )
    urgency = forms.ChoiceField(
        label=_("Urgency"), choices=choices.Urgency.choices, initial=choices.Urgency.ROUTINE
    )
    police_district = forms.ModelChoiceField(
        label=_("Police district"),
        queryset=Organisation.objects.none(),
        required=False,
        empty_label="—",
    )
    municipality = forms.CharField(
        label=_("Municipality"),
        max_length=100,
        required=False,
        widget=SuggestionsInput(municipalities.NAMES, attrs={"autocomplete": "off"}),
    )
    partner_reference = forms.CharField(
        label=_("Your reference"),
        max_length=50,
        required=False,
        help_text=_(
            "Your own number for this referral (e.g. a journal number), shown on your list."
        ),
    )
    indicators = ChecklistField(choices.Indicator, label=_("Indicators observed"))
    interpreter_language = LanguagesField(label=_("Interpreter language"), multiple=False)
    consent_to_share = forms.BooleanField(
        label=_("The person consents to the sharing of their data with the centre"), required=False
    )
    observations = forms.CharField(
        label=_("What was observed"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=NOTE_MAX_LENGTH,
        required=False,
    )
    assigned_to = StaffChoiceField(
        label=_("Contact person at the centre"),
        queryset=User.objects.none(),
        required=False,
        empty_label="—",
    )
    # The duplicate check: "" until the person has seen the possible matches.
    person_choice = forms.CharField(widget=forms.HiddenInput, required=False, max_length=20)

    PERSON_FIELDS = (
        "given_names",
        "family_name",
        "aliases",
        "date_of_birth",
        "birth_year",
        "gender",
        "citizenships",
        "languages",
        "has_legal_residence",
    )

    def __init__(self, *args, user, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)
        form_field(self, "police_district", forms.ModelChoiceField).queryset = organisations(
            type=choices.OrganisationType.POLICE
        )
        if can(user, Ability.REFERRAL_ANY_ORGANISATION):
            referrer = form_field(self, "referring_organisation", forms.ModelChoiceField)
            referrer.queryset = organisations()
            form_field(self, "assigned_to", forms.ModelChoiceField).queryset = centre_staff()
            self.initial.setdefault("referring_organisation", user.organisation_id)
        else:
            # A partner refers on behalf of their own organisation only.
            del self.fields["referring_organisation"]
            del self.fields["assigned_to"]
            if can(user, Ability.OUTREACH_LOG):
                self.initial.setdefault("channel", choices.ReferralChannel.OUTREACH)

    @property
    def person_fields(self):
        return [self[name] for name in self.PERSON_FIELDS]

    @property
    def referral_fields(self):
        skip = {*self.PERSON_FIELDS, "form_token", "person_choice"}
        return [f for f in self.visible_fields() if f.name not in skip]

    def clean_birth_year(self):
        year = self.cleaned_data["birth_year"]
        if year is not None and year > today().year:
            raise forms.ValidationError(
                _("The year of birth cannot be in the future."), code="future"
            )
        return year

    def clean(self):
        data = super().clean()
        # TokenForm keeps Form.clean, which returns cleaned_data: never None here.
        assert data is not None
        born = data.get("date_of_birth")
        year = data.get("birth_year")
        if born and year and born.year != year:
            self.add_error("birth_year", _("The year of birth does not match the date of birth."))
        elif born and not year:
            data["birth_year"] = born.year
        return data

    def identity(self) -> dict:
        data = self.cleaned_data
        return {
            "given_names": data["given_names"].strip(),
            "family_name": data["family_name"].strip(),
            "aliases": data["aliases"].strip(),
            "date_of_birth": data["date_of_birth"],
        }

    def new_referral(self, *, known_person: bool) -> NewReferral:
        """The referral as brik.cases.services.case_refer takes it. A partner refers on
        behalf of their own organisation; a known person keeps the identity on file."""
        data = self.cleaned_data
        return NewReferral(
            referring_organisation=data.get("referring_organisation") or self.user.organisation,
            referred_on=data["referred_on"],
            gender=data["gender"],
            birth_year=data["birth_year"],
            citizenships=data["citizenships"],
            languages=data["languages"],
            identity=None if known_person else self.identity(),
            has_legal_residence=data["has_legal_residence"],
            channel=data["channel"],
            police_district=data["police_district"],
            municipality=data["municipality"],
            partner_reference=data["partner_reference"],
            indicators=data["indicators"],
            urgency=data["urgency"],
            interpreter_language=data["interpreter_language"],
            consent_to_share=data["consent_to_share"],
            observations=data["observations"],
            assigned_to=data.get("assigned_to"),
        )
