"""SQLite's settings for the demo's bulk load are set while it writes and restored after."""

import pytest
from django.db import connection

from brik.demo import generator


def _pragma(name: str) -> int | None:
    with connection.cursor() as cursor:
        cursor.execute(f"PRAGMA {name}")
        row = cursor.fetchone()
    return None if row is None else row[0]


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's PRAGMAs")
def test_the_pragmas_hold_during_the_load_and_are_restored_after_it(db):
    names = [name for name in generator.BULK_PRAGMAS if _pragma(name) is not None]
    assert "cache_size" in names
    before = {name: _pragma(name) for name in names}
    with generator._bulk_load():
        for name in names:
            assert _pragma(name) == generator.BULK_PRAGMAS[name]
    assert {name: _pragma(name) for name in names} == before


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's PRAGMAs")
def test_they_are_restored_when_the_load_fails(db):
    before = _pragma("cache_size")
    with pytest.raises(RuntimeError), generator._bulk_load():
        raise RuntimeError
    assert _pragma("cache_size") == before
