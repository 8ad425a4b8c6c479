"""Audit rows written by concurrent transactions still form one unbroken chain, in commit order.

Real concurrent transactions: PostgreSQL or a file-backed SQLite database only
(BRIK_DATABASE_URL=postgres://... pytest brik/audit/tests/test_chain_concurrency.py).
Rows written alone, outside a transaction (brik.audit.models._insert_alone), among
them: test_chain_alone.py has those tests that need no second connection.
"""

import threading
import time

import pytest
from django.db import connection, transaction

from brik.audit import chain
from brik.audit.events import AuditEvent
from brik.audit.models import ActionLog
from brik.audit.services import access_record, audit_chain_verify, log_action

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _concurrent_database(transactional_db):
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        pytest.skip("in-memory SQLite cannot run concurrent transactions")


def run_all(threads: list[threading.Thread]) -> None:
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)


def test_concurrent_transactions_chain_their_rows_one_after_the_other(alice):
    barrier = threading.Barrier(6)
    errors = []

    def write(n: int) -> None:
        try:
            barrier.wait()
            with transaction.atomic():
                log_action(actor=alice, action="brik.case.assigned", obj=alice, data={"n": n})
                time.sleep(0.05)  # another transaction tries to write meanwhile
                log_action(actor=alice, action="brik.case.closed", obj=alice, data={"n": n})
        except Exception as exc:  # the outcome is what the test checks
            errors.append(exc)
        finally:
            connection.close()

    run_all([threading.Thread(target=write, args=(n,)) for n in range(6)])

    assert errors == []
    verdict = audit_chain_verify()
    assert verdict.ok, verdict.problem
    assert verdict.rows == 12
    # Each transaction's two rows are next to each other: the chain follows commit order.
    rows = list(ActionLog.objects.order_by("sequence").values_list("action", "data"))
    for first, second in zip(rows[::2], rows[1::2], strict=True):
        assert (first[0], second[0]) == ("brik.case.assigned", "brik.case.closed")
        assert first[1] == second[1]


# --- rows written alone (reads, outside a transaction) -----------------------------------------


def test_rows_written_alone_and_in_transactions_at_once_form_one_chain(alice):
    barrier = threading.Barrier(6)
    errors = []

    def read(n: int) -> None:  # reads of pages: each row written alone, as soon as possible
        try:
            barrier.wait()
            for i in range(25):
                access_record(actor=alice, action=AuditEvent.CASE_VIEWED, obj=alice, data={"i": i})
        except Exception as exc:
            errors.append(exc)
        finally:
            connection.close()

    def change(n: int) -> None:  # changes: two rows in one transaction, the lock held between
        try:
            barrier.wait()
            for _ in range(5):
                with transaction.atomic():
                    log_action(actor=alice, action="brik.case.assigned", obj=alice, data={"n": n})
                    time.sleep(0.005)
                    log_action(actor=alice, action="brik.case.closed", obj=alice, data={"n": n})
        except Exception as exc:
            errors.append(exc)
        finally:
            connection.close()

    run_all(
        [threading.Thread(target=read, args=(n,)) for n in range(3)]
        + [threading.Thread(target=change, args=(n,)) for n in range(3)]
    )

    assert errors == []
    verdict = audit_chain_verify()
    assert verdict.ok, verdict.problem
    assert verdict.rows == 3 * 25 + 3 * 5 * 2
    actions = list(ActionLog.objects.order_by("sequence").values_list("action", flat=True))
    for i, action in enumerate(actions):  # no read came between a transaction's two rows
        if action == "brik.case.assigned":
            assert actions[i + 1] == "brik.case.closed"


def test_a_row_written_alone_waits_for_a_transaction_that_holds_the_chain(alice):
    """The insert takes the lock before its row is made: a transaction that has read the
    last link and not yet inserted keeps its place (without the lock the row written
    alone would take it, and the transaction would fail on the unique sequence)."""
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's lock (SQLite's writing transaction holds its database)")
    locked = threading.Event()
    errors = []

    def transaction_holding_the_chain() -> None:
        try:
            with transaction.atomic():
                with connection.cursor() as cursor:
                    cursor.execute("SELECT pg_advisory_xact_lock(%s)", [chain.LOCK_ID])
                locked.set()
                time.sleep(0.4)
                log_action(actor=alice, action="brik.case.assigned", obj=alice)
        except Exception as exc:
            errors.append(exc)
        finally:
            connection.close()

    thread = threading.Thread(target=transaction_holding_the_chain)
    thread.start()
    assert locked.wait(timeout=30)
    started = time.monotonic()
    alone = access_record(actor=alice, action=AuditEvent.CASE_VIEWED, obj=alice)
    waited = time.monotonic() - started
    thread.join(timeout=30)

    assert errors == []
    assert waited > 0.2
    held = ActionLog.objects.get(action="brik.case.assigned")
    assert alone.sequence == held.sequence + 1
    assert alone.prev_hash == held.row_hash
    assert audit_chain_verify().ok
