"""Brik's admin site: entered only with an admin ability and a verified second factor.

The models each person sees inside are decided by brik.accounts.permissions
(through User.has_perm); every add, change and delete made here is in the
action log (brik.audit.admin.AuditedWrites). A logged-in person without access gets 403 instead of
Django's admin login form, and the admin's own login page sends to Brik's,
so that every login passes the lockout and the second factor.
"""

import re
from functools import wraps

from django.conf import settings
from django.contrib.admin import AdminSite
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseBadRequest
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _

from brik.accounts.permissions import (
    can_enter_admin,
    is_verified,
    redirect_to_two_factor,
    two_factor_required,
)
from brik.core.validation import ACTION_PLAN_HORIZON_YEARS, EARLIEST_DATE

# Django's date drill-down of a change list turns ?created_at__year=... into a
# datetime and catches only some of what an absurd value raises (OverflowError):
# only values within the dates Brik accepts anywhere reach it.
DIGITS = re.compile(r"[0-9]{1,4}")


def implausible_drill_down(query) -> bool:
    today = timezone.localdate()
    ranges = {
        "__year": (EARLIEST_DATE.year, today.year + ACTION_PLAN_HORIZON_YEARS),
        "__month": (1, 12),
        "__day": (1, 31),
    }
    return any(
        key.endswith(suffix)
        and not all(DIGITS.fullmatch(v) and low <= int(v) <= high for v in query.getlist(key))
        for key in query
        for suffix, (low, high) in ranges.items()
    )


class BrikAdminSite(AdminSite):
    site_header = _("Brik administration")
    site_title = _("Brik administration")

    def register(self, model_or_iterable, admin_class=None, **options):
        """Every model admin on this site writes the action log for what it changes."""
        from django.contrib.admin import ModelAdmin

        from brik.audit.admin import with_audited_writes

        admin_class = with_audited_writes(admin_class or ModelAdmin)
        return super().register(model_or_iterable, admin_class, **options)

    def has_permission(self, request) -> bool:
        user = request.user
        return can_enter_admin(user) and (not two_factor_required(user) or is_verified(user))

    def admin_view(self, view, cacheable=False):
        inner = super().admin_view(view, cacheable)

        @wraps(view)
        def guarded(request, *args, **kwargs):
            user = request.user
            if user.is_authenticated and request.path != reverse(
                "admin:logout", current_app=self.name
            ):
                if two_factor_required(user) and not is_verified(user):
                    return redirect_to_two_factor(request)
                if not can_enter_admin(user):
                    raise PermissionDenied
            if implausible_drill_down(request.GET):
                return HttpResponseBadRequest(_("This date is outside the range Brik keeps."))
            return inner(request, *args, **kwargs)

        return guarded

    def password_change(self, request, extra_context=None):
        """Django's page, with a form that changes the password through the service."""
        from django.contrib.auth.views import PasswordChangeView

        from brik.accounts.forms import OwnPasswordChangeForm

        defaults = {
            "form_class": OwnPasswordChangeForm,
            "success_url": reverse("admin:password_change_done", current_app=self.name),
            "extra_context": {**self.each_context(request), **(extra_context or {})},
        }
        if self.password_change_template is not None:
            defaults["template_name"] = self.password_change_template
        request.current_app = self.name
        return PasswordChangeView.as_view(**defaults)(request)

    def login(self, request, extra_context=None):
        next_url = request.GET.get("next", "")
        # Only a path on this site: redirect() would take anything else for a view's name.
        if not next_url.startswith("/") or not url_has_allowed_host_and_scheme(
            next_url, allowed_hosts={request.get_host()}
        ):
            next_url = reverse("admin:index", current_app=self.name)
        if request.user.is_authenticated:
            if self.has_permission(request):
                return redirect(next_url)
            raise PermissionDenied
        return redirect_to_login(next_url, settings.LOGIN_URL)
