"""The permission layer, as views import it.

The policy itself is brik.accounts.permissions: abilities per role, the
records each reaches, the fields each may read, the admin pages and the
second factor. This module keeps the names views have long used: the role
groups below are derived from the policy, and `role_required` goes through
the same checks as `permission_required` (log in, second factor, then role).
"""

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied

from brik.accounts.permissions import (
    Ability,
    can,
    is_verified,
    permission_required,
    redirect_to_two_factor,
    roles_with,
    two_factor_required,
)

CENTRE_STAFF = roles_with(Ability.CASE_VIEW)
PARTNERS = roles_with(Ability.REFERRAL_STATUS)
REFERRERS = roles_with(Ability.REFERRAL_CREATE)
CASE_LIST_READERS = roles_with(Ability.CASE_LIST)
OUTREACH_LOGGERS = roles_with(Ability.OUTREACH_LOG)
AUDITORS = roles_with(Ability.AUDIT_SEARCH)

__all__ = [
    "AUDITORS",
    "CASE_LIST_READERS",
    "CENTRE_STAFF",
    "OUTREACH_LOGGERS",
    "PARTNERS",
    "REFERRERS",
    "Ability",
    "can",
    "has_role",
    "permission_required",
    "role_required",
]


def has_role(user, roles) -> bool:
    return bool(user.is_authenticated and user.is_active and user.role in roles)


def role_required(*roles: str) -> Callable:
    """Log in (and pass the second factor) first; then only users with one of
    `roles` get past (others get 403). New views use permission_required."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        @login_required
        def wrapped(request, *args, **kwargs):
            if two_factor_required(request.user) and not is_verified(request.user):
                return redirect_to_two_factor(request)
            if not has_role(request.user, roles):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
