"""Writes that protect the data: key rotation, re-indexing.

Both are audited, and both keep the key check value current
(brik.protection.keycheck): rotation re-encrypts it last, so it is under the
new key only once everything else is; re-indexing stores the new blind index
key's check value.
"""

from collections.abc import Callable

from django.conf import settings
from django.db import connection, transaction

from brik.audit.events import AuditEvent
from brik.protection import crypto
from brik.protection.fields import (
    concrete_column,
    encrypted_fields,
    models_with_encrypted_fields,
)


def encrypted_value_count() -> int:
    return sum(m._default_manager.count() for m in models_with_encrypted_fields())


def keys_rotate(*, batch_size: int = 1000, on_batch: Callable[[int], None] | None = None) -> int:
    """Re-encrypt every encrypted value with the current (first) key.

    Works on the stored ciphertext directly, one transaction per batch, so it
    can be interrupted and run again: values already under the current key are
    simply re-encrypted once more. Returns the number of rows visited.
    """
    from brik.audit.services import log_action
    from brik.protection.keycheck import database_row_ensure

    database_row_ensure()
    visited = 0
    quote = connection.ops.quote_name
    for model in models_with_encrypted_fields():
        table = quote(model._meta.db_table)
        pk = quote(concrete_column(model._meta.pk))
        columns = [concrete_column(f) for f in encrypted_fields(model)]
        select_list = ", ".join(quote(c) for c in columns)
        last = None
        while True:
            with transaction.atomic(), connection.cursor() as cursor:
                where = "" if last is None else f" WHERE {pk} > %s"
                cursor.execute(
                    f"SELECT {pk}, {select_list} FROM {table}{where} ORDER BY {pk} LIMIT %s",  # noqa: S608
                    ([] if last is None else [last]) + [batch_size],
                )
                rows = cursor.fetchall()
                if not rows:
                    break
                assignments = ", ".join(f"{quote(c)} = %s" for c in columns)
                cursor.executemany(
                    f"UPDATE {table} SET {assignments} WHERE {pk} = %s",  # noqa: S608
                    [[crypto.reencrypt(v) if v else v for v in row[1:]] + [row[0]] for row in rows],
                )
            last = rows[-1][0]
            visited += len(rows)
            if on_batch:
                on_batch(len(rows))
    with transaction.atomic(), connection.cursor() as cursor:
        # Last: the check value is under the new key only once everything else is.
        cursor.execute("SELECT key_check, audit_key FROM protection_database WHERE id = 1")
        key_check, audit_key = cursor.fetchone()
        cursor.execute(
            "UPDATE protection_database SET key_check = %s, audit_key = %s WHERE id = 1",
            [crypto.reencrypt(key_check), crypto.reencrypt(audit_key)],
        )
        log_action(
            actor=None,
            action=AuditEvent.KEYS_ROTATED,
            obj=database_row_ensure(),
            data={"rows": visited, "keys": len(settings.ENCRYPTION_KEYS)},
        )
    return visited


def blind_indexes_rebuild(*, batch_size: int = 1000) -> int:
    """Recompute every blind index (after BRIK_BLIND_INDEX_KEY changed)."""
    from brik.audit.services import log_action
    from brik.cases.models import PersonIdentity
    from brik.protection.keycheck import database_row_ensure, index_check_update

    done = 0
    ids = list(PersonIdentity.objects.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), batch_size):
        with transaction.atomic():
            batch = list(PersonIdentity.objects.filter(pk__in=ids[start : start + batch_size]))
            for identity in batch:
                identity.compute_indexes()
            PersonIdentity.objects.bulk_update(batch, ["name_index"])
        done += len(batch)
    with transaction.atomic():
        index_check_update()
        log_action(
            actor=None,
            action=AuditEvent.KEYS_REINDEXED,
            obj=database_row_ensure(),
            data={"rows": done},
        )
    return done
