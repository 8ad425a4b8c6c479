"""`brik serve` runs the production server (gunicorn), `brik serve --dev` Django's own."""

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from brik.protection.management.commands import serve

BRIK = Path(sys.executable).with_name("brik")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url: str, seconds: float) -> tuple[int, bytes]:
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - loopback
                return response.status, response.read()
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def printed_command(capsys, *args) -> str:
    call_command("serve", "--print-command", *args)
    return capsys.readouterr().out.strip()


@pytest.mark.slow
def test_serve_runs_the_production_server_with_health_and_the_login_page(tmp_path):
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("BRIK_")}
    env["BRIK_DATA_DIR"] = str(tmp_path)
    subprocess.run([str(BRIK), "migrate", "--no-input", "-v0"], env=env, check=True, timeout=300)
    server = subprocess.Popen(
        [str(BRIK), "serve", "--port", str(port), "--workers", "2"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        status, body = fetch(f"http://127.0.0.1:{port}/health", seconds=180)
        assert status == 200
        assert b'"status": "ok"' in body
        status, body = fetch(f"http://127.0.0.1:{port}/login/", seconds=10)
        assert status == 200
        assert b'name="password"' in body
    finally:
        server.terminate()
        output, _ = server.communicate(timeout=60)
    assert f"Brik is running at http://127.0.0.1:{port}/ with 2 workers" in output
    assert "gunicorn" in output
    # It collected the static files for WhiteNoise.
    assert (tmp_path / "static" / "staticfiles.json").exists()


def test_serve_starts_gunicorn_with_workers_from_the_cpu_count(capsys, monkeypatch):
    monkeypatch.setattr(serve, "cpu_count", lambda: 6)
    monkeypatch.setattr(serve, "database_is_local", lambda settings_dict: True)
    command = printed_command(capsys)
    assert " -m gunicorn brik.wsgi:application " in command
    assert "--bind 127.0.0.1:8000" in command
    assert "--workers 6 " in command
    assert "--worker-class sync --threads 1 " in command
    assert "--timeout 120" in command
    assert "--graceful-timeout 30" in command


def test_serve_runs_more_workers_than_cpus_when_the_database_is_on_another_machine(
    capsys, monkeypatch
):
    monkeypatch.setattr(serve, "cpu_count", lambda: 6)
    monkeypatch.setattr(serve, "database_is_local", lambda settings_dict: False)
    assert "--workers 13 " in printed_command(capsys)


@pytest.mark.parametrize(
    ("cpus", "local", "workers"),
    [(1, True, 2), (2, True, 2), (8, True, 8), (1, False, 3), (2, False, 5)],
)
def test_default_workers_one_per_cpu_for_a_database_on_this_machine(cpus, local, workers):
    assert serve.default_workers(cpus, local_database=local) == workers


@pytest.mark.parametrize(
    ("settings_dict", "local"),
    [
        ({"ENGINE": "django.db.backends.sqlite3", "HOST": ""}, True),
        ({"ENGINE": "brik.core.postgresql", "HOST": ""}, True),  # libpq's Unix socket
        ({"ENGINE": "brik.core.postgresql", "HOST": "/var/run/postgresql"}, True),
        ({"ENGINE": "brik.core.postgresql", "HOST": "localhost"}, True),
        ({"ENGINE": "brik.core.postgresql", "HOST": "127.0.0.1"}, True),
        ({"ENGINE": "brik.core.postgresql", "HOST": "127.0.1.1"}, True),
        ({"ENGINE": "brik.core.postgresql", "HOST": "::1"}, True),
        ({"ENGINE": "brik.core.postgresql", "HOST": "[::1]"}, True),
        ({"ENGINE": "brik.core.postgresql", "HOST": "10.0.0.5"}, False),
        ({"ENGINE": "brik.core.postgresql", "HOST": "db.example.org"}, False),
        ({"ENGINE": "brik.core.postgresql", "HOST": "2001:db8::1"}, False),
    ],
)
def test_database_is_local_by_engine_and_host(settings_dict, local):
    assert serve.database_is_local(settings_dict) is local


def test_serve_with_threads_uses_threaded_workers(capsys):
    assert "--worker-class gthread --threads 2 " in printed_command(capsys, "--threads", "2")


def test_serve_takes_host_port_workers_threads_and_timeout(capsys):
    command = printed_command(
        capsys,
        *("--host", "::1", "--port", "9000", "--workers", "3", "--threads", "4"),
        *("--timeout", "30"),
    )
    assert "--bind '[::1]:9000'" in command
    assert "--workers 3 " in command
    assert "--worker-class gthread --threads 4" in command
    assert "--timeout 30 " in command


@pytest.mark.django_db
def test_serve_dev_runs_djangos_auto_reloading_server(monkeypatch, capsys):
    calls = []
    monkeypatch.setattr(serve, "call_command", lambda *args, **kwargs: calls.append((args, kwargs)))
    call_command("serve", "--dev", "--port", "8123")
    assert calls == [(("runserver", "127.0.0.1:8123"), {"use_reloader": True, "use_ipv6": False})]
    assert "Brik is running at http://127.0.0.1:8123/" in capsys.readouterr().out


def test_serve_refuses_a_port_that_is_in_use():
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with pytest.raises(CommandError, match="in use"):
            call_command("serve", "--port", str(port))


@pytest.mark.parametrize(
    ("option", "value", "message"),
    [
        ("--port", "70000", "--port must be between 1 and 65535"),
        ("--workers", "0", "--workers must be at least 1"),
        ("--threads", "0", "--threads must be at least 1"),
        ("--timeout", "0", "--timeout must be at least 1"),
    ],
)
def test_serve_refuses_impossible_options(option, value, message):
    with pytest.raises(CommandError, match=message):
        call_command("serve", option, value)


def test_serve_refuses_a_port_out_of_range_in_one_line_without_a_traceback():
    result = subprocess.run(
        [str(BRIK), "serve", "--port", "70000"], capture_output=True, text=True, timeout=60
    )
    assert result.returncode != 0
    assert "--port must be between 1 and 65535" in result.stderr
    assert "Traceback" not in result.stderr
