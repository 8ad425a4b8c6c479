"""`brik serve`: Brik's web server, the same on a laptop as in production.

It gathers the static files (only when they changed) and then becomes
gunicorn, a production WSGI server: a master process with worker processes
(one request at a time each; by default one per CPU core when the database works
on this machine, two per core and one more when it is on another), which
restarts a worker that hangs past the timeout, restarts them all gracefully on
SIGHUP (`systemctl reload brik`) and stops gracefully on SIGTERM. WhiteNoise serves
the static files from inside Brik. `brik serve --dev` runs Django's
development server instead, which restarts itself when the code changes.

docs/performance.md has the measurements behind the defaults.
"""

import ipaddress
import os
import shlex
import socket
import sys
from importlib.util import find_spec

from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

from brik.protection.keycheck import keys_require_valid

DEFAULT_TIMEOUT = 120
# One thread per worker (gunicorn's sync workers): on SQLite the slowest twentieth
# of the requests took about 60 % of their time with two threads each (two requests of one
# worker wait for each other's share of the interpreter while another worker may be
# idle), and as long on PostgreSQL (docs/performance.md, "Choosing the server").
# Behind a proxy that buffers (deploy/nginx.conf) a slow client holds no worker.
DEFAULT_THREADS = 1
# Time a worker has to finish its requests on a restart or stop.
GRACEFUL_TIMEOUT = 30
# Seconds an idle keep-alive connection stays open (gthread workers; the
# sync workers close every connection after its response).
KEEP_ALIVE = 5
# A worker is replaced after this many requests (plus up to the jitter, so
# that they are not all replaced at once): memory cannot creep up forever. A new
# worker costs about a second of CPU (importing Brik 0.57 s, then its first requests
# of each page 3-16 times their usual time, with cold caches and a new database
# connection) taken from the others: at 5,000 requests that was 2-3 % of a worker's
# lifetime of work, and it slows the requests served meanwhile. A worker's memory did
# not grow over a benchmark's run (130-170 MB at 100,000 persons, about 6,000
# requests each; docs/performance.md, "Sixteenth round").
MAX_REQUESTS = 50000
MAX_REQUESTS_JITTER = 5000
SHARED_MEMORY = "/dev/shm"  # noqa: S108 - a directory, not a file name to guess


