import datetime as dt

from django.utils.formats import date_format as shown

from brik.cooperation import services
from brik.core import choices
from brik.core.errors import TransitionError


def test_it_drops_a_case_under_investigation(open_prosecution, dave, logged):
    services.prosecution_drop(
        actor=dave, prosecution=open_prosecution, dropped_on=dt.date(2021, 5, 1), reason="Evidence"
    )

    open_prosecution.refresh_from_db()
    assert open_prosecution.status == choices.ProsecutionStatus.DROPPED
    assert open_prosecution.dropped_on == dt.date(2021, 5, 1)
    row = logged("brik.prosecution.dropped", actor=dave, obj=open_prosecution)
    assert row.data == {
        "dropped_on": "2021-05-01",
        "previous_status": "investigation",
        "reason": "Evidence",
    }


def test_it_drops_a_charged_case(charged_prosecution, dave):
    services.prosecution_drop(
        actor=dave, prosecution=charged_prosecution, dropped_on=dt.date(2021, 6, 1)
    )

    charged_prosecution.refresh_from_db()
    assert charged_prosecution.status == choices.ProsecutionStatus.DROPPED


def test_it_refuses_to_drop_before_the_charge(charged_prosecution, dave, refused):
    with refused(f"The case cannot be dropped before {shown(dt.date(2021, 5, 1))}."):
        services.prosecution_drop(
            actor=dave, prosecution=charged_prosecution, dropped_on=dt.date(2021, 4, 15)
        )


def test_it_refuses_to_drop_a_case_with_a_verdict(charged_prosecution, dave, refused):
    services.prosecution_record_verdict(
        actor=dave,
        prosecution=charged_prosecution,
        verdict_on=dt.date(2021, 6, 1),
        verdict=choices.Verdict.ACQUITTED,
        persons_convicted=0,
    )

    with refused(
        "Only a case under investigation or charged can be dropped; this case is “Verdict given”.",
        error=TransitionError,
    ):
        services.prosecution_drop(
            actor=dave, prosecution=charged_prosecution, dropped_on=dt.date(2021, 6, 2)
        )


def test_it_refuses_a_drop_date_in_the_future(open_prosecution, dave, refused):
    with refused("The date cannot be in the future."):
        services.prosecution_drop(
            actor=dave, prosecution=open_prosecution, dropped_on=dt.date(2021, 6, 16)
        )
