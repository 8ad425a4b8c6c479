"""Every SQLite connection is set up for many readers beside one writer."""

import pytest
from django.conf import settings
from django.db import connection
from django.db.utils import load_backend

pytestmark = pytest.mark.skipif(
    settings.DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3",
    reason="SQLite's PRAGMAs",
)


def pragma(wrapper, name: str):
    with wrapper.cursor() as cursor:
        cursor.execute(f"PRAGMA {name}")
        return cursor.fetchone()[0]


@pytest.mark.django_db
def test_a_new_sqlite_connection_has_wal_a_busy_timeout_and_memory_for_reads(tmp_path):
    settings_dict = {**connection.settings_dict, "NAME": str(tmp_path / "brik.sqlite3")}
    backend = load_backend(settings_dict["ENGINE"])
    wrapper = backend.DatabaseWrapper(settings_dict, alias="pragmas")
    try:
        assert pragma(wrapper, "journal_mode") == "wal"
        assert pragma(wrapper, "synchronous") == 1  # NORMAL
        assert pragma(wrapper, "busy_timeout") >= 5000
        assert pragma(wrapper, "temp_store") == 2  # MEMORY
        assert pragma(wrapper, "mmap_size") > 0
        assert pragma(wrapper, "cache_size") <= -16000  # at least 16 MB
        assert wrapper.transaction_mode == "IMMEDIATE"
    finally:
        wrapper.close()


def test_sqlite_connections_are_kept_between_requests():
    assert settings.DATABASES["default"]["CONN_MAX_AGE"] > 0
