import datetime as dt

from brik.cooperation import services
from brik.cooperation.models import ProsecutionCase
from brik.core import choices


def open_case(actor, district, **overrides):
    values = {"police_case_number": "3700-76543-00001-21", "opened_on": dt.date(2021, 5, 3)}
    values.update(overrides)
    return services.prosecution_open(actor=actor, police_district=district, **values)


def test_it_opens_a_prosecution_under_investigation(today, dave, police, logged):
    prosecution = open_case(dave, police, police_case_number=" 3700-76543-00001-21 ", suspects=2)

    prosecution.refresh_from_db()
    assert prosecution.status == choices.ProsecutionStatus.INVESTIGATION
    assert prosecution.police_case_number == "3700-76543-00001-21"
    assert (prosecution.opened_on, prosecution.suspects) == (dt.date(2021, 5, 3), 2)
    row = logged("brik.prosecution.opened", actor=dave, obj=prosecution)
    assert row.data["police_district"] == police.pk
    assert row.data["suspects"] == 2


def test_it_refuses_an_organisation_that_is_not_a_police_district(today, dave, tax, refused):
    with refused("“Skattestyrelsen” is not a police district.", code="not_police"):
        open_case(dave, tax)
    assert not ProsecutionCase.objects.exists()


def test_it_refuses_a_police_case_number_already_registered(
    open_prosecution, mallory, other_police, refused
):
    with refused(
        "Police case number 4100-81234-00012-21 is already registered.",
        code="duplicate_case_number",
    ):
        open_case(mallory, other_police, police_case_number="4100-81234-00012-21")


def test_the_police_case_number_is_compared_without_regard_to_case(today, dave, police, refused):
    open_case(dave, police, police_case_number="SJP-2021-ab")

    with refused("Police case number SJP-2021-AB is already registered."):
        open_case(dave, police, police_case_number="SJP-2021-AB")


def test_it_refuses_an_empty_police_case_number(today, dave, police, refused):
    with refused("The police case number is required."):
        open_case(dave, police, police_case_number="  ")


def test_it_refuses_an_opening_date_in_the_future(today, dave, police, refused):
    with refused("The opening date cannot be in the future."):
        open_case(dave, police, opened_on=dt.date(2021, 6, 16))
