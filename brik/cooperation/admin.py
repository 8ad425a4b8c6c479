"""The cooperation records in the admin.

The action plan's structure (plan, focus areas, initiatives, milestones,
indicators) is reference data that administrators keep here; every admin edit
of it is recorded in the action log. An initiative's status changes through
brik.cooperation.services (the admin actions below), and milestones are reached
and indicators measured there too, so those fields are read-only here.

Joint actions, outreach logs and prosecutions are records of work done: the
admin shows them read-only, and they change only through the services. Joint
actions and prosecutions are linked to cases, so each look at them is in the
action log (brik.audit.admin.ReadAudited).
"""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from brik.audit.admin import ReadAudited
from brik.audit.events import AuditEvent
from brik.audit.services import log_action
from brik.cooperation import selectors, services
from brik.cooperation.models import (
    ActionPlan,
    FocusArea,
    Initiative,
    JointAction,
    Milestone,
    OutreachLog,
    PlanIndicator,
    ProsecutionCase,
)
from brik.core import choices

# --- audited editing of the action plan ---------------------------------------------


def _audit_name(obj) -> str:
    names = {
        ActionPlan: "action_plan",
        FocusArea: "focus_area",
        Initiative: "initiative",
        Milestone: "milestone",
        PlanIndicator: "plan_indicator",
    }
    return names[type(obj)]


def _log_admin_edit(request, obj, verb: str, fields=()) -> None:
    log_action(
        actor=request.user,
        action=AuditEvent(f"brik.{_audit_name(obj)}.{verb}"),
        obj=obj,
        data={"via": "admin", "fields": list(fields)},
    )


class AuditedAdmin(admin.ModelAdmin):
    """Records each admin save of the object and of its inlines in the action log.

    The admin runs each save in one transaction, so the log rows commit or roll
    back with the change.
    """

    audits_own_writes = True

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        _log_admin_edit(request, obj, "changed" if change else "added", form.changed_data)

    def get_actions(self, request):
        # Bulk deletion would skip the per-object guards and log rows below.
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    def delete_model(self, request, obj):
        _log_admin_edit(request, obj, "deleted")
        super().delete_model(request, obj)

    def save_formset(self, request, form, formset, change):
        instances = formset.save(commit=False)
        for obj in formset.deleted_objects:
            _log_admin_edit(request, obj, "deleted")
            obj.delete()
        changed_fields = {obj.pk: fields for obj, fields in formset.changed_objects}
        for obj in instances:
            adding = obj._state.adding
            obj.save()
            _log_admin_edit(
                request,
                obj,
                "added" if adding else "changed",
                changed_fields.get(obj.pk, ()),
            )
        formset.save_m2m()


class GuardedDeleteFormSet(BaseInlineFormSet):
    """Refuses to delete an inline row whose removal would lose recorded work."""

    def clean(self):
        super().clean()
        for form in self.deleted_forms:
            if form.instance.pk:
                reason = self.refusal(form.instance)
                if reason:
                    raise ValidationError(reason)

    def refusal(self, obj) -> str | None:
        return None


class FocusAreaFormSet(GuardedDeleteFormSet):
    def refusal(self, obj):
        if obj.initiatives.exists():
            return _("“%(title)s” has initiatives and cannot be deleted.") % {"title": obj.title}
        return None


class MilestoneFormSet(GuardedDeleteFormSet):
    def refusal(self, obj):
        if obj.reached_on:
            return _("“%(title)s” has been reached and cannot be deleted.") % {"title": obj.title}
        return None


class IndicatorFormSet(GuardedDeleteFormSet):
    def refusal(self, obj):
        if obj.measurements.exists():
            return _("“%(name)s” has measurements and cannot be deleted.") % {"name": obj.name}
        return None


class FocusAreaInline(admin.TabularInline):
    model = FocusArea
    formset = FocusAreaFormSet
    fields = ("position", "title", "title_en")
    extra = 0


@admin.register(ActionPlan)
class ActionPlanAdmin(AuditedAdmin):
    list_display = ("number", "title", "starts_year", "ends_year", "budget_dkk")
    search_fields = ("title",)
    inlines = [FocusAreaInline]

    def has_delete_permission(self, request, obj=None):
        if obj is not None and Initiative.objects.filter(focus_area__plan=obj).exists():
            return False
        return super().has_delete_permission(request, obj)


