"""Scale out: two app servers on one PostgreSQL database keep no state of their own.

A country with a large caseload runs several Brik servers behind a load
balancer. Whatever a request does on one server (a login with its second
factor, failed passwords towards a lockout, subscription requests towards a
rate limit) must count on every other, so all of it lives in the database.
Here two gunicorn servers (two workers each) run on the test database and one
browser goes back and forth between them, as a load balancer would send it.

Only on PostgreSQL (BRIK_DATABASE_URL), as in production; slow (it starts servers).
"""

import http.cookiejar
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

import pytest
from django.conf import settings as django_settings
from django.db import connection
from django.urls import reverse

from brik import settings as brik_settings
from brik.accounts.models import Authenticator
from brik.core import choices
from brik.statistics.services import subscriptions
from brik.testing.factories import UserFactory

pytestmark = [
    pytest.mark.slow,
    pytest.mark.postgresql,
    pytest.mark.skipif(
        not os.getenv("BRIK_DATABASE_URL", "").startswith(("postgres://", "postgresql://")),
        reason="needs BRIK_DATABASE_URL pointing to PostgreSQL",
    ),
]

PASSWORD = "a long and correct passphrase"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Browser:
    """One browser (one cookie jar) that asks whichever server it is told to."""

    def __init__(self):
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), _NoRedirect()
        )

    def request(self, base: str, path: str, data: dict | None = None) -> tuple[int, str, str]:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        request = urllib.request.Request(base + path, data=body)  # noqa: S310 - loopback
        try:
            with self.opener.open(request, timeout=60) as response:
                return response.status, response.read().decode(), ""
        except urllib.error.HTTPError as error:  # 3xx (not followed) and 4xx
            return error.code, error.read().decode(), error.headers.get("Location", "")

    def post_form(
        self, base: str, path: str, data: dict, *, form_page: str = ""
    ) -> tuple[int, str, str]:
        """Fill in the form of `form_page` (default: `path` itself) and post it to `path`."""
        _status, page, _location = self.request(base, form_page or path)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        assert token, f"no form on {path}"
        return self.request(base, path, {**data, "csrfmiddlewaretoken": token.group(1)})


def _database_url() -> str:
    db = connection.settings_dict
    return (
        f"postgres://{urllib.parse.quote(db['USER'])}:{urllib.parse.quote(db['PASSWORD'])}"
        f"@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    )


def _wait_until_up(base: str, server: subprocess.Popen, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(base + "/health", timeout=5) as response:  # noqa: S310
                if response.status == 200:
                    return
        except OSError:
            pass
        if server.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError(f"the server at {base} did not start")
        time.sleep(0.3)


@pytest.fixture
def servers(transactional_db, tmp_path):
    """Two gunicorn servers, two workers each, on the test database; their base URLs."""
    env = {**os.environ, "BRIK_DATABASE_URL": _database_url(), "BRIK_LOG_LEVEL": "WARNING"}
    started = []
    try:
        for n in (1, 2):
            port = _free_port()
            log = (tmp_path / f"server{n}.log").open("w")
            server = subprocess.Popen(
                [sys.executable, "-m", "gunicorn", "brik.wsgi:application",
                 "--bind", f"127.0.0.1:{port}", "--workers", "2", "--threads", "2"],
                env=env, stdout=log, stderr=subprocess.STDOUT,
            )  # fmt: skip
            started.append((server, f"http://127.0.0.1:{port}"))
        for server, base in started:
            _wait_until_up(base, server)
        yield [base for _server, base in started]
    finally:
        for server, _base in started:
            server.terminate()
        for server, _base in started:
            server.wait(timeout=60)


@pytest.fixture
def alice(transactional_db, settings, centre):
    # The servers check passwords with Brik's own hashers, not the tests' fast one.
    settings.PASSWORD_HASHERS = brik_settings.PASSWORD_HASHERS
    user = UserFactory(username="alice", organisation=centre, role=choices.Role.CASEWORKER)
    user.set_password(PASSWORD)
    user.save()
    device = Authenticator.objects.create(user=user, name="phone", confirmed=True)
    return user, device


def _code(device: Authenticator) -> str:
    from django_otp.oath import TOTP

    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"


def test_a_login_with_its_second_factor_on_one_server_is_valid_on_the_other(servers, alice):
    one, two = servers
    _user, device = alice
    browser = Browser()
    page = reverse("statistics:index")
    # Not logged in: the second server sends the browser to the login page.
    assert browser.request(two, page)[0] == 302

    status, _body, location = browser.post_form(
        one, reverse("login"), {"username": "alice", "password": PASSWORD}
    )
    assert status == 302
    assert reverse("accounts:two_factor") in location
    # Half logged in on server 1: server 2 also asks for the second factor.
    status, _body, location = browser.request(two, page)
    assert status == 302
    assert reverse("accounts:two_factor") in location

    status, _body, _location = browser.post_form(
        one, reverse("accounts:two_factor"), {"code": _code(device)}
    )
    assert status == 302
    status, body, _location = browser.request(two, page)
    assert status == 200
    assert 'name="year"' in body  # the analysts' report page itself


def test_wrong_passwords_on_both_servers_count_towards_one_lockout(servers, alice):
    one, two = servers
    browser = Browser()
    limit = django_settings.AXES_FAILURE_LIMIT
    for attempt in range(limit):
        # Alternately: neither server alone sees enough failures to lock.
        base = one if attempt % 2 else two
        status, _body, _location = browser.post_form(
            base, reverse("login"), {"username": "alice", "password": "wrong"}
        )
        assert status in (200, 401, 403, 422, 429)
    # Each server saw fewer failures than the limit; together they reached it.
    for base in (one, two):
        status, body, _location = Browser().post_form(
            base, reverse("login"), {"username": "alice", "password": PASSWORD}
        )
        assert status == 429, body[:300]


def test_the_subscription_rate_limit_counts_requests_to_both_servers(servers, db):
    one, two = servers
    browser = Browser()
    path, form_page = reverse("statistics:subscribe"), reverse("statistics:public")
    for n in range(subscriptions.REQUESTS_PER_CLIENT):
        base = one if n % 2 else two
        status, _body, _location = browser.post_form(
            base, path, {"email": f"reader{n}@example.org", "consent": "on"}, form_page=form_page
        )
        assert status == 200
    for base in (one, two):
        status, body, _location = browser.post_form(
            base, path, {"email": "one-more@example.org", "consent": "on"}, form_page=form_page
        )
        assert status == 429, body[:300]
