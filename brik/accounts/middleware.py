"""Sends a logged-in person who still owes their second factor to the 2FA step; keeps a
form sent after the session ended, and sends HTMX requests of an ended session to log in."""

from urllib.parse import urlencode, urlsplit

from django.utils.functional import LazyObject, empty
from django_otp.middleware import OTPMiddleware as DjangoOTPMiddleware

from brik.accounts.permissions import is_verified, redirect_to_two_factor, two_factor_required
from brik.core.kept import kept_get

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


class OTPMiddleware(DjangoOTPMiddleware):
    """django-otp's OTPMiddleware (is the session's second factor verified?), loading
    the session's device (an Authenticator) without its secret: the middleware needs
    only whose device it is and whether it is confirmed, and django-otp's lookup
    decrypted the secret and sorted by id on every request (1.4 -> 0.5 ms of CPU).
    A device of another kind is loaded as django-otp loads it. Code that reads the
    secret of this instance gets it then (a deferred field: one query more)."""

    def _device_from_persistent_id(self, persistent_id: str):
        from brik.accounts.models import Authenticator

        persistent_id = self._normalize_persistent_id(persistent_id)
        label, _, device_id = persistent_id.rpartition("/")
        if label != Authenticator.model_label():
            return super()._device_from_persistent_id(persistent_id)
        try:
            pk = int(device_id)
        except ValueError:
            return None
        # A filter on the primary key: at most one row, no order needed; the query's
        # SQL compiled once (brik.core.kept), as it is read on every request.
        try:
            return kept_get(
                "the session's device",
                Authenticator,
                lambda device: Authenticator.objects.filter(id=device).defer("key"),
                pk,
            )
        except Authenticator.DoesNotExist:
            return None


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
        request.user = unwrapped(request.user)
        return None


def unwrapped(user):
    """The user a lazy `request.user` stands for, read by now (owes_second_factor read
    it): the view, the permission checks and the templates then read its attributes
    directly. django-otp's lazy object wraps Django's: through both, each read of an
    attribute went through four lookups and two caught AttributeErrors, a few hundred
    reads a request."""
    while isinstance(user, LazyObject):
        if user._wrapped is empty:
            user._setup()
        user = user._wrapped
    return user


# --- an ended session: keep the typed input, and never swap the login page into a page ---

KEPT_FORM_COOKIE = "brik_kept_form"


def _sent_to_login(response) -> bool:
    """Is this the way to the login page (or to the second factor, its second step)?"""
    if response.status_code not in (301, 302, 303):
        return False
    from django.urls import reverse

    location = urlsplit(response.get("Location", ""))
    return location.path in (reverse("login"), reverse("accounts:two_factor"))


def _previous_session_user(request) -> int | None:
    """Whose session the browser's (ended) session cookie was: the row stays until
    `clearsessions`, keyed by the cookie's digest."""
    from django.conf import settings

    from brik.accounts.digests import session_key_digest
    from brik.accounts.models import Session

    cookie = request.COOKIES.get(settings.SESSION_COOKIE_NAME)
    if not cookie or len(cookie) > 100:
        return None
    return (
        Session.objects.filter(session_key=session_key_digest(cookie))
        .values_list("user_id", flat=True)
        .first()
    )


class KeepFormAcrossLoginMiddleware:
    """When a session has ended, a form sent is kept and given back after the login.

    - A POST by a visitor who is not logged in (any more), answered with the way to
      the login page: its input is kept encrypted on the server for the person whose
      session it was (brik.accounts.services.form_keep), under a random id set in an
      HttpOnly cookie. Nothing of the input is stored in the browser.
    - After logging in again as that person, the first GET of the same page takes
      the input back (once) into `request.kept_form`; base.html writes it into the
      page and brik.js fills the form with it. It is not sent: the person checks it
      and sends it.
    - An HTMX request answered with the way to the login page gets HX-Redirect, so
      the whole window goes to the login page (never the login page swapped into a
      part of the case page), and after it back to the page the person was on.
    Must come after AuthenticationMiddleware and MessageMiddleware.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.conf import settings
        from django.contrib import messages
        from django.utils.translation import gettext as _

        from brik.accounts import services

        kept_id = request.COOKIES.get(KEPT_FORM_COOKIE)
        htmx = request.headers.get("HX-Request") == "true"
        request.kept_form = None
        if kept_id and request.method == "GET" and not htmx and request.user.is_authenticated:
            request.kept_form = services.form_kept_take(
                kept_id=kept_id, user=request.user, path=request.path
            )
            if request.kept_form is not None:
                messages.info(
                    request,
                    _(
                        "Your session had ended. What you typed is back in the form: "
                        "check it, then send it."
                    ),
                )
        response = self.get_response(request)
        if request.kept_form is not None:
            response.delete_cookie(KEPT_FORM_COOKIE)
        if not _sent_to_login(response):
            return response
        next_path = request.get_full_path()
        kept = False
        if request.method == "POST" and not request.user.is_authenticated:
            user_id = _previous_session_user(request)
            if user_id is not None:
                items = [
                    (name, value)
                    for name in request.POST
                    if name not in ("csrfmiddlewaretoken", "form_token")
                    for value in request.POST.getlist(name)
                ]
                response.set_cookie(
                    KEPT_FORM_COOKIE,
                    services.form_keep(user_id=user_id, path=request.path, items=items),
                    max_age=settings.BRIK_KEPT_FORM_MINUTES * 60,
                    secure=settings.SESSION_COOKIE_SECURE,
                    httponly=True,
                    samesite="Lax",
                )
                next_path = request.path
                kept = True
        if htmx:
            if request.method != "POST":
                # A part of a page asked for: back to the page itself after the login.
                current = urlsplit(request.headers.get("HX-Current-URL", ""))
                next_path = (current.path or "/") + (f"?{current.query}" if current.query else "")
            login = urlsplit(response["Location"])
            response.status_code = 204
            response["HX-Redirect"] = f"{login.path}?{urlencode({'next': next_path})}"
            del response["Location"]
        elif kept:
            login = urlsplit(response["Location"])
            response["Location"] = f"{login.path}?{urlencode({'next': next_path})}"
        return response