class MilestoneInline(admin.TabularInline):
    model = Milestone
    formset = MilestoneFormSet
    fields = ("title", "due_on", "reached_on")
    readonly_fields = ("reached_on",)
    extra = 0


class PlanIndicatorInline(admin.TabularInline):
    model = PlanIndicator
    formset = IndicatorFormSet
    fields = ("name", "unit", "baseline", "target")
    extra = 0


def _status_action(status: str, description):
    def set_status(modeladmin, request, queryset):
        changed = 0
        for initiative in queryset:
            try:
                services.initiative_set_status(
                    actor=request.user, initiative=initiative, status=status
                )
                changed += 1
            except ValidationError as error:
                modeladmin.message_user(
                    request, f"{initiative}: {' '.join(error.messages)}", messages.WARNING
                )
        if changed:
            modeladmin.message_user(
                request,
                ngettext("%(count)s initiative changed.", "%(count)s initiatives changed.", changed)
                % {"count": changed},
                messages.SUCCESS,
            )

    set_status.__name__ = f"mark_{status}"
    return admin.action(description=description)(set_status)


@admin.register(Initiative)
class InitiativeAdmin(AuditedAdmin):
    list_display = ("title", "focus_area", "plan", "responsible", "status")
    list_filter = ("status", "focus_area__plan", "focus_area", "responsible__type")
    list_select_related = ("focus_area__plan", "responsible")
    search_fields = ("title", "description", "responsible__name")
    autocomplete_fields = ("responsible",)
    readonly_fields = ("status",)
    fields = ("focus_area", "title", "description", "responsible", "status")
    inlines = [MilestoneInline, PlanIndicatorInline]
    actions = [
        _status_action(choices.InitiativeStatus.IN_PROGRESS, _("Mark as in progress")),
        _status_action(choices.InitiativeStatus.DELAYED, _("Mark as delayed")),
        _status_action(choices.InitiativeStatus.COMPLETED, _("Mark as completed")),
        _status_action(choices.InitiativeStatus.CANCELLED, _("Mark as cancelled")),
    ]

    @admin.display(description=_("action plan"), ordering="focus_area__plan__number")
    def plan(self, obj):
        return obj.focus_area.plan

    def has_delete_permission(self, request, obj=None):
        # Milestones and measurements hang on initiatives: cancel instead.
        return False


# --- records of work: read-only ---------------------------------------------------------


class ReadOnlyAdmin(admin.ModelAdmin):
    """Shows records; their changes go through brik.cooperation.services."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(JointAction)
class JointActionAdmin(ReadAudited, ReadOnlyAdmin):
    list_display = (
        "planned_for",
        "title",
        "status",
        "region",
        "sector",
        "lead_organisation",
        "persons_met",
        "persons_referred",
        "linked_referrals",
    )
    list_filter = ("status", "region", "sector", "lead_organisation")
    search_fields = ("title", "lead_organisation__name", "participants__name")
    date_hierarchy = "planned_for"

    def get_queryset(self, request):
        return selectors.joint_action_list()

    @admin.display(description=_("linked referrals"), ordering="linked_referrals")
    def linked_referrals(self, obj):
        return obj.linked_referrals


@admin.register(OutreachLog)
class OutreachLogAdmin(ReadOnlyAdmin):
    list_display = (
        "held_on",
        "organisation",
        "place_type",
        "region",
        "sector",
        "women",
        "men",
        "trans",
        "unknown",
        "referrals_made",
    )
    list_filter = ("organisation", "region", "place_type", "sector")
    list_select_related = ("organisation",)
    date_hierarchy = "held_on"


@admin.register(ProsecutionCase)
class ProsecutionCaseAdmin(ReadAudited, ReadOnlyAdmin):
    list_display = (
        "police_case_number",
        "police_district",
        "status",
        "opened_on",
        "charged_on",
        "verdict",
        "persons_charged",
        "persons_convicted",
        "victim_count",
    )
    list_filter = ("status", "verdict", "police_district")
    search_fields = ("police_case_number",)
    date_hierarchy = "opened_on"

    def get_queryset(self, request):
        return selectors.prosecution_list()

    @admin.display(description=_("victims"), ordering="victim_count")
    def victim_count(self, obj):
        return obj.victim_count
