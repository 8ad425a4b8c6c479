"""One form per step on a case (brik.cases.workflow), sent by the case page."""

from django import forms
from django.http import QueryDict
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
        empty_label=_("None named"),
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
        empty_label=_("None named"),
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
    reason = forms.ChoiceField(label=_("Reason"), choices=())
    follow_up_end_reason = forms.CharField(
        label=_("Why the follow-up ends early"),
        help_text=_(
            "Only when the case is closed as “Prepared return and follow-up completed” "
            "before the follow-up has run its course."
        ),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=NOTE_MAX_LENGTH,
        required=False,
    )
    carry_over = forms.TypedMultipleChoiceField(
        label=_("Open support to carry over"),
        help_text=_(
            "Open support ends on the closing date, except what you tick here "
            "(another authority or case takes it on)."
        ),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    note = forms.CharField(
        label=_("Note"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=NOTE_MAX_LENGTH,
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        form_field(self, "reason", forms.ChoiceField).choices = blank_choice(_("Choose…")) + list(
            choices.ClosingReason.choices
        )
        open_support = [m for m in self.case.support_measures.all() if m.ends_on is None]
        if open_support:
            form_field(self, "carry_over", forms.ChoiceField).choices = [
                (m.pk, support_label(m)) for m in open_support
            ]
        else:
            del self.fields["carry_over"]
        if not (
            self.case.status == choices.CaseStatus.RETURNED
            or (self.is_bound and self.data.get("follow_up_end_reason"))
        ):
            del self.fields["follow_up_end_reason"]
        if not self.is_bound:
            suggested = {
                choices.CaseStatus.NOT_IDENTIFIED: choices.ClosingReason.NOT_IDENTIFIED,
                choices.CaseStatus.RETURNED: choices.ClosingReason.RETURN_COMPLETED,
                choices.CaseStatus.STAYING: choices.ClosingReason.STAYING,
            }.get(self.case.status)
            if suggested:
                self.initial.setdefault("reason", suggested)


def support_label(measure) -> str:
    from django.utils.formats import date_format

    text = _("%(kind)s (from %(day)s)") % {
        "kind": measure.get_kind_display(),
        "day": date_format(measure.starts_on, "SHORT_DATE_FORMAT"),
    }
    return f"{text} · {measure.provider.name}" if measure.provider else text


class ReopenForm(CaseActionForm):
    reopened_on = PlausibleDateField(label=_("Reopened on"), widget=DateInput, initial=today)
    reason = forms.ChoiceField(
        label=_("Reason"), choices=choices.ReopenReason.choices, widget=forms.RadioSelect
    )
    note = forms.CharField(
        label=_("Note"),
        help_text=_("Required when the reason is “Other reason”."),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=NOTE_MAX_LENGTH,
        required=False,
    )


# --- screening ----------------------------------------------------------------------------


class ScreeningForm(CaseActionForm):
    screened_on = PlausibleDateField(label=_("Screened on"), widget=DateInput, initial=today)
    urgent = forms.BooleanField(
        label=_("Urgent"),
        help_text=_("In custody, in danger or without shelter: shown as a flag in the lists."),
        required=False,
    )
    safe_to_contact = forms.ChoiceField(
        label=_("Safe to contact"),
        choices=choices.SafeToContact.choices,
        widget=forms.RadioSelect,
        initial=choices.SafeToContact.UNKNOWN,
    )
    needs_interpreter = forms.BooleanField(label=_("Needs an interpreter"), required=False)
    interpreter_language = LanguagesField(label=_("Interpreter language"), multiple=False)
    notes = forms.CharField(
        label=_("Notes"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=NOTE_MAX_LENGTH,
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound and hasattr(self.case, "referral"):
            language = self.case.referral.interpreter_language
            if language:
                self.initial.setdefault("interpreter_language", language)
                self.initial.setdefault("needs_interpreter", True)
            if self.case.referral.urgency == choices.Urgency.URGENT:
                self.initial.setdefault("urgent", True)


# --- corrections ----------------------------------------------------------------------------


class AmendForm(CaseActionForm):
    """Correct one recorded value: choose it, give the corrected value and the reason.

    The field for the value follows the kind of value chosen (a date, a choice,
    forms of exploitation, interviewers, a country). Without JavaScript the
    choice is sent first: the form comes back with the right field for the value
    and the input kept (the hidden `shown` says which value's field was on the
    page, so a value is never taken from a field the person did not see).
    """

    target = forms.ChoiceField(label=_("What to correct"))
    shown = forms.CharField(required=False, widget=forms.HiddenInput)
    reason = forms.CharField(
        label=_("Why it is corrected"),
        help_text=_("Required; shown in the case history with the old and the new value."),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=NOTE_MAX_LENGTH,
    )

    def __init__(self, *args, **kwargs):
        from brik.cases.presenters import amendable_target_label
        from brik.cases.services.amendments import amendable_targets

        super().__init__(*args, **kwargs)
        self.targets = {t.value: t for t in amendable_targets(self.case)}
        form_field(self, "target", forms.ChoiceField).choices = blank_choice(_("Choose…")) + [
            (key, amendable_target_label(t)) for key, t in self.targets.items()
        ]
        chosen = self.data.get("target") if self.is_bound else self.initial.get("target")
        self.chosen = self.targets.get(chosen or "")
        self.shown_before = self.data.get("shown", "") if self.is_bound else ""
        if self.is_bound:
            shown = self.chosen.value if self.chosen else ""
            if isinstance(self.data, QueryDict):
                data = self.data.copy()
                data["shown"] = shown
                self.data = data
            else:
                self.data = {**self.data, "shown": shown}
        else:
            self.initial["shown"] = self.chosen.value if self.chosen else ""
        if self.chosen is not None:
            self.fields["value"] = self._value_field(self.chosen)
            if not self.is_bound:
                self.initial.setdefault("value", self.chosen.current)
            self.order_fields(["target", "value", "reason"])

    def _value_field(self, target):
        from brik.cases.services.amendments import CHOICE, CHOICES, COUNTRY, DATE

        spec = target.spec
        label = _("Corrected value")
        if spec.kind == DATE:
            return PlausibleDateField(label=label, widget=DateInput)
        if spec.kind == CHOICE:
            return forms.ChoiceField(
                label=label, choices=blank_choice(_("Choose…")) + list(spec.kinds.choices)
            )
        if spec.kind == CHOICES:
            return ChecklistField(spec.kinds, label=label)
        if spec.kind == COUNTRY:
            return CountryField(label=label)
        return StaffMultipleChoiceField(
            label=label, queryset=centre_staff(), required=False, widget=SearchableSelectMultiple
        )

    def clean(self):
        cleaned = super().clean() or {}
        if self.chosen is not None and self.shown_before != self.chosen.value:
            # The value's field was not on the page yet: ask for it, nothing is saved.
            self.errors.pop("value", None)
            cleaned.pop("value", None)
            self.add_error("value", _("Enter the corrected value."))
        return cleaned
