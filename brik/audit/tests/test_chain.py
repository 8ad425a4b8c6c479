"""Every action log row is chained to the one before it; tampering with SQL shows."""

import datetime as dt
import itertools

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction

from brik.audit import chain
from brik.audit.models import ActionLog
from brik.audit.services import (
    audit_chain_verify,
    audit_rows_chain,
    log_action,
    login_failure_record,
)


@pytest.fixture
def five_rows(alice):
    for n in range(5):
        log_action(actor=alice, action="brik.case.viewed", obj=alice, data={"n": n})
    return list(ActionLog.objects.order_by("sequence"))


def _sql(statement: str, params=()) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


def test_each_row_links_to_the_row_before_it(five_rows):
    assert [r.sequence for r in five_rows] == [1, 2, 3, 4, 5]
    assert five_rows[0].prev_hash == chain.GENESIS
    for before, row in itertools.pairwise(five_rows):
        assert row.prev_hash == before.row_hash
    assert len({r.row_hash for r in five_rows}) == 5

    verdict = audit_chain_verify()
    assert verdict.ok
    assert (verdict.rows, verdict.last_sequence) == (5, 5)
    assert verdict.last_hash == five_rows[-1].row_hash


def test_verify_finds_details_changed_with_sql(five_rows):
    target = five_rows[2]
    _sql("UPDATE audit_actionlog SET data = %s WHERE id = %s", ['{"n": 99}', target.pk])

    verdict = audit_chain_verify()
    assert (verdict.broken_id, verdict.rows) == (target.pk, 2)
    assert "content does not match its hash" in verdict.problem


def test_verify_finds_a_changed_actor(five_rows, bob):
    _sql("UPDATE audit_actionlog SET actor_id = %s WHERE id = %s", [bob.pk, five_rows[1].pk])
    assert audit_chain_verify().broken_id == five_rows[1].pk


def test_verify_finds_a_changed_time(five_rows):
    earlier = five_rows[3].created_at - dt.timedelta(seconds=1)
    _sql(
        "UPDATE audit_actionlog SET created_at = %s WHERE id = %s",
        [connection.ops.adapt_datetimefield_value(earlier), five_rows[3].pk],
    )
    assert audit_chain_verify().broken_id == five_rows[3].pk


def test_verify_finds_a_deleted_row(five_rows):
    _sql("DELETE FROM audit_actionlog WHERE id = %s", [five_rows[2].pk])

    verdict = audit_chain_verify()
    assert verdict.broken_id == five_rows[3].pk
    assert "removed" in verdict.problem


def test_verify_finds_rows_put_in_another_order(five_rows):
    first, second = five_rows[1], five_rows[3]
    _sql("UPDATE audit_actionlog SET sequence = -1 WHERE id = %s", [first.pk])
    _sql("UPDATE audit_actionlog SET sequence = %s WHERE id = %s", [first.sequence, second.pk])
    _sql("UPDATE audit_actionlog SET sequence = %s WHERE id = %s", [second.sequence, first.pk])

    assert audit_chain_verify().broken_id == second.pk


def test_verify_finds_a_row_added_with_sql(five_rows, alice):
    last = five_rows[-1]
    _sql(
        "INSERT INTO audit_actionlog (created_at, actor_id, organisation_id, action, object_type, "
        "object_id, case_id, data, changes, sequence, prev_hash, row_hash) "
        "VALUES (%s, NULL, NULL, 'brik.test.forged', 'accounts.user', '1', NULL, '{}', '{}', "
        "%s, %s, %s)",
        [last.created_at, last.sequence + 1, last.row_hash, "0" * 64],
    )

    verdict = audit_chain_verify()
    assert verdict.broken_sequence == last.sequence + 1
    assert verdict.rows == 5


def test_the_command_prints_ok_and_the_number_of_rows(five_rows, capsys):
    call_command("audit", "verify")
    out = capsys.readouterr().out
    assert out.startswith("OK: 5 rows, chain intact")


def test_the_command_fails_with_the_first_broken_link(five_rows):
    _sql("UPDATE audit_actionlog SET action = 'brik.test.other' WHERE id = %s", [five_rows[0].pk])
    with pytest.raises(CommandError, match=f"broken at row id {five_rows[0].pk} "):
        call_command("audit", "verify")


def test_a_refused_login_is_chained_too(five_rows):
    login_failure_record(username="nobody", ip="192.0.2.1")
    row = ActionLog.objects.order_by("sequence").last()
    assert (row.action, row.sequence, row.prev_hash) == (
        "brik.user.login_failed",
        6,
        five_rows[-1].row_hash,
    )
    assert audit_chain_verify().ok


def test_values_the_database_stores_differently_still_verify(alice):
    data = {
        "huge": 1e30,
        "whole": 1.0,
        "tiny": 0.1,
        "big": 2**62,
        "tuple": (1, "two"),
        "text": 'Ærø — «quoted» \\ " \u2028',
        "nested": {"b": [None, True, False], "a": {}},
        3: "integer key",
    }
    log_action(actor=alice, action="brik.case.viewed", obj=alice, data=data)
    assert audit_chain_verify().ok


def test_rows_written_in_bulk_are_chained_by_the_batch_function(five_rows, alice):
    from django.utils import timezone

    rows = [
        {
            "created_at": timezone.now(),
            "actor_id": alice.pk,
            "action": "brik.test.bulk",
            "object_type": "accounts.user",
            "object_id": str(alice.pk),
            "data": {"n": n},
        }
        for n in range(3)
    ]
    with transaction.atomic():
        audit_rows_chain(rows)
        _insert_plain(rows)

    assert [r["sequence"] for r in rows] == [6, 7, 8]
    verdict = audit_chain_verify()
    assert verdict.ok
    assert verdict.rows == 8


def _insert_plain(rows) -> None:
    """As a bulk writer does it: plain SQL, no save()."""
    adapt = connection.ops.adapt_json_value
    with connection.cursor() as cursor:
        for row in rows:
            cursor.execute(
                "INSERT INTO audit_actionlog (created_at, actor_id, organisation_id, action, "
                "object_type, object_id, case_id, data, changes, sequence, prev_hash, row_hash) "
                "VALUES (%s, %s, NULL, %s, %s, %s, NULL, %s, %s, %s, %s, %s)",
                [
                    connection.ops.adapt_datetimefield_value(row["created_at"]),
                    row["actor_id"],
                    row["action"],
                    row["object_type"],
                    row["object_id"],
                    adapt(row["data"], None),
                    adapt(row["changes"], None),
                    row["sequence"],
                    row["prev_hash"],
                    row["row_hash"],
                ],
            )


def test_orm_bulk_create_chains_its_rows(five_rows, alice):
    ActionLog.objects.bulk_create(
        ActionLog(
            actor=alice,
            action="brik.test.bulk",
            object_type="accounts.user",
            object_id=str(alice.pk),
        )
        for _ in range(2)
    )
    sequences = ActionLog.objects.order_by("sequence").values_list("sequence", flat=True)
    assert list(sequences) == list(range(1, 8))
    assert audit_chain_verify().ok
