import pytest

from brik.accounts import services
from brik.accounts.models import Organisation
from brik.core import choices as c


def test_it_creates_a_police_district_in_its_region(frank, logged):
    district = services.organisation_create(
        actor=frank,
        name=" Nordjyllands Politi ",
        short_name="NJP",
        type=c.OrganisationType.POLICE,
        region=c.Region.NORDJYLLAND,
    )

    district.refresh_from_db()
    assert (district.name, district.type, district.region, district.country) == (
        "Nordjyllands Politi",
        "police",
        "nordjylland",
        "DK",
    )
    assert district.is_active
    row = logged("brik.organisation.created", actor=frank, obj=district)
    assert row.data == {
        "name": "Nordjyllands Politi",
        "type": "police",
        "country": "DK",
        "region": "nordjylland",
    }


def test_it_creates_a_partner_abroad_without_a_region(frank):
    partner = services.organisation_create(
        actor=frank, name="Partner Bangkok", type=c.OrganisationType.REINTEGRATION, country="TH"
    )

    assert (partner.country, partner.region) == ("TH", "")


def test_it_refuses_a_danish_police_district_without_a_region(frank, refused):
    with refused("Choose the region the police district covers.", code="region_required"):
        services.organisation_create(
            actor=frank, name="Midt- og Vestjyllands Politi", type="police"
        )
    assert not Organisation.objects.filter(name__contains="Vestjyllands").exists()


def test_it_refuses_a_danish_region_abroad(frank, refused):
    with refused("Only organisations in Denmark have a Danish region."):
        services.organisation_create(
            actor=frank, name="Policía", type="police", country="ES", region="sjaelland"
        )


def test_it_refuses_a_name_that_exists_in_other_letters(frank, police, refused):
    with refused(
        "An organisation named “ØSTJYLLANDS POLITI” already exists.", code="duplicate_name"
    ):
        services.organisation_create(
            actor=frank, name="ØSTJYLLANDS POLITI", type="police", region="midtjylland"
        )


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"type": "church"}, "Unknown type of organisation."),
        ({"country": "XX"}, "XX is not an ISO 3166 country code."),
        ({"region": "skaane"}, "Unknown region."),
        ({"name": "  "}, "The organisation needs a name."),
    ],
)
def test_it_refuses_bad_values(frank, refused, overrides, message):
    values = {"name": "Ny kommune", "type": "municipality"} | overrides

    with refused(message):
        services.organisation_create(actor=frank, **values)
