"""The action log in the admin: to read and search, never to write.

Rows are written only by brik.audit.services.log_action, inside the change
they record. Nobody, not even a superuser, may add, change or delete them here.
"""

from django.contrib import admin
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _

from brik.audit.models import ActionLog
from brik.audit.selectors import entry_details


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
    list_filter = ("object_type", "organisation", "action")
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
        "details",
    )
    fields = readonly_fields

    @admin.display(description=_("details"))
    def details(self, obj):
        # As on the auditor's page: for rows about a case, only which fields
        # changed; their values are case contents.
        return format_html_join("", "<p>{}: {}</p>", entry_details(obj))

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
