from brik.accounts import services
from brik.audit.models import ActionLog
from brik.core import choices as c


def test_it_changes_an_organisation_and_records_old_and_new(frank, police, logged):
    services.organisation_update(
        actor=frank, organisation=police, short_name="ØJP", region=c.Region.SYDDANMARK
    )

    police.refresh_from_db()
    assert (police.short_name, police.region) == ("ØJP", "syddanmark")
    row = logged("brik.organisation.changed", actor=frank, obj=police)
    assert row.data == {
        "changed": {"short_name": ["", "ØJP"], "region": ["midtjylland", "syddanmark"]}
    }


def test_it_deactivates_an_organisation(frank, police):
    services.organisation_update(actor=frank, organisation=police, is_active=False)

    police.refresh_from_db()
    assert police.is_active is False


def test_a_change_that_changes_nothing_is_not_recorded(frank, police):
    services.organisation_update(actor=frank, organisation=police, name="Østjyllands Politi")

    assert not ActionLog.objects.filter(action="brik.organisation.changed").exists()


def test_it_refuses_a_new_type_that_its_users_roles_do_not_fit(frank, ngo, erin, refused):
    with refused(
        "The role “NGO outreach worker” cannot be held in “Reden København” (Municipality).",
        code="role_organisation_mismatch",
    ):
        services.organisation_update(actor=frank, organisation=ngo, type="municipality")


def test_it_refuses_the_name_of_another_organisation(frank, police, other_police, refused):
    with refused("An organisation named “Fyns Politi” already exists."):
        services.organisation_update(actor=frank, organisation=police, name="Fyns Politi")


def test_it_refuses_to_take_the_region_from_a_police_district(frank, police, refused):
    with refused("Choose the region the police district covers."):
        services.organisation_update(actor=frank, organisation=police, region="")
