"""The admin for organisations and users saves through the accounts services."""

import pytest
from django.urls import reverse

from brik.accounts.models import Organisation, User
from brik.audit.models import ActionLog
from brik.core import choices as c

PASSWORD = "a-long-synthetic-passphrase"


@pytest.fixture
def admin_client(client, superuser):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"  # pages are compared in English
    client.force_login(superuser)
    return client


@pytest.mark.parametrize(
    "name",
    [
        "admin:accounts_organisation_changelist",
        "admin:accounts_organisation_add",
        "admin:accounts_user_changelist",
        "admin:accounts_user_add",
    ],
)
def test_the_pages_load_for_a_superuser(admin_client, police, dave, name):
    response = admin_client.get(reverse(name))

    assert response.status_code == 200


def test_the_change_pages_load(admin_client, police, dave):
    for url in (
        reverse("admin:accounts_organisation_change", args=[police.pk]),
        reverse("admin:accounts_user_change", args=[dave.pk]),
        reverse("admin:auth_user_password_change", args=[dave.pk]),
    ):
        assert admin_client.get(url).status_code == 200


def test_the_organisation_list_offers_to_add_a_police_district(admin_client):
    response = admin_client.get(reverse("admin:accounts_organisation_changelist"))

    add_url = reverse("admin:accounts_organisation_add")
    assert f'href="{add_url}?type=police"' in response.content.decode()
    assert "Add police district" in response.content.decode()


def test_the_police_district_link_opens_the_form_with_the_type_chosen(admin_client):
    response = admin_client.get(reverse("admin:accounts_organisation_add") + "?type=police")

    assert response.context["adminform"].form.initial["type"] == "police"
    assert "choose the type “Police district”" in response.content.decode()


def organisation_form(**overrides):
    return {
        "type": "police",
        "name": "Nordsjællands Politi",
        "short_name": "",
        "country": "DK",
        "region": "hovedstaden",
        "is_active": "on",
    } | overrides


def test_adding_a_police_district_goes_through_the_service(admin_client, superuser):
    response = admin_client.post(reverse("admin:accounts_organisation_add"), organisation_form())

    assert response.status_code == 302
    district = Organisation.objects.get(name="Nordsjællands Politi")
    assert (district.type, district.region) == ("police", "hovedstaden")
    row = ActionLog.objects.get(action="brik.organisation.created")
    assert (row.actor, row.object_id) == (superuser, str(district.pk))


def test_a_police_district_without_a_region_is_refused_on_the_page(admin_client):
    response = admin_client.post(
        reverse("admin:accounts_organisation_add"), organisation_form(region="")
    )

    assert response.status_code == 200
    assert "Choose the region the police district covers." in response.content.decode()
    assert not Organisation.objects.filter(name="Nordsjællands Politi").exists()


def test_changing_an_organisation_goes_through_the_service(admin_client, police):
    url = reverse("admin:accounts_organisation_change", args=[police.pk])
    response = admin_client.post(
        url, organisation_form(name=police.name, short_name="ØJP", region="midtjylland")
    )

    assert response.status_code == 302
    row = ActionLog.objects.get(action="brik.organisation.changed")
    assert row.data == {"changed": {"short_name": ["", "ØJP"]}}


def user_add_form(**overrides):
    return {
        "username": "ida",
        "usable_password": "true",
        "password1": PASSWORD,
        "password2": PASSWORD,
        "first_name": "Ida",
        "last_name": "",
        "email": "",
        "organisation": "",
        "role": "",
    } | overrides


def test_adding_a_user_goes_through_the_service(admin_client, superuser, police):
    response = admin_client.post(
        reverse("admin:accounts_user_add"),
        user_add_form(organisation=police.pk, role="referrer"),
    )

    assert response.status_code == 302
    ida = User.objects.get(username="ida")
    assert (ida.organisation, ida.role, ida.first_name) == (police, "referrer", "Ida")
    assert ida.check_password(PASSWORD)
    assert response.url == reverse("admin:accounts_user_change", args=[ida.pk])
    row = ActionLog.objects.get(action="brik.user.created")
    assert (row.actor, row.object_id) == (superuser, str(ida.pk))


def test_a_role_that_does_not_fit_is_refused_on_the_page(admin_client, police):
    response = admin_client.post(
        reverse("admin:accounts_user_add"),
        user_add_form(organisation=police.pk, role="outreach"),
    )

    assert response.status_code == 200
    assert (
        "The role “NGO outreach worker” cannot be held in “Østjyllands Politi” (Police district)."
        in response.content.decode()
    )
    assert not User.objects.filter(username="ida").exists()


def user_change_form(user, **overrides):
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


def test_changing_a_user_goes_through_the_service(admin_client, dave, police, other_police):
    url = reverse("admin:accounts_user_change", args=[dave.pk])
    response = admin_client.post(url, user_change_form(dave, organisation=other_police.pk))

    assert response.status_code == 302
    dave.refresh_from_db()
    assert dave.organisation == other_police
    row = ActionLog.objects.get(action="brik.user.changed")
    assert row.data == {"changed": {"organisation": [police.pk, other_police.pk]}}


def test_a_change_that_breaks_the_role_rule_is_refused_on_the_page(admin_client, erin, ngo):
    url = reverse("admin:accounts_user_change", args=[erin.pk])
    response = admin_client.post(url, user_change_form(erin, role="lead"))

    assert response.status_code == 200
    assert "cannot be held in “Reden København” (NGO)" in response.content.decode()
    erin.refresh_from_db()
    assert erin.role == "outreach"


def test_a_password_set_in_the_admin_is_recorded(admin_client, superuser, dave):
    url = reverse("admin:auth_user_password_change", args=[dave.pk])
    response = admin_client.post(
        url, {"usable_password": "true", "password1": PASSWORD, "password2": PASSWORD}
    )

    assert response.status_code == 302
    dave.refresh_from_db()
    assert dave.check_password(PASSWORD)
    row = ActionLog.objects.get(action="brik.user.password_set")
    assert (row.actor, row.object_id, row.data) == (
        superuser,
        str(dave.pk),
        {"password_login": True, "sessions_ended": 0},
    )


def test_organisations_and_users_are_deactivated_not_deleted(admin_client, police, dave):
    for url in (
        reverse("admin:accounts_organisation_delete", args=[police.pk]),
        reverse("admin:accounts_user_delete", args=[dave.pk]),
    ):
        assert admin_client.post(url, {"post": "yes"}).status_code == 403
    assert Organisation.objects.filter(pk=police.pk).exists()
    assert User.objects.filter(pk=dave.pk).exists()


def test_the_user_list_filters_by_role_and_organisation_type(admin_client, dave, erin):
    url = reverse("admin:accounts_user_changelist")
    response = admin_client.get(url, {"role": c.Role.OUTREACH})

    assert [u.username for u in response.context["cl"].result_list] == ["erin"]
    response = admin_client.get(url, {"organisation__type": c.OrganisationType.POLICE})
    assert [u.username for u in response.context["cl"].result_list] == ["dave"]
