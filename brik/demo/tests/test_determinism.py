"""The same seed gives the same data; another seed gives other data."""

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


def test_the_data_does_not_depend_on_todays_date(db, time_machine):
    time_machine.move_to("2031-07-01 12:00")
    generate(seed=5, persons=300)
    later = rows_digest()
    flush()
    time_machine.move_to("2025-02-01 12:00")
    generate(seed=5, persons=300)
    assert rows_digest() == later
