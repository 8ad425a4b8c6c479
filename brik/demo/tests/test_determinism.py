"""The same seed and day give the same data; another seed or day gives other data."""

from datetime import date

from brik.demo.generator import flush, generate
from brik.demo.tests.conftest import rows_digest


def test_the_same_seed_gives_identical_rows_and_another_seed_does_not(db):
    generate(seed=5, persons=300)
    first = rows_digest()
    flush()
    generate(seed=5, persons=300)
    assert rows_digest() == first
    flush()
    generate(seed=6, persons=300)
    assert rows_digest() != first


def test_the_data_depends_on_the_demos_today_not_on_the_clock(db, time_machine):
    time_machine.move_to("2031-07-01 12:00")
    generate(seed=5, persons=300, today=date(2026, 3, 10))
    made = rows_digest()
    flush()
    time_machine.move_to("2026-03-10 12:00")
    generate(seed=5, persons=300)  # today by default
    assert rows_digest() == made
    flush()
    generate(seed=5, persons=300, today=date(2026, 3, 17))
    assert rows_digest() != made
