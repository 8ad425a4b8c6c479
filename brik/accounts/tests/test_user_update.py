from django.contrib.auth.models import Group

from brik.accounts import services
from brik.audit.models import ActionLog
from brik.core import choices as c
from brik.testing.factories import OrganisationFactory


def test_it_moves_a_user_and_records_old_and_new(frank, dave, other_police, police, logged):
    services.user_update(actor=frank, user=dave, organisation=other_police, is_staff=True)

    dave.refresh_from_db()
    assert (dave.organisation, dave.is_staff) == (other_police, True)
    row = logged("brik.user.changed", actor=frank, obj=dave)
    assert row.data == {
        "changed": {"organisation": [police.pk, other_police.pk], "is_staff": [False, True]}
    }


def test_a_change_that_changes_nothing_is_not_recorded(frank, dave):
    services.user_update(actor=frank, user=dave, role=c.Role.REFERRER)

    assert not ActionLog.objects.filter(action="brik.user.changed").exists()


def test_it_refuses_a_role_that_does_not_fit(frank, erin, refused):
    with refused("The role “Centre caseworker” cannot be held in “Reden København” (NGO)."):
        services.user_update(actor=frank, user=erin, role=c.Role.CASEWORKER)
    erin.refresh_from_db()
    assert erin.role == c.Role.OUTREACH


def test_it_refuses_a_move_to_an_inactive_organisation(frank, dave, refused):
    closed = OrganisationFactory(name="Gammel kreds", type="police", is_active=False)

    with refused("“Gammel kreds” is no longer active; users cannot join it."):
        services.user_update(actor=frank, user=dave, organisation=closed)


def test_a_user_may_stay_in_an_organisation_that_was_deactivated(frank, dave, police):
    services.organisation_update(actor=frank, organisation=police, is_active=False)

    services.user_update(actor=frank, user=dave, first_name="David")

    dave.refresh_from_db()
    assert dave.first_name == "David"


def test_it_records_groups_added_and_removed(frank, dave, logged):
    readers, writers = Group.objects.create(name="readers"), Group.objects.create(name="writers")
    dave.groups.add(readers)

    services.user_set_access(actor=frank, user=dave, groups=[writers])

    assert list(dave.groups.all()) == [writers]
    row = logged("brik.user.access_changed", actor=frank, obj=dave)
    assert row.data == {"groups": {"added": [writers.pk], "removed": [readers.pk]}}


def test_it_sets_a_password_and_records_that_without_the_password(frank, dave, logged):
    services.user_set_password(actor=frank, user=dave, password="another-synthetic-phrase")

    dave.refresh_from_db()
    assert dave.check_password("another-synthetic-phrase")
    row = logged("brik.user.password_set", actor=frank, obj=dave)
    assert row.data == {"password_login": True, "sessions_ended": 0}
