"""Reads about accounts."""

from brik.accounts.models import AccessNotice, Authenticator, RecoveryCode, User


def totp_device(*, user: User, confirmed: bool = True) -> Authenticator | None:
    return Authenticator.objects.filter(user=user, confirmed=confirmed).order_by("-pk").first()


def has_two_factor(*, user: User) -> bool:
    return Authenticator.objects.filter(user=user, confirmed=True).exists()


def recovery_codes_left(*, user: User) -> int:
    return RecoveryCode.objects.filter(device__user=user, device__confirmed=True).count()


def access_notices_pending(*, user: User) -> list[AccessNotice]:
    """The access notices `user` (a lead) has not acknowledged: none for anyone else.

    A new lead is shown the earlier ones too, once: one click marks them all as seen.
    """
    from brik.accounts.permissions import Ability, can

    if not can(user, Ability.ACCESS_NOTICES):
        return []
    return list(
        AccessNotice.objects.exclude(acknowledgements__lead=user)
        .select_related("user", "actor")
        .order_by("created_at", "pk")
    )
