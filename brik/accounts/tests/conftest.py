"""Shared checks for the accounts tests: English messages, fast hashing, refusals change nothing."""

from contextlib import contextmanager

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from brik.accounts.models import Organisation, User
from brik.audit.models import ActionLog


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def db_snapshot() -> dict:
    models = [Organisation, User, User.groups.through, User.user_permissions.through, ActionLog]
    return {m._meta.label: list(m.objects.order_by("pk").values()) for m in models}


@pytest.fixture
def refused():
    """`with refused("message"):` asserts the step is refused with that message, changing nothing."""

    @contextmanager
    def check(message: str, *, code: str | None = None):
        before = db_snapshot()
        with pytest.raises(ValidationError) as info:
            yield info
        assert info.value.messages == [message]
        if code is not None:
            assert info.value.code == code
        assert db_snapshot() == before, "a refused step changed the database"

    return check


@pytest.fixture
def logged():
    def check(action: str, *, actor, obj) -> ActionLog:
        row = ActionLog.objects.get(
            action=action, object_type=obj._meta.label_lower, object_id=str(obj.pk)
        )
        assert row.actor == actor
        return row

    return check


@pytest.fixture
def superuser(frank):
    """Frank, the administrator, with every permission in the admin."""
    frank.is_superuser = True
    frank.save(update_fields=["is_superuser"])
    return frank


def totp_code(device) -> str:
    """The code an authenticator app shows now for `device`."""
    from django_otp.oath import totp

    return f"{totp(device.bin_key, step=device.step, t0=device.t0):06d}"


@pytest.fixture
def confirmation():
    """`confirmation(user)`: the user re-enters their second factor (they get one if needed)."""
    from brik.accounts import services

    def confirm(user) -> str:
        device = services.totp_device_ensure(user=user).device
        return services.second_factor_confirm(actor=user, code=totp_code(device))

    return confirm
