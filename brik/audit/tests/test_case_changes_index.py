"""A case's changes are read from an index of changes, not through its reads: a case
read every day gathers thousands of rows of reads, and the case page would read and
drop them all on every view (docs/performance.md, "Sixteenth round")."""

import pytest
from django.db import connection, transaction

from brik.audit.events import READ_EVENT_VALUES, READ_EVENTS
from brik.audit.selectors import case_change_rows

INDEX = "actionlog_case_changes"


def _plan(sql: str, params) -> str:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
            return "\n".join(str(row[-1]) for row in cursor.fetchall())
        # PostgreSQL picks by its estimates: with sorting priced out, a plan that reads
        # the rows in order from the index shows that the index can serve the query (its
        # condition follows from the query's).
        with transaction.atomic():
            cursor.execute("SET LOCAL enable_sort = off")
            cursor.execute(f"EXPLAIN {sql}", params)
            return "\n".join(row[0] for row in cursor.fetchall())


def test_the_index_leaves_out_the_reads_in_one_order():
    assert set(READ_EVENT_VALUES) == {str(event) for event in READ_EVENTS}
    # SQLite uses a partial index only for a query with the same condition, written alike.
    assert list(READ_EVENT_VALUES) == sorted(READ_EVENT_VALUES)


@pytest.mark.django_db
def test_a_cases_changes_are_read_from_the_index_of_changes(referred_case, alice_client):
    alice_client.get(referred_case.get_absolute_url())  # a read, which the query leaves out
    executed = []

    def capture(execute, sql, params, many, context):
        executed.append((sql, params))
        return execute(sql, params, many, context)

    for _ in range(2):  # compiled, then kept
        executed.clear()
        with connection.execute_wrapper(capture):
            rows = case_change_rows(referred_case)
    # The statement as it was sent (with its parameters as parameters: SQLite plans a
    # partial index only for a condition written in the SQL).
    [(sql, params)] = [(sql, params) for sql, params in executed if "audit_actionlog" in sql]

    assert INDEX in _plan(sql, params)
    assert [row.action for row in rows] == ["brik.case.referred"]
