"""Forms of the case work pages: input checking and widgets only.

The rules of the mechanism are not here: forms check that the input is
well-formed and plausible (dates from 1900, not in the future where they record
the past, texts and numbers within bounds), and the services
(brik.cases.services) check the same again and decide whether the step is
allowed. Every form carries a one-time token so that a double submit
creates one record (brik.core.services.form_submission_claim).
"""

from functools import cache

import pycountry
from django import forms
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from brik.accounts.models import Organisation, User
from brik.accounts.permissions import Ability, can, users_with
from brik.cases.services import NewReferral
from brik.core import choices as c
from brik.core.countries import country_choices, language_choices, language_name
from brik.core.forms import PlausibleDateField, PlausibleDateTimeField, TokenForm
from brik.core.validation import NOTE_MAX_LENGTH

# --- widgets and fields ---------------------------------------------------------


class DateInput(forms.DateInput):
    """The browser's own date picker; the value is always ISO (yyyy-mm-dd)."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%dT%H:%M")


def _blank(label):
    return [("", label)]


class SearchableSelect(forms.Select):
    """A select that brik.js turns into a searchable one (tom-select)."""

    def __init__(self, attrs=None, choices=()):
        super().__init__({"data-enhance": "select", **(attrs or {})}, choices)


class SearchableSelectMultiple(forms.SelectMultiple):
    def __init__(self, attrs=None, choices=()):
        super().__init__({"data-enhance": "select", **(attrs or {})}, choices)


class CountryField(forms.ChoiceField):
    def __init__(self, **kwargs):
        kwargs.setdefault("widget", SearchableSelect)
        super().__init__(choices=lambda: _blank("—") + country_choices(), **kwargs)


class CountriesField(forms.MultipleChoiceField):
    def __init__(self, **kwargs):
        kwargs.setdefault("widget", SearchableSelectMultiple)
        kwargs.setdefault("required", False)
        super().__init__(choices=country_choices, **kwargs)


class ChecklistField(forms.MultipleChoiceField):
    """Checkboxes for a TextChoices class (indicators, forms, means of control)."""

    def __init__(self, choices_class, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("widget", forms.CheckboxSelectMultiple)
        super().__init__(choices=choices_class.choices, **kwargs)


@cache
def _language_names(lang: str) -> dict[str, str]:
    """Lower-cased name → ISO 639-3 code, in the given interface language."""
    return {name.casefold(): code for code, name in language_choices()}


def language_code_for(text: str) -> str | None:
    """An ISO 639-3 code for a code or a language's name (in Danish or English)."""
    text = text.strip()
    if not text:
        return None
    if len(text) == 3 and pycountry.languages.get(alpha_3=text.lower()):
        return text.lower()
    code = _language_names((get_language() or "en").split("-")[0]).get(text.casefold())
    if code:
        return code
    try:
        return pycountry.languages.lookup(text).alpha_3
    except LookupError:
        return None


class LanguagesWidget(forms.TextInput):
    """A text box for language names; brik.js turns it into a search (tom-select)
    that asks cases:languages. Without JavaScript, typed names or codes work."""

    def __init__(self, attrs=None, multiple=True):
        self.multiple = multiple
        super().__init__(
            {
                "data-enhance": "language",
                "data-multiple": "true" if multiple else "false",
                "data-url": reverse_lazy("cases:languages"),
                "autocomplete": "off",
                **(attrs or {}),
            }
        )

    @staticmethod
    def _codes(value) -> list[str] | None:
        """The codes a value stands for, or None if some part is not a language."""
        if isinstance(value, (list, tuple)):
            return [v for v in value if v]
        codes = [language_code_for(part) for part in str(value or "").split(",") if part.strip()]
        return None if None in codes else codes

    def get_context(self, name, value, attrs):
        codes = self._codes(value)
        shown = ", ".join(language_name(code) for code in codes) if codes is not None else value
        context = super().get_context(name, shown, attrs)
        context["widget"]["attrs"]["data-codes"] = ",".join(codes or [])
        return context


