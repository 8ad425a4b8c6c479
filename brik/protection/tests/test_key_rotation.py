import pytest
from django.core.management import call_command
from django.db import connection

from brik.cases import services
from brik.cases.models import PersonIdentity
from brik.protection.crypto import DecryptionError, blind_index, generate_key
from brik.testing.factories import referral_kwargs


def _raw_given_names() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT given_names FROM cases_personidentity ORDER BY id")
        return [row[0] for row in cursor.fetchall()]


@pytest.fixture
def identities(dave, police):
    for n in range(5):
        services.case_refer(
            actor=dave,
            referring_organisation=police,
            **referral_kwargs(identity={"given_names": f"Testname{n}", "family_name": "Rotation"}),
        )


def test_rotation_reencrypts_everything_so_the_old_key_can_go(identities, settings):
    old_key = settings.ENCRYPTION_KEYS[0]
    before = _raw_given_names()
    new_key = generate_key()
    settings.ENCRYPTION_KEYS = [new_key, old_key]

    call_command("rotate_keys", batch_size=2, verbosity=0)

    after = _raw_given_names()
    assert all(a != b for a, b in zip(after, before, strict=True))
    settings.ENCRYPTION_KEYS = [new_key]
    names = sorted(PersonIdentity.objects.values_list("given_names", flat=True))
    assert names == [f"Testname{n}" for n in range(5)]


def test_without_rotation_the_new_key_alone_cannot_read_old_values(identities, settings):
    settings.ENCRYPTION_KEYS = [generate_key()]
    with pytest.raises(DecryptionError):
        list(PersonIdentity.objects.values_list("given_names", flat=True))


def test_reindex_follows_a_new_blind_index_key(identities, settings):
    settings.BLIND_INDEX_KEY = "another-index-key-for-this-test"
    assert not PersonIdentity.objects.filter(name_index=blind_index("Testname1 Rotation")).exists()

    call_command("rotate_keys", reindex=True, verbosity=0)

    assert PersonIdentity.objects.filter(name_index=blind_index("Testname1 Rotation")).count() == 1


def test_rotation_is_audited_and_keeps_the_key_check_and_the_chain_valid(identities, settings):
    from brik.audit.models import ActionLog
    from brik.audit.services import audit_chain_verify
    from brik.protection.keycheck import keys_verify

    old_key = settings.ENCRYPTION_KEYS[0]
    settings.ENCRYPTION_KEYS = [generate_key(), old_key]

    call_command("rotate_keys", reindex=True, verbosity=0)

    rotated = ActionLog.objects.get(action="brik.keys.rotated")
    assert rotated.data["keys"] == 2
    assert rotated.data["rows"] > 0
    assert ActionLog.objects.filter(action="brik.keys.reindexed").exists()
    settings.ENCRYPTION_KEYS = settings.ENCRYPTION_KEYS[:1]  # the old key is gone
    assert keys_verify() == []
    assert audit_chain_verify().ok


def test_rotation_refuses_keys_that_cannot_read_the_database(identities, settings):
    from django.core.management import CommandError

    settings.ENCRYPTION_KEYS = [generate_key()]
    with pytest.raises(CommandError, match=r"BRIK_ENCRYPTION_KEYS.*Nothing was changed"):
        call_command("rotate_keys", verbosity=0)
