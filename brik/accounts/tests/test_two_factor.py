"""The second factor: who must pass it, enrolment, the verify step and recovery codes.

These tests log in through the real login page (client.post to /login/): the
test shortcuts client.force_login and client.login pass the second factor by
themselves (brik/conftest.py).
"""

import re

import pytest
from django.urls import reverse
from django_otp.oath import totp

from brik.accounts import services
from brik.accounts.digests import recovery_code_digest
from brik.accounts.models import Authenticator, RecoveryCode
from brik.accounts.permissions import two_factor_required
from brik.audit.models import ActionLog
from brik.core import choices as c
from brik.testing.factories import TEST_PASSWORD, UserFactory

TWO_FACTOR = reverse("accounts:two_factor")


def code(device: Authenticator) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0):06d}"


def password_login(client, user, next_url=""):
    data = {"username": user.username, "password": TEST_PASSWORD}
    if next_url:
        data["next"] = next_url
    return client.post(reverse("login"), data)


@pytest.mark.parametrize(
    ("role", "required"),
    [
        (c.Role.CASEWORKER, True),
        (c.Role.LEAD, True),
        (c.Role.ADMINISTRATOR, True),
        (c.Role.AUDITOR, True),
        (c.Role.ANALYST, False),
        (c.Role.REFERRER, False),
        (c.Role.OUTREACH, False),
    ],
)
def test_the_roles_that_see_identity_fields_and_administrators_need_a_second_factor(
    db, role, required
):
    user = UserFactory(role=role)
    assert two_factor_required(user) is required


def test_anyone_with_staff_status_needs_a_second_factor(db):
    assert two_factor_required(UserFactory(role=c.Role.ANALYST, is_staff=True))


def test_a_caseworker_after_her_password_is_sent_to_the_second_step(client, alice):
    response = password_login(client, alice, reverse("cases:list"))

    assert response.status_code == 302
    assert response["Location"].startswith(TWO_FACTOR)


def test_an_unverified_caseworker_cannot_open_any_case_page(client, alice, referred_case):
    password_login(client, alice)

    for url in (
        reverse("cases:my_work"),
        reverse("cases:list"),
        referred_case.get_absolute_url(),
        reverse("statistics:index"),
    ):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(TWO_FACTOR), url
    assert referred_case.code not in client.get(referred_case.get_absolute_url()).text


def test_an_unverified_administrator_cannot_enter_the_admin(client, frank):
    password_login(client, frank)

    response = client.get(reverse("admin:index"))

    assert response.status_code == 302
    assert response["Location"].startswith(TWO_FACTOR)


def test_an_analyst_without_a_second_factor_goes_straight_in(client, carol):
    response = password_login(client, carol)

    assert response.status_code == 302
    assert not response["Location"].startswith(TWO_FACTOR)
    assert client.get(reverse("cases:list")).status_code == 200


def test_an_analyst_who_set_up_a_second_factor_is_asked_for_it(client, carol):
    device = services.totp_device_ensure(user=carol).device

    response = password_login(client, carol)

    assert response["Location"].startswith(TWO_FACTOR)
    assert client.get(reverse("cases:list"))["Location"].startswith(TWO_FACTOR)
    client.post(TWO_FACTOR, {"code": code(device)})
    assert client.get(reverse("cases:list")).status_code == 200


def test_enrolment_shows_a_qr_code_and_the_secret(client, alice):
    password_login(client, alice)

    response = client.get(TWO_FACTOR)

    device = Authenticator.objects.get(user=alice)
    secret = services.totp_secret(device).secret
    assert response.status_code == 200
    assert not device.confirmed
    assert "<svg" in response.text
    assert secret in response.text
    # Reloading the page keeps the same secret: the app may already have it.
    assert secret in client.get(TWO_FACTOR).text


def test_enrolment_refuses_a_wrong_code(client, alice):
    password_login(client, alice)
    client.get(TWO_FACTOR)

    response = client.post(TWO_FACTOR, {"code": "000000"})

    assert response.status_code == 422
    assert not Authenticator.objects.get(user=alice).confirmed
    assert client.get(reverse("cases:my_work")).status_code == 302


def test_enrolment_with_the_right_code_verifies_the_session_and_gives_recovery_codes(
    client, alice, settings
):
    password_login(client, alice)
    client.get(TWO_FACTOR)
    device = Authenticator.objects.get(user=alice)

    response = client.post(TWO_FACTOR, {"code": code(device), "next": reverse("cases:my_work")})

    codes = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", response.text)
    assert len(codes) == settings.BRIK_RECOVERY_CODES
    assert {recovery_code_digest(c) for c in codes} == set(
        RecoveryCode.objects.values_list("digest", flat=True)
    )
    assert Authenticator.objects.get(user=alice).confirmed
    assert client.get(reverse("cases:my_work")).status_code == 200
    enrolled = ActionLog.objects.filter(action="brik.user.two_factor_enrolled", actor=alice)
    assert enrolled.count() == 1
    assert not any(c in str(row.data) for row in ActionLog.objects.all() for c in codes)


