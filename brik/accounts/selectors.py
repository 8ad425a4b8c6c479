"""Reads about accounts."""

from brik.accounts.models import Authenticator, RecoveryCode


def totp_device(*, user, confirmed: bool = True) -> Authenticator | None:
    return Authenticator.objects.filter(user=user, confirmed=confirmed).order_by("-pk").first()


def has_two_factor(*, user) -> bool:
    return Authenticator.objects.filter(user=user, confirmed=True).exists()


def recovery_codes_left(*, user) -> int:
    return RecoveryCode.objects.filter(device__user=user, device__confirmed=True).count()
