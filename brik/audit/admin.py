"""The action log in the admin, and what every admin page of case records shares.

The action log is to read and search, never to write: rows are written only
by brik.audit.services.log_action, inside the change they record, and nobody,
not even a superuser, may add, change or delete them here. Rows about case
events are shown only to auditors (brik.accounts.permissions decides).

`WhitelistedFilters` lets a list be filtered only by its own list filters and
date drill-down: Django's admin otherwise accepts any lookup on the model's
own fields in the address (`?data__outcome=identified`), which reads data the
page never shows. `ReadAudited` writes one action-log row for each look at a
record's page, and one for each look at a list (with its filters).
`AuditedWrites` writes one row for each add, change and delete made in the
admin; Brik's admin site gives it to every model admin registered on it
(brik.accounts.admin_site), except those whose saves go through services that
log them already (`audits_own_writes = True`).
"""

from typing import TYPE_CHECKING

from django.contrib import admin
from django.contrib.admin.filters import FieldListFilter, ListFilter
from django.contrib.admin.utils import get_fields_from_path
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _

from brik.accounts.permissions import Ability, can
from brik.audit.events import AuditEvent
from brik.audit.models import ActionLog
from brik.audit.selectors import entry_details
from brik.audit.services import log_action

if TYPE_CHECKING:
    # What these mixins are mixed into, so that their super() calls are checked.
    _AdminBase = admin.ModelAdmin
else:
    _AdminBase = object


class WhitelistedFilters(_AdminBase):
    """Only the admin's own list filters (and date drill-down) may filter its list."""

    def lookup_allowed(self, lookup, value, request) -> bool:
        return lookup in self.allowed_lookups(request)

    def allowed_lookups(self, request) -> frozenset[str]:
        cache = request.__dict__.setdefault("_brik_allowed_lookups", {})
        key = type(self)
        if key not in cache:
            allowed: set[str] = set()
            for item in self.get_list_filter(request):
                allowed.update(self._filter_spec_parameters(request, item))
            if self.date_hierarchy:
                allowed.update(
                    f"{self.date_hierarchy}__{part}" for part in ("year", "month", "day")
                )
            cache[key] = frozenset(allowed)
        return cache[key]

    def _filter_spec_parameters(self, request, item) -> list[str]:
        spec = self._filter_spec(request, item)
        # A field's own name asks the same as the filter's exact lookup.
        own = (
            [] if isinstance(item, type) else [item[0] if isinstance(item, (tuple, list)) else item]
        )
        return [*spec.expected_parameters(), *own]

    def _filter_spec(self, request, item) -> ListFilter:
        if isinstance(item, type) and issubclass(item, ListFilter):
            return item(request, {}, self.model, self)
        path, spec_class = item if isinstance(item, (tuple, list)) else (item, None)
        field = get_fields_from_path(self.model, path)[-1]
        spec_class = spec_class or FieldListFilter.create
        return spec_class(field, request, {}, self.model, self, field_path=path)


def case_of(obj):
    """The case a record belongs to, for the action log (None for a person, who may have several)."""
    from brik.cases.models import Case

    if isinstance(obj, Case):
        return obj
    return getattr(obj, "case", None) if hasattr(obj, "case_id") else None


class ReadAudited(WhitelistedFilters):
    """Each admin page of a record, or list of records, that a person opens is in the action log."""

    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context)
        changelist = getattr(response, "context_data", {}).get("cl")
        if response.status_code == 200 and changelist is not None:
            log_action(
                actor=request.user,
                action=AuditEvent.ADMIN_LISTED,
                obj=ContentType.objects.get_for_model(self.model),
                data={
                    "model": self.model._meta.label_lower,
                    "filters": dict(request.GET.lists()),
                    "count": changelist.result_count,
                },
            )
        return response

    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        self._record_read(request, response, "original", AuditEvent.ADMIN_VIEWED)
        return response

    def history_view(self, request, object_id, extra_context=None):
        response = super().history_view(request, object_id, extra_context)
        self._record_read(request, response, "object", AuditEvent.ADMIN_HISTORY_VIEWED)
        return response

    def _record_read(self, request, response, name: str, action: AuditEvent) -> None:
        obj = getattr(response, "context_data", {}).get(name)
        if response.status_code == 200 and obj is not None:
            log_action(actor=request.user, action=action, obj=obj, case=case_of(obj))


class AuditedWrites(_AdminBase):
    """Each add, change and delete through this admin is in the action log."""

    def log_addition(self, request, obj, message):
        self._record_write(request, obj, "added", message)
        return super().log_addition(request, obj, message)

    def log_change(self, request, obj, message):
        self._record_write(request, obj, "changed", message)
        return super().log_change(request, obj, message)

    def log_deletions(self, request, queryset):
        for obj in queryset:
            self._record_write(request, obj, "deleted", "")
        return super().log_deletions(request, queryset)

    def _record_write(self, request, obj, verb: str, message) -> None:
        # The admin's own change message names the fields changed, never values.
        log_action(
            actor=request.user,
            action=AuditEvent(f"brik.admin.{verb}"),
            obj=obj,
            case=case_of(obj),
            data={"model": obj._meta.label_lower, "message": message},
        )


def with_audited_writes(admin_class):
    """`admin_class`, made to log its writes unless it logs them itself."""
    if getattr(admin_class, "audits_own_writes", False) or issubclass(admin_class, AuditedWrites):
        return admin_class
    return type(admin_class)(
        admin_class.__name__,
        (AuditedWrites, admin_class),
        {"__module__": admin_class.__module__, "__qualname__": admin_class.__qualname__},
    )


@admin.register(ActionLog)
class ActionLogAdmin(ReadAudited, admin.ModelAdmin):
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

    def get_queryset(self, request):
        rows = super().get_queryset(request)
        if can(request.user, Ability.AUDIT_CASE_EVENTS) or not can(
            request.user, Ability.ADMIN_AUDIT
        ):
            return rows  # an auditor; or someone without the log, whom the admin refuses
        # A superuser reads the log of logins, users and reference data; what
        # happened on cases is for the auditors.
        return rows.filter(case__isnull=True).exclude(
            Q(object_type__startswith="cases.") | Q(action__startswith="brik.admin.")
        )

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
