"""Extending the departure deadline: 30 days, extendable to at most 120 (Aliens Act § 33, stk. 14).

The supported_case period starts on 10 March 2021 and ends on 9 April (day 30);
day 120 is 8 July 2021. "Today" is frozen at 1 June 2021.
"""

import datetime as dt

import pytest

from brik.cases import services
from brik.cases.models import ReflectionExtension, ReflectionPeriod
from brik.cases.tests.formatting import shown
from brik.core import choices as c
from brik.core.errors import TransitionError

DAY_30 = dt.date(2021, 4, 9)
DAY_120 = dt.date(2021, 7, 8)

pytestmark = pytest.mark.usefixtures("today")


def extend(case, actor, new_ends_on, extended_on=dt.date(2021, 4, 1), **overrides):
    values = {
        "reason": c.ExtensionReason.PREPARED_RETURN,
        "extended_on": extended_on,
        "new_ends_on": new_ends_on,
    }
    values.update(overrides)
    return services.reflection_extend(actor=actor, case=case, **values)


def test_it_extends_the_period(supported_case, alice, logged):
    extension = extend(supported_case, alice, dt.date(2021, 5, 9), note="Synthetic note.")

    extension.refresh_from_db()
    assert extension.previous_ends_on == DAY_30
    assert extension.new_ends_on == dt.date(2021, 5, 9)
    assert extension.extended_on == dt.date(2021, 4, 1)
    assert extension.reason == c.ExtensionReason.PREPARED_RETURN
    assert extension.extended_by == alice
    period = ReflectionPeriod.objects.get(case=supported_case)
    assert (period.ends_on, period.days) == (dt.date(2021, 5, 9), 60)
    row = logged("brik.reflection.extended", actor=alice, case=supported_case, obj=period)
    assert row.data == {"from": "2021-04-09", "to": "2021-05-09", "reason": "prepared_return"}


def test_it_extends_to_exactly_day_120(supported_case, alice):
    extend(supported_case, alice, DAY_120)

    period = ReflectionPeriod.objects.get(case=supported_case)
    assert (period.ends_on, period.days) == (DAY_120, 120)


def test_it_refuses_day_121_with_the_legal_maximum_in_the_message(supported_case, alice, refused):
    with refused(
        f"The law allows at most 120 days: the period can end on {shown(2021, 7, 8)} at the latest.",
        code="beyond_legal_maximum",
    ):
        extend(supported_case, alice, DAY_120 + dt.timedelta(days=1))


def test_extensions_accumulate_up_to_day_120(supported_case, alice):
    extend(supported_case, alice, dt.date(2021, 5, 9), extended_on=dt.date(2021, 4, 1))
    extend(supported_case, alice, dt.date(2021, 6, 8), extended_on=dt.date(2021, 5, 1))
    extend(supported_case, alice, DAY_120, extended_on=dt.date(2021, 6, 1))

    period = ReflectionPeriod.objects.get(case=supported_case)
    assert (period.ends_on, period.days) == (DAY_120, 120)
    chain = list(period.extensions.values_list("previous_ends_on", "new_ends_on"))
    assert chain == [
        (DAY_30, dt.date(2021, 5, 9)),
        (dt.date(2021, 5, 9), dt.date(2021, 6, 8)),
        (dt.date(2021, 6, 8), DAY_120),
    ]


def test_it_refuses_to_extend_further_once_day_120_is_reached(supported_case, alice, refused):
    extend(supported_case, alice, DAY_120)

    with refused(
        f"The law allows at most 120 days: the period can end on {shown(2021, 7, 8)} at the latest.",
    ):
        extend(
            supported_case, alice, DAY_120 + dt.timedelta(days=1), extended_on=dt.date(2021, 6, 1)
        )


def test_it_counts_the_maximum_from_the_start_not_from_the_last_extension(
    supported_case, alice, refused
):
    extend(supported_case, alice, dt.date(2021, 6, 8))

    with refused(
        f"The law allows at most 120 days: the period can end on {shown(2021, 7, 8)} at the latest.",
    ):
        extend(supported_case, alice, dt.date(2021, 8, 7), extended_on=dt.date(2021, 6, 1))


def test_it_allows_an_extension_decided_on_the_last_day(supported_case, alice):
    extend(supported_case, alice, dt.date(2021, 5, 9), extended_on=DAY_30)

    assert ReflectionExtension.objects.get().extended_on == DAY_30


def test_it_refuses_an_extension_decided_the_day_after_the_period_ended(
    supported_case, alice, refused
):
    with refused(
        f"The period ended on {shown(2021, 4, 9)}; an ended period cannot be extended.",
        error=TransitionError,
        code="period_ended",
    ):
        extend(
            supported_case, alice, dt.date(2021, 5, 9), extended_on=DAY_30 + dt.timedelta(days=1)
        )


@pytest.mark.parametrize("new_end", [DAY_30, DAY_30 - dt.timedelta(days=1)])
def test_it_refuses_a_new_end_that_is_not_later(supported_case, alice, refused, new_end):
    with refused(
        f"The new end must be after the current end ({shown(2021, 4, 9)}).", code="date_order"
    ):
        extend(supported_case, alice, new_end)


def test_it_refuses_an_extension_decided_before_the_period_starts(supported_case, alice, refused):
    with refused(
        f"An extension cannot be decided before the period starts ({shown(2021, 3, 10)}).",
        code="date_order",
    ):
        extend(supported_case, alice, dt.date(2021, 5, 9), extended_on=dt.date(2021, 3, 9))


def test_it_refuses_an_extension_dated_in_the_future(supported_case, alice, today, refused):
    today(dt.date(2021, 4, 1))

    with refused("The date of the extension cannot be in the future.", code="future_date"):
        extend(supported_case, alice, dt.date(2021, 5, 9), extended_on=dt.date(2021, 4, 2))


def test_it_refuses_an_unknown_reason(supported_case, alice, refused):
    with refused("Unknown reason: convenience.", code="invalid_choice"):
        extend(supported_case, alice, dt.date(2021, 5, 9), reason="convenience")


def test_it_refuses_to_extend_before_a_period_was_started(identified_case, alice, refused):
    with refused("No reflection period has been started.", error=TransitionError, code="no_period"):
        extend(identified_case, alice, dt.date(2021, 5, 9))


@pytest.mark.parametrize(
    ("fixture", "status"), [("closed_case", "Closed"), ("referred_case", "Referred")]
)
def test_it_refuses_an_extension_unless_the_person_is_identified(
    request, alice, refused, fixture, status
):
    case = request.getfixturevalue(fixture)

    with refused(f"This step is not possible while the case is “{status}”.", error=TransitionError):
        extend(case, alice, dt.date(2021, 5, 9))
