import datetime as dt

import pytest

from brik.cases import services as case_services
from brik.cooperation import services
from brik.core import choices
from brik.core.errors import TransitionError


def test_it_links_an_identified_victim(open_prosecution, identified_case, dave, logged):
    services.prosecution_link_victim(actor=dave, prosecution=open_prosecution, case=identified_case)

    assert list(open_prosecution.victims.all()) == [identified_case]
    row = logged(
        "brik.prosecution.victim_linked", actor=dave, obj=open_prosecution, case=identified_case
    )
    assert row.data == {"outcome": "identified"}


def test_it_links_a_presumed_victim_awaiting_assessment(
    open_prosecution, referred_case, dave, logged
):
    services.prosecution_link_victim(actor=dave, prosecution=open_prosecution, case=referred_case)

    assert list(referred_case.prosecutions.all()) == [open_prosecution]
    row = logged(
        "brik.prosecution.victim_linked", actor=dave, obj=open_prosecution, case=referred_case
    )
    assert row.data == {"outcome": "possible"}


@pytest.fixture
def not_identified_case(referred_case, alice):
    case_services.assessment_decide(
        actor=alice,
        case=referred_case,
        decided_on=dt.date(2021, 3, 10),
        deciding_authority=choices.DecidingAuthority.IMMIGRATION,
        outcome=choices.Outcome.NOT_IDENTIFIED,
    )
    return referred_case


def test_it_refuses_a_person_assessed_as_not_identified(
    open_prosecution, not_identified_case, dave, refused
):
    with refused(
        "BRK-2021-0001 was assessed as not identified; "
        "only identified or presumed victims are linked.",
        code="not_a_victim",
    ):
        services.prosecution_link_victim(
            actor=dave, prosecution=open_prosecution, case=not_identified_case
        )


def test_it_refuses_to_link_a_victim_twice(open_prosecution, identified_case, dave, refused):
    services.prosecution_link_victim(actor=dave, prosecution=open_prosecution, case=identified_case)

    with refused("BRK-2021-0001 is already linked to this prosecution.", error=TransitionError):
        services.prosecution_link_victim(
            actor=dave, prosecution=open_prosecution, case=identified_case
        )


def test_it_unlinks_a_victim(open_prosecution, identified_case, dave, logged):
    services.prosecution_link_victim(actor=dave, prosecution=open_prosecution, case=identified_case)

    services.prosecution_unlink_victim(
        actor=dave, prosecution=open_prosecution, case=identified_case
    )

    assert not open_prosecution.victims.exists()
    logged(
        "brik.prosecution.victim_unlinked", actor=dave, obj=open_prosecution, case=identified_case
    )


def test_it_refuses_to_unlink_a_case_that_is_not_linked(
    open_prosecution, identified_case, dave, refused
):
    with refused("BRK-2021-0001 is not linked to this prosecution.", error=TransitionError):
        services.prosecution_unlink_victim(
            actor=dave, prosecution=open_prosecution, case=identified_case
        )
