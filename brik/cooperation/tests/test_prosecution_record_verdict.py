import datetime as dt
from decimal import Decimal

from django.utils.formats import date_format as shown

from brik.cooperation import services
from brik.core import choices
from brik.core.errors import TransitionError


def verdict(actor, prosecution, **overrides):
    values = {
        "verdict_on": dt.date(2021, 6, 1),
        "verdict": choices.Verdict.CONVICTED,
        "persons_convicted": 2,
        "sentence": "2 years and 6 months",
        "compensation_dkk": "85000",
    }
    values.update(overrides)
    return services.prosecution_record_verdict(actor=actor, prosecution=prosecution, **values)


def test_it_records_a_conviction_with_sentence_and_compensation(charged_prosecution, dave, logged):
    verdict(dave, charged_prosecution)

    charged_prosecution.refresh_from_db()
    assert charged_prosecution.status == choices.ProsecutionStatus.VERDICT
    assert (charged_prosecution.verdict, charged_prosecution.verdict_on) == (
        choices.Verdict.CONVICTED,
        dt.date(2021, 6, 1),
    )
    assert charged_prosecution.persons_convicted == 2
    assert charged_prosecution.sentence == "2 years and 6 months"
    assert charged_prosecution.compensation_dkk == Decimal("85000.00")
    row = logged("brik.prosecution.verdict_recorded", actor=dave, obj=charged_prosecution)
    assert row.data["compensation_dkk"] == "85000.00"
    assert row.data["persons_convicted"] == 2


def test_it_records_an_acquittal(charged_prosecution, dave):
    verdict(
        dave,
        charged_prosecution,
        verdict=choices.Verdict.ACQUITTED,
        persons_convicted=0,
        sentence="",
        compensation_dkk=None,
    )

    charged_prosecution.refresh_from_db()
    assert (charged_prosecution.verdict, charged_prosecution.persons_convicted) == ("acquitted", 0)
    assert charged_prosecution.compensation_dkk is None


def test_it_refuses_a_verdict_before_a_charge(open_prosecution, dave, refused):
    with refused(
        "A verdict can only follow a charge; this case is “Under investigation”.",
        error=TransitionError,
        code="invalid_transition",
    ):
        verdict(dave, open_prosecution)


def test_it_refuses_a_verdict_dated_before_the_charge(charged_prosecution, dave, refused):
    with refused(f"A verdict cannot precede the charge ({shown(dt.date(2021, 5, 1))})."):
        verdict(dave, charged_prosecution, verdict_on=dt.date(2021, 4, 30))


def test_it_refuses_a_verdict_in_the_future(charged_prosecution, dave, refused):
    with refused("The verdict date cannot be in the future."):
        verdict(dave, charged_prosecution, verdict_on=dt.date(2021, 7, 1))


def test_it_refuses_more_convicted_than_charged(charged_prosecution, dave, refused):
    with refused("Persons convicted (3) cannot exceed persons charged (2)."):
        verdict(dave, charged_prosecution, persons_convicted=3)


def test_it_refuses_negative_compensation(charged_prosecution, dave, refused):
    with refused("Compensation cannot be below 0."):
        verdict(dave, charged_prosecution, compensation_dkk="-1")


def test_it_refuses_compensation_that_is_not_a_number(charged_prosecution, dave, refused):
    with refused("Compensation must be a number."):
        verdict(dave, charged_prosecution, compensation_dkk="a lot")


def test_it_refuses_an_acquittal_with_convictions(charged_prosecution, dave, refused):
    with refused("An acquittal convicts no one and has no sentence."):
        verdict(dave, charged_prosecution, verdict=choices.Verdict.ACQUITTED, persons_convicted=1)


def test_it_refuses_a_conviction_of_no_one(charged_prosecution, dave, refused):
    with refused("A conviction needs at least one person convicted."):
        verdict(dave, charged_prosecution, persons_convicted=0)


def test_it_refuses_a_second_verdict(charged_prosecution, dave, refused):
    verdict(dave, charged_prosecution)

    with refused(
        "A verdict can only follow a charge; this case is “Verdict given”.", error=TransitionError
    ):
        verdict(dave, charged_prosecution, verdict=choices.Verdict.ACQUITTED, persons_convicted=0)
