"""The plan's slots share their equal dates (memory at a million persons), values unchanged."""

import datetime as dt

from brik.demo import planning


def test_equal_dates_become_one_object_and_every_value_stays():
    def day(n: int) -> dt.date:
        return dt.date(2021, 3, 1) + dt.timedelta(days=n)  # a new object each time

    slots = [
        planning.Slot(index=n, year=2021, outcome="", gender="woman", decided_on=day(n % 2))
        for n in range(6)
    ]
    slots[0].dob = day(0)
    before = [(s.decided_on, s.referred_on, s.dob, s.closes_on) for s in slots]
    assert slots[0].decided_on is not slots[2].decided_on
    planning.share_dates(slots)
    assert [(s.decided_on, s.referred_on, s.dob, s.closes_on) for s in slots] == before
    assert slots[0].decided_on is slots[2].decided_on is slots[4].decided_on
    assert slots[0].dob is slots[0].decided_on
    assert slots[1].decided_on is slots[3].decided_on
