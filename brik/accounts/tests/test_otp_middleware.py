"""brik.accounts.middleware.OTPMiddleware loads the session's device without its
secret, and decides exactly as django-otp's own middleware: verified only with the
session's own confirmed device of this user."""

import pytest
from django.test import RequestFactory
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.middleware import OTPMiddleware as DjangoOTPMiddleware

from brik.accounts import services
from brik.accounts.middleware import OTPMiddleware
from brik.accounts.models import Authenticator


class _Session(dict):
    modified = False


def verified(middleware_class, user, persistent_id):
    request = RequestFactory().get("/")
    request.session = _Session({DEVICE_ID_SESSION_KEY: persistent_id} if persistent_id else {})
    request.user = user
    middleware_class(lambda r: None)._verify_user_sync(request, user)
    return user.is_verified(), user.otp_device, request.session


@pytest.fixture
def devices(alice, bob):
    mine = services.totp_device_ensure(user=alice).device
    theirs = services.totp_device_ensure(user=bob).device
    unconfirmed = Authenticator.objects.create(user=alice, name="new", confirmed=False)
    return mine, theirs, unconfirmed


def test_the_sessions_device_is_loaded_without_its_secret(alice, devices):
    mine = devices[0]
    is_verified, device, session = verified(OTPMiddleware, alice, mine.persistent_id)
    assert is_verified
    assert device.pk == mine.pk
    assert "key" in device.get_deferred_fields()
    assert device.key == Authenticator.objects.get(pk=mine.pk).key  # read when asked for
    assert DEVICE_ID_SESSION_KEY in session


@pytest.mark.parametrize(
    "which", ["mine", "theirs", "unconfirmed", "missing", "not a number", "other kind", None]
)
def test_it_decides_as_django_otps_middleware(alice, devices, which):
    mine, theirs, unconfirmed = devices
    persistent_id = {
        "mine": mine.persistent_id,
        "theirs": theirs.persistent_id,
        "unconfirmed": unconfirmed.persistent_id,
        "missing": f"{Authenticator.model_label()}/999999",
        "not a number": f"{Authenticator.model_label()}/x1",
        "other kind": f"otp_static.staticdevice/{mine.pk}",
        None: None,
    }[which]
    ours = verified(OTPMiddleware, alice, persistent_id)
    theirs_result = verified(DjangoOTPMiddleware, alice, persistent_id)
    assert ours[0] == theirs_result[0] == (which == "mine")
    assert (ours[1] and ours[1].pk) == (theirs_result[1] and theirs_result[1].pk)
    assert dict(ours[2]) == dict(theirs_result[2])


def test_a_view_reads_the_user_itself_not_the_lazy_objects(client, alice, referred_case):
    """Past the second-factor check the request's user is the User (django-otp's lazy
    object around Django's, unwrapped), with the session's device and verified."""
    from django.utils.functional import LazyObject

    from brik.accounts.models import User

    client.force_login(alice)
    response = client.get(f"/cases/{referred_case.pk}/")
    assert response.status_code == 200
    user = response.wsgi_request.user
    assert not isinstance(user, LazyObject)
    assert type(user) is User
    assert user.pk == alice.pk
    assert user.is_verified()
    assert user.otp_device is not None