def cpu_count() -> int:
    """The CPUs this process may run on (a container's or taskset's limit, not the machine's)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def database_is_local(settings_dict: dict) -> bool:
    """Whether the database's work is done on this machine's CPUs: SQLite (inside each
    worker), or a PostgreSQL server reached through a Unix socket or a loopback address."""
    if settings_dict.get("ENGINE", "").endswith("sqlite3"):
        return True
    host = (settings_dict.get("HOST") or "").strip("[]")
    if not host or host.startswith("/") or host == "localhost":  # no host: libpq's socket
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:  # a host name: another machine, for all we know
        return False


def default_workers(cpus: int, *, local_database: bool) -> int:
    """Worker processes for `cpus` CPUs. When the database works on this machine, a
    request keeps a CPU busy from start to end (in the worker, or in the database's
    process while the worker waits for it): more workers than CPUs only share them,
    and each request then takes longer. One per CPU (at least two, so that one slow
    request or a worker's replacement does not stop the server) had the lowest p95 and
    the highest throughput on both databases (docs/performance.md, "Seventeenth
    round"). With the database on another machine a worker waits for the network and
    the other machine's CPU: two per CPU and one more, gunicorn's own advice."""
    if local_database:
        return max(2, cpus)
    return 2 * cpus + 1


def workers_here() -> int:
    """default_workers for this machine and the configured database."""
    from django.db import connections

    return default_workers(
        cpu_count(), local_database=database_is_local(connections["default"].settings_dict)
    )


def bind_address(host: str, port: int) -> str:
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


def production_command(*, host: str, port: int, workers: int, threads: int, timeout: int):
    """The gunicorn command line that `brik serve` runs."""
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "brik.wsgi:application",
        "--bind",
        bind_address(host, port),
        "--workers",
        str(workers),
        "--worker-class",
        "gthread" if threads > 1 else "sync",
        "--threads",
        str(threads),
        "--timeout",
        str(timeout),
        "--graceful-timeout",
        str(GRACEFUL_TIMEOUT),
        "--keep-alive",
        str(KEEP_ALIVE),
        "--max-requests",
        str(MAX_REQUESTS),
        "--max-requests-jitter",
        str(MAX_REQUESTS_JITTER),
        "--name",
        "brik",
        "--error-logfile",
        "-",
        # Signals control the server; no control socket shared by every
        # gunicorn of the same user.
        "--no-control-socket",
    ]
    if os.path.isdir(SHARED_MEMORY):
        # The workers' heartbeat files: in memory, so a slow disk cannot make
        # the master think a worker hangs.
        command += ["--worker-tmp-dir", SHARED_MEMORY]
    return command


def port_is_free(host: str, port: int) -> bool:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError:
            return False
    return True


class Command(BaseCommand):
    help = (
        "Run Brik's web server: gunicorn with static files, as in production "
        "(--dev: Django's auto-reloading development server)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--host",
            default="127.0.0.1",
            help="Address to listen on (default: 127.0.0.1, reachable from this computer only).",
        )
        parser.add_argument(
            "--port", type=int, default=8000, help="Port to listen on (default: 8000)."
        )
        parser.add_argument(
            "--dev",
            action="store_true",
            help="Run Django's development server, which restarts when the code changes.",
        )
        parser.add_argument(
            "--workers",
            type=int,
            default=None,
            help="Worker processes (default: one per CPU core, at least two, when the "
            "database is on this machine; two per core and one more when it is on another; "
            f"here {workers_here()}).",
        )
        parser.add_argument(
            "--threads",
            type=int,
            default=DEFAULT_THREADS,
            help="Threads per worker (default: %(default)s; 1 uses gunicorn's sync workers).",
        )
        parser.add_argument(
            "--timeout",
            type=int,
            default=DEFAULT_TIMEOUT,
            help="Seconds a request may take before its worker is restarted "
            "(default: %(default)s).",
        )
        parser.add_argument(
            "--print-command",
            action="store_true",
            help="Print the server's command line and stop, without serving.",
        )

    def handle(self, *args, host, port, dev, workers, threads, timeout, print_command, **options):
        if not 0 < port < 65536:
            raise CommandError(f"--port must be between 1 and 65535, not {port}.")
        for name, value in (("--workers", workers), ("--threads", threads), ("--timeout", timeout)):
            if value is not None and value < 1:
                raise CommandError(f"{name} must be at least 1, not {value}.")
        address = bind_address(host, port)
        if dev:
            if print_command:
                self.stdout.write(f"{shlex.quote(sys.argv[0])} runserver {address}")
                return
            self.refuse_wrong_keys()
            self.stdout.write(
                f"Brik is running at http://{address}/ with Django's development server "
                "(stop it with Ctrl+C)."
            )
            call_command("runserver", address, use_reloader=True, use_ipv6=":" in host)
            return

        workers = workers or workers_here()
        command = production_command(
            host=host, port=port, workers=workers, threads=threads, timeout=timeout
        )
        if print_command:
            self.stdout.write(shlex.join(command))
            return
        if find_spec("gunicorn") is None:
            raise CommandError(
                "gunicorn is not installed: reinstall Brik (pip install -e .), "
                "or run `brik serve --dev`."
            )
        if not port_is_free(host, port):
            raise CommandError(
                f"Cannot listen on {address}: the port is in use or the address is not "
                "this computer's. Choose another with --port or --host."
            )
        self.refuse_wrong_keys()
        from brik.core.staticfiles import collect_if_changed

        if collect_if_changed():
            self.stdout.write("Collected the static files.")
        self.stdout.write(
            f"Brik is running at http://{address}/ with {workers} worker"
            f"{'s' if workers != 1 else ''} (stop it with Ctrl+C)."
        )
        self.stdout.flush()
        sys.stderr.flush()
        # Become gunicorn: a service manager's signals (reload, stop) reach
        # its master process directly.
        os.execv(command[0], command)  # noqa: S606 - a fixed argument list

    def refuse_wrong_keys(self) -> None:
        """Never serve with keys that cannot read this database (brik.protection.keycheck)."""
        try:
            keys_require_valid()
        except ImproperlyConfigured as exc:
            raise CommandError(f"Brik refuses to start: {exc}") from exc
        except DatabaseError:
            pass  # not migrated yet, or unreachable: Django's own checks and pages say so
