"""`brik demo`: its options, its refusals, and the login sheet it prints every time."""

from io import StringIO

import pytest
from django.contrib.auth import authenticate
from django.contrib.auth.password_validation import validate_password
from django.core.management import call_command, get_commands, load_command_class
from django.core.management.base import CommandError
from django.utils import translation

from brik.accounts.models import Authenticator, RecoveryCode
from brik.cases.models import Case, Person
from brik.demo import sheet
from brik.demo.reference import DEMO_PASSWORD, DEMO_URL, DEMO_USERS

pytestmark = pytest.mark.usefixtures("demo_world", "db")


def run(*args) -> str:
    out = StringIO()
    with translation.override("en"):
        call_command("demo", *args, stdout=out)
    return out.getvalue()


def second_factors() -> tuple[list, list]:
    return (
        sorted(Authenticator.objects.values_list("user__username", "key")),
        sorted(RecoveryCode.objects.values_list("device__user__username", "digest")),
    )


def test_every_option_has_help():
    command = load_command_class(get_commands()["demo"], "demo")
    parser = command.create_parser("brik", "demo")
    own = [
        a
        for a in parser._actions
        if a.dest
        in {"seed", "persons", "today", "host", "port", "if_empty", "flush", "no_progress"}
    ]
    assert len(own) == 8
    assert all(action.help for action in own)
    assert "--persons" in parser.format_help()


def test_if_empty_changes_nothing_and_prints_the_login_sheet(demo_world):
    sheet.write(sheet.render(demo_world.logins))
    cases, persons = Case.objects.count(), Person.objects.count()
    before = second_factors()
    output = run("--if-empty")
    assert (Case.objects.count(), Person.objects.count()) == (cases, persons)
    assert second_factors() == before
    assert "nothing was changed" in output
    assert DEMO_URL in output
    assert DEMO_PASSWORD in output
    for login in demo_world.logins:
        assert login.username in output
        if login.key:
            assert login.key in output
            assert login.recovery_codes[0] in output


def test_if_empty_without_the_sheet_says_how_to_get_new_logins():
    before = second_factors()
    output = run("--if-empty")
    assert "brik demo --flush" in output
    assert second_factors() == before


def test_it_refuses_to_add_to_a_database_with_the_demo():
    with pytest.raises(CommandError, match="--flush"):
        run()


@pytest.mark.parametrize("args", [(), ("--if-empty",), ("--flush",)], ids=str)
def test_it_refuses_everything_outside_development(settings, args):
    settings.DEBUG = False
    before = second_factors()
    with pytest.raises(CommandError, match="BRIK_DEBUG=False"):
        run(*args)
    assert Person.objects.exists()
    assert second_factors() == before


def test_flush_makes_the_demo_again_with_new_logins(settings, data_dir):
    settings.DEBUG = True
    before = set(Person.objects.values_list("code", flat=True))
    keys_before = dict(Authenticator.objects.values_list("user__username", "key"))
    output = run("--flush", "--persons", "150", "--seed", "3", "--no-progress")
    assert Person.objects.count() == 150
    assert set(Person.objects.values_list("code", flat=True)) != before
    keys_after = dict(Authenticator.objects.values_list("user__username", "key"))
    assert keys_after.keys() == keys_before.keys()
    assert all(keys_after[name] != keys_before[name] for name in keys_after)
    assert "caseworker" in output
    assert (data_dir / "demo-logins.txt").read_text() in output


@pytest.mark.parametrize(
    ("args", "message"),
    [(("--if-empty", "--flush"), "not both"), (("--persons", "50"), "at least 100")],
)
def test_it_refuses_contradictory_or_impossible_options(args, message):
    with pytest.raises(CommandError, match=message):
        run(*args)


@pytest.mark.parametrize("spec", DEMO_USERS, ids=lambda u: u.username)
def test_every_printed_login_works(spec):
    user = authenticate(username=spec.username, password=DEMO_PASSWORD)
    assert user is not None
    assert user.role == spec.role
    assert user.organisation.name == spec.organisation
    validate_password(DEMO_PASSWORD, user)


def test_the_administrator_is_staff_and_superuser():
    admin = authenticate(username="admin", password=DEMO_PASSWORD)
    assert admin.is_staff
    assert admin.is_superuser


def test_the_printed_second_factor_lets_a_caseworker_in(demo_world):
    from django_otp.oath import totp

    from brik.accounts.models import User
    from brik.accounts.services import two_factor_verify

    login = next(x for x in demo_world.logins if x.username == "caseworker")
    assert len(login.key) == 32
    assert len(login.recovery_codes) == 3
    user = User.objects.get(username="caseworker")
    device = user.authenticator_set.get()
    assert two_factor_verify(user=user, token=f"{totp(device.bin_key):06d}") is not None
    code = login.recovery_codes[0]
    assert two_factor_verify(user=user, token=code) is not None
    assert two_factor_verify(user=user, token=code) is None  # used up


def test_the_address_printed_is_the_one_brik_is_served_on(demo_world):
    sheet.write(sheet.render(demo_world.logins))
    assert "http://127.0.0.1:8123/" in run("--if-empty", "--port", "8123")
    assert "http://[::1]:9000/" in run("--if-empty", "--host", "::1", "--port", "9000")
    # Listening on every address: the browser on this computer opens 127.0.0.1.
    assert "http://127.0.0.1:8000/" in run("--if-empty", "--host", "0.0.0.0")  # noqa: S104
    assert ":8000" not in run("--if-empty", "--port", "8123")


def test_a_today_that_is_no_date_is_refused():
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        run("--flush", "--today", "10-03-2026")
