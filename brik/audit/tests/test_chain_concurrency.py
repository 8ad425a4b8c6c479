"""Audit rows written by concurrent transactions still form one unbroken chain, in commit order.

Real concurrent transactions: PostgreSQL or a file-backed SQLite database only
(BRIK_DATABASE_URL=postgres://... pytest brik/audit/tests/test_chain_concurrency.py).
"""

import threading
import time

import pytest
from django.db import connection, transaction

from brik.audit.models import ActionLog
from brik.audit.services import audit_chain_verify, log_action

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _concurrent_database(transactional_db):
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        pytest.skip("in-memory SQLite cannot run concurrent transactions")


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

    threads = [threading.Thread(target=write, args=(n,)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    verdict = audit_chain_verify()
    assert verdict.ok, verdict.problem
    assert verdict.rows == 12
    # Each transaction's two rows are next to each other: the chain follows commit order.
    rows = list(ActionLog.objects.order_by("sequence").values_list("action", "data"))
    for first, second in zip(rows[::2], rows[1::2], strict=True):
        assert (first[0], second[0]) == ("brik.case.assigned", "brik.case.closed")
        assert first[1] == second[1]