def test_the_verify_step_takes_the_current_code(client, alice):
    device = services.totp_device_ensure(user=alice).device
    password_login(client, alice)

    response = client.post(TWO_FACTOR, {"code": code(device), "next": reverse("cases:list")})

    assert response.status_code == 302
    assert response["Location"] == reverse("cases:list")
    assert client.get(reverse("cases:list")).status_code == 200
    assert ActionLog.objects.filter(action="brik.user.two_factor_passed", actor=alice).count() == 1


def test_the_verify_step_refuses_a_wrong_code_and_logs_it(client, alice):
    services.totp_device_ensure(user=alice)
    password_login(client, alice)

    response = client.post(TWO_FACTOR, {"code": "123456"})

    assert response.status_code == 422
    assert client.get(reverse("cases:list")).status_code == 302
    assert ActionLog.objects.filter(action="brik.user.two_factor_failed", actor=alice).count() == 1


def test_the_verify_step_will_not_redirect_to_another_site(client, alice):
    device = services.totp_device_ensure(user=alice).device
    password_login(client, alice)

    response = client.post(TWO_FACTOR, {"code": code(device), "next": "https://evil.example/"})

    assert response["Location"] == reverse("home")


def test_a_recovery_code_works_once(client, alice, time_machine):
    time_machine.move_to("2021-06-01 12:00:00+02:00", tick=False)
    services.totp_device_ensure(user=alice)
    recovery = services.recovery_codes_generate(user=alice)
    password_login(client, alice)

    assert client.post(TWO_FACTOR, {"code": recovery[0]}).status_code == 302
    assert client.get(reverse("cases:list")).status_code == 200

    client.post(reverse("logout"))
    password_login(client, alice)
    assert client.post(TWO_FACTOR, {"code": recovery[0]}).status_code == 422
    time_machine.shift(60)  # past the pause django-otp imposes after a wrong code
    assert client.post(TWO_FACTOR, {"code": recovery[1]}).status_code == 302


def test_new_recovery_codes_replace_the_old_ones(client, alice):
    services.totp_device_ensure(user=alice)
    old = services.recovery_codes_generate(user=alice)
    client.force_login(alice)

    response = client.post(reverse("accounts:security"))

    new = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", response.text)
    assert len(new) == len(old)
    assert not set(new) & set(old)
    assert set(RecoveryCode.objects.values_list("digest", flat=True)) == {
        recovery_code_digest(c) for c in new
    }


def test_repeated_wrong_codes_are_throttled(client, alice):
    device = services.totp_device_ensure(user=alice).device
    password_login(client, alice)
    for _attempt in range(3):
        client.post(TWO_FACTOR, {"code": "000000"})

    # django-otp waits longer after each failure: even the right code waits.
    response = client.post(TWO_FACTOR, {"code": code(device)})

    assert response.status_code == 422
    assert client.get(reverse("cases:list")).status_code == 302


def test_the_demo_can_give_a_user_a_known_secret(alice):
    secret = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"

    enrolment = services.totp_device_ensure(user=alice, secret=secret)

    assert enrolment.secret == secret
    assert enrolment.uri.startswith("otpauth://totp/")
    assert f"secret={secret}" in enrolment.uri
    assert enrolment.device.confirmed
    # Asking again with the same secret changes nothing.
    assert services.totp_device_ensure(user=alice, secret=secret).device == enrolment.device
    assert Authenticator.objects.filter(user=alice).count() == 1


def test_a_code_from_the_known_secret_lets_the_demo_user_in(client, alice):
    secret = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
    device = services.totp_device_ensure(user=alice, secret=secret).device
    password_login(client, alice)

    assert client.post(TWO_FACTOR, {"code": code(device)}).status_code == 302
    assert client.get(reverse("cases:my_work")).status_code == 200


def test_an_administrator_resets_a_lost_second_factor(client, alice, frank):
    services.totp_device_ensure(user=alice)
    services.recovery_codes_generate(user=alice)
    client.force_login(frank)
    action = {"action": "reset_two_factor", "_selected_action": [alice.pk]}

    asked = client.post(reverse("admin:accounts_user_changelist"), action)
    assert asked.status_code == 200
    assert Authenticator.objects.filter(user=alice).exists()  # nothing yet: the code first

    frank_code = code(Authenticator.objects.get(user=frank))
    response = client.post(
        reverse("admin:accounts_user_changelist"),
        {**action, "confirm": "yes", "second_factor": frank_code},
    )

    assert response.status_code == 302
    assert not Authenticator.objects.filter(user=alice).exists()
    assert not RecoveryCode.objects.filter(device__user=alice).exists()
    row = ActionLog.objects.get(action="brik.user.two_factor_reset")
    assert (row.actor, row.object_id) == (frank, str(alice.pk))


def test_the_admin_does_not_show_anyones_totp_secret(client, frank, alice):
    from django.contrib.admin.sites import site

    services.totp_device_ensure(user=alice)
    assert Authenticator not in site._registry
    client.force_login(frank)
    page = client.get(reverse("admin:accounts_user_change", args=[alice.pk])).text
    assert Authenticator.objects.get(user=alice).key not in page
