"""Writes of the notifications: made from the action log and the deadlines by
`brik notify`, marked read by their reader, and the daily digest mailed.

Everything here is idempotent: a notification's key is unique per user
(bulk_create ignores the second), the action log is read from a stored cursor,
and a digest is recorded per user and day before it is sent, in the same
transaction (a failed send rolls the record back, so the next run tries again).
No e-mail names a person or describes a case: counts and links only.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Count, Max, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from brik.accounts.models import User
from brik.audit.events import READ_EVENTS, AuditEvent
from brik.audit.models import ActionLog
from brik.audit.services import log_action
from brik.cases.models import Case, PreparedReturn
from brik.core import choices
from brik.notifications.models import (
    Cursor,
    DigestPreference,
    DigestSent,
    Kind,
    Notification,
)

BATCH = 2000
ACTION_LOG_CURSOR = "action_log"


@dataclass
class NotifyResult:
    from_action_log: int = 0
    deadlines: int = 0
    digests: int = 0


def _create(rows: list[Notification]) -> int:
    """Insert the notifications not made before (a key is unique per user); return how many."""
    if not rows:
        return 0
    keys = {(n.user_id, n.key) for n in rows}
    existing = set(
        Notification.objects.filter(
            user_id__in={u for u, _k in keys}, key__in={k for _u, k in keys}
        ).values_list("user_id", "key")
    )
    new = [n for n in rows if (n.user_id, n.key) not in existing]
    Notification.objects.bulk_create(new, ignore_conflicts=True)
    return len(new)


# --- from the action log ---------------------------------------------------------------------


def notifications_from_action_log() -> int:
    """Read the action log from where the last run stopped: a case assigned to someone,
    and a case changed by someone other than its contact person, notify the contact person."""
    made = 0
    while True:
        with transaction.atomic():
            cursor, _created = Cursor.objects.select_for_update().get_or_create(
                name=ACTION_LOG_CURSOR
            )
            rows = list(
                ActionLog.objects.filter(sequence__gt=cursor.sequence, case__isnull=False)
                .exclude(action__in=READ_EVENTS)
                .select_related("case")
                .only("sequence", "action", "actor_id", "data", "case__assigned_to_id", "case_id")
                .order_by("sequence")[:BATCH]
            )
            if not rows:
                # Nothing about a case since: move past the other rows too.
                last = ActionLog.objects.aggregate(last=Max("sequence"))["last"] or 0
                if last > cursor.sequence:
                    cursor.sequence = last
                    cursor.save(update_fields=["sequence"])
                return made
            notes: list[Notification] = []
            for row in rows:
                notes.extend(_from_row(row))
            made += _create(notes)
            cursor.sequence = rows[-1].sequence
            cursor.save(update_fields=["sequence"])


def _from_row(row: ActionLog) -> list[Notification]:
    case = row.case
    assert case is not None
    if row.action == AuditEvent.CASE_ASSIGNED:
        to = (row.data or {}).get("to")
        if to and to != row.actor_id:
            return [
                Notification(
                    user_id=to, kind=Kind.ASSIGNED, case_id=case.pk, key=f"assigned:{case.pk}:{to}"
                )
            ]
        return []
    contact = case.assigned_to_id
    if not contact or contact == row.actor_id:
        return []
    if row.action == AuditEvent.CASE_REFERRED:
        # Its contact person now (the log row does not name the first one); the same
        # key as an assignment's, so one case assigned to one person notifies once.
        return [
            Notification(
                user_id=contact,
                kind=Kind.ASSIGNED,
                case_id=case.pk,
                key=f"assigned:{case.pk}:{contact}",
            )
        ]
    # One "changed" notification per case and day is enough to send the person there.
    day = timezone.localdate(row.created_at) if row.created_at else timezone.localdate()
    return [
        Notification(
            user_id=contact,
            kind=Kind.CHANGED,
            case_id=case.pk,
            key=f"changed:{case.pk}:{day.isoformat()}",
        )
    ]


# --- deadlines entering the warning window ---------------------------------------------------


def deadline_notifications(*, today: date | None = None) -> int:
    """A notification for each deadline of an assigned open case that has entered the
    warning window (once per case and deadline date)."""
    today = today or timezone.localdate()
    warn_until = today + timedelta(days=settings.BRIK_DEADLINE_WARNING_DAYS)
    assigned = Case.objects.filter(assigned_to__isnull=False)
    notes: list[Notification] = []
    for case_id, user_id, ends_on in assigned.filter(
        status__in=choices.CASE_IN_PERIOD, reflection_period__ends_on__lte=warn_until
    ).values_list("id", "assigned_to_id", "reflection_period__ends_on"):
        notes.append(
            Notification(
                user_id=user_id,
                kind=Kind.DEADLINE_REFLECTION,
                case_id=case_id,
                due=ends_on,
                key=f"reflection:{case_id}:{ends_on.isoformat()}",
            )
        )
    pending_since = today - timedelta(days=settings.BRIK_DECISION_PENDING_DAYS)
    for case_id, user_id, referred_on in assigned.filter(
        status__in=choices.CASE_BEFORE_DECISION, referred_on__lt=pending_since
    ).values_list("id", "assigned_to_id", "referred_on"):
        notes.append(
            Notification(
                user_id=user_id,
                kind=Kind.DEADLINE_DECISION,
                case_id=case_id,
                due=referred_on + timedelta(days=settings.BRIK_DECISION_PENDING_DAYS),
                key=f"decision:{case_id}",
            )
        )
    last_contact_by = warn_until - relativedelta(months=1)
    returns = (
        PreparedReturn.objects.filter(
            status=choices.ReturnStatus.DEPARTED,
            case__status=choices.CaseStatus.RETURNED,
            case__assigned_to__isnull=False,
        )
        # The last contact as stored on the return (brik.cases.sort_keys keeps it
        # current): no grouping of every departed return's follow-ups.
        .filter(Q(last_contact_on__lte=last_contact_by) | Q(follow_up_until__lt=today))
        .values_list("case_id", "case__assigned_to_id", "last_contact_on")
    )
    for case_id, user_id, last_contact in returns:
        due = last_contact + relativedelta(months=1)
        notes.append(
            Notification(
                user_id=user_id,
                kind=Kind.DEADLINE_FOLLOW_UP,
                case_id=case_id,
                due=due,
                key=f"follow_up:{case_id}:{due.isoformat()}",
            )
        )
    made = 0
    for start in range(0, len(notes), BATCH):
        with transaction.atomic():
            made += _create(notes[start : start + BATCH])
    return made


# --- reading them ----------------------------------------------------------------------------


@transaction.atomic
def notifications_mark_read(*, user: User, ids: list[int] | None = None) -> int:
    """Mark the user's notifications read: the ones named, or all. Only one's own."""
    rows = Notification.objects.filter(user=user, read_at__isnull=True)
    if ids is not None:
        rows = rows.filter(id__in=ids)
    unread = list(rows.values_list("id", flat=True)[:10_000])
    if not unread:
        return 0  # nothing to write
    marked = Notification.objects.filter(id__in=unread).update(read_at=timezone.now())
    if marked:
        log_action(
            actor=user,
            action=AuditEvent.USER_NOTIFICATIONS_READ,
            obj=user,
            data={"notifications": marked, "all": ids is None},
        )
    return marked


@transaction.atomic
def digest_preference_set(*, user: User, daily_digest: bool) -> DigestPreference | None:
    """Turn the daily e-mail on or off; a change is logged, no change stores nothing."""
    preference = DigestPreference.objects.select_for_update().filter(user=user).first()
    current = preference.daily_digest if preference else True
    if current == daily_digest:
        return preference
    preference, _created = DigestPreference.objects.update_or_create(
        user=user, defaults={"daily_digest": daily_digest}
    )
    log_action(
        actor=user,
        action=AuditEvent.USER_DIGEST_PREFERENCE_CHANGED,
        obj=preference,
        data={"daily_digest": daily_digest},
    )
    return preference


# --- the daily digest --------------------------------------------------------------------------


def _digest_text(counts: dict[str, int], base_url: str) -> str:
    base = base_url.rstrip("/")
    lines = [_("Good morning. In Brik since your last digest:"), ""]
    for kind, label in Kind.choices:
        if counts.get(kind):
            lines.append(f"- {label}: {counts[kind]}")
    lines += [
        "",
        _("Your notifications: %(url)s") % {"url": f"{base}/notifications/"},
        _("My work: %(url)s") % {"url": f"{base}/work/"},
        "",
        _(
            "This e-mail names no person and no case. To stop the daily e-mail, "
            "change it on your notifications page."
        ),
    ]
    return "\n".join(lines)


def send_digests(*, today: date | None = None, base_url: str) -> int:
    """Mail each user who has new notifications, once a day, the counts and two links."""
    today = today or timezone.localdate()
    opted_out = DigestPreference.objects.filter(daily_digest=False).values("user_id")
    users = (
        User.objects.filter(
            is_active=True,
            notifications__digested_on__isnull=True,
            notifications__read_at__isnull=True,
        )
        .exclude(email="")
        .exclude(pk__in=opted_out)
        .exclude(pk__in=DigestSent.objects.filter(day=today).values("user_id"))
        .distinct()
    )
    sent = 0
    for user in users:
        with transaction.atomic():
            # Lock the rows first: PostgreSQL allows no FOR UPDATE with GROUP BY.
            ids = list(
                Notification.objects.select_for_update()
                .filter(user=user, digested_on__isnull=True, read_at__isnull=True)
                .values_list("id", flat=True)
            )
            pending = Notification.objects.filter(pk__in=ids)
            counts = dict(
                pending.order_by()
                .values_list("kind")
                .annotate(n=Count("id"))
                .values_list("kind", "n")
            )
            total = sum(counts.values())
            if not total:
                continue
            record, created = DigestSent.objects.get_or_create(
                user=user, day=today, defaults={"notifications": total}
            )
            if not created:
                continue
            pending.update(digested_on=today)
            log_action(
                actor=None,
                action=AuditEvent.USER_DIGEST_SENT,
                obj=record,
                data={"user": user.pk, "notifications": total},
            )
            with translation.override(settings.LANGUAGE_CODE):
                send_mail(
                    ngettext(
                        "Brik: %(count)d new notification",
                        "Brik: %(count)d new notifications",
                        total,
                    )
                    % {"count": total},
                    _digest_text(counts, base_url),
                    None,
                    [user.email],
                )
        sent += 1
    return sent


def notify(*, today: date | None = None, base_url: str, digest: bool = True) -> NotifyResult:
    """What `brik notify` does: read the action log, the deadlines, then mail the digests."""
    result = NotifyResult()
    result.from_action_log = notifications_from_action_log()
    result.deadlines = deadline_notifications(today=today)
    if digest:
        result.digests = send_digests(today=today, base_url=base_url)
    return result
