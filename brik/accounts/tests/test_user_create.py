import pytest

from brik.accounts import services
from brik.accounts.models import User
from brik.core import choices as c
from brik.testing.factories import OrganisationFactory

PASSWORD = "a-long-synthetic-passphrase"


def test_it_creates_a_caseworker_at_the_centre(frank, centre, logged, confirmation):
    user = services.user_create(
        actor=frank,
        confirmation=confirmation(frank),
        username="grete",
        organisation=centre,
        role=c.Role.CASEWORKER,
        password=PASSWORD,
        first_name="Grete",
        email="grete@EXAMPLE.org",
    )

    user.refresh_from_db()
    assert (user.organisation, user.role, user.first_name) == (centre, "caseworker", "Grete")
    assert user.email == "grete@example.org"
    assert user.check_password(PASSWORD)
    assert not user.is_staff
    row = logged("brik.user.created", actor=frank, obj=user)
    assert row.data == {
        "username": "grete",
        "organisation": centre.pk,
        "role": "caseworker",
        "is_staff": False,
        "is_superuser": False,
        "password_login": True,
    }
    assert PASSWORD not in str(row.data)


def test_without_a_password_the_user_cannot_log_in_yet(frank, ngo):
    user = services.user_create(actor=frank, username="hanne", organisation=ngo, role="outreach")

    assert not user.has_usable_password()


def test_a_user_without_a_role_needs_no_organisation(frank):
    user = services.user_create(actor=frank, username="ops", organisation=None, role="")

    assert user.organisation is None


@pytest.mark.parametrize(
    ("org_type", "role"),
    [
        ("police", "referrer"),
        ("tax", "referrer"),
        ("labour", "referrer"),
        ("immigration", "referrer"),
        ("municipality", "referrer"),
        ("health", "referrer"),
        ("other", "referrer"),
        ("ngo", "outreach"),
        ("centre", "lead"),
        ("centre", "analyst"),
        ("immigration", "analyst"),
        ("centre", "administrator"),
    ],
)
def test_a_role_is_held_in_an_organisation_of_a_fitting_type(frank, org_type, role, confirmation):
    organisation = OrganisationFactory(name=f"Org {org_type}", type=org_type, region="hovedstaden")

    user = services.user_create(
        actor=frank,
        username="u",
        organisation=organisation,
        role=role,
        confirmation=confirmation(frank),
    )

    assert user.role == role


@pytest.mark.parametrize(
    ("org_type", "role", "role_label", "type_label"),
    [
        ("police", "caseworker", "Centre caseworker", "Police district"),
        ("ngo", "lead", "Centre lead", "NGO"),
        ("police", "outreach", "NGO outreach worker", "Police district"),
        ("ngo", "referrer", "Partner referrer", "NGO"),
        ("centre", "referrer", "Partner referrer", "Anti-trafficking centre"),
        ("prosecution", "referrer", "Partner referrer", "Prosecution service"),
        ("reintegration", "referrer", "Partner referrer", "Reintegration partner abroad"),
    ],
)
def test_it_refuses_a_role_that_does_not_fit_the_organisation(
    frank, refused, org_type, role, role_label, type_label
):
    organisation = OrganisationFactory(name="Somewhere", type=org_type)

    with refused(
        f"The role “{role_label}” cannot be held in “Somewhere” ({type_label}).",
        code="role_organisation_mismatch",
    ):
        services.user_create(actor=frank, username="u", organisation=organisation, role=role)
    assert not User.objects.filter(username="u").exists()


def test_it_refuses_a_role_without_an_organisation(frank, refused):
    with refused(
        "A user with a role must belong to an organisation.", code="organisation_required"
    ):
        services.user_create(actor=frank, username="u", organisation=None, role="analyst")


def test_it_refuses_an_unknown_role(frank, centre, refused):
    with refused("Unknown role."):
        services.user_create(actor=frank, username="u", organisation=centre, role="boss")


def test_it_refuses_an_inactive_organisation(frank, refused):
    closed = OrganisationFactory(name="Lukket NGO", type="ngo", is_active=False)

    with refused("“Lukket NGO” is no longer active; users cannot join it."):
        services.user_create(actor=frank, username="u", organisation=closed, role="outreach")


def test_it_refuses_a_username_that_is_taken_in_other_letters(frank, alice, centre, refused):
    with refused("The username “Alice” is taken.", code="duplicate_username"):
        services.user_create(actor=frank, username="Alice", organisation=centre, role="analyst")


def test_it_refuses_a_weak_password(frank, centre, refused):
    with refused("This password is too short. It must contain at least 12 characters."):
        services.user_create(
            actor=frank, username="u", organisation=centre, role="analyst", password="Zq7!kw"
        )