class LanguagesField(forms.Field):
    """Languages as ISO 639-3 codes, typed as names or codes, comma-separated."""

    default_error_messages = {"unknown": _("Unknown language: %(value)s.")}

    def __init__(self, *, multiple=True, **kwargs):
        self.multiple = multiple
        kwargs.setdefault("required", False)
        kwargs.setdefault("widget", LanguagesWidget(multiple=multiple))
        kwargs.setdefault(
            "help_text",
            _("Type a language's name, e.g. Thai or Nigerian Pidgin.")
            if not multiple
            else _("Type languages' names, separated by commas."),
        )
        super().__init__(**kwargs)

    def to_python(self, value):
        if isinstance(value, (list, tuple)):
            return list(value)
        parts = [p for p in (value or "").split(",") if p.strip()]
        codes = []
        for part in parts:
            code = language_code_for(part)
            if code is None:
                raise forms.ValidationError(
                    self.error_messages["unknown"], code="unknown", params={"value": part.strip()}
                )
            codes.append(code)
        codes = list(dict.fromkeys(codes))
        if not self.multiple and len(codes) > 1:
            raise forms.ValidationError(_("Choose one language."), code="one_language")
        return codes

    def clean(self, value):
        codes = super().clean(value)
        return codes if self.multiple else (codes[0] if codes else "")


class StaffChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.get_full_name() or obj.username


class StaffMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.get_full_name() or obj.username


def centre_staff():
    """Who can be a case's contact person (the access policy decides)."""
    return users_with(Ability.CASE_CONTACT).order_by("first_name", "last_name", "username")


def organisations(**filters):
    return Organisation.objects.filter(is_active=True, **filters).order_by("name")


def today():
    return timezone.localdate()


# --- steps on a case ------------------------------------------------------------


class CaseActionForm(TokenForm):
    """A step on one case. `case` narrows choices (its interviews, its support)."""

    def __init__(self, *args, case, user=None, **kwargs):
        self.case = case
        self.user = user
        super().__init__(*args, **kwargs)


# --- referral --------------------------------------------------------------------


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
        label=_("Gender"), choices=c.Gender.choices, initial=c.Gender.UNKNOWN
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
    )
    referred_on = PlausibleDateField(
        label=_("Referral date"),
        widget=DateInput,
        initial=today,
        error_messages={"future": _("The referral date cannot be in the future.")},
    )
    channel = forms.ChoiceField(
        label=_("How the referral came"),
        choices=c.ReferralChannel.choices,
        initial=c.ReferralChannel.PARTNER,
    )
    urgency = forms.ChoiceField(
        label=_("Urgency"), choices=c.Urgency.choices, initial=c.Urgency.ROUTINE
    )
    police_district = forms.ModelChoiceField(
        label=_("Police district"),
        queryset=Organisation.objects.none(),
        required=False,
        empty_label="—",
    )
    municipality = forms.CharField(label=_("Municipality"), max_length=100, required=False)
    indicators = ChecklistField(c.Indicator, label=_("Indicators observed"))
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
        self.fields["police_district"].queryset = organisations(type=c.OrganisationType.POLICE)
        if can(user, Ability.REFERRAL_ANY_ORGANISATION):
            self.fields["referring_organisation"].queryset = organisations()
            self.fields["assigned_to"].queryset = centre_staff()
            self.initial.setdefault("referring_organisation", user.organisation_id)
        else:
            # A partner refers on behalf of their own organisation only.
            del self.fields["referring_organisation"]
            del self.fields["assigned_to"]
            if can(user, Ability.OUTREACH_LOG):
                self.initial.setdefault("channel", c.ReferralChannel.OUTREACH)

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
            indicators=data["indicators"],
            urgency=data["urgency"],
            interpreter_language=data["interpreter_language"],
            consent_to_share=data["consent_to_share"],
            observations=data["observations"],
            assigned_to=data.get("assigned_to"),
        )


# --- interviews ---------------------------------------------------------------------


