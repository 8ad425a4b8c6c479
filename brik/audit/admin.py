"""The action log in the admin: to read and search, never to write.

Rows are written only by brik.audit.services.log_action, inside the change
they record. Nobody, not even a superuser, may add, change or delete them here.
"""

from django.contrib import admin

from brik.audit.models import ActionLog


@admin.register(ActionLog)
class ActionLogAdmin(admin.ModelAdmin):
    list_display = (
        "created_at",
        "action",
        "actor",
        "organisation",
        "object_type",
        "object_id",
        "case",
    )
    list_filter = ("object_type", "organisation")
    list_select_related = ("actor", "organisation", "case__person")
    search_fields = (
        "action",
        "actor__username",
        "actor__first_name",
        "actor__last_name",
        "object_type",
        "=object_id",
        "case__person__code",
    )
    date_hierarchy = "created_at"
    readonly_fields = (
        "created_at",
        "action",
        "actor",
        "organisation",
        "object_type",
        "object_id",
        "case",
        "data",
    )
    fields = readonly_fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
