"""`/health`: may a load balancer send requests to this app server?

Three checks, each ok or not: the database answers, every migration of this
code is applied to it, and the configured encryption keys read the data. The
answer is 200 when all pass and 503 otherwise, with one word per check and
nothing more: the page is open to anyone, so why a check failed goes to the
server's log, not to the caller.
"""

import logging
from collections.abc import Callable
from functools import cache

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from brik.protection import keycheck

logger = logging.getLogger(__name__)

OK = "ok"
FAIL = "fail"


def database_reachable(connection: BaseDatabaseWrapper) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        return cursor.fetchone() == (1,)


@cache
def _migrations_on_disk() -> tuple[frozenset, dict]:
    """The migrations this code brings, read once per process (the code does not change)."""
    loader = MigrationLoader(None, ignore_no_migrations=True)
    return frozenset(loader.graph.nodes), dict(loader.replacements)


def migrations_applied(connection: BaseDatabaseWrapper) -> bool:
    """Every migration on disk is recorded as applied (a squashed one: all it replaces)."""
    expected, replacements = _migrations_on_disk()
    applied = set(MigrationRecorder(connection).applied_migrations())
    return all(
        key in applied
        or (key in replacements and all(r in applied for r in replacements[key].replaces))
        for key in expected
    )


def keys_valid(connection: BaseDatabaseWrapper) -> bool:
    """The configured keys read this database: its stored key check value (brik.protection.keycheck)."""
    return not any(finding.error for finding in keycheck.keys_verify(connection.alias))


CHECKS: dict[str, Callable[[BaseDatabaseWrapper], bool]] = {
    "database": database_reachable,
    "migrations": migrations_applied,
    "keys": keys_valid,
}


def health_report(connection: BaseDatabaseWrapper | None = None) -> dict[str, str]:
    """Each check's name with "ok" or "fail"; a check that raises has failed (and is logged).

    Without a database the other checks cannot pass, and are not tried.
    """
    connection = connection or connections[DEFAULT_DB_ALIAS]
    report: dict[str, str] = {}
    for name, check in CHECKS.items():
        if report.get("database") == FAIL:
            report[name] = FAIL
            continue
        try:
            passed = check(connection)
        except Exception:
            logger.exception("Health check %r failed", name)
            passed = False
        report[name] = OK if passed else FAIL
    return report


@never_cache
@require_safe
def health(request):
    checks = health_report()
    healthy = all(value == OK for value in checks.values())
    return JsonResponse(
        {"status": OK if healthy else FAIL, "checks": checks}, status=200 if healthy else 503
    )
