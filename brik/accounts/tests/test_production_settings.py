"""Production mode: `manage.py check --deploy` is clean, and the security headers are sent."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from django.conf import settings
from django.urls import reverse

MANAGE = Path(settings.BASE_DIR) / "manage.py"


@pytest.fixture
def production_env(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("BRIK_")}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    # Set by the browser tests for their own process; never in a deployment.
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    env.update(
        {
            "BRIK_DEBUG": "False",
            "BRIK_SECRET_KEY": "x" * 20 + Fernet.generate_key().decode(),
            "BRIK_ENCRYPTION_KEYS": Fernet.generate_key().decode(),
            "BRIK_BLIND_INDEX_KEY": Fernet.generate_key().decode(),
            "BRIK_ALLOWED_HOSTS": "brik.example.org",
            "BRIK_DATA_DIR": str(tmp_path),
        }
    )
    return env


def test_check_deploy_gives_no_warning_in_production_mode(production_env):
    result = subprocess.run(
        [sys.executable, str(MANAGE), "check", "--deploy", "--fail-level", "WARNING"],
        env=production_env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_mode_secures_cookies_and_transport(production_env):
    script = (
        "import django, json; django.setup(); from django.conf import settings as s; "
        "print(json.dumps({k: getattr(s, k) for k in ("
        "'SESSION_COOKIE_SECURE', 'CSRF_COOKIE_SECURE', 'SECURE_SSL_REDIRECT', "
        "'SECURE_HSTS_SECONDS', 'SECURE_HSTS_INCLUDE_SUBDOMAINS', 'SESSION_COOKIE_HTTPONLY', "
        "'X_FRAME_OPTIONS', 'SECURE_REFERRER_POLICY', 'SESSION_ENGINE')}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        env={**production_env, "DJANGO_SETTINGS_MODULE": "brik.settings"},
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )

    values = json.loads(result.stdout)
    assert values == {
        "SESSION_COOKIE_SECURE": True,
        "CSRF_COOKIE_SECURE": True,
        "SECURE_SSL_REDIRECT": True,
        "SECURE_HSTS_SECONDS": 31536000,
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": True,
        "SESSION_COOKIE_HTTPONLY": True,
        "X_FRAME_OPTIONS": "DENY",
        "SECURE_REFERRER_POLICY": "same-origin",
        "SESSION_ENGINE": "brik.accounts.sessions",
    }


def test_every_page_sends_the_content_security_policy_and_framing_headers(client, db):
    response = client.get(reverse("login"))

    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "script-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy
    assert "unsafe-eval" not in policy
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_hsts_is_sent_over_https_in_production(client, db, settings):
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True

    response = client.get(reverse("login"), secure=True)

    assert response["Strict-Transport-Security"].startswith("max-age=31536000")
