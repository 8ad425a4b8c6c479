"""The case records in Django's admin: to look at, never to change.

Every change to a case goes through brik.cases.services, which checks the
rules and writes the audit log; an admin form would skip both. Who a person is
(PersonIdentity) and the narrative notes are not shown here at all. Every look
at a record or a list is in the action log, and lists filter only by their
own filters (brik.audit.admin.ReadAudited).
"""

from django.contrib import admin

from brik.audit.admin import ReadAudited
from brik.cases.models import (
    Assessment,
    Case,
    ExploitationForm,
    FollowUp,
    Interview,
    Person,
    PersonCitizenship,
    PreparedReturn,
    Referral,
    ReflectionExtension,
    ReflectionPeriod,
    SupportMeasure,
)


class ViewOnly:
    """No add, change or delete, for a ModelAdmin or an inline."""

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class ViewOnlyAdmin(ReadAudited, ViewOnly, admin.ModelAdmin):
    actions = None


class ViewOnlyInline(ViewOnly, admin.TabularInline):
    extra = 0
    can_delete = False
    show_change_link = False


class CitizenshipInline(ViewOnlyInline):
    model = PersonCitizenship


@admin.register(Person)
class PersonAdmin(ViewOnlyAdmin):
    list_display = ("code", "gender", "birth_year", "created_at")
    list_filter = ("gender",)
    search_fields = ("code",)
    fields = ("code", "gender", "birth_year", "languages", "created_at", "updated_at")
    inlines = [CitizenshipInline]


@admin.register(Case)
class CaseAdmin(ViewOnlyAdmin):
    list_display = (
        "code",
        "status",
        "has_legal_residence",
        "referred_on",
        "decided_on",
        "outcome",
        "assigned_to",
        "closed_on",
    )
    list_filter = ("status", "outcome", "has_legal_residence", "closing_reason")
    list_select_related = ("person", "assigned_to")
    search_fields = ("person__code",)
    date_hierarchy = "referred_on"
    exclude = ("closing_note",)


@admin.register(Referral)
class ReferralAdmin(ViewOnlyAdmin):
    list_display = ("case", "referred_on", "referring_organisation", "channel", "urgency")
    list_filter = ("channel", "urgency", "consent_to_share")
    list_select_related = ("case__person", "referring_organisation")
    search_fields = ("case__person__code",)
    exclude = ("observations",)


@admin.register(Interview)
class InterviewAdmin(ViewOnlyAdmin):
    list_display = ("case", "status", "planned_for", "held_on", "interpreter_language")
    list_filter = ("status",)
    list_select_related = ("case__person",)
    search_fields = ("case__person__code",)
    exclude = ("notes",)


class ExploitationFormInline(ViewOnlyInline):
    model = ExploitationForm


@admin.register(Assessment)
class AssessmentAdmin(ViewOnlyAdmin):
    list_display = ("case", "decided_on", "deciding_authority", "outcome")
    list_filter = ("outcome", "deciding_authority")
    list_select_related = ("case__person",)
    search_fields = ("case__person__code",)
    exclude = ("notes",)
    inlines = [ExploitationFormInline]


class ExtensionInline(ViewOnlyInline):
    model = ReflectionExtension
    exclude = ("note",)


@admin.register(ReflectionPeriod)
class ReflectionPeriodAdmin(ViewOnlyAdmin):
    list_display = ("case", "kind", "starts_on", "ends_on", "days")
    list_filter = ("kind",)
    list_select_related = ("case__person",)
    search_fields = ("case__person__code",)
    inlines = [ExtensionInline]


@admin.register(SupportMeasure)
class SupportMeasureAdmin(ViewOnlyAdmin):
    list_display = ("case", "kind", "provider", "starts_on", "ends_on")
    list_filter = ("kind",)
    list_select_related = ("case__person", "provider")
    search_fields = ("case__person__code",)
    exclude = ("note",)


class FollowUpInline(ViewOnlyInline):
    model = FollowUp
    exclude = ("notes",)


@admin.register(PreparedReturn)
class PreparedReturnAdmin(ViewOnlyAdmin):
    list_display = (
        "case",
        "status",
        "offered_on",
        "accepted_on",
        "departed_on",
        "destination_country",
        "follow_up_until",
    )
    list_filter = ("status", "destination_kind")
    list_select_related = ("case__person",)
    search_fields = ("case__person__code",)
    exclude = ("plan_notes",)
    inlines = [FollowUpInline]
