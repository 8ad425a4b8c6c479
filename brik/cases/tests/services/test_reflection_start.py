import datetime as dt

import pytest

from brik.cases import services
from brik.cases.models import ReflectionPeriod
from brik.cases.tests.formatting import shown
from brik.core import choices as c
from brik.core.errors import TransitionError


def test_it_starts_a_30_day_reflection_period(identified_case, alice, logged):
    period = services.reflection_start(
        actor=alice, case=identified_case, starts_on=dt.date(2021, 3, 10)
    )

    period.refresh_from_db()
    assert period.kind == c.PeriodKind.REFLECTION
    assert period.starts_on == dt.date(2021, 3, 10)
    assert period.ends_on == dt.date(2021, 4, 9)
    assert period.days == 30
    assert period.started_by == alice
    identified_case.refresh_from_db()
    assert identified_case.status == c.CaseStatus.IN_SUPPORT
    row = logged("brik.reflection.started", actor=alice, case=identified_case, obj=period)
    assert row.data == {"kind": "reflection", "starts_on": "2021-03-10", "ends_on": "2021-04-09"}


def test_the_period_ends_30_days_after_its_start_across_month_ends(identified_case, alice):
    period = services.reflection_start(
        actor=alice, case=identified_case, starts_on=dt.date(2021, 3, 31)
    )

    assert period.ends_on == dt.date(2021, 4, 30)


def test_a_person_with_legal_residence_gets_a_restitution_period(resident_case, bob):
    period = services.reflection_start(
        actor=bob, case=resident_case, starts_on=dt.date(2021, 3, 10)
    )

    assert period.kind == c.PeriodKind.RESTITUTION
    assert period.days == 30


def test_it_starts_the_period_for_a_case_already_in_support(identified_case, alice):
    services.support_add(
        actor=alice,
        case=identified_case,
        kind=c.SupportType.ACCOMMODATION,
        starts_on=dt.date(2021, 3, 10),
    )

    services.reflection_start(actor=alice, case=identified_case, starts_on=dt.date(2021, 3, 11))

    identified_case.refresh_from_db()
    assert identified_case.status == c.CaseStatus.IN_SUPPORT
    assert ReflectionPeriod.objects.filter(case=identified_case).exists()


def test_it_refuses_to_start_a_second_period(supported_case, alice, refused):
    with refused(
        "The reflection period has already been started.",
        error=TransitionError,
        code="period_exists",
    ):
        services.reflection_start(actor=alice, case=supported_case, starts_on=dt.date(2021, 3, 12))


def test_it_refuses_a_start_before_the_decision(identified_case, alice, refused):
    with refused(
        f"The period cannot start before the decision ({shown(2021, 3, 10)}).", code="date_order"
    ):
        services.reflection_start(actor=alice, case=identified_case, starts_on=dt.date(2021, 3, 9))


def test_it_refuses_a_start_in_the_future(identified_case, alice, today, refused):
    with refused("The start of the period cannot be in the future.", code="future_date"):
        services.reflection_start(actor=alice, case=identified_case, starts_on=dt.date(2021, 6, 2))


@pytest.mark.parametrize(
    ("fixture", "status"),
    [
        ("referred_case", "Referred"),
        ("not_identified_case", "Assessed: not identified"),
        ("returned_case", "Returned"),
        ("closed_case", "Closed"),
    ],
)
def test_it_refuses_a_period_unless_the_person_is_identified(
    request, alice, refused, fixture, status
):
    case = request.getfixturevalue(fixture)

    with refused(f"This step is not possible while the case is “{status}”.", error=TransitionError):
        services.reflection_start(actor=alice, case=case, starts_on=dt.date(2021, 4, 2))
