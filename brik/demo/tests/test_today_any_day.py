"""On any day the demo is made, My work holds nothing long overdue (a demo of its own per day:
not the module-wide demo of conftest.demo_world)."""

from datetime import date

import pytest
from django.db.models import Max

from brik.cases.models import Case
from brik.cases.selectors.my_work import my_work
from brik.demo.generator import generate
from brik.demo.tests.conftest import frozen_at
from brik.demo.tests.test_today import MOST_DAYS_OVERDUE, caseworkers, days_overdue


@pytest.mark.parametrize(
    "today",
    [date(2025, 1, 2), date(2025, 8, 4), date(2026, 12, 31), date(2029, 6, 15)],
    ids=str,
)
def test_on_any_day_my_work_holds_nothing_long_overdue(db, today):
    with frozen_at(today):
        generate(seed=3, today=today)
        for user in caseworkers():
            late = days_overdue(my_work(user=user))
            assert max(late.values()) <= MOST_DAYS_OVERDUE, (today, user.username, late)
        assert not Case.objects.filter(referred_on__gt=today).exists()
        decided = Case.objects.filter(decided_on__isnull=False)
        assert decided.aggregate(last=Max("decided_on"))["last"] < today


def test_a_today_inside_the_calibrated_years_is_refused(db):
    with pytest.raises(ValueError, match="2024-12-31"):
        generate(seed=3, persons=300, today=date(2024, 6, 1))
