"""`brik demo`: its options, its refusals, and the logins it prints every time."""

from io import StringIO

import pytest
from django.contrib.auth import authenticate
from django.contrib.auth.password_validation import validate_password
from django.core.management import call_command, get_commands, load_command_class
from django.core.management.base import CommandError

from brik.cases.models import Case, Person
from brik.demo.reference import DEMO_PASSWORD, DEMO_URL, DEMO_USERS

pytestmark = pytest.mark.usefixtures("demo_world", "db")


def run(*args) -> str:
    out = StringIO()
    call_command("demo", *args, stdout=out)
    return out.getvalue()


def test_every_option_has_help():
    command = load_command_class(get_commands()["demo"], "demo")
    parser = command.create_parser("brik", "demo")
    own = [
        a
        for a in parser._actions
        if a.dest in {"seed", "persons", "if_empty", "flush", "no_progress"}
    ]
    assert len(own) == 5
    assert all(action.help for action in own)
    assert "--persons" in parser.format_help()


def test_if_empty_does_nothing_when_cases_exist_but_prints_the_logins():
    cases, persons = Case.objects.count(), Person.objects.count()
    output = run("--if-empty")
    assert (Case.objects.count(), Person.objects.count()) == (cases, persons)
    assert DEMO_URL in output
    assert DEMO_PASSWORD in output
    for user in DEMO_USERS:
        assert user.username in output


def test_it_refuses_to_add_to_a_database_with_cases():
    with pytest.raises(CommandError, match="--flush"):
        run()


def test_it_refuses_to_flush_outside_development(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="BRIK_DEBUG"):
        run("--flush")
    assert Person.objects.exists()


def test_flush_replaces_the_demo_in_development(settings):
    settings.DEBUG = True
    before = set(Person.objects.values_list("code", flat=True))
    output = run("--flush", "--persons", "150", "--seed", "3", "--no-progress")
    assert Person.objects.count() == 150
    assert set(Person.objects.values_list("code", flat=True)) != before
    assert "caseworker" in output


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


def test_the_printed_second_factor_lets_a_caseworker_in():
    import re

    from django_otp.oath import totp

    from brik.accounts.models import User
    from brik.accounts.services import two_factor_verify
    from brik.demo.reference import demo_totp_secret

    output = run("--if-empty")
    row = next(line for line in output.splitlines() if line.startswith("│ caseworker "))
    key, code = re.findall(r"│ ([A-Z2-7]{32}|[a-z0-9]{8}) +(?=│)", row)[-2:]
    assert key == demo_totp_secret("caseworker")
    user = User.objects.get(username="caseworker")

    device = user.authenticator_set.get()
    assert two_factor_verify(user=user, token=f"{totp(device.bin_key):06d}") is not None
    assert two_factor_verify(user=user, token=code) is not None
    assert two_factor_verify(user=user, token=code) is None  # used up