class AssignForm(CaseActionForm):
    caseworker = StaffChoiceField(
        label=_("Contact person"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("Nobody (unassigned)"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["caseworker"].queryset = centre_staff()
        self.initial.setdefault("caseworker", self.case.assigned_to_id)


class InterviewPlanForm(CaseActionForm):
    planned_for = PlausibleDateTimeField(label=_("Date and time"), widget=DateTimeInput)
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    interviewers = StaffMultipleChoiceField(
        label=_("Interviewers"),
        queryset=User.objects.none(),
        required=False,
        widget=SearchableSelectMultiple,
    )
    interpreter_language = LanguagesField(label=_("Interpreter language"), multiple=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["interviewers"].queryset = centre_staff()
        if not self.is_bound and self.user is not None:
            self.initial.setdefault("interviewers", [self.user.pk])
        if not self.is_bound and hasattr(self.case, "referral"):
            self.initial.setdefault("interpreter_language", self.case.referral.interpreter_language)

    def clean_interpreter_language(self):
        return self.cleaned_data["interpreter_language"]


class InterviewRecordForm(CaseActionForm):
    interview = forms.TypedChoiceField(
        label=_("Interview"), coerce=int, required=False, empty_value=None
    )
    held_on = PlausibleDateField(label=_("Held on"), widget=DateInput, initial=today)
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    interviewers = StaffMultipleChoiceField(
        label=_("Interviewers"),
        queryset=User.objects.none(),
        required=False,
        widget=SearchableSelectMultiple,
    )
    interpreter_language = LanguagesField(label=_("Interpreter language"), multiple=False)
    indicators = ChecklistField(c.Indicator, label=_("ILO indicators of forced labour found"))
    dimensions = ChecklistField(
        c.IndicatorDimension, label=_("ILO/EC dimensions of trafficking found")
    )
    notes = forms.CharField(
        label=_("Interview notes"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=NOTE_MAX_LENGTH,
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        planned = [i for i in self.case.interviews.all() if i.status == c.InterviewStatus.PLANNED]
        self.fields["interview"].choices = [("", _("An interview that was not planned"))] + [
            (i.pk, interview_label(i)) for i in planned
        ]
        if planned and not self.is_bound:
            self.initial.setdefault("interview", planned[0].pk)
        self.fields["interviewers"].queryset = centre_staff()

    def clean_interview(self):
        pk = self.cleaned_data["interview"]
        if pk is None:
            return None
        return next(i for i in self.case.interviews.all() if i.pk == pk)


def interview_label(interview) -> str:
    from django.utils.formats import date_format

    when = timezone.localtime(interview.planned_for) if interview.planned_for else None
    text = date_format(when, "SHORT_DATETIME_FORMAT") if when else str(_("no date"))
    return f"{text} {interview.place}".strip()


class InterviewCancelForm(CaseActionForm):
    interview = forms.TypedChoiceField(label=_("Interview"), coerce=int)
    reason = forms.CharField(label=_("Reason"), max_length=200, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        planned = [i for i in self.case.interviews.all() if i.status == c.InterviewStatus.PLANNED]
        self.fields["interview"].choices = [(i.pk, interview_label(i)) for i in planned]

    def clean_interview(self):
        pk = self.cleaned_data["interview"]
        return next(i for i in self.case.interviews.all() if i.pk == pk)


# --- the decision ----------------------------------------------------------------------


class DecideForm(CaseActionForm):
    decided_on = PlausibleDateField(label=_("Decision date"), widget=DateInput, initial=today)
    deciding_authority = forms.ChoiceField(
        label=_("Deciding authority"), choices=c.DecidingAuthority.choices
    )
    outcome = forms.ChoiceField(
        label=_("Outcome"), choices=c.Outcome.choices, widget=forms.RadioSelect
    )
    exploitation_forms = ChecklistField(
        c.ExploitationForm,
        label=_("Forms of exploitation"),
        help_text=_("Required when the person is identified; choose all that apply."),
    )
    sexual_exploitation_type = forms.ChoiceField(
        label=_("Type of sexual exploitation"),
        choices=_blank("—") + list(c.SexualExploitationType.choices),
        required=False,
    )
    labour_sector = forms.ChoiceField(
        label=_("Labour sector (ISIC)"),
        choices=_blank("—") + list(c.LabourSector.choices),
        required=False,
    )
    means_of_control = ChecklistField(c.MeansOfControl, label=_("Means of control"))
    countries_of_exploitation = CountriesField(label=_("Countries of exploitation"))
    exploitation_from = PlausibleDateField(
        label=_("Exploitation from"), widget=DateInput, required=False
    )
    exploitation_to = PlausibleDateField(
        label=_("Exploitation until"), widget=DateInput, required=False
    )
    notes = forms.CharField(
        label=_("Reasons"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=NOTE_MAX_LENGTH,
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault(
                "deciding_authority",
                c.DecidingAuthority.CENTRE
                if self.case.has_legal_residence
                else c.DecidingAuthority.IMMIGRATION,
            )


# --- reflection period and support ----------------------------------------------------


class ReflectionStartForm(CaseActionForm):
    starts_on = PlausibleDateField(label=_("The period starts on"), widget=DateInput, initial=today)


class ReflectionExtendForm(CaseActionForm):
    new_ends_on = PlausibleDateField(label=_("New end date"), widget=DateInput, past=False)
    reason = forms.ChoiceField(
        label=_("Reason"), choices=c.ExtensionReason.choices, widget=forms.RadioSelect
    )
    extended_on = PlausibleDateField(label=_("Decided on"), widget=DateInput, initial=today)
    note = forms.CharField(
        label=_("Note"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=NOTE_MAX_LENGTH,
        required=False,
    )


class SupportAddForm(CaseActionForm):
    kind = forms.ChoiceField(label=_("Support"), choices=c.SupportType.choices)
    starts_on = PlausibleDateField(label=_("From"), widget=DateInput, initial=today, past=False)
    ends_on = PlausibleDateField(label=_("Until"), widget=DateInput, required=False, past=False)
    provider = forms.ModelChoiceField(
        label=_("Provider"),
        queryset=Organisation.objects.none(),
        required=False,
        widget=SearchableSelect,
    )
    note = forms.CharField(
        label=_("Note"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=NOTE_MAX_LENGTH,
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["provider"].queryset = organisations()


class SupportEndForm(CaseActionForm):
    measure = forms.TypedChoiceField(label=_("Support"), coerce=int)
    ends_on = PlausibleDateField(label=_("Ended on"), widget=DateInput, initial=today, past=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["measure"].choices = [
            (m.pk, m.get_kind_display())
            for m in self.case.support_measures.all()
            if m.ends_on is None
        ]

    def clean_measure(self):
        pk = self.cleaned_data["measure"]
        return next(m for m in self.case.support_measures.all() if m.pk == pk)


# --- prepared return ---------------------------------------------------------------------


class ReturnOfferForm(CaseActionForm):
    offered_on = PlausibleDateField(label=_("Offered on"), widget=DateInput, initial=today)


class ReturnAcceptForm(CaseActionForm):
    accepted_on = PlausibleDateField(label=_("Accepted on"), widget=DateInput, initial=today)
    destination_country = CountryField(label=_("Destination country"))
    destination_kind = forms.ChoiceField(
        label=_("Destination"),
        choices=c.DestinationKind.choices,
        widget=forms.RadioSelect,
        initial=c.DestinationKind.HOME,
    )
    reintegration_partner = forms.ModelChoiceField(
        label=_("Reintegration partner"),
        queryset=Organisation.objects.none(),
        required=False,
        widget=SearchableSelect,
    )
    plan_allowance = forms.BooleanField(label=_("Monthly allowance"), required=False)
    plan_housing = forms.BooleanField(label=_("Housing"), required=False)
    plan_income_activity = forms.BooleanField(label=_("Income-generating activity"), required=False)
    plan_medical = forms.BooleanField(label=_("Medical help"), required=False)
    plan_schooling_self = forms.BooleanField(label=_("Schooling for the person"), required=False)
    plan_schooling_children = forms.BooleanField(label=_("Schooling for children"), required=False)
    plan_notes = forms.CharField(
        label=_("Reintegration plan"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=NOTE_MAX_LENGTH,
        required=False,
    )

    PLAN_FIELDS = (
        "plan_allowance",
        "plan_housing",
        "plan_income_activity",
        "plan_medical",
        "plan_schooling_self",
        "plan_schooling_children",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reintegration_partner"].queryset = organisations(
            type=c.OrganisationType.REINTEGRATION
        )
        if not self.is_bound:
            citizenships = [p.country for p in self.case.person.citizenships.all()]
            if citizenships:
                self.initial.setdefault("destination_country", citizenships[0])


class ReturnDeclineForm(CaseActionForm):
    declined_on = PlausibleDateField(label=_("Declined on"), widget=DateInput, initial=today)


class ReturnDepartForm(CaseActionForm):
    departed_on = PlausibleDateField(label=_("Departed on"), widget=DateInput, initial=today)
    follow_up_months = forms.IntegerField(
        label=_("Months of reintegration follow-up"), min_value=0, max_value=6, initial=6
    )


class FollowUpForm(CaseActionForm):
    held_on = PlausibleDateField(label=_("Date of contact"), widget=DateInput, initial=today)
    status = forms.ChoiceField(
        label=_("How it is going"), choices=c.FollowUpStatus.choices, widget=forms.RadioSelect
    )
    notes = forms.CharField(
        label=_("Notes"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=NOTE_MAX_LENGTH,
        required=False,
    )


# --- staying and closing ------------------------------------------------------------------


class StayForm(CaseActionForm):
    basis = forms.ChoiceField(label=_("Basis of stay"), choices=c.StayBasis.choices)
    stay_from = PlausibleDateField(label=_("From"), widget=DateInput, initial=today)


class CloseForm(CaseActionForm):
    closed_on = PlausibleDateField(label=_("Closed on"), widget=DateInput, initial=today)
    reason = forms.ChoiceField(label=_("Reason"), choices=c.ClosingReason.choices)
    note = forms.CharField(
        label=_("Note"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=NOTE_MAX_LENGTH,
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            suggested = {
                c.CaseStatus.NOT_IDENTIFIED: c.ClosingReason.NOT_IDENTIFIED,
                c.CaseStatus.RETURNED: c.ClosingReason.RETURN_COMPLETED,
                c.CaseStatus.STAYING: c.ClosingReason.STAYING,
            }.get(self.case.status)
            if suggested:
                self.initial.setdefault("reason", suggested)


# --- the case list filter ------------------------------------------------------------------

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
    return _blank(_("Any year")) + [(y, str(y)) for y in range(this_year, 1999, -1)]


class CaseFilterForm(forms.Form):
    q = forms.CharField(label=_("Case code"), required=False, max_length=30)
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=_blank(_("Any status")) + list(c.CaseStatus.choices),
    )
    open = forms.ChoiceField(
        label=_("Open or closed"),
        required=False,
        choices=[("", _("Open and closed")), ("open", _("Open")), ("closed", _("Closed"))],
    )
    referred_year = forms.TypedChoiceField(
        label=_("Referred in"), required=False, coerce=int, empty_value=None, choices=_years
    )
    decided_year = forms.TypedChoiceField(
        label=_("Decided in"), required=False, coerce=int, empty_value=None, choices=_years
    )
    authority = forms.ChoiceField(
        label=_("Deciding authority"),
        required=False,
        choices=_blank(_("Any authority")) + list(c.DecidingAuthority.choices),
    )
    form = forms.ChoiceField(
        label=_("Form of exploitation"),
        required=False,
        choices=_blank(_("Any form")) + list(c.ExploitationForm.choices),
    )
    citizenship = forms.ChoiceField(
        label=_("Citizenship"),
        required=False,
        choices=lambda: _blank(_("Any citizenship")) + country_choices(),
        widget=SearchableSelect,
    )
    assigned = forms.ChoiceField(label=_("Contact person"), required=False)
    organisation = forms.ChoiceField(
        label=_("Referring organisation"), required=False, widget=SearchableSelect
    )
    sort = forms.ChoiceField(
        required=False, choices=[(k, k) for k in SORTS], widget=forms.HiddenInput
    )

    def __init__(self, *args, staff=(), referrers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assigned"].choices = (
            _blank(_("Anyone"))
            + [("none", _("Nobody (unassigned)"))]
            + [(str(u.pk), u.get_full_name() or u.username) for u in staff]
        )
        self.fields["organisation"].choices = _blank(_("Any organisation")) + [
            (str(o.pk), o.name) for o in referrers
        ]

    def filters(self) -> dict:
        """The valid filters, empty ones left out (call after is_valid())."""
        data = getattr(self, "cleaned_data", {})
        return {k: v for k, v in data.items() if v not in ("", None) and k != "sort"}

    def sort_key(self) -> str:
        data = getattr(self, "cleaned_data", {})
        return data.get("sort") or "-referred"
