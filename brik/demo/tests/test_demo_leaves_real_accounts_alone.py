"""`brik demo` never touches what it did not make: real accounts keep their second factor,
a database with anyone else's records is left alone, and each install has its own keys."""

import stat
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

from brik.accounts import services as accounts
from brik.accounts.models import Authenticator, RecoveryCode, User
from brik.cases import services as cases
from brik.cases.models import Case
from brik.core import choices as c
from brik.demo.models import DemoRecord
from brik.testing.factories import UserFactory

SMALL = ("--persons", "100", "--no-progress")
pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = StringIO()
    with translation.override("en"):
        call_command("demo", *args, stdout=out)
    return out.getvalue()


def factors(user) -> tuple:
    return (
        list(Authenticator.objects.filter(user=user).values_list("key", "confirmed")),
        sorted(RecoveryCode.objects.filter(device__user=user).values_list("digest", flat=True)),
        User.objects.get(pk=user.pk).password,
    )


@pytest.fixture
def real_admin(centre):
    """A real administrator who happens to be called "admin", with a second factor."""
    user = UserFactory(username="admin", organisation=centre, role=c.Role.ADMINISTRATOR)
    accounts.totp_device_ensure(user=user)
    accounts.recovery_codes_generate(user=user)
    return user


def test_a_real_admin_keeps_its_key_and_codes_after_demo_if_empty(real_admin):
    before = factors(real_admin)
    output = run("--if-empty", *SMALL)
    assert factors(real_admin) == before
    assert "did not make" in output
    assert not Case.objects.exists()
    assert not DemoRecord.objects.exists()


@pytest.mark.parametrize("args", [(), ("--flush",)], ids=["plain", "flush"])
def test_the_demo_refuses_a_database_with_a_real_user(settings, real_admin, args):
    settings.DEBUG = True
    before = factors(real_admin)
    with pytest.raises(CommandError, match="did not make"):
        run(*args, *SMALL)
    assert factors(real_admin) == before
    assert not Case.objects.exists()


def test_the_demo_refuses_a_database_with_a_case_it_did_not_make(settings):
    settings.DEBUG = True
    run(*SMALL)
    caseworker = User.objects.get(username="caseworker")
    real = cases.case_refer(
        actor=caseworker,
        referring_organisation=caseworker.organisation,
        referred_on=Case.objects.order_by("referred_on").first().referred_on,
        gender=c.Gender.WOMAN,
        birth_year=1990,
        citizenships=["NG"],
    )
    with pytest.raises(CommandError, match="did not make"):
        run("--flush", *SMALL)
    assert Case.objects.filter(pk=real.pk).exists()
    assert "did not make" in run("--if-empty")


def test_the_demo_is_refused_in_production_mode_even_on_an_empty_database(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="BRIK_DEBUG=False"):
        run("--if-empty", *SMALL)
    assert not User.objects.exists()


def test_keys_differ_between_two_installs(settings):
    settings.DEBUG = True
    run(*SMALL)
    first = dict(Authenticator.objects.values_list("user__username", "key"))
    run("--flush", *SMALL)
    second = dict(Authenticator.objects.values_list("user__username", "key"))
    assert first.keys() == second.keys()
    assert "admin" in first
    assert all(first[name] != second[name] for name in first)


def test_the_login_sheet_is_private_and_printed_again_without_changing_accounts(settings, data_dir):
    settings.DEBUG = True
    first = run(*SMALL)
    path = data_dir / "demo-logins.txt"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(data_dir.stat().st_mode) == 0o700
    admin = User.objects.get(username="admin")
    key = Authenticator.objects.get(user=admin).key
    before = factors(admin)
    again = run("--if-empty")
    assert factors(admin) == before
    assert path.read_text() in first
    assert path.read_text() in again
    assert accounts.totp_secret(Authenticator.objects.get(user=admin)).secret in again
    assert Authenticator.objects.get(user=admin).key == key
