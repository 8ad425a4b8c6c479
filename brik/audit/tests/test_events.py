import pytest

from brik.audit.events import READ_EVENTS, AuditEvent
from brik.audit.models import ActionLog
from brik.audit.services import log_action


@pytest.mark.django_db
def test_a_step_is_stored_under_its_event_name(alice):
    entry = log_action(actor=alice, action=AuditEvent.USER_CHANGED, obj=alice)
    entry.refresh_from_db()
    assert entry.action == "brik.user.changed"


@pytest.mark.django_db
def test_a_name_that_is_no_event_is_refused_and_nothing_is_written(alice):
    with pytest.raises(ValueError, match=r"brik\.user\.chnaged"):
        log_action(actor=alice, action="brik.user.chnaged", obj=alice)
    assert not ActionLog.objects.filter(action="brik.user.chnaged").exists()


def test_every_read_is_an_event_and_no_name_is_listed_twice():
    assert set(AuditEvent) >= READ_EVENTS
    assert len({e.value for e in AuditEvent}) == len(AuditEvent)
    assert all(e.value.startswith("brik.") for e in AuditEvent)
