"""Reads of the notifications: the bell's count and a page of one's own list."""

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet

from brik.accounts.models import User
from brik.core.kept import kept_counts
from brik.notifications.models import DigestPreference, Notification

PER_PAGE = 25
# The bell shows "99+" beyond this: counting further costs and tells nothing.
BELL_CAP = 99


def unread_count(*, user: User) -> int:
    """The user's unread notifications, counted up to BELL_CAP + 1 (one indexed query).
    Every page asks for it after loading: its SQL is compiled once (brik.core.kept)."""
    return kept_counts("bell", Notification, [("unread", _unread, (user.pk,))], BELL_CAP)[0]


def _unread(user_id: int) -> QuerySet[Notification]:
    return Notification.objects.filter(user_id=user_id, read_at__isnull=True)


def notifications_page(*, user: User, page: str | int | None) -> Page:
    rows = (
        Notification.objects.filter(user=user)
        .select_related("case__person")
        .order_by("read_at", "-created_at", "-id")
    )
    return Paginator(rows, PER_PAGE).get_page(page)


def digest_wanted(*, user: User) -> bool:
    preference = DigestPreference.objects.filter(user=user).first()
    return preference.daily_digest if preference else True
