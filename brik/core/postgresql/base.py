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
"""

import select

from django.db.backends.postgresql import base
from psycopg import Error, pq


def answers_nothing(connection) -> bool:
    """True if psycopg's `connection` is open, idle, and has nothing to read."""
    try:
        if connection.closed or connection.info.transaction_status != pq.TransactionStatus.IDLE:
            return False
        readable, _, _ = select.select([connection.fileno()], [], [], 0)
    except (Error, OSError, ValueError):
        return False
    return not readable


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
