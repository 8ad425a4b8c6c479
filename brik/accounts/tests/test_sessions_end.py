"""A reset of the second factor or a new password ends all of that person's sessions."""

from django.test import Client
from django.urls import reverse

from brik.accounts import services
from brik.accounts.models import Authenticator, Session
from brik.accounts.tests.conftest import totp_code
from brik.audit.models import ActionLog

LOGIN = (reverse("login"), reverse("admin:login"))


def logged_in(user) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


def sent_to_login(response) -> bool:
    return response.status_code == 302 and response["Location"].startswith(LOGIN)


def test_after_a_reset_a_stolen_session_is_not_offered_the_new_enrolment(
    alice, frank, referred_case, confirmation
):
    stolen = logged_in(alice)
    assert stolen.get(referred_case.get_absolute_url()).status_code == 200

    services.two_factor_reset(actor=frank, user=alice, confirmation=confirmation(frank))

    assert sent_to_login(stolen.get(referred_case.get_absolute_url()))
    assert sent_to_login(stolen.get(reverse("accounts:two_factor")))
    assert not Authenticator.objects.filter(user=alice).exists()


def test_a_reset_through_the_admin_logs_the_person_out_everywhere(alice, frank, carol):
    phone, laptop, bystander = logged_in(alice), logged_in(alice), logged_in(carol)
    admin = logged_in(frank)

    admin.post(
        reverse("admin:accounts_user_changelist"),
        {
            "action": "reset_two_factor",
            "_selected_action": [alice.pk],
            "confirm": "yes",
            "second_factor": totp_code(Authenticator.objects.get(user=frank)),
        },
    )

    assert sent_to_login(phone.get(reverse("cases:list")))
    assert sent_to_login(laptop.get(reverse("cases:list")))
    assert bystander.get(reverse("cases:list")).status_code == 200
    assert ActionLog.objects.get(action="brik.user.two_factor_reset").data == {"sessions_ended": 2}


def test_a_password_set_by_an_administrator_ends_the_persons_sessions(carol, frank):
    session = logged_in(carol)

    services.user_set_password(actor=frank, user=carol, password="a-new-synthetic-phrase")

    assert sent_to_login(session.get(reverse("cases:list")))
    assert not Session.objects.filter(user_id=carol.pk).exists()


def test_changing_ones_own_password_keeps_this_session_and_ends_the_others(frank):
    here, elsewhere = logged_in(frank), logged_in(frank)
    new = "a-new-synthetic-phrase-for-frank"

    response = here.post(
        reverse("admin:password_change"),
        {
            "old_password": "correct-horse-battery-staple",
            "new_password1": new,
            "new_password2": new,
        },
    )

    assert response.status_code == 302
    frank.refresh_from_db()
    assert frank.check_password(new)
    assert here.get(reverse("admin:index")).status_code == 200
    assert sent_to_login(elsewhere.get(reverse("admin:index")))
    row = ActionLog.objects.get(action="brik.user.password_set")
    assert (row.actor, row.object_id) == (frank, str(frank.pk))
