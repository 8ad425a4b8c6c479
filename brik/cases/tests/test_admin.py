"""The admin shows case records but never changes them, and never shows who a person is."""

import pytest
from django.contrib import admin
from django.urls import reverse

from brik.cases.models import (
    Assessment,
    Case,
    FollowUp,
    Interview,
    Person,
    PersonIdentity,
    PreparedReturn,
    Referral,
    ReflectionPeriod,
    SupportMeasure,
)
from brik.cases.services import IDENTITY_FIELDS
from brik.testing.factories import UserFactory

pytestmark = pytest.mark.usefixtures("fast_passwords", "english")

VIEW_ONLY = [
    Person,
    Case,
    Referral,
    Interview,
    Assessment,
    ReflectionPeriod,
    SupportMeasure,
    PreparedReturn,
]


@pytest.fixture
def root(db):
    return UserFactory(username="root", is_staff=True, is_superuser=True)


@pytest.fixture
def admin_client(client, root):
    client.force_login(root)
    return client


def url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


@pytest.mark.parametrize("model", VIEW_ONLY, ids=lambda m: m.__name__)
def test_case_records_are_view_only_even_for_a_superuser(rf, root, model):
    model_admin = admin.site._registry[model]
    request = rf.get("/")
    request.user = root

    assert model_admin.has_view_permission(request)
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request)
    assert not model_admin.has_delete_permission(request)
    for inline in model_admin.get_inline_instances(request):
        assert not inline.has_add_permission(request, None)
        assert not inline.has_change_permission(request)
        assert not inline.has_delete_permission(request)


def test_identities_and_follow_ups_have_no_admin_of_their_own():
    assert PersonIdentity not in admin.site._registry
    assert FollowUp not in admin.site._registry


@pytest.mark.parametrize("model", VIEW_ONLY, ids=lambda m: m.__name__)
def test_no_list_or_form_shows_an_identity_field(rf, root, model):
    model_admin = admin.site._registry[model]
    request = rf.get("/")
    request.user = root

    shown = set(model_admin.get_list_display(request)) | set(model_admin.get_fields(request))

    assert not shown & set(IDENTITY_FIELDS)
    assert "identity" not in shown


@pytest.mark.parametrize("model", [Person, Case, Referral, Interview, Assessment, PreparedReturn])
def test_the_lists_show_codes_not_names(admin_client, returned_case, model):
    response = admin_client.get(url(model, "changelist"))

    assert response.status_code == 200
    assert "BRK-2021-0001" in response.text
    assert "Testa" not in response.text
    assert "Syntetisk" not in response.text


def test_a_person_page_shows_no_identity(admin_client, referred_case):
    response = admin_client.get(url(Person, "change", referred_case.person.pk))

    assert response.status_code == 200
    assert "BRK-2021-0001" in response.text
    assert "Testa" not in response.text
    assert "Syntetisk" not in response.text


def test_a_case_cannot_be_added_or_changed_through_the_admin(admin_client, referred_case):
    assert admin_client.get(url(Case, "add")).status_code == 403
    response = admin_client.post(
        url(Case, "change", referred_case.pk), {"status": "closed", "closing_reason": "other"}
    )
    assert response.status_code == 403
    assert (
        admin_client.post(url(Case, "delete", referred_case.pk), {"post": "yes"}).status_code == 403
    )

    referred_case.refresh_from_db()
    assert referred_case.status == "referred"
