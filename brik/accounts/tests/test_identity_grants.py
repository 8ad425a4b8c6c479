"""Giving someone a way to read identities needs the giver's second factor, re-entered."""

import pytest
from django.core import signing
from django.urls import reverse

from brik.accounts import services
from brik.accounts.models import AccessNotice, Authenticator, User
from brik.accounts.tests.conftest import totp_code
from brik.audit.models import ActionLog
from brik.core import choices as c

NEEDS_CODE = (
    "Giving access to identities needs your second factor: "
    "enter the newest code from your authenticator app."
)


def test_making_an_analyst_a_caseworker_needs_the_second_factor(frank, carol, refused):
    with refused(NEEDS_CODE, code="second_factor_required"):
        services.user_update(actor=frank, user=carol, role=c.Role.CASEWORKER)


def test_with_the_second_factor_the_role_is_given_and_the_leads_are_told(
    frank, carol, confirmation
):
    services.user_update(
        actor=frank, user=carol, role=c.Role.CASEWORKER, confirmation=confirmation(frank)
    )

    carol.refresh_from_db()
    assert carol.role == c.Role.CASEWORKER
    notice = AccessNotice.objects.get()
    assert (notice.kind, notice.user, notice.role, notice.actor) == (
        "role_granted",
        carol,
        "caseworker",
        frank,
    )
    row = ActionLog.objects.get(action="brik.user.identity_access_given")
    assert (row.actor, row.object_id, row.data["kind"]) == (frank, str(carol.pk), "role_granted")
    assert ActionLog.objects.filter(
        action="brik.user.second_factor_confirmed", actor=frank
    ).exists()


def test_creating_a_caseworker_needs_the_second_factor(frank, centre, refused):
    with refused(NEEDS_CODE, code="second_factor_required"):
        services.user_create(actor=frank, username="grete", organisation=centre, role="caseworker")


def test_reactivating_a_caseworker_needs_the_second_factor(frank, alice, refused, confirmation):
    User.objects.filter(pk=alice.pk).update(is_active=False)
    alice.refresh_from_db()

    with refused(NEEDS_CODE, code="second_factor_required"):
        services.user_update(actor=frank, user=alice, is_active=True)
    services.user_update(actor=frank, user=alice, is_active=True, confirmation=confirmation(frank))
    assert AccessNotice.objects.get().kind == "reactivated"


def test_a_change_that_gives_no_new_access_needs_no_code(frank, alice, bob):
    services.user_update(actor=frank, user=alice, first_name="Alicia")
    services.user_update(actor=frank, user=bob, role=c.Role.CASEWORKER)  # lead to caseworker

    assert not AccessNotice.objects.exists()


def test_someone_elses_confirmation_does_not_count(frank, bob, carol, refused, confirmation):
    bobs = confirmation(bob)

    with refused(NEEDS_CODE):
        services.user_update(actor=frank, user=carol, role=c.Role.CASEWORKER, confirmation=bobs)


def test_a_forged_or_stale_confirmation_does_not_count(
    frank, carol, refused, confirmation, time_machine
):
    time_machine.move_to("2021-06-01 12:00:00+02:00", tick=False)
    forged = signing.TimestampSigner(salt="something else").sign(str(frank.pk))
    stale = confirmation(frank)
    time_machine.shift(services.CONFIRMATION_SECONDS + 1)

    for given in (forged, stale, "", str(frank.pk)):
        with refused(NEEDS_CODE):
            services.user_update(
                actor=frank, user=carol, role=c.Role.CASEWORKER, confirmation=given
            )


def test_a_wrong_code_is_refused_logged_and_throttled(frank, carol):
    device = services.totp_device_ensure(user=frank).device

    with pytest.raises(services.ValidationError):
        services.second_factor_confirm(actor=frank, code="000000")

    assert ActionLog.objects.filter(action="brik.user.second_factor_refused").count() == 1
    assert Authenticator.objects.get(pk=device.pk).throttling_failure_count == 1


def test_setting_a_caseworkers_password_for_her_needs_the_second_factor(
    frank, alice, refused, confirmation
):
    with refused(NEEDS_CODE):
        services.user_set_password(actor=frank, user=alice, password="a-new-synthetic-phrase")
    services.user_set_password(
        actor=frank,
        user=alice,
        password="a-new-synthetic-phrase",
        confirmation=confirmation(frank),
    )
    assert AccessNotice.objects.get().kind == "password_set"


def test_resetting_a_caseworkers_second_factor_needs_the_administrators(
    frank, alice, carol, refused, confirmation
):
    services.totp_device_ensure(user=alice)
    services.totp_device_ensure(user=carol)

    with refused(NEEDS_CODE):
        services.two_factor_reset(actor=frank, user=alice)
    services.two_factor_reset(actor=frank, user=carol)  # an analyst reads no identities
    services.two_factor_reset(actor=frank, user=alice, confirmation=confirmation(frank))

    assert [n.kind for n in AccessNotice.objects.all()] == ["two_factor_reset"]


def test_the_command_line_needs_no_code_and_tells_no_lead(carol):
    services.user_update(actor=None, user=carol, role=c.Role.CASEWORKER)

    assert not AccessNotice.objects.exists()
    assert ActionLog.objects.get(action="brik.user.changed").actor is None


# --- in the admin ------------------------------------------------------------------------


def change_form(user, **overrides):
    return {
        "username": user.username,
        "organisation": user.organisation_id or "",
        "role": user.role,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "is_active": "on",
        "groups": [],
        "user_permissions": [],
    } | overrides


@pytest.fixture
def frank_client(client, frank):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    client.force_login(frank)
    return client


def test_the_admin_asks_for_the_code_before_making_a_caseworker(
    frank_client, frank, carol, time_machine
):
    time_machine.move_to("2021-06-01 12:00:00+02:00", tick=False)
    url = reverse("admin:accounts_user_change", args=[carol.pk])

    without = frank_client.post(url, change_form(carol, role=c.Role.CASEWORKER))
    assert without.status_code == 200
    assert NEEDS_CODE in without.text
    carol.refresh_from_db()
    assert carol.role == c.Role.ANALYST

    wrong = frank_client.post(
        url, change_form(carol, role=c.Role.CASEWORKER, second_factor="000000")
    )
    assert "The code is not right." in wrong.text

    time_machine.shift(60)  # past the pause after a wrong code
    code = totp_code(Authenticator.objects.get(user=frank))
    right = frank_client.post(url, change_form(carol, role=c.Role.CASEWORKER, second_factor=code))
    assert right.status_code == 302
    carol.refresh_from_db()
    assert carol.role == c.Role.CASEWORKER
    assert AccessNotice.objects.get().user == carol


def test_the_admin_asks_for_the_code_before_setting_a_caseworkers_password(
    frank_client, frank, alice
):
    url = reverse("admin:auth_user_password_change", args=[alice.pk])
    form = {"usable_password": "true", "password1": "x-synthetic-phrase-1", "password2": ""}
    form["password2"] = form["password1"]

    assert "Your two-factor code" in frank_client.get(url).text
    assert frank_client.post(url, form).status_code == 200
    alice.refresh_from_db()
    assert not alice.check_password(form["password1"])

    code = totp_code(Authenticator.objects.get(user=frank))
    assert frank_client.post(url, {**form, "second_factor": code}).status_code == 302
    alice.refresh_from_db()
    assert alice.check_password(form["password1"])
    assert AccessNotice.objects.get().kind == "password_set"
