"""Memory at a million persons: the plan's slots share their equal dates (values unchanged),
the demo makes no reference cycles (it runs with the cyclic collector off), SQLite sorts in
files during the run, not in memory, and writes through a rollback journal without mapping
the file into memory. (The action log written a part at a time: test_writer.py.)"""

import datetime as dt
import gc
from unittest import mock

import pytest

from brik.demo import history, planning
from brik.demo.generator import generate


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


@pytest.mark.django_db
def test_the_demo_makes_no_reference_cycles(settings):
    """generate() runs with the cyclic collector off (young objects collected per batch):
    its garbage must go by reference counting, or a million persons' would pile up."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    gc.collect()
    gc.disable()
    try:
        generate(seed=3, persons=100, today=dt.date(2026, 3, 10))
        found = gc.collect()
    finally:
        gc.enable()
    assert found == 0


@pytest.mark.django_db
def test_the_cycle_check_sees_a_cycle(settings):
    """A history that kept its played steps (closures holding the history) is found."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    played = history.History.play

    def keep_steps(self):
        steps = list(self.steps)
        played(self)
        self.steps = steps

    gc.collect()
    gc.disable()
    try:
        with mock.patch.object(history.History, "play", keep_steps):
            generate(seed=3, persons=100, today=dt.date(2026, 3, 10))
        found = gc.collect()
    finally:
        gc.enable()
    assert found > 0


@pytest.mark.django_db(transaction=True)
def test_the_demo_sorts_in_files_and_gives_the_memory_setting_back():
    """Outside a transaction (as `brik demo` runs) SQLite's temporary storage is a file for
    the run (the indexes made again after the load sort millions of rows), sorted with a
    helper thread per core, and Brik's own settings (memory, no threads) come back after it."""
    from django.db import connection

    from brik.demo.generator import _sorting_on_disk, sorting_threads

    if connection.vendor != "sqlite":
        pytest.skip("SQLite's temporary storage")

    def pragma(name: str) -> int:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA {name}")
            return cursor.fetchone()[0]

    memory, file = 2, 1
    assert pragma("temp_store") == memory
    assert pragma("threads") == 0
    with _sorting_on_disk():
        assert pragma("temp_store") == file
        assert pragma("threads") == sorting_threads() > 0
    assert pragma("temp_store") == memory
    assert pragma("threads") == 0


@pytest.mark.django_db
def test_the_demo_writes_through_a_rollback_journal_and_gives_wal_back(tmp_path):
    """Outside a transaction, with the database to itself, the run uses a rollback journal
    (its pages go straight to the file, not through the write-ahead log) and WAL is back
    after it; with another connection open the mode stays WAL, at once."""
    import sqlite3
    import time

    from django.db import connection
    from django.db.utils import load_backend

    from brik.demo.generator import _rollback_journal

    if connection.vendor != "sqlite":
        pytest.skip("SQLite's journal")
    # A database in a file, as `brik demo` has (the tests' own is in memory).
    settings_dict = {**connection.settings_dict, "NAME": str(tmp_path / "brik.sqlite3")}
    db = load_backend(settings_dict["ENGINE"]).DatabaseWrapper(settings_dict, alias="journal")

    def journal_mode() -> str:
        with db.cursor() as cursor:
            cursor.execute("PRAGMA journal_mode")
            return cursor.fetchone()[0]

    try:

        def mmap_size() -> int:
            with db.cursor() as cursor:
                cursor.execute("PRAGMA mmap_size")
                return cursor.fetchone()[0]

        assert journal_mode() == "wal"
        mapped = mmap_size()
        assert mapped > 0
        with _rollback_journal(db):
            assert journal_mode() == "delete"
            assert mmap_size() == 0  # the written pages are not mapped into the process
        assert journal_mode() == "wal"
        assert mmap_size() == mapped

        other = sqlite3.connect(settings_dict["NAME"])
        try:
            other.execute("SELECT 1 FROM sqlite_master").fetchall()
            started = time.monotonic()
            with _rollback_journal(db):
                assert journal_mode() == "wal"
            assert time.monotonic() - started < 1  # no waiting for the busy timeout
        finally:
            other.close()
        assert journal_mode() == "wal"
    finally:
        db.close()
