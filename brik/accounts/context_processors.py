"""What every page of a logged-in person needs from accounts."""

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
