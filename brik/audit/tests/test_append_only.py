import pytest

from brik.audit.models import ActionLog, AuditLogIsAppendOnly


@pytest.fixture
def entry(referred_case):
    return ActionLog.objects.get(action="brik.case.referred")


def test_an_audit_row_cannot_be_changed(entry):
    entry.action = "brik.something.else"
    with pytest.raises(AuditLogIsAppendOnly):
        entry.save()
    with pytest.raises(AuditLogIsAppendOnly):
        ActionLog.objects.filter(pk=entry.pk).update(action="brik.something.else")
    assert ActionLog.objects.get(pk=entry.pk).action == "brik.case.referred"


def test_an_audit_row_cannot_be_deleted(entry):
    with pytest.raises(AuditLogIsAppendOnly):
        entry.delete()
    with pytest.raises(AuditLogIsAppendOnly):
        ActionLog.objects.all().delete()
    assert ActionLog.objects.filter(pk=entry.pk).exists()
