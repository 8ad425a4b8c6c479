import pytest
from django.core.management import CommandError, call_command

from brik.audit.models import ActionLog
from brik.audit.services import audit_chain_verify
from brik.cases import services
from brik.cases.models import Case, PersonIdentity
from brik.protection.backup import backup_dir
from brik.testing.factories import referral_kwargs


def _snapshot() -> list[tuple]:
    cases = list(
        Case.objects.order_by("pk").values_list("pk", "status", "referred_on", "person__code")
    )
    names = list(PersonIdentity.objects.order_by("pk").values_list("given_names", "family_name"))
    return cases + names


@pytest.mark.django_db(transaction=True)
def test_restore_gives_back_exactly_what_was_backed_up(dave, police, tmp_path):
    for n in range(3):
        services.case_refer(
            actor=dave,
            referring_organisation=police,
            **referral_kwargs(identity={"given_names": f"Backup{n}", "family_name": "Testperson"}),
        )
    before = _snapshot()
    path = tmp_path / "brik.backup"
    call_command("backup", output=path, verbosity=0)
    assert path.stat().st_size > 0

    services.case_refer(actor=dave, referring_organisation=police, **referral_kwargs())
    Case.objects.filter(pk=before[0][0]).update(
        status="closed", closed_on="2021-04-01", closing_reason="other"
    )
    assert _snapshot() != before

    call_command("restore", str(path), yes=True, verbosity=0)

    assert _snapshot() == before


def test_restore_asks_for_confirmation(tmp_path):
    with pytest.raises(CommandError, match="--yes"):
        call_command("restore", str(tmp_path / "missing"))


@pytest.mark.django_db
def test_backup_refuses_to_overwrite_a_file(tmp_path):
    path = tmp_path / "exists"
    path.write_text("keep me")
    with pytest.raises(CommandError, match="exists"):
        call_command("backup", output=path)
    assert path.read_text() == "keep me"


@pytest.mark.django_db(transaction=True)
def test_the_restored_action_log_continues_the_backups_chain(dave, police, tmp_path):
    services.case_refer(actor=dave, referring_organisation=police, **referral_kwargs())
    path = tmp_path / "brik.backup"
    call_command("backup", output=path, verbosity=0)
    services.case_refer(actor=dave, referring_organisation=police, **referral_kwargs())

    call_command("restore", str(path), yes=True, verbosity=0)

    verdict = audit_chain_verify()
    assert verdict.ok, verdict.problem
    assert ActionLog.objects.order_by("-sequence").first().action == "brik.backup.restored"


@pytest.mark.django_db(transaction=True)
def test_backup_without_output_goes_to_the_backup_folder(capsys):
    call_command("backup")
    written = list(backup_dir().iterdir())
    assert len(written) == 1
    assert written[0].name.startswith("brik-")
    assert str(written[0]) in capsys.readouterr().out
