"""Bulk writers past the ORM (the demo generator) leave a valid chain too."""

import pytest

from brik.audit.models import ActionLog
from brik.audit.services import audit_chain_verify, log_action
from brik.demo.generator import generate


@pytest.mark.django_db
def test_the_demo_generator_writes_a_chain_that_verifies_and_continues(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    generate(seed=3, persons=100)
    rows = ActionLog.objects.count()
    assert rows > 100

    last = ActionLog.objects.order_by("sequence").last()
    log_action(actor=None, action="brik.user.changed", obj=last)

    verdict = audit_chain_verify()
    assert verdict.ok, verdict.problem
    assert verdict.rows == rows + 1
