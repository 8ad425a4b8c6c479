"""`brik notify`: notifications from the action log and the deadlines, and the daily
digest, each made once however often it runs; no e-mail names a person or a case."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse

from brik.cases import services as steps
from brik.notifications import services
from brik.notifications.models import DigestSent, Kind, Notification

CPH = ZoneInfo("Europe/Copenhagen")


def at(*args):
    return time_machine.travel(dt.datetime(*args, tzinfo=CPH), tick=False)


def kinds(user) -> list[str]:
    return sorted(Notification.objects.filter(user=user).values_list("kind", flat=True))


def test_a_case_assigned_to_me_by_someone_else_notifies_me(bob, alice, referred_case):
    steps.case_assign(actor=alice, case=referred_case, caseworker=bob)
    services.notifications_from_action_log()
    assert kinds(bob) == [Kind.ASSIGNED]
    # Alice passed it on herself: nothing for her about it.
    assert kinds(alice) == []


def test_a_referral_assigned_to_me_on_arrival_notifies_me(alice, referred_case):
    services.notifications_from_action_log()
    assert kinds(alice) == [Kind.ASSIGNED]


def test_a_change_by_someone_else_notifies_the_contact_person_once_a_day(alice, bob, referred_case):
    with at(2021, 3, 3, 10):
        steps.interview_plan(
            actor=bob, case=referred_case, planned_for=dt.datetime(2021, 3, 5, 10, tzinfo=CPH)
        )
        steps.interview_plan(
            actor=bob, case=referred_case, planned_for=dt.datetime(2021, 3, 6, 10, tzinfo=CPH)
        )
        services.notifications_from_action_log()
    assert kinds(alice) == [Kind.ASSIGNED, Kind.CHANGED]


def test_my_own_changes_notify_nobody(alice, referred_case):
    services.notifications_from_action_log()
    steps.interview_plan(
        actor=alice, case=referred_case, planned_for=dt.datetime(2021, 3, 5, 10, tzinfo=CPH)
    )
    services.notifications_from_action_log()
    assert kinds(alice) == [Kind.ASSIGNED]


def test_deadlines_entering_the_warning_window_notify_once(alice, in_support_case):
    # The period ends 9 April 2021; the warning window is 7 days.
    with at(2021, 3, 25, 9):
        services.deadline_notifications()
    assert Kind.DEADLINE_REFLECTION not in kinds(alice)
    with at(2021, 4, 3, 9):
        services.deadline_notifications()
        services.deadline_notifications()
    assert kinds(alice).count(Kind.DEADLINE_REFLECTION) == 1


def test_a_follow_up_falls_due_a_month_after_the_last_contact(alice, departed_case):
    """Departed 20 March 2021: a follow-up is due 20 April. After one held on 18 April
    the next is due 18 May; one recorded later for an earlier day (10 April) moves
    nothing. The warning window is 7 days."""
    from brik.core.choices import FollowUpStatus

    def dues() -> list[dt.date]:
        notes = Notification.objects.filter(user=alice, kind=Kind.DEADLINE_FOLLOW_UP)
        return sorted(notes.values_list("due", flat=True))

    with at(2021, 4, 12, 9):
        services.deadline_notifications()
    assert dues() == []
    with at(2021, 4, 15, 9):
        services.deadline_notifications()
    assert dues() == [dt.date(2021, 4, 20)]
    for held_on in (dt.date(2021, 4, 18), dt.date(2021, 4, 10)):
        steps.follow_up_add(
            actor=alice, case=departed_case, held_on=held_on, status=FollowUpStatus.ON_TRACK
        )
    with at(2021, 5, 10, 9):
        services.deadline_notifications()
    assert dues() == [dt.date(2021, 4, 20)]
    with at(2021, 5, 12, 9):
        services.deadline_notifications()
    assert dues() == [dt.date(2021, 4, 20), dt.date(2021, 5, 18)]


def test_a_decision_pending_notifies_the_contact_person(alice, referred_case):
    with at(2021, 3, 20, 9):
        services.deadline_notifications()
    assert Kind.DEADLINE_DECISION in kinds(alice)


def test_notify_twice_makes_and_sends_nothing_twice(alice, bob, referred_case, mailoutbox):
    alice.email = "alice@example.org"
    alice.save()
    with at(2021, 3, 20, 7):
        call_command("notify")
        made = Notification.objects.count()
        call_command("notify")
    assert Notification.objects.count() == made
    assert len(mailoutbox) == 1
    assert DigestSent.objects.filter(user=alice).count() == 1


def test_the_digest_has_counts_and_links_but_no_name_or_case(
    alice, referred_case, mailoutbox, settings
):
    settings.BRIK_BASE_URL = "https://brik.example.org"
    alice.email = "alice@example.org"
    alice.save()
    with at(2021, 3, 20, 7):
        services.notify(base_url=settings.BRIK_BASE_URL)
    (message,) = mailoutbox
    body = message.subject + message.body
    assert "https://brik.example.org/notifications/" in body
    assert "https://brik.example.org/work/" in body
    assert ": 1" in body
    identity = referred_case.person.identity
    for secret in (identity.given_names, identity.family_name, referred_case.code, "BRK-"):
        assert secret not in body


def test_the_next_day_brings_a_digest_only_of_what_is_new(alice, bob, referred_case, mailoutbox):
    alice.email = "alice@example.org"
    alice.save()
    with at(2021, 3, 2, 7):
        services.notify(base_url="http://x")
    with at(2021, 3, 3, 7):
        services.notify(base_url="http://x")  # nothing new: no mail
    assert len(mailoutbox) == 1
    with at(2021, 3, 4, 7):
        steps.interview_plan(
            actor=bob, case=referred_case, planned_for=dt.datetime(2021, 3, 5, 10, tzinfo=CPH)
        )
        services.notify(base_url="http://x")
    assert len(mailoutbox) == 2


def test_a_user_who_opted_out_gets_no_digest(alice, referred_case, mailoutbox):
    alice.email = "alice@example.org"
    alice.save()
    services.digest_preference_set(user=alice, daily_digest=False)
    services.notify(base_url="http://x")
    assert mailoutbox == []
    assert Notification.objects.filter(user=alice).exists()


def test_a_failed_send_is_tried_again_next_run(alice, referred_case, mailoutbox, monkeypatch):
    alice.email = "alice@example.org"
    alice.save()

    def broken(*args, **kwargs):
        raise OSError("mail server down")

    services.notifications_from_action_log()
    monkeypatch.setattr(services, "send_mail", broken)
    with pytest.raises(OSError, match="mail server down"):
        services.send_digests(base_url="http://x")
    assert not DigestSent.objects.exists()
    assert not Notification.objects.filter(digested_on__isnull=False).exists()
    monkeypatch.undo()
    assert services.send_digests(base_url="http://x") == 1


# --- the pages ----------------------------------------------------------------------------


def test_the_bell_counts_my_unread_notifications(alice_client, alice, referred_case):
    services.notifications_from_action_log()
    bell = alice_client.get(reverse("notifications:bell"), HTTP_HX_REQUEST="true")
    assert 'class="bell-count">1<' in bell.content.decode()


def test_the_bell_counts_each_users_unread_to_its_cap(monkeypatch, alice, bob):
    """The bell's count (its SQL compiled once, brik.core.kept) is each user's own, of
    the unread only, and stops one past BELL_CAP (the bell says "99+")."""
    from brik.core import kept
    from brik.notifications import selectors

    monkeypatch.setattr(kept, "VERIFY", True)  # the kept SQL compared with the ORM's each call
    Notification.objects.bulk_create(
        [Notification(user=alice, kind=Kind.CHANGED, key=f"a{i}") for i in range(120)]
        + [Notification(user=bob, kind=Kind.CHANGED, key=f"b{i}") for i in range(3)]
    )
    assert selectors.unread_count(user=alice) == selectors.BELL_CAP + 1
    assert selectors.unread_count(user=bob) == 3
    Notification.objects.filter(user=bob, key="b0").update(read_at=dt.datetime.now(dt.UTC))
    assert selectors.unread_count(user=bob) == 2
    Notification.objects.filter(user=alice).exclude(key__in=["a1", "a2"]).delete()
    assert selectors.unread_count(user=alice) == 2


def test_the_list_works_without_javascript_and_marks_read(alice_client, alice, referred_case):
    services.notifications_from_action_log()
    page = alice_client.get(reverse("notifications:list")).content.decode()
    assert referred_case.code in page
    assert "A case was assigned to you" in page
    note = Notification.objects.get(user=alice)
    response = alice_client.post(reverse("notifications:read"), {"notification": note.pk})
    assert response.status_code == 302
    note.refresh_from_db()
    assert note.read_at is not None


def test_nobody_marks_anothers_notifications_read(bob_client, alice, referred_case):
    services.notifications_from_action_log()
    note = Notification.objects.get(user=alice)
    bob_client.post(reverse("notifications:read"), {"notification": note.pk})
    bob_client.post(reverse("notifications:read"))
    note.refresh_from_db()
    assert note.read_at is None


def test_the_digest_can_be_turned_off_on_the_page(alice_client, alice):
    alice_client.post(reverse("notifications:digest"), {})
    assert alice.digest_preference.daily_digest is False
    alice_client.post(reverse("notifications:digest"), {"daily_digest": "on"})
    alice.digest_preference.refresh_from_db()
    assert alice.digest_preference.daily_digest is True
