"""PostgreSQL connections are kept between requests and checked before reuse, without a
query while the server has said nothing (brik/core/postgresql)."""

import time

import pytest
from django.conf import settings
from django.db import connection
from django.db.utils import load_backend

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="PostgreSQL's connections"
)


def test_postgresql_connections_are_kept_between_requests_and_checked():
    assert settings.DATABASES["default"]["ENGINE"] == "brik.core.postgresql"
    assert settings.DATABASES["default"]["CONN_MAX_AGE"] >= 60
    assert settings.DATABASES["default"]["CONN_HEALTH_CHECKS"] is True


@pytest.fixture
def kept():
    """A connection of the test database as a request's thread keeps it, with Django's
    own check (`is_usable`, a SELECT 1) counted."""
    settings_dict = {**connection.settings_dict, "CONN_MAX_AGE": 60, "CONN_HEALTH_CHECKS": True}
    wrapper = load_backend(settings_dict["ENGINE"]).DatabaseWrapper(settings_dict, alias="kept")
    wrapper.queried = 0
    is_usable = wrapper.is_usable

    def counted():
        wrapper.queried += 1
        return is_usable()

    wrapper.is_usable = counted
    yield wrapper
    wrapper.close()


def backend_pid(wrapper) -> int:
    with wrapper.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return cursor.fetchone()[0]


def end_of_request(wrapper) -> None:
    """What Django does when a request ends (and the next one starts)."""
    wrapper.close_if_unusable_or_obsolete()
    assert wrapper.connection is not None
    assert not wrapper.health_check_done


@pytest.mark.django_db
def test_a_connection_the_server_said_nothing_on_is_reused_without_a_query(kept):
    first = backend_pid(kept)
    for _ in range(3):
        end_of_request(kept)
        assert backend_pid(kept) == first
    assert kept.queried == 0


@pytest.mark.django_db
def test_a_connection_the_server_ended_is_checked_and_replaced_before_the_next_request(kept):
    first = backend_pid(kept)
    end_of_request(kept)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(%s)", [first])
    # The server's notice reaches the socket a moment after the backend is told to end.
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE pid = %s", [first])
            if cursor.fetchone()[0] == 0:
                break
        time.sleep(0.05)
    # The request that follows gets a new connection, not an error.
    assert backend_pid(kept) != first
    assert kept.queried == 1


@pytest.mark.django_db
def test_timestamps_are_read_by_the_compiled_loader_as_djangos_would_read_them():
    """brik.core.postgresql reads a timestamptz with psycopg's compiled loader and gives
    it the connection's time zone, as Django's loader does: the same values, in UTC."""
    from django.db.backends.postgresql.psycopg_any import BaseTzLoader
    from psycopg.adapt import Transformer
    from psycopg.pq import Format

    from brik.core.postgresql.base import TzLoader

    connection.ensure_connection()
    raw = connection.connection
    loader = raw.adapters.get_loader(1184, Format.TEXT)  # timestamptz
    assert issubclass(loader, TzLoader)
    assert loader.timezone is connection.timezone
    written = [
        "2026-12-07 07:08:13.608985+00",
        "2021-03-01 00:00:00+01",
        "1999-12-31 23:59:59.5-05:30",
        "2024-02-29 12:00:00+00",
    ]
    with connection.cursor() as cursor:
        cursor.execute("SELECT unnest(%s::timestamptz[])", [written])
        ours = [row[0] for row in cursor.fetchall()]

    djangos_class = type("Djangos", (BaseTzLoader,), {"timezone": connection.timezone})
    djangos = djangos_class(1184, Transformer(raw))
    with raw.cursor() as cursor:
        cursor.execute("SELECT unnest(%s::timestamptz[])::text", [written])
        texts = [row[0] for row in cursor.fetchall()]
    assert ours == [djangos.load(text.encode()) for text in texts]
    assert all(value.tzinfo is connection.timezone for value in ours)
