"""One audit row written outside a transaction (a read of a page) takes two statements:
the last link, then the insert after it (on PostgreSQL taking the chain's lock first);
when another row took its place meanwhile it goes after that one
(brik.audit.models._insert_alone; with other connections: test_chain_concurrency.py)."""

import pytest
from django.db import IntegrityError, connection
from django.test.utils import CaptureQueriesContext

from brik.audit import chain
from brik.audit.events import AuditEvent
from brik.audit.models import ActionLog
from brik.audit.services import access_record, audit_chain_verify, log_action

# Outside a transaction, as a view writes its read (a test's transaction would hold one).
pytestmark = pytest.mark.django_db(transaction=True)


def test_a_row_written_alone_takes_two_statements_and_its_place_when_taken_the_next(
    alice, monkeypatch
):
    log_action(actor=alice, action="brik.case.assigned", obj=alice)
    with CaptureQueriesContext(connection) as queries:
        first = access_record(actor=alice, action=AuditEvent.CASE_VIEWED, obj=alice)
    assert len(queries) == 2  # the last link; the insert that takes the lock
    assert ActionLog.objects.get(pk=first.pk).row_hash == first.row_hash

    # The next row is first given the last link as it was before `first` (as if `first`
    # had been inserted by another connection right after it was read): its place is taken.
    real_head = chain.head_unlocked
    heads = []

    def head_before_first_once(using="default"):
        key, last, prev = real_head(using)
        heads.append(last)
        if len(heads) == 1:
            return key, first.sequence - 1, first.prev_hash
        return key, last, prev

    monkeypatch.setattr(chain, "head_unlocked", head_before_first_once)
    second = access_record(actor=alice, action=AuditEvent.CASE_VIEWED, obj=alice)
    # Refused, checked (the place was taken), read again and inserted.
    assert heads == [first.sequence, first.sequence, first.sequence]
    assert second.sequence == first.sequence + 1
    assert second.prev_hash == first.row_hash
    verdict = audit_chain_verify()
    assert verdict.ok, verdict.problem
    assert verdict.rows == 3


def test_a_row_the_database_refuses_is_not_written_alone_or_retried(alice):
    log_action(actor=alice, action="brik.case.assigned", obj=alice)
    row = ActionLog(actor_id=alice.pk + 10_000, action="brik.case.viewed", object_type="x")
    with pytest.raises(IntegrityError):
        row.save()
    assert ActionLog.objects.count() == 1
    assert audit_chain_verify().ok


def test_a_value_too_long_for_its_column_is_refused_not_cut(alice):
    """The lone row's statement casts its values to their columns' types (PostgreSQL
    binds them on the server): to the type without its length, so that a value longer
    than its column is refused as by a plain insert, never cut to fit."""
    from django.db import DataError

    log_action(actor=alice, action="brik.case.assigned", obj=alice)
    row = ActionLog(actor=alice, action="brik.case.viewed", object_type="x", object_id="9" * 65)
    if connection.vendor == "sqlite":  # SQLite keeps any length; nothing is cut either
        row.save()
        assert ActionLog.objects.get(pk=row.pk).object_id == "9" * 65
        return
    with pytest.raises(DataError):
        row.save()
    assert ActionLog.objects.count() == 1
    assert audit_chain_verify().ok
