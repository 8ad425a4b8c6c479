"""Forms of the case work pages: input checking and widgets only.

The rules of the mechanism are not here: forms check that the input is
well-formed and plausible (dates from 1900, not in the future where they record
the past, texts and numbers within bounds), and the services
(brik.cases.services) check the same again and decide whether the step is
allowed. Every form carries a one-time token so that a double submit
creates one record (brik.core.services.form_submission_claim).

One module per kind of page (referral, steps on a case, the case list) and the
shared fields; this package re-exports them (`from brik.cases import forms`).
"""

from brik.cases.forms.case_list import (
    SORTS,
    CaseFilterForm,
    MyWorkForm,
)
from brik.cases.forms.fields import (
    CaseActionForm,
    ChecklistField,
    CountriesField,
    CountryField,
    DateInput,
    DateTimeInput,
    LanguagesField,
    LanguagesWidget,
    SearchableSelect,
    SearchableSelectMultiple,
    StaffChoiceField,
    StaffMultipleChoiceField,
    blank_choice,
    centre_staff,
    language_code_for,
    organisations,
    today,
)
from brik.cases.forms.referral import ReferralForm
from brik.cases.forms.steps import (
    AmendForm,
    AssignForm,
    CloseForm,
    DecideForm,
    FollowUpForm,
    InterviewCancelForm,
    InterviewPlanForm,
    InterviewRecordForm,
    ReflectionExtendForm,
    ReflectionStartForm,
    ReopenForm,
    ReturnAcceptForm,
    ReturnDeclineForm,
    ReturnDepartForm,
    ReturnOfferForm,
    ScreeningForm,
    StayForm,
    SupportAddForm,
    SupportEndForm,
    interview_label,
)

__all__ = [
    "SORTS",
    "AmendForm",
    "AssignForm",
    "CaseActionForm",
    "CaseFilterForm",
    "ChecklistField",
    "CloseForm",
    "CountriesField",
    "CountryField",
    "DateInput",
    "DateTimeInput",
    "DecideForm",
    "FollowUpForm",
    "InterviewCancelForm",
    "InterviewPlanForm",
    "InterviewRecordForm",
    "LanguagesField",
    "LanguagesWidget",
    "MyWorkForm",
    "ReferralForm",
    "ReflectionExtendForm",
    "ReflectionStartForm",
    "ReopenForm",
    "ReturnAcceptForm",
    "ReturnDeclineForm",
    "ReturnDepartForm",
    "ReturnOfferForm",
    "ScreeningForm",
    "SearchableSelect",
    "SearchableSelectMultiple",
    "StaffChoiceField",
    "StaffMultipleChoiceField",
    "StayForm",
    "SupportAddForm",
    "SupportEndForm",
    "blank_choice",
    "centre_staff",
    "interview_label",
    "language_code_for",
    "organisations",
    "today",
]
