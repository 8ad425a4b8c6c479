"""Authentication backends."""

from axes.backends import AxesStandaloneBackend


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
