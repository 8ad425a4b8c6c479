"""One form per step on a case (brik.cases.workflow), sent by the case page."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from brik.accounts.models import Organisation, User
from brik.cases.forms.fields import (
    CaseActionForm,
    ChecklistField,
    CountriesField,
    CountryField,
    DateInput,
    DateTimeInput,
    LanguagesField,
    SearchableSelect,
    SearchableSelectMultiple,
    StaffChoiceField,
    StaffMultipleChoiceField,
    blank_choice,
    centre_staff,
    organisations,
    today,
)
from brik.core import choices
from brik.core.forms import PlausibleDateField, PlausibleDateTimeField, form_field
from brik.core.validation import NOTE_MAX_LENGTH

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
        form_field(self, "caseworker", forms.ModelChoiceField).queryset = centre_staff()
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
        form_field(self, "interviewers", forms.ModelChoiceField).queryset = centre_staff()
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
    indicators = ChecklistField(choices.Indicator, label=_("ILO indicators of forced labour found"))
    dimensions = ChecklistField(
        choices.IndicatorDimension, label=_("ILO/EC dimensions of trafficking found")
    )
    notes = forms.CharField(
        label=_("Interview notes"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=NOTE_MAX_LENGTH,
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        planned = [
            i for i in self.case.interviews.all() if i.status == choices.InterviewStatus.PLANNED
        ]
        interview = form_field(self, "interview", forms.ChoiceField)
        interview.choices = [("", _("An interview that was not planned"))] + [
            (i.pk, interview_label(i)) for i in planned
        ]
        if planned and not self.is_bound:
            self.initial.setdefault("interview", planned[0].pk)
        form_field(self, "interviewers", forms.ModelChoiceField).queryset = centre_staff()

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
        planned = [
            i for i in self.case.interviews.all() if i.status == choices.InterviewStatus.PLANNED
        ]
        form_field(self, "interview", forms.ChoiceField).choices = [
            (i.pk, interview_label(i)) for i in planned
        ]

    def clean_interview(self):
        pk = self.cleaned_data["interview"]
        return next(i for i in self.case.interviews.all() if i.pk == pk)


# --- the decision ----------------------------------------------------------------------


class DecideForm(CaseActionForm):
    decided_on = PlausibleDateField(label=_("Decision date"), widget=DateInput, initial=today)
    deciding_authority = forms.ChoiceField(
        label=_("Deciding authority"), choices=choices.DecidingAuthority.choices
    )
    outcome = forms.ChoiceField(
        label=_("Outcome"), choices=choices.Outcome.choices, widget=forms.RadioSelect
    )
    exploitation_forms = ChecklistField(
        choices.ExploitationForm,
        label=_("Forms of exploitation"),
        help_text=_("Required when the person is identified; choose all that apply."),
    )
    sexual_exploitation_type = forms.ChoiceField(
        label=_("Type of sexual exploitation"),
        choices=blank_choice("—") + list(choices.SexualExploitationType.choices),
        required=False,
    )
    labour_sector = forms.ChoiceField(
        label=_("Labour sector (ISIC)"),
        choices=blank_choice("—") + list(choices.LabourSector.choices),
        required=False,
    )
    means_of_control = ChecklistField(choices.MeansOfControl, label=_("Means of control"))
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
                choices.DecidingAuthority.CENTRE
                if self.case.has_legal_residence
                else choices.DecidingAuthority.IMMIGRATION,
            )


# --- reflection period and support ----------------------------------------------------


class ReflectionStartForm(CaseActionForm):
    starts_on = PlausibleDateField(label=_("The period starts on"), widget=DateInput, initial=today)


class ReflectionExtendForm(CaseActionForm):
    new_ends_on = PlausibleDateField(label=_("New end date"), widget=DateInput, past=False)
    reason = forms.ChoiceField(
        label=_("Reason"), choices=choices.ExtensionReason.choices, widget=forms.RadioSelect
    )
    extended_on = PlausibleDateField(label=_("Decided on"), widget=DateInput, initial=today)
    note = forms.CharField(
        label=_("Note"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=NOTE_MAX_LENGTH,
        required=False,
    )


class SupportAddForm(CaseActionForm):
    kind = forms.ChoiceField(label=_("Support"), choices=choices.SupportType.choices)
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
        form_field(self, "provider", forms.ModelChoiceField).queryset = organisations()


class SupportEndForm(CaseActionForm):
    measure = forms.TypedChoiceField(label=_("Support"), coerce=int)
    ends_on = PlausibleDateField(label=_("Ended on"), widget=DateInput, initial=today, past=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        form_field(self, "measure", forms.ChoiceField).choices = [
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
        choices=choices.DestinationKind.choices,
        widget=forms.RadioSelect,
        initial=choices.DestinationKind.HOME,
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
        form_field(self, "reintegration_partner", forms.ModelChoiceField).queryset = organisations(
            type=choices.OrganisationType.REINTEGRATION
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
        label=_("How it is going"), choices=choices.FollowUpStatus.choices, widget=forms.RadioSelect
    )
    notes = forms.CharField(
        label=_("Notes"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=NOTE_MAX_LENGTH,
        required=False,
    )


# --- staying and closing ------------------------------------------------------------------


class StayForm(CaseActionForm):
    basis = forms.ChoiceField(label=_("Basis of stay"), choices=choices.StayBasis.choices)
    stay_from = PlausibleDateField(label=_("From"), widget=DateInput, initial=today)


class CloseForm(CaseActionForm):
    closed_on = PlausibleDateField(label=_("Closed on"), widget=DateInput, initial=today)
    reason = forms.ChoiceField(label=_("Reason"), choices=choices.ClosingReason.choices)
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
                choices.CaseStatus.NOT_IDENTIFIED: choices.ClosingReason.NOT_IDENTIFIED,
                choices.CaseStatus.RETURNED: choices.ClosingReason.RETURN_COMPLETED,
                choices.CaseStatus.STAYING: choices.ClosingReason.STAYING,
            }.get(self.case.status)
            if suggested:
                self.initial.setdefault("reason", suggested)
