"""What every page of a logged-in person needs from accounts."""

import time

from django.utils.functional import SimpleLazyObject

from brik.accounts import selectors
from brik.accounts.permissions import Ability, can, is_verified, two_factor_required


def access_notices(request) -> dict:
    """For a lead past the second factor: who was given access to identities (base.html).

    Read only when a page shows it; nobody else costs a query.
    """
    user = getattr(request, "user", None)
    if user is None or not can(user, Ability.ACCESS_NOTICES):
        return {}
    if two_factor_required(user) and not is_verified(user):
        return {}
    return {"access_notices": SimpleLazyObject(lambda: selectors.access_notices_pending(user=user))}


def session_timeout(request) -> dict:
    """For the session warning (brik.js): seconds until this login ends if nothing else
    is sent, and the input kept from before an ended session (KeepFormAcrossLoginMiddleware).
    No query: the session is already read."""
    from django.conf import settings

    from brik.accounts.sessions import LAST_WRITTEN, RENEW_AFTER

    context: dict = {}
    kept = getattr(request, "kept_form", None)
    if kept is not None:
        context["kept_form"] = kept
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return context
    from brik.accounts.middleware import owes_second_factor

    if owes_second_factor(request):
        # Not logged in completely: no bell, no warning (the 2FA step has its own limit).
        return context
    context["signed_in"] = True
    age = settings.SESSION_COOKIE_AGE
    written = request.session.get(LAST_WRITTEN)
    left = age
    if written is not None:
        idle = time.time() - written
        # This request writes the session again (a full age from now) if a minute has passed.
        left = age if idle >= RENEW_AFTER else int(age - idle)
    context["session_seconds_left"] = max(0, left)
    return context
