"""Lockouts lifted outside Brik's admin go to the action log too.

django-axes deletes its attempt rows from several places: its reset commands
(`brik axes_reset`, `axes_reset_username`, ...), its utilities, and its
housekeeping. A row deleted while its lockout is still in force is an unlock
and is logged, with no actor; the admin's unlock logs its own rows, with the
administrator (brik.accounts.services.lockouts_clear).
"""

from axes.models import AccessAttempt
from django.db.models.signals import post_delete
from django.dispatch import receiver

from brik.accounts import services


@receiver(post_delete, sender=AccessAttempt, dispatch_uid="brik.accounts.lockout_cleared")
def record_lockout_cleared(sender, instance, **kwargs):
    if services.clearing_lockouts() or not services.lockout_in_force(instance):
        return
    services.lockout_cleared_record(actor=None, attempt=instance, via="outside the admin")
