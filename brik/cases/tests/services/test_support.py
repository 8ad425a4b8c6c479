"""Support measures during the reflection period (support_add, support_end)."""

import datetime as dt

import pytest

from brik.cases import services
from brik.cases.models import SupportMeasure
from brik.cases.tests.formatting import shown
from brik.core import choices as c
from brik.core.errors import TransitionError


def add(case, actor, **overrides):
    values = {"kind": c.SupportType.ACCOMMODATION, "starts_on": dt.date(2021, 3, 11)}
    values.update(overrides)
    return services.support_add(actor=actor, case=case, **values)


def test_it_adds_support_and_puts_an_identified_case_in_support(
    identified_case, alice, ngo, logged
):
    measure = add(identified_case, alice, provider=ngo, note="Shelter bed.")

    measure.refresh_from_db()
    assert (measure.kind, measure.starts_on, measure.ends_on) == (
        "accommodation",
        dt.date(2021, 3, 11),
        None,
    )
    assert measure.provider == ngo
    identified_case.refresh_from_db()
    assert identified_case.status == c.CaseStatus.IN_SUPPORT
    row = logged("brik.support.added", actor=alice, case=identified_case, obj=measure)
    assert row.data == {"kind": "accommodation", "starts_on": "2021-03-11", "ends_on": None}


def test_support_before_the_decision_leaves_the_status_alone(referred_case, alice):
    add(referred_case, alice, kind=c.SupportType.INTERPRETER, starts_on=dt.date(2021, 3, 1))

    referred_case.refresh_from_db()
    assert referred_case.status == c.CaseStatus.REFERRED


def test_it_adds_support_with_a_planned_end(identified_case, alice):
    measure = add(identified_case, alice, ends_on=dt.date(2021, 3, 11))

    assert measure.ends_on == dt.date(2021, 3, 11)


def test_it_refuses_an_unknown_kind(identified_case, alice, refused):
    with refused("Unknown support: massage.", code="invalid_choice"):
        add(identified_case, alice, kind="massage")


def test_it_refuses_support_before_the_referral(identified_case, alice, refused):
    with refused(
        f"Support cannot start before the referral ({shown(2021, 3, 1)}).", code="date_order"
    ):
        add(identified_case, alice, starts_on=dt.date(2021, 2, 28))


def test_it_refuses_support_that_ends_before_it_starts(identified_case, alice, refused):
    with refused("Support cannot end before it starts.", code="date_order"):
        add(identified_case, alice, ends_on=dt.date(2021, 3, 10))


@pytest.mark.parametrize(
    ("fixture", "status"),
    [
        ("not_identified_case", "Assessed: not identified"),
        ("returned_case", "Returned"),
        ("closed_case", "Closed"),
    ],
)
def test_it_refuses_support_in_a_case_that_is_not_receiving_it(
    request, alice, refused, fixture, status
):
    case = request.getfixturevalue(fixture)

    with refused(f"This step is not possible while the case is “{status}”.", error=TransitionError):
        add(case, alice, starts_on=dt.date(2021, 4, 2))


# --- ending support ------------------------------------------------------------------


def test_it_ends_support(identified_case, alice, logged):
    measure = add(identified_case, alice)

    services.support_end(actor=alice, measure=measure, ends_on=dt.date(2021, 4, 9))

    measure.refresh_from_db()
    assert measure.ends_on == dt.date(2021, 4, 9)
    row = logged("brik.support.ended", actor=alice, case=identified_case, obj=measure)
    assert row.data == {"ends_on": "2021-04-09"}


def test_it_ends_support_on_the_day_it_started(identified_case, alice):
    measure = add(identified_case, alice)

    services.support_end(actor=alice, measure=measure, ends_on=measure.starts_on)

    measure.refresh_from_db()
    assert measure.ends_on == measure.starts_on


def test_a_double_submitted_end_is_refused(identified_case, alice, refused):
    measure = add(identified_case, alice)
    stale = SupportMeasure.objects.get(pk=measure.pk)
    services.support_end(actor=alice, measure=measure, ends_on=dt.date(2021, 4, 9))

    with refused("This support has already ended.", error=TransitionError, code="already_ended"):
        services.support_end(actor=alice, measure=stale, ends_on=dt.date(2021, 4, 10))


def test_it_refuses_an_end_before_the_start(identified_case, alice, refused):
    measure = add(identified_case, alice)

    with refused(f"Support cannot end before it starts ({shown(2021, 3, 11)}).", code="date_order"):
        services.support_end(actor=alice, measure=measure, ends_on=dt.date(2021, 3, 10))


def test_it_refuses_to_end_support_in_a_closed_case(identified_case, alice, refused):
    measure = add(identified_case, alice)
    services.case_close(
        actor=alice,
        case=identified_case,
        closed_on=dt.date(2021, 3, 20),
        reason=c.ClosingReason.DECLINED_SUPPORT,
    )

    with refused("This step is not possible while the case is “Closed”.", error=TransitionError):
        services.support_end(actor=alice, measure=measure, ends_on=dt.date(2021, 3, 20))
