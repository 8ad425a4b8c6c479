import datetime as dt

import pytest

from brik.cases import services
from brik.cases.models import PreparedReturn
from brik.cases.tests.formatting import shown
from brik.core import choices as c
from brik.core.errors import TransitionError


def test_it_offers_a_prepared_return(identified_case, alice, logged):
    prepared = services.return_offer(
        actor=alice, case=identified_case, offered_on=dt.date(2021, 3, 15)
    )

    prepared.refresh_from_db()
    assert prepared.status == c.ReturnStatus.OFFERED
    assert prepared.offered_on == dt.date(2021, 3, 15)
    assert prepared.case == identified_case
    identified_case.refresh_from_db()
    assert identified_case.status == c.CaseStatus.IDENTIFIED
    row = logged("brik.return.offered", actor=alice, case=identified_case, obj=prepared)
    assert row.data == {"offered_on": "2021-03-15"}


def test_it_offers_a_return_on_the_day_of_the_decision(identified_case, alice):
    services.return_offer(actor=alice, case=identified_case, offered_on=dt.date(2021, 3, 10))

    assert PreparedReturn.objects.filter(case=identified_case).count() == 1


def test_it_offers_a_return_during_the_reflection_period(supported_case, alice):
    services.return_offer(actor=alice, case=supported_case, offered_on=dt.date(2021, 3, 15))

    supported_case.refresh_from_db()
    assert supported_case.status == c.CaseStatus.IN_SUPPORT


def test_it_offers_again_after_the_person_declined(offered_case, alice):
    services.return_decline(actor=alice, case=offered_case, declined_on=dt.date(2021, 3, 16))

    again = services.return_offer(actor=alice, case=offered_case, offered_on=dt.date(2021, 3, 30))

    assert again.status == c.ReturnStatus.OFFERED
    assert list(offered_case.returns.values_list("status", flat=True)) == ["declined", "offered"]


@pytest.mark.parametrize("fixture", ["offered_case", "accepted_case"])
def test_it_refuses_a_second_offer_while_one_is_under_way(request, alice, refused, fixture):
    case = request.getfixturevalue(fixture)

    with refused(
        "A prepared return is already under way.", error=TransitionError, code="return_exists"
    ):
        services.return_offer(actor=alice, case=case, offered_on=dt.date(2021, 3, 25))


def test_it_refuses_an_offer_dated_in_the_future(identified_case, alice, today, refused):
    with refused("The offer date cannot be in the future.", code="future_date"):
        services.return_offer(actor=alice, case=identified_case, offered_on=dt.date(2021, 6, 2))


def test_it_refuses_an_offer_before_the_decision(identified_case, alice, refused):
    with refused(
        f"A return cannot be offered before the decision ({shown(2021, 3, 10)}).", code="date_order"
    ):
        services.return_offer(actor=alice, case=identified_case, offered_on=dt.date(2021, 3, 9))


@pytest.mark.parametrize(
    ("fixture", "status"),
    [
        ("referred_case", "Referred"),
        ("not_identified_case", "Assessed: not identified"),
        ("returned_case", "Returned"),
        ("closed_case", "Closed"),
    ],
)
def test_it_refuses_an_offer_unless_the_person_is_identified(
    request, alice, refused, fixture, status
):
    case = request.getfixturevalue(fixture)

    with refused(f"This step is not possible while the case is “{status}”.", error=TransitionError):
        services.return_offer(actor=alice, case=case, offered_on=dt.date(2021, 4, 2))
