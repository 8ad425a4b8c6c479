import datetime as dt

from django.utils.formats import date_format as shown

from brik.cooperation import services
from brik.core import choices
from brik.core.errors import TransitionError


def charge(actor, prosecution, **overrides):
    values = {
        "charged_on": dt.date(2021, 5, 1),
        "charges": [choices.Charge.TRAFFICKING],
        "persons_charged": 2,
    }
    values.update(overrides)
    return services.prosecution_charge(actor=actor, prosecution=prosecution, **values)


def test_it_charges_under_section_262_a_and_related_offences(open_prosecution, dave, logged):
    charge(
        dave,
        open_prosecution,
        charges=[choices.Charge.TRAFFICKING, choices.Charge.PIMPING, choices.Charge.TRAFFICKING],
    )

    open_prosecution.refresh_from_db()
    assert open_prosecution.status == choices.ProsecutionStatus.CHARGED
    assert open_prosecution.charges == ["262a", "229"]
    assert (open_prosecution.charged_on, open_prosecution.persons_charged) == (
        dt.date(2021, 5, 1),
        2,
    )
    row = logged("brik.prosecution.charged", actor=dave, obj=open_prosecution)
    assert row.data == {
        "charged_on": "2021-05-01",
        "charges": ["262a", "229"],
        "persons_charged": 2,
    }


def test_it_may_charge_on_the_day_the_case_opened(open_prosecution, dave):
    charge(dave, open_prosecution, charged_on=open_prosecution.opened_on)

    open_prosecution.refresh_from_db()
    assert open_prosecution.charged_on == dt.date(2021, 4, 1)


def test_it_refuses_a_charge_before_the_case_opened(open_prosecution, dave, refused):
    with refused(
        f"A charge cannot precede the opening ({shown(dt.date(2021, 4, 1))}).", code="date_order"
    ):
        charge(dave, open_prosecution, charged_on=dt.date(2021, 3, 31))


def test_it_refuses_a_charge_in_the_future(open_prosecution, dave, refused):
    with refused("The date of the charge cannot be in the future."):
        charge(dave, open_prosecution, charged_on=dt.date(2021, 6, 16))


def test_it_refuses_no_charges(open_prosecution, dave, refused):
    with refused("Choose at least one charge.", code="charges_required"):
        charge(dave, open_prosecution, charges=[])


def test_it_refuses_an_unknown_charge(open_prosecution, dave, refused):
    with refused("Unknown charge: 999."):
        charge(dave, open_prosecution, charges=[choices.Charge.TRAFFICKING, "999"])


def test_it_refuses_charging_no_one(open_prosecution, dave, refused):
    with refused("Persons charged must be a whole number of at least 1."):
        charge(dave, open_prosecution, persons_charged=0)


def test_it_refuses_to_charge_twice(charged_prosecution, dave, refused):
    with refused(
        "Charges are raised during the investigation; this case is “Charged”.",
        error=TransitionError,
    ):
        charge(dave, charged_prosecution, charged_on=dt.date(2021, 5, 2))
