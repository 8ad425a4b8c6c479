import datetime as dt

import pytest

from brik.cases import services
from brik.core import choices as c
from brik.core.errors import TransitionError
from brik.testing.factories import UserFactory


def test_it_assigns_a_contact_person(referred_case, alice, bob, logged):
    services.case_assign(actor=bob, case=referred_case, caseworker=bob)

    referred_case.refresh_from_db()
    assert referred_case.assigned_to == bob
    row = logged("brik.case.assigned", actor=bob, case=referred_case, obj=referred_case)
    assert row.data == {"from": alice.pk, "to": bob.pk}


def test_it_removes_the_contact_person(referred_case, alice, bob, logged):
    services.case_assign(actor=bob, case=referred_case, caseworker=None)

    referred_case.refresh_from_db()
    assert referred_case.assigned_to is None
    assert logged("brik.case.assigned", actor=bob, case=referred_case).data == {
        "from": alice.pk,
        "to": None,
    }


@pytest.mark.parametrize("fixture", ["identified_case", "returned_case"])
def test_it_reassigns_at_any_open_step(request, bob, fixture):
    case = request.getfixturevalue(fixture)

    services.case_assign(actor=bob, case=case, caseworker=bob)

    case.refresh_from_db()
    assert case.assigned_to == bob


def test_it_refuses_to_assign_a_closed_case(closed_case, bob, refused):
    with refused("This step is not possible while the case is “Closed”.", error=TransitionError):
        services.case_assign(actor=bob, case=closed_case, caseworker=bob)


@pytest.mark.parametrize("username", ["dave", "erin", "carol", "frank", "mallory"])
def test_it_refuses_a_contact_person_who_is_not_centre_staff(
    request, referred_case, bob, refused, username
):
    user = request.getfixturevalue(username)

    with refused(
        f"{user} cannot be the contact person: only the centre's active staff can.",
        code="not_centre_staff",
    ):
        services.case_assign(actor=bob, case=referred_case, caseworker=user)


def test_it_refuses_a_caseworker_who_has_left(referred_case, bob, centre, refused):
    former = UserFactory(
        username="former", organisation=centre, role=c.Role.CASEWORKER, is_active=False
    )

    with refused("Former cannot be the contact person: only the centre's active staff can."):
        services.case_assign(actor=bob, case=referred_case, caseworker=former)


def test_assigning_does_not_touch_the_case_dates(identified_case, bob):
    services.case_assign(actor=bob, case=identified_case, caseworker=bob)

    identified_case.refresh_from_db()
    assert (identified_case.referred_on, identified_case.decided_on) == (
        dt.date(2021, 3, 1),
        dt.date(2021, 3, 10),
    )
    assert identified_case.status == c.CaseStatus.IDENTIFIED
