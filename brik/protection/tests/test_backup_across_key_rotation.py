"""A backup made before a key rotation restores while the old key is still listed."""

import pytest
from django.core.management import CommandError, call_command

from brik.cases.models import PersonIdentity
from brik.protection.backup import backup_create
from brik.protection.crypto import generate_key
from brik.protection.tests.backups import refer

pytestmark = pytest.mark.django_db(transaction=True)


def _names() -> list[str]:
    return sorted(PersonIdentity.objects.values_list("given_names", flat=True))


def test_a_backup_from_before_a_rotation_restores_while_the_old_key_is_listed(
    dave, police, settings, tmp_path
):
    refer(dave, police)
    names = _names()
    path = tmp_path / "before-rotation.brikbackup"
    backup_create(path=path)
    old = settings.ENCRYPTION_KEYS[0]
    settings.ENCRYPTION_KEYS = [generate_key(), old]
    call_command("rotate_keys", verbosity=0)

    call_command("restore", str(path), yes=True, verbosity=0)
    assert _names() == names

    settings.ENCRYPTION_KEYS = settings.ENCRYPTION_KEYS[:1]
    with pytest.raises(CommandError, match="cannot be decrypted with BRIK_ENCRYPTION_KEYS"):
        call_command("restore", str(path), yes=True, verbosity=0)
