"""The access policy itself: abilities per role, records, fields, the admin."""

import pytest
from django.apps import apps

from brik.accounts import permissions as p
from brik.accounts.permissions import Ability as A
from brik.cases.models import PersonIdentity, Referral
from brik.core import choices as c
from brik.protection.fields import encrypted_fields
from brik.testing.factories import UserFactory


def test_every_encrypted_field_has_a_reading_rule():
    encrypted = {
        (m._meta.label_lower, f.name) for m in apps.get_models() for f in encrypted_fields(m)
    }
    ruled = {(model, f) for model, fields in p.PROTECTED_FIELDS.items() for f in fields}
    assert encrypted == ruled


@pytest.mark.parametrize(
    ("role", "sees"),
    [
        (c.Role.CASEWORKER, True),
        (c.Role.LEAD, True),
        (c.Role.ANALYST, False),
        (c.Role.REFERRER, False),
        (c.Role.OUTREACH, False),
        (c.Role.ADMINISTRATOR, False),
        (c.Role.AUDITOR, False),
    ],
)
def test_only_centre_staff_read_identity_fields_and_narratives(db, role, sees):
    user = UserFactory(role=role, is_staff=True, is_superuser=True)
    assert p.field_visible(user, PersonIdentity, "family_name") is sees
    assert p.field_visible(user, Referral, "observations") is sees
    # Statistical fields are for everyone who can see the record at all.
    assert p.field_visible(user, Referral, "urgency")


def test_a_masked_record_hides_exactly_the_protected_fields(carol, referred_case):
    identity = referred_case.person.identity

    seen = p.masked(carol, identity)

    assert seen.family_name == p.MASK
    assert seen.full_name == p.MASK
    assert seen.date_of_birth == p.MASK
    assert seen.person == referred_case.person


def test_a_reader_who_may_see_everything_gets_the_record_itself(alice, referred_case):
    identity = referred_case.person.identity
    assert p.masked(alice, identity) is identity


def test_a_partner_reaches_only_cases_their_organisation_referred(dave, mallory, referred_case):
    assert p.can(dave, A.REFERRAL_STATUS, referred_case)
    assert not p.can(mallory, A.REFERRAL_STATUS, referred_case)
    assert list(p.cases_visible_to(dave)) == [referred_case]
    assert list(p.cases_visible_to(mallory)) == []


def test_an_auditor_reaches_no_case(oscar, referred_case):
    assert list(p.cases_visible_to(oscar)) == []
    assert not p.can(oscar, A.CASE_VIEW)
    assert p.can(oscar, A.AUDIT_SEARCH)


def test_a_superuser_administrator_gets_no_case_records_in_the_admin(frank):
    frank.is_superuser = True
    assert not frank.has_perm("cases.view_case")
    assert frank.has_perm("accounts.change_user")
    assert frank.has_perm("audit.view_actionlog")


def test_a_lead_with_staff_status_reads_case_records_in_the_admin(bob):
    assert not bob.has_perm("cases.view_case")
    bob.is_staff = True
    assert bob.has_perm("cases.view_case")
    assert not bob.has_perm("accounts.view_user")


def test_an_inactive_user_can_do_nothing(alice):
    alice.is_active = False
    assert p.abilities(alice) == frozenset()
