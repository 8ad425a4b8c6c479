"""`brik serve` answers web requests at the address it prints."""

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

BRIK = Path(sys.executable).with_name("brik")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(url: str, seconds: float) -> int:
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - loopback
                return response.status
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def test_serve_prints_its_address_and_serves_the_login_page(tmp_path):
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("BRIK_")}
    env["BRIK_DATA_DIR"] = str(tmp_path)
    server = subprocess.Popen(
        [str(BRIK), "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        assert wait_for(f"http://127.0.0.1:{port}/admin/login/", seconds=60) == 200
    finally:
        server.terminate()
        output, _ = server.communicate(timeout=30)
    assert f"Brik is running at http://127.0.0.1:{port}/" in output


def test_serve_refuses_a_port_out_of_range():
    result = subprocess.run(
        [str(BRIK), "serve", "--port", "70000"], capture_output=True, text=True, timeout=60
    )
    assert result.returncode != 0
    assert "--port must be between 1 and 65535" in result.stderr
