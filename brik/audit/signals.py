"""Logins, successful and refused, go to the action log.

Django's authentication sends these signals from every login path (Brik's
login page, the admin, django-axes' refusal of a locked-out login), so the
log is complete without each view remembering it.
"""

from axes.helpers import get_client_ip_address
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.dispatch import receiver

from brik.audit import services


def _ip(request) -> str | None:
    return get_client_ip_address(request) if request is not None else None


@receiver(user_logged_in, dispatch_uid="brik.audit.login")
def record_login(sender, request, user, **kwargs):
    services.login_record(user=user, ip=_ip(request))


@receiver(user_login_failed, dispatch_uid="brik.audit.login_failed")
def record_login_failure(sender, credentials, request=None, **kwargs):
    services.login_failure_record(username=str(credentials.get("username", "")), ip=_ip(request))
