"""Django's PostgreSQL backend, with a health check that sends no query.

A connection kept between requests (CONN_MAX_AGE) is checked before a request uses
it (CONN_HEALTH_CHECKS), so that a restarted or failed-over database answers the next
request without an error. Django checks with `SELECT 1`: a round trip to the server
on every request, about a tenth of a millisecond of the app's and the server's CPU
each, and under load a wait for the CPU besides (docs/performance.md, "Fifteenth
round").

Between requests an idle connection receives nothing: the server writes to it only
to answer. When the server ends the session (a restart, a failover,
`pg_terminate_backend`, `idle_session_timeout`) it sends its reason and closes the
socket, and the socket becomes readable. So a connection that psycopg holds open and
idle and whose socket has nothing to read is used as it is; any other is checked as
Django checks it, and closed if that fails. What no check short of a query can see
(a peer gone without a word, behind a broken network) fails the request that meets it,
and Django then closes the connection.

Its timestamps are read by psycopg's compiled loader. Django reads a `timestamptz` with
a loader of its own that sets the time zone of the connection on the value; made as a
subclass of psycopg's loader in Python, it cannot use the compiled one, and took about
2.7 µs a value instead of 0.9 (docs/performance.md, "Nineteenth round"). `TzLoader`
does what Django's does, around the compiled loader.
"""

import select
from datetime import tzinfo
from typing import Any

from django.db.backends.postgresql import base
from psycopg import Error, _cmodule, pq
from psycopg.adapt import AdaptersMap, Loader


def answers_nothing(connection) -> bool:
    """True if psycopg's `connection` is open, idle, and has nothing to read."""
    try:
        if connection.closed or connection.info.transaction_status != pq.TransactionStatus.IDLE:
            return False
        readable, _, _ = select.select([connection.fileno()], [], [], 0)
    except (Error, OSError, ValueError):
        return False
    return not readable


_COMPILED_TIMESTAMPTZ: Any = getattr(_cmodule._psycopg, "TimestamptzLoader", None)


class TzLoader(Loader):
    """Django's loader of `timestamptz` (psycopg_any.BaseTzLoader: the value with
    `timezone` as its time zone, or none when it is None) around psycopg's compiled
    loader. `timezone` is what Django's cursors compare to know the connection's."""

    timezone: tzinfo | None = None

    def __init__(self, oid, context=None):
        super().__init__(oid, context)
        self._load = _COMPILED_TIMESTAMPTZ(oid, context).load

    def load(self, data):
        return self._load(data).replace(tzinfo=self.timezone)


def tz_loader(timezone: tzinfo | None) -> type[TzLoader]:
    return type("SpecificTzLoader", (TzLoader,), {"timezone": timezone})


class DatabaseWrapper(base.DatabaseWrapper):
    # Set by BaseDatabaseWrapper (connect, close_if_unusable_or_obsolete); not in its stubs.
    health_check_enabled: bool
    health_check_done: bool

    def close_if_health_check_failed(self):
        if (
            self.connection is not None
            and self.health_check_enabled
            and not self.health_check_done
            and not self.pool
            and answers_nothing(self.connection)
        ):
            self.health_check_done = True
            return
        super().close_if_health_check_failed()

    def get_connection_params(self):
        params = super().get_connection_params()
        if _COMPILED_TIMESTAMPTZ is not None and "context" in params:
            # Django's adapters, with the compiled loader for timestamps (a copy: Django
            # keeps its map for every connection).
            context = AdaptersMap(params["context"])
            context.register_loader("timestamptz", tz_loader(self.timezone))
            params["context"] = context
        return params
