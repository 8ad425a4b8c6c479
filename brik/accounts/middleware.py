"""Sends a logged-in person who still owes their second factor to the 2FA step."""

from brik.accounts.permissions import is_verified, redirect_to_two_factor, two_factor_required

# A session whose user has a second factor although their role does not need
# one: set at login, so that they are asked for it all the same.
TWO_FACTOR_PENDING = "brik_two_factor_pending"

# Pages open before the second factor: logging in and out, the language
# switch, and the 2FA step itself (its views are marked two_factor_exempt).
EXEMPT_VIEWS = frozenset({"login", "logout", "set_language"})


def two_factor_exempt(view):
    """Mark a view as reachable before the second factor."""
    view.two_factor_exempt = True
    return view


def owes_second_factor(request) -> bool:
    user = request.user
    if not user.is_authenticated or is_verified(user):
        return False
    return two_factor_required(user) or bool(request.session.get(TWO_FACTOR_PENDING))


class TwoFactorMiddleware:
    """Must come after django_otp's OTPMiddleware, which tells whether the session is verified."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if getattr(view_func, "two_factor_exempt", False):
            return None
        match = request.resolver_match
        if match is not None and match.view_name in EXEMPT_VIEWS:
            return None
        if owes_second_factor(request):
            return redirect_to_two_factor(request)
        return None
