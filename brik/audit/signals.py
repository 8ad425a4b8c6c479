"""Logins, successful and refused, and logouts go to the action log.

Django's authentication sends these signals from every login path (Brik's
login page, the admin, django-axes' refusal of a locked-out login) and every
logout (Brik's menu, the admin), so the log is complete without each view
remembering it. The address is the client's, read through the trusted
proxies exactly as the lockout reads it.
"""

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from brik.accounts.addresses import client_ip
from brik.audit import services
from brik.audit.events import AuditEvent


def _ip(request) -> str | None:
    return client_ip(request) if request is not None else None


@receiver(user_logged_in, dispatch_uid="brik.audit.login")
def record_login(sender, request, user, **kwargs):
    services.login_record(user=user, ip=_ip(request))


@receiver(user_login_failed, dispatch_uid="brik.audit.login_failed")
def record_login_failure(sender, credentials, request=None, **kwargs):
    services.login_failure_record(username=str(credentials.get("username", "")), ip=_ip(request))


@receiver(user_logged_out, dispatch_uid="brik.audit.logout")
def record_logout(sender, request, user, **kwargs):
    # Logging out of a session that was not logged in sends user=None.
    if user is not None:
        services.log_action(
            actor=user, action=AuditEvent.USER_LOGGED_OUT, obj=user, data={"ip": _ip(request)}
        )
