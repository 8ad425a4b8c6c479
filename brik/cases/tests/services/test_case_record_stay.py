import datetime as dt

import pytest

from brik.cases import services
from brik.cases.tests.formatting import shown
from brik.core import choices as c
from brik.core.errors import TransitionError


def stay(case, actor, **overrides):
    values = {"basis": c.StayBasis.INVESTIGATION_PERMIT, "stay_from": dt.date(2021, 4, 1)}
    values.update(overrides)
    return services.case_record_stay(actor=actor, case=case, **values)


@pytest.mark.parametrize("fixture", ["identified_case", "supported_case"])
def test_it_records_that_the_person_stays(request, alice, logged, fixture):
    case = request.getfixturevalue(fixture)

    stay(case, alice)

    case.refresh_from_db()
    assert case.status == c.CaseStatus.STAYING
    assert (case.stay_basis, case.stay_from) == ("investigation_permit", dt.date(2021, 4, 1))
    row = logged("brik.case.staying", actor=alice, case=case, obj=case)
    assert row.data == {"basis": "investigation_permit", "from": "2021-04-01"}


def test_it_records_a_stay_from_the_day_of_the_decision(resident_case, bob):
    stay(resident_case, bob, basis=c.StayBasis.EU_RESIDENCE, stay_from=dt.date(2021, 3, 10))

    resident_case.refresh_from_db()
    assert resident_case.stay_basis == c.StayBasis.EU_RESIDENCE


def test_it_refuses_an_unknown_basis(identified_case, alice, refused):
    with refused("Unknown basis of stay: tourism.", code="invalid_choice"):
        stay(identified_case, alice, basis="tourism")


def test_it_refuses_a_stay_before_the_decision(identified_case, alice, refused):
    with refused(
        f"The stay cannot start before the decision ({shown(2021, 3, 10)}).", code="date_order"
    ):
        stay(identified_case, alice, stay_from=dt.date(2021, 3, 9))


def test_it_refuses_a_stay_from_a_future_date(identified_case, alice, today, refused):
    with refused("The start of the stay cannot be in the future.", code="future_date"):
        stay(identified_case, alice, stay_from=dt.date(2021, 6, 2))


@pytest.mark.parametrize(
    ("fixture", "status"),
    [
        ("referred_case", "Referred"),
        ("not_identified_case", "Assessed: not identified"),
        ("returned_case", "Returned"),
        ("closed_case", "Closed"),
    ],
)
def test_it_refuses_a_stay_unless_the_person_is_identified_and_here(
    request, alice, refused, fixture, status
):
    case = request.getfixturevalue(fixture)

    with refused(f"This step is not possible while the case is “{status}”.", error=TransitionError):
        stay(case, alice)


def test_it_refuses_to_record_the_stay_twice(identified_case, alice, refused):
    stay(identified_case, alice)

    with refused("This step is not possible while the case is “Staying”.", error=TransitionError):
        stay(identified_case, alice, basis=c.StayBasis.ASYLUM)
