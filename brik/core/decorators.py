"""Who may open which page: the one place views ask.

Views stack `role_required(...)` with one of the role groups below; the
object-level rules (a partner sees only their own organisation's referrals)
live in the selectors that the views call.
"""

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied

from brik.core.choices import Role

CENTRE_STAFF = (Role.CASEWORKER, Role.LEAD)
PARTNERS = (Role.REFERRER, Role.OUTREACH)
REFERRERS = (*CENTRE_STAFF, *PARTNERS)
CASE_LIST_READERS = (*CENTRE_STAFF, Role.ANALYST)
OUTREACH_LOGGERS = (Role.OUTREACH, *CENTRE_STAFF)


def has_role(user, roles) -> bool:
    return bool(user.is_authenticated and user.is_active and user.role in roles)


def role_required(*roles: str) -> Callable:
    """Log in first; then only users with one of `roles` get past (others get 403)."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        @login_required
        def wrapped(request, *args, **kwargs):
            if not has_role(request.user, roles):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
