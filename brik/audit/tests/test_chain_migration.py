"""Rows written before the chain existed are chained by the migration, in id order."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from brik.audit.models import ActionLog
from brik.audit.services import audit_chain_verify

BEFORE_THE_CHAIN = [("audit", "0003_actionlog_changes")]


@pytest.mark.django_db(transaction=True)
def test_the_migration_chains_the_rows_written_before_it():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE_THE_CHAIN)
    old_log = executor.loader.project_state(BEFORE_THE_CHAIN).apps.get_model("audit", "ActionLog")
    for n in range(4):
        old_log.objects.create(
            action="brik.test.old", object_type="accounts.user", object_id=str(n), data={"n": n}
        )
    ids = list(old_log.objects.order_by("id").values_list("id", flat=True))

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    rows = ActionLog.objects.order_by("sequence")
    assert list(rows.values_list("id", flat=True)) == ids
    assert list(rows.values_list("sequence", flat=True)) == [1, 2, 3, 4]
    verdict = audit_chain_verify()
    assert verdict.ok
    assert verdict.rows == 4
