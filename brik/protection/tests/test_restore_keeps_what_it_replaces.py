"""A restore keeps the replaced database as a safety copy and records what it replaced."""

import pytest
from django.core.management import call_command

from brik.audit.models import ActionLog
from brik.audit.services import audit_chain_verify
from brik.protection.backup import backup_create
from brik.protection.tests.backups import live_snapshot, refer
from brik.testing.factories import OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_replaced_database_is_saved_and_can_be_restored_again(dave, police, tmp_path, capsys):
    refer(dave, police)
    path = tmp_path / "old.brikbackup"
    backup_create(path=path)
    refer(dave, police, n=2)
    replaced = live_snapshot(parts=True)

    call_command("restore", str(path), yes=True)
    out = capsys.readouterr().out
    copies = [p for p in (tmp_path / "backups").iterdir() if "before-restore" in p.name]
    assert len(copies) == 1
    assert f"saved as {copies[0]}" in out
    assert live_snapshot(parts=True) != replaced

    call_command("restore", str(copies[0]), yes=True, verbosity=0)

    # Everything the first restore replaced is back, and the log says it was restored.
    cases, names, audit = live_snapshot(parts=True)
    replaced_cases, replaced_names, replaced_audit = replaced
    assert (cases, names) == (replaced_cases, replaced_names)
    assert audit[: len(replaced_audit)] == replaced_audit
    assert len(audit) == len(replaced_audit) + 1
    assert ActionLog.objects.order_by("sequence").last().action == "brik.backup.restored"


def test_the_restore_records_the_audit_rows_it_replaced(dave, police, tmp_path):
    refer(dave, police)
    path = tmp_path / "old.brikbackup"
    in_backup = backup_create(path=path)["audit"]["last_sequence"]
    refer(dave, police, n=2)
    newer = ActionLog.objects.filter(sequence__gt=in_backup)
    expected = {
        "rows_after_backup": newer.count(),
        "last_sequence": newer.order_by("-sequence").first().sequence,
        "last_hash": newer.order_by("-sequence").first().row_hash,
        "continues_backup": True,
    }

    call_command("restore", str(path), yes=True, verbosity=0)

    row = ActionLog.objects.get(action="brik.backup.restored")
    replaced = row.data["replaced"]
    assert {k: replaced[k] for k in expected} == expected
    assert row.data["backup_audit_last_sequence"] == in_backup
    assert row.data["safety_copy"].startswith("brik-before-restore-")
    assert row.sequence == in_backup + 1
    assert audit_chain_verify().ok


def test_a_restore_says_when_the_live_log_did_not_continue_the_backup(dave, police, tmp_path):
    refer(dave, police, n=1)
    path = tmp_path / "other.brikbackup"
    backup_create(path=path)
    # Another history: the live log is rebuilt from scratch with different rows.
    call_command("flush", interactive=False, verbosity=0)
    organisation = OrganisationFactory(name="Another police district", type="police")
    refer(
        UserFactory(username="another", organisation=organisation, role="referrer"),
        organisation,
        n=2,
    )
    live_rows = ActionLog.objects.count()

    call_command("restore", str(path), yes=True, verbosity=0)

    replaced = ActionLog.objects.get(action="brik.backup.restored").data["replaced"]
    assert replaced["continues_backup"] is False
    assert replaced["rows_after_backup"] == live_rows
