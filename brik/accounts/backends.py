"""Authentication backends."""

from axes.backends import AxesStandaloneBackend
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import ValidationError

from brik.accounts.models import User
from brik.core.kept import kept_get


class LockoutBackend(AxesStandaloneBackend):
    """django-axes' lockout check, for logins that come with a request.

    Every login through the web (Brik's login page, the admin) passes the
    request, and is refused while its user name and address are locked out.
    Code that authenticates without one (management commands, scripts) is not
    a web login; django-axes would raise, so it is let through to the next
    backend, which checks the password as usual.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


class UserBackend(ModelBackend):
    """Django's ModelBackend (user name and password, permissions), with the logged-in
    person of every request read with their organisation (the menu shows it) by a
    query whose SQL is compiled once (brik.core.kept): one query instead of two, and
    no building of the query on every request."""

    def get_user(self, user_id):
        try:
            user = kept_get(
                "the session's user",
                User,
                lambda pk: User._default_manager.select_related("organisation").filter(pk=pk),
                user_id,
            )
        except (User.DoesNotExist, ValidationError):
            return None
        return user if self.user_can_authenticate(user) else None
