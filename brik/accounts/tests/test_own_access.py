"""No one changes their own role, organisation, access rights or second factor."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from brik.accounts import services
from brik.accounts.models import Authenticator
from brik.core import choices as c
from brik.testing.factories import OrganisationFactory

OWN = (
    "No one can change their own role, organisation or access rights; "
    "another administrator must do it."
)


@pytest.mark.parametrize(
    "change",
    [
        {"role": c.Role.CASEWORKER},
        {"role": c.Role.AUDITOR},
        {"is_superuser": True},
        {"is_staff": False},
    ],
)
def test_an_administrator_cannot_change_their_own_role_or_access(frank, refused, change):
    with refused(OWN, code="own_access"):
        services.user_update(actor=frank, user=frank, **change)


def test_an_administrator_cannot_move_themselves_to_another_organisation(frank, refused):
    elsewhere = OrganisationFactory(name="Another centre", type=c.OrganisationType.CENTRE)

    with refused(OWN, code="own_access"):
        services.user_update(actor=frank, user=frank, organisation=elsewhere)


def test_an_administrator_cannot_put_themselves_in_a_group(frank, refused):
    group = Group.objects.create(name="Everything")

    with refused(OWN, code="own_access"):
        services.user_set_access(actor=frank, user=frank, groups=[group])


def test_an_administrator_may_still_change_their_own_name(frank):
    services.user_update(actor=frank, user=frank, first_name="Franz")

    frank.refresh_from_db()
    assert frank.first_name == "Franz"


def test_no_one_resets_their_own_second_factor(frank, refused):
    services.totp_device_ensure(user=frank)

    with refused(
        "No one can reset their own two-factor login; another administrator must do it.",
        code="own_access",
    ):
        services.two_factor_reset(actor=frank, user=frank)
    assert Authenticator.objects.filter(user=frank).exists()


def test_the_admin_refuses_an_administrators_own_caseworker_role_on_the_page(client, frank):
    client.force_login(frank)
    url = reverse("admin:accounts_user_change", args=[frank.pk])

    response = client.post(
        url,
        {
            "username": frank.username,
            "organisation": frank.organisation_id,
            "role": c.Role.CASEWORKER,
            "first_name": "",
            "last_name": "",
            "email": "",
            "is_active": "on",
            "is_staff": "on",
            "groups": [],
            "user_permissions": [],
        },
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert response.status_code == 200
    assert OWN in response.text
    frank.refresh_from_db()
    assert frank.role == c.Role.ADMINISTRATOR
    # And so the case pages stay closed to him.
    assert client.get(reverse("cases:list")).status_code == 403
