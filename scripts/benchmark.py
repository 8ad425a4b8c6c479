"""Measure Brik under load: its pages with concurrent logged-in clients, and the report.

    .venv/bin/python scripts/benchmark.py                      # 100,000 persons, 8 clients, 30 s a page
    .venv/bin/python scripts/benchmark.py --persons 1000000 --seconds 60 --json figures.json
    BRIK_DATABASE_URL=postgres://brik:brik@127.0.0.1:5432/brik_bench .venv/bin/python scripts/benchmark.py
    .venv/bin/python scripts/benchmark.py --report-at DATA_DIR   # only the report's data (+ protection)

What one run does, in order (one function per measured thing, below):

1. The database. On SQLite a database of N synthetic persons (`brik demo`, plus
   a published report) is built once into a cache folder (~/.cache/brik-benchmark,
   or BRIK_BENCHMARK_CACHE) and copied into a throwaway data folder for each run;
   `--rebuild` builds it again. With BRIK_DATABASE_URL the named PostgreSQL
   database is used as it is and filled only when empty. The run uses its own
   production keys (kept in the cache folder, 0600) and BRIK_DEBUG=False.
2. Each page once in this process through Django's test client: the queries
   it makes, its size, and the time of a single request.
3. The production server (`brik serve`, or `--server granian`), started on a
   free port. Real users log in through the login form and the second factor
   (TOTP codes computed with django_otp from the device keys in the database).
4. For each page, K clients (an asyncio/aiohttp process of its own, so that
   the clients do not take the server's CPU unnoticed) request it in a closed
   loop for T seconds: requests per second, p50/p95/p99 latency, errors, and
   the peak memory (RSS) of the server's processes. The CPU the clients used
   is printed too.
5. The annual report as Brik builds it, against a pandas read-and-group
   pipeline and DuckDB computing the headline figures (identified persons per
   year by gender, age band, citizenship and form of exploitation) from the
   same database, with the ratios.

Figures only: nothing here passes or fails. docs/performance.md records them.
"""

import argparse
import asyncio
import contextlib
import json
import multiprocessing
import os
import platform
import re
import resource
import secrets
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import warnings
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from http.client import HTTPConnection
from http.cookies import SimpleCookie
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BRIK = Path(sys.executable).with_name("brik")
DEFAULT_CACHE = Path(os.getenv("XDG_CACHE_HOME", Path.home() / ".cache")) / "brik-benchmark"


# --- the pages ------------------------------------------------------------------------------


@dataclass
class Targets:
    """What the page paths point at, chosen from the database once per run."""

    year: int
    case_pks: list[int]
    citizenship: str
    code_fragment: str
    # Names a caseworker types in the header's search box: full names and family names of
    # persons in the database (taken in turn, one per request).
    names: list[str]


@dataclass(frozen=True)
class Page:
    name: str
    user: str | None  # the demo login whose sessions ask for it; None: not logged in
    path: Callable[[Targets, int], str]  # (targets, request number) -> path


# One row per measured page: a new page is one more line here.
PAGES = [
    Page("case list", "caseworker", lambda t, i: "/cases/"),
    Page(
        "case list, by citizenship",
        "caseworker",
        lambda t, i: f"/cases/?citizenship={t.citizenship}",
    ),
    # The code search, until the case list searches names.
    Page("case list, search", "caseworker", lambda t, i: f"/cases/?q={t.code_fragment}"),
    Page(
        "name search",
        "caseworker",
        lambda t, i: "/search/?" + urllib.parse.urlencode({"q": t.names[i % len(t.names)]}),
    ),
    Page("My work", "caseworker", lambda t, i: "/work/"),
    Page("case page", "caseworker", lambda t, i: f"/cases/{t.case_pks[i % len(t.case_pks)]}/"),
    Page(
        "statistics (analyst)",
        "analyst",
        lambda t, i: f"/statistics/?year={t.year}&lang=da&version=internal",
    ),
    Page("public reports", None, lambda t, i: "/reports/"),
    Page("public report (HTML)", None, lambda t, i: f"/reports/{t.year}/da.html"),
]


def select_pages(wanted: str) -> list[Page]:
    """Pages named exactly (comma-separated), or else those whose name contains `wanted`."""

    # Page names hold commas ("case list, search"): read the list from the left,
    # taking at each point the longest page name whose parts come next.
    def parts(text: str) -> list[str]:
        return [part.strip().lower() for part in text.split(",") if part.strip()]

    given, at = parts(wanted), 0
    exact: list[Page] = []
    by_length = sorted(PAGES, key=lambda p: -len(parts(p.name)))
    while at < len(given):
        page = next(
            (p for p in by_length if given[at : at + len(parts(p.name))] == parts(p.name)), None
        )
        if page is None:
            exact = []
            break
        exact.append(page)
        at += len(parts(page.name))
    return exact or [p for p in PAGES if wanted.lower() in p.name.lower()]


# --- pure helpers ------------------------------------------------------------------------------


def percentile(values: list[float], p: float) -> float:
    """The p-th percentile (0-100) of values, interpolated linearly between the closest ranks."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = (len(ordered) - 1) * p / 100
    low = int(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


@dataclass
class LoadResult:
    page: str
    requests: int
    errors: int
    seconds: float
    req_per_s: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    client_cpu_percent: float = 0.0
    server_cpu_percent: float = 0.0
    # The server's CPU time per answer: what a request costs, whatever else the machine runs.
    server_cpu_ms_per_request: float = 0.0
    load_before: float = 0.0  # the machine's 1-minute load average when the page's run began
    peak_rss_mb: dict[str, float] = field(default_factory=dict)
    error_sample: str = ""


def summarise(page: str, latencies: list[float], errors: int, seconds: float) -> LoadResult:
    """Latencies in seconds of the successful requests of one page's run."""
    return LoadResult(
        page=page,
        requests=len(latencies),
        errors=errors,
        seconds=round(seconds, 2),
        req_per_s=round(len(latencies) / seconds, 1) if seconds else 0.0,
        p50_ms=round(percentile(latencies, 50) * 1000, 1),
        p95_ms=round(percentile(latencies, 95) * 1000, 1),
        p99_ms=round(percentile(latencies, 99) * 1000, 1),
    )


def csrf_token(html: str) -> str:
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    if match is None:
        raise RuntimeError("no CSRF token in the form")
    return match.group(1)


def table(rows: list[list[str]], header: list[str]) -> str:
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]

    def line(cells):
        return "  ".join(
            str(c).ljust(w) if i == 0 else str(c).rjust(w)
            for i, (c, w) in enumerate(zip(cells, widths, strict=True))
        )

    return "\n".join([line(header), line(["-" * w for w in widths]), *map(line, rows)])


# --- logging in, through the real forms ------------------------------------------------------


@dataclass
class Reply:
    status: int
    location: str
    text: str


class HttpBrowser:
    """One user's HTTP session against the running server: cookies kept by hand.

    The server runs with BRIK_DEBUG=False, so its cookies are Secure; the
    requests say they came through an HTTPS proxy (X-Forwarded-Proto), as
    they would behind nginx.
    """

    def __init__(self, host: str, port: int):
        self.host, self.port = host, port
        self.cookies: dict[str, str] = {}
        self.origin = f"https://{host}:{port}"

    def headers(self) -> dict[str, str]:
        headers = {"X-Forwarded-Proto": "https", "Host": f"{self.host}:{self.port}"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        return headers

    def _request(self, method: str, path: str, body: str | None = None) -> Reply:
        connection = HTTPConnection(self.host, self.port, timeout=120)
        headers = self.headers()
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Origin"] = self.origin
            headers["Referer"] = self.origin + path
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            text = response.read().decode("utf-8", "replace")
            for header in response.headers.get_all("Set-Cookie") or []:
                cookie = SimpleCookie(header)
                for name, morsel in cookie.items():
                    self.cookies[name] = morsel.value
            return Reply(response.status, response.getheader("Location", ""), text)
        finally:
            connection.close()

    def get(self, path: str) -> Reply:
        return self._request("GET", path)

    def post(self, path: str, data: dict) -> Reply:
        return self._request("POST", path, urllib.parse.urlencode(data))


class DjangoBrowser:
    """The same, in this process through Django's test client (for counting queries)."""

    def __init__(self):
        from django.test import Client

        self.client = Client(HTTP_HOST="localhost")

    def _reply(self, response) -> Reply:
        return Reply(
            response.status_code,
            response.get("Location", ""),
            response.content.decode("utf-8", "replace"),
        )

    def get(self, path: str) -> Reply:
        return self._reply(self.client.get(path, secure=True))

    def post(self, path: str, data: dict) -> Reply:
        return self._reply(self.client.post(path, data, secure=True))


def totp_code(username: str) -> str | None:
    """The current authenticator code of a user, from the device key in the database.

    django_otp accepts each 30-second step's code once per device (against
    replay); the benchmark logs one user in several times within seconds, so
    it forgets the last used step before each of its logins. This changes
    only the benchmark's own throwaway copy of the database.
    """
    from django_otp.oath import TOTP

    from brik.accounts.models import Authenticator

    device = (
        Authenticator.objects.filter(user__username=username, confirmed=True).order_by("pk").first()
    )
    if device is None:
        return None
    Authenticator.objects.filter(pk=device.pk).update(last_t=-1)
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"


def log_in(browser, username: str, password: str) -> None:
    """Log in through the login page and, when asked, the second-factor page."""
    form = browser.get("/login/")
    reply = browser.post(
        "/login/",
        {"username": username, "password": password, "csrfmiddlewaretoken": csrf_token(form.text)},
    )
    if reply.status != 302:
        raise RuntimeError(f"login of {username} refused (HTTP {reply.status})")
    if "two-factor" in reply.location:
        path = urllib.parse.urlsplit(reply.location)
        step_path = path.path + (f"?{path.query}" if path.query else "")
        step = browser.get(step_path)
        code = totp_code(username)
        if code is None:
            raise RuntimeError(f"{username} must pass a second factor but has no TOTP device")
        reply = browser.post(
            step_path, {"code": code, "csrfmiddlewaretoken": csrf_token(step.text)}
        )
        if reply.status != 302:
            raise RuntimeError(f"second factor of {username} refused (HTTP {reply.status})")


# --- the database ---------------------------------------------------------------------------


def production_keys(cache: Path) -> dict[str, str]:
    """The benchmark's own production keys, made once (`brik generate_keys`) and kept 0600."""
    path = cache / "keys.env"
    if not path.exists():
        cache.mkdir(parents=True, exist_ok=True)
        env = {**os.environ, "BRIK_DATA_DIR": str(cache)}
        text = subprocess.run(
            [str(BRIK), "generate_keys"], env=env, capture_output=True, text=True, check=True
        ).stdout
        path.touch(mode=0o600)
        path.write_text(text, encoding="utf-8")
    keys = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        name, _, value = line.partition("=")
        if name.startswith("BRIK_"):
            keys[name] = value
    return keys


# Brik's settings the server takes from the benchmark's environment: the database and
# its connections' tuning, so that two settings can be compared
# (BRIK_PG_PREPARED_STATEMENTS=False, BRIK_PG_RANDOM_PAGE_COST=4). Others are the run's own.
_PASSED_ON = ("BRIK_DATABASE_URL", "BRIK_DB_", "BRIK_PG_")


def server_environment(data_dir: Path, keys: dict[str, str]) -> dict[str, str]:
    env = {
        k: v for k, v in os.environ.items() if not k.startswith("BRIK_") or k.startswith(_PASSED_ON)
    }
    env.update(keys)
    env.update(
        {
            "BRIK_DEBUG": "False",
            "BRIK_DATA_DIR": str(data_dir),
            # The clients speak plain HTTP to the server on this computer, as nginx would.
            "BRIK_SECURE_SSL_REDIRECT": "False",
            "BRIK_ALLOWED_HOSTS": "127.0.0.1,localhost",
            "BRIK_LOG_LEVEL": "WARNING",
            "DJANGO_SETTINGS_MODULE": "brik.settings",
        }
    )
    return env


def build_database(*, persons: int, seed: int, year: int) -> None:
    """Fill the configured database: migrations, the demo, and the published report of `year`.

    Runs in a process of its own whose settings point at the database to build.
    """
    import django

    django.setup()
    from io import StringIO

    from django.core.management import call_command

    from brik.accounts.models import User
    from brik.demo import generator
    from brik.statistics.models import PublishedReport
    from brik.statistics.services import publication_preview, report_publish

    call_command("migrate", verbosity=0, interactive=False)
    if not generator.has_data():
        started = time.perf_counter()
        log = StringIO()
        # The command, not the generator alone: it also gives the demo logins
        # their authenticator devices.
        call_command("demo", persons=persons, seed=seed, no_progress=True, stdout=log)
        # The writing process's high-water mark, and the making process's when the demo
        # ran on two cores (brik.demo.processes; kilobytes on Linux).
        writing = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
        making = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024
        print(
            f"  demo data: {persons:,} persons in {time.perf_counter() - started:.0f} s, "
            f"peak memory {writing:,} MB writing"
            + (f", {making:,} MB making the rows (a second process)" if making else "")
        )
    if not PublishedReport.objects.filter(year=year).exists():
        started = time.perf_counter()
        analyst = User.objects.get(username="analyst")
        # As the publish page does: the digest it showed, and a form token of its own.
        report_publish(
            actor=analyst,
            year=year,
            confirmation=publication_preview(year=year).confirmation,
            form_token=secrets.token_urlsafe(24),
            base_url="https://brik.invalid/",
        )
        print(f"  published the {year} report in {time.perf_counter() - started:.0f} s")


def prepare_sqlite(args, keys: dict[str, str], run_dir: Path) -> Path:
    """The cached database of this size, built if missing, copied into the run's folder."""
    cached_dir = args.cache / f"sqlite-{args.persons}-seed{args.seed}"
    cached = cached_dir / "brik.sqlite3"
    if args.rebuild and cached_dir.exists():
        shutil.rmtree(cached_dir)
    if not (cached_dir / "built").exists():
        cached_dir.mkdir(parents=True, exist_ok=True)
        print(f"Building {args.persons:,} persons into {cached_dir} (once; --rebuild redoes it)")
        subprocess.run(
            [sys.executable, __file__, "--build-into", str(cached_dir), *_build_args(args)],
            # `brik demo` refuses to run with BRIK_DEBUG=False (its logins have a published
            # password); this throwaway database is the one place where that is wanted.
            env=server_environment(cached_dir, keys)
            | {"BRIK_LOG_LEVEL": "ERROR", "BRIK_DEBUG": "True"},
            check=True,
        )
        (cached_dir / "built").touch()
    # Fold the write-ahead log into the file, so that one file is the whole database.
    with contextlib.closing(sqlite3.connect(cached)) as db:
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    shutil.copyfile(cached, run_dir / "brik.sqlite3")
    # Collected static files are kept in the cache too (collecting takes a while).
    (args.cache / "static").mkdir(parents=True, exist_ok=True)
    (run_dir / "static").symlink_to(args.cache / "static")
    return run_dir / "brik.sqlite3"


def _build_args(args) -> list[str]:
    return ["--persons", str(args.persons), "--seed", str(args.seed), "--year", str(args.year)]


def choose_targets(year: int) -> Targets:
    from brik.cases.models import Case, Person, PersonCitizenship
    from brik.core.countries import REPORTING_COUNTRY

    pks = list(Case.objects.order_by("-referred_on", "-pk").values_list("pk", flat=True)[:200])
    # A common citizenship other than the reporting country's, as a caseworker would pick.
    counts: dict[str, int] = {}
    for country in PersonCitizenship.objects.values_list("country", flat=True)[:5000]:
        counts[country] = counts.get(country, 0) + 1
    counts.pop(REPORTING_COUNTRY, None)
    citizenship = max(counts, key=counts.get) if counts else "NG"
    code = Person.objects.order_by("-pk").values_list("code", flat=True).first() or "BRK"
    return Targets(
        year=year,
        case_pks=pks,
        citizenship=citizenship,
        code_fragment=code[-6:],
        names=_names_to_search(),
    )


def _names_to_search(count: int = 20) -> list[str]:
    """A full name and a family name of each of `count` persons of the database (the same
    persons every run on the same database): what the name search is measured with."""
    import random

    from brik.cases.models import PersonIdentity

    ids = list(PersonIdentity.objects.exclude(name_index="").values_list("pk", flat=True))
    chosen = random.Random(7).sample(ids, min(count, len(ids)))
    names = []
    for identity in PersonIdentity.objects.filter(pk__in=chosen).order_by("pk"):
        names += [f"{identity.given_names} {identity.family_name}".strip(), identity.family_name]
    return [name for name in names if name] or ["Hansen"]


# --- measured things, one function each -----------------------------------------------------


@dataclass
class InProcess:
    page: str
    queries: int
    kilobytes: float
    median_ms: float
    runs: int
    status: int


def logged_in_browsers(pages: list[Page], password: str) -> dict[str | None, DjangoBrowser]:
    """A test-client browser per user the pages need, logged in (None: not logged in)."""
    browsers: dict[str | None, DjangoBrowser] = {}
    for page in pages:
        if page.user not in browsers:
            browsers[page.user] = DjangoBrowser()
            if page.user:
                log_in(browsers[page.user], page.user, password)
    return browsers


def measure_in_process(targets: Targets, pages: list[Page], password: str) -> list[InProcess]:
    """Each page once at a time through Django's test client: queries, size, time."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    browsers = logged_in_browsers(pages, password)
    results = []
    for page in pages:
        browser = browsers[page.user]
        browser.get(page.path(targets, 0))  # warm: imports, caches, templates
        with CaptureQueriesContext(connection) as queries:
            reply = browser.get(page.path(targets, 1))
        # Now: the next request empties the connection's query log.
        query_count = len(queries.captured_queries)
        seconds = []
        started = time.perf_counter()
        while len(seconds) < 3 or (time.perf_counter() - started < 2 and len(seconds) < 20):
            t0 = time.perf_counter()
            browser.get(page.path(targets, len(seconds) + 2))
            seconds.append(time.perf_counter() - t0)
        results.append(
            InProcess(
                page=page.name,
                queries=query_count,
                kilobytes=round(len(reply.text.encode()) / 1024, 1),
                median_ms=round(percentile(seconds, 50) * 1000, 1),
                runs=len(seconds),
                status=reply.status,
            )
        )
    return results


def measure_search(password: str, rounds: int = 3) -> dict:
    """Finding a person by name (brik.search): the selector and the search page.

    Queries are made from a sample of the database's own persons: a full name,
    a family name alone, a given name misspelt (a letter dropped), a prefix of
    a family name, a date of birth, and a name with a year. Builds the search
    tokens first if the database has none (a database built before them).
    """
    import random

    from brik.accounts.models import User
    from brik.cases.models import PersonIdentity
    from brik.search import selectors, services
    from brik.search.models import PersonSearchToken

    figures: dict = {}
    if not PersonSearchToken.objects.exists():
        started = time.perf_counter()
        services.search_tokens_rebuild()
        figures["reindex_s"] = round(time.perf_counter() - started, 1)
        print(f"  built the search tokens in {figures['reindex_s']} s")
    figures["tokens"] = PersonSearchToken.objects.count()
    rng = random.Random(7)
    ids = list(PersonIdentity.objects.exclude(name_index="").values_list("pk", flat=True))
    sample = PersonIdentity.objects.filter(pk__in=rng.sample(ids, min(20, len(ids))))
    queries = []
    for identity in sample:
        given = identity.given_names.split()[0] if identity.given_names else ""
        family = identity.family_name
        queries += [f"{identity.given_names} {family}", family, f"{given[:-1]} {family}"]
        queries.append(family[: max(3, len(family) - 2)])
        if identity.date_of_birth:
            queries.append(identity.date_of_birth.strftime("%d-%m-%Y"))
            queries.append(f"{given} {identity.date_of_birth.year}")
    user = User.objects.get(username="caseworker")
    found, selector_s = 0, []
    for _ in range(rounds):
        for query in queries:
            t0 = time.perf_counter()
            outcome = selectors.search_persons(user, query, 20)
            selector_s.append(time.perf_counter() - t0)
            found += bool(outcome.results)
    browser = DjangoBrowser()
    log_in(browser, "caseworker", password)
    page_s = []
    for query in queries:
        path = "/search/?" + urllib.parse.urlencode({"q": query})
        t0 = time.perf_counter()
        reply = browser.get(path)
        page_s.append(time.perf_counter() - t0)
        assert reply.status == 200, (path, reply.status)
    figures.update(
        queries=len(queries),
        found_share=round(found / (len(queries) * rounds), 3),
        selector_p50_ms=round(percentile(selector_s, 50) * 1000, 1),
        selector_p95_ms=round(percentile(selector_s, 95) * 1000, 1),
        page_p50_ms=round(percentile(page_s, 50) * 1000, 1),
        page_p95_ms=round(percentile(page_s, 95) * 1000, 1),
    )
    print(table(
        [
            ["search_persons (selector)", figures["selector_p50_ms"], figures["selector_p95_ms"]],
            ["/search/ page (test client)", figures["page_p50_ms"], figures["page_p95_ms"]],
        ],
        ["name search", "p50 ms", "p95 ms"],
    ))  # fmt: skip
    print(f"{figures['queries']} queries, {figures['tokens']:,} tokens; "
          f"{figures['found_share']:.0%} of searches found someone")  # fmt: skip
    return figures


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(args, env: dict[str, str], port: int, log: Path) -> subprocess.Popen:
    """The production server, as `brik serve` starts it (or granian, to compare)."""
    if args.server == "granian":
        command = [
            sys.executable, "-m", "granian", "--interface", "wsgi",
            "--host", "127.0.0.1", "--port", str(port),
            "--workers", str(args.workers), "--blocking-threads", str(args.threads),
            "--no-ws", "--log-level", "warning", "brik.wsgi:application",
        ]  # fmt: skip
    else:
        command = [str(BRIK), "serve", "--port", str(port)]
        command += ["--workers", str(args.workers), "--threads", str(args.threads)]
    with log.open("w") as output:
        server = subprocess.Popen(
            command, env=env, stdout=output, stderr=subprocess.STDOUT, start_new_session=True
        )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"the server stopped: {log.read_text()[-2000:]}")
        with contextlib.suppress(OSError):
            reply = HttpBrowser("127.0.0.1", port).get("/health")
            if reply.status == 200:
                return server
            raise RuntimeError(f"/health answered {reply.status}: {reply.text}")
        time.sleep(0.3)
    raise RuntimeError("the server did not answer /health within 2 minutes")


def stop_server(server: subprocess.Popen) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(server.pid, signal.SIGTERM)
    try:
        server.wait(timeout=40)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait()


class MemoryWatch:
    """Samples the RSS and CPU time of a process and its children; keeps each one's peak.

    A worker that gunicorn replaces (after --max-requests) leaves the tree: its
    CPU time is kept as last sampled, so that the sum never goes back.
    """

    def __init__(self, pid: int, interval: float = 0.25):
        import psutil

        self.root = psutil.Process(pid)
        self.interval = interval
        self.peaks: dict[int, tuple[str, int]] = {}
        self.cpu: dict[int, float] = {}
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def processes(self):
        import psutil

        with contextlib.suppress(psutil.NoSuchProcess):
            yield self.root
            yield from self.root.children(recursive=True)

    def sample(self) -> None:
        import psutil

        for process in self.processes():
            with contextlib.suppress(psutil.NoSuchProcess):
                with process.oneshot():
                    times = process.cpu_times()
                    rss = process.memory_info().rss
                role = "master" if process.pid == self.root.pid else "worker"
                with self._lock:
                    self.cpu[process.pid] = times.user + times.system
                    if rss > self.peaks.get(process.pid, ("", 0))[1]:
                        self.peaks[process.pid] = (role, rss)

    def cpu_seconds(self) -> float:
        """CPU time used so far by the server's processes, those gone included."""
        self.sample()
        with self._lock:
            return sum(self.cpu.values())

    def _run(self):
        while not self._stop.is_set():
            self.sample()
            self._stop.wait(self.interval)

    def __enter__(self):
        with self._lock:
            self.peaks.clear()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._stop.clear()
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()

    def peak_mb(self) -> dict[str, float]:
        """The master's peak and the largest worker's peak, in MB."""
        result = {}
        with self._lock:
            for role, rss in self.peaks.values():
                result[role] = max(result.get(role, 0.0), round(rss / 2**20, 1))
        return result


def load_client(base: str, paths: list[list[str]], cookies: list[str], seconds: float, measure):
    """In its own process: len(cookies) clients in a closed loop; returns latencies and errors."""
    import aiohttp

    async def one(client: int, session, deadline: float, measure: bool, out: dict):
        i = 0
        own = paths[client]
        headers = {"X-Forwarded-Proto": "https"}
        if cookies[client]:
            headers["Cookie"] = cookies[client]
        while time.monotonic() < deadline:
            path = own[i % len(own)]
            i += 1
            started = time.perf_counter()
            try:
                async with session.get(base + path, headers=headers, allow_redirects=False) as r:
                    await r.read()
                    status = r.status
            except (aiohttp.ClientError, TimeoutError) as error:
                status, detail = 0, repr(error)
            else:
                detail = f"HTTP {status} for {path}"
            elapsed = time.perf_counter() - started
            if not measure:
                continue
            if status == 200:
                out["latencies"].append(elapsed)
            else:
                out["errors"] += 1
                out["sample"] = out["sample"] or detail

    async def run(measure_seconds: float, measure: bool, out: dict):
        timeout = aiohttp.ClientTimeout(total=120)
        connector = aiohttp.TCPConnector(limit=0)
        async with aiohttp.ClientSession(timeout=timeout, connector=connector) as session:
            deadline = time.monotonic() + measure_seconds
            await asyncio.gather(
                *(one(c, session, deadline, measure, out) for c in range(len(cookies)))
            )

    out = {"latencies": [], "errors": 0, "sample": ""}
    started = time.monotonic()
    asyncio.run(run(seconds, measure, out))
    out["seconds"] = time.monotonic() - started
    return out


def measure_page_load(args, page: Page, targets: Targets, port: int, sessions, watch) -> LoadResult:
    """K clients on one page for T seconds, against the running server."""
    import psutil

    base = f"http://127.0.0.1:{port}"
    cookies = [sessions[page.user][c] if page.user else "" for c in range(args.clients)]
    # Each client its own share of the paths (the case page walks through cases).
    paths = [
        [page.path(targets, c + args.clients * i) for i in range(50)] for c in range(args.clients)
    ]
    context = multiprocessing.get_context("spawn")
    with context.Pool(1) as pool:
        client_pid = pool.apply(os.getpid)
        client = psutil.Process(client_pid)
        pool.apply(load_client, (base, paths, cookies, args.warmup, False))
        load = os.getloadavg()[0]
        client_cpu = sum(client.cpu_times()[:2])
        server_cpu = watch.cpu_seconds()
        with watch:
            out = pool.apply(load_client, (base, paths, cookies, args.seconds, True))
        client_cpu = sum(client.cpu_times()[:2]) - client_cpu
        server_cpu = watch.cpu_seconds() - server_cpu
    result = summarise(page.name, out["latencies"], out["errors"], out["seconds"])
    result.client_cpu_percent = round(100 * client_cpu / out["seconds"], 0)
    result.server_cpu_percent = round(100 * server_cpu / out["seconds"], 0)
    answered = result.requests + result.errors
    result.server_cpu_ms_per_request = round(1000 * server_cpu / answered, 1) if answered else 0
    result.load_before = round(load, 2)
    result.peak_rss_mb = watch.peak_mb()
    result.error_sample = out["sample"]
    return result


def log_in_sessions(port: int, clients: int, password: str) -> dict[str, list[str]]:
    """For every user a page needs, one logged-in session per client (a Cookie header each)."""
    sessions: dict[str, list[str]] = {}
    for user in sorted({p.user for p in PAGES if p.user}):
        sessions[user] = []
        for _ in range(clients):
            browser = HttpBrowser("127.0.0.1", port)
            log_in(browser, user, password)
            sessions[user].append("; ".join(f"{k}={v}" for k, v in browser.cookies.items()))
    return sessions


# --- the report against pandas and DuckDB -----------------------------------------------------

# The headline figures: identified persons per decision year by gender, age
# band, citizenship and form of exploitation. The same rows for pandas and DuckDB.
HEADLINE_TABLES = {
    "cases": "SELECT id, person_id, decided_on, outcome FROM cases_case "
    "WHERE outcome = 'identified'",
    "persons": "SELECT id, gender, birth_year FROM cases_person",
    "citizenships": "SELECT person_id, country FROM cases_personcitizenship",
    "assessments": "SELECT id, case_id FROM cases_assessment",
    "forms": "SELECT assessment_id, form FROM cases_exploitationform",
}
AGE_EDGES = [-1, 8, 17, 20, 23, 26, 29, 38, 47, 200]
AGE_LABELS = ["0-8", "9-17", "18-20", "21-23", "24-26", "27-29", "30-38", "39-47", "48+"]


def read_tables(database: str) -> dict:
    """pandas.read_sql of each table the headline figures need."""
    import pandas as pd

    if database.startswith("postgres"):
        import psycopg

        connect = psycopg.connect(database)
    else:
        connect = sqlite3.connect(database)
    with contextlib.closing(connect) as db, warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # pandas prefers SQLAlchemy for psycopg
        return {name: pd.read_sql(sql, db) for name, sql in HEADLINE_TABLES.items()}


def pandas_headline(database: str) -> dict:
    import pandas as pd

    t = read_tables(database)
    cases = t["cases"].merge(t["persons"], left_on="person_id", right_on="id")
    cases["year"] = pd.to_datetime(cases["decided_on"]).dt.year
    cases["age_band"] = (
        pd.cut(cases["year"] - cases["birth_year"], AGE_EDGES, labels=AGE_LABELS)
        .astype("object")
        .fillna("unknown")
    )

    def persons_by(frame, column):
        return frame.groupby(["year", column])["person_id"].nunique().to_dict()

    with_forms = cases.merge(t["assessments"], left_on="id_x", right_on="case_id").merge(
        t["forms"], left_on="id", right_on="assessment_id"
    )
    return {
        "total": cases.groupby("year")["person_id"].nunique().to_dict(),
        "gender": persons_by(cases, "gender"),
        "age_band": persons_by(cases, "age_band"),
        "citizenship": persons_by(cases.merge(t["citizenships"], on="person_id"), "country"),
        "form": persons_by(with_forms, "form"),
    }


DUCKDB_QUERY = """
WITH identified AS (
    SELECT c.id, c.person_id, year(CAST(c.decided_on AS DATE)) AS year, p.gender,
           CASE WHEN p.birth_year IS NULL THEN 'unknown'
                ELSE {age_case} END AS age_band
    FROM cases c JOIN persons p ON p.id = c.person_id
)
SELECT 'total' AS dim, year, '' AS value, count(DISTINCT person_id) AS n FROM identified GROUP BY year
UNION ALL SELECT 'gender', year, gender, count(DISTINCT person_id) FROM identified GROUP BY ALL
UNION ALL SELECT 'age_band', year, age_band, count(DISTINCT person_id) FROM identified GROUP BY ALL
UNION ALL SELECT 'citizenship', i.year, z.country, count(DISTINCT i.person_id)
    FROM identified i JOIN citizenships z ON z.person_id = i.person_id GROUP BY ALL
UNION ALL SELECT 'form', i.year, f.form, count(DISTINCT i.person_id)
    FROM identified i JOIN assessments a ON a.case_id = i.id
    JOIN forms f ON f.assessment_id = a.id GROUP BY ALL
"""


def _age_case() -> str:
    age = "year(CAST(c.decided_on AS DATE)) - p.birth_year"
    whens = " ".join(
        f"WHEN {age} BETWEEN {low + 1} AND {high} THEN '{label}'"
        for label, low, high in zip(AGE_LABELS, AGE_EDGES, AGE_EDGES[1:], strict=False)
    )
    return f"CASE {whens} ELSE 'unknown' END"


def duckdb_headline(database: str) -> tuple[dict, str]:
    """DuckDB's query over the same tables: straight from the SQLite file if its
    sqlite extension is available, otherwise over the tables read by pandas."""
    import duckdb

    db = duckdb.connect()
    how = "sqlite extension"
    try:
        if database.startswith("postgres"):
            raise duckdb.Error("the benchmark reads PostgreSQL through pandas")
        db.execute("LOAD sqlite")
        db.execute(f"ATTACH '{database}' AS brik (TYPE sqlite, READ_ONLY)")
        for name, sql in HEADLINE_TABLES.items():
            source = re.sub(r"FROM (\w+)", r"FROM brik.\1", sql)
            db.execute(f"CREATE VIEW {name} AS {source}")
    except duckdb.Error:
        how = "tables loaded through pandas (no sqlite extension here)"
        for name, frame in read_tables(database).items():
            db.register(name, frame)
    started = time.perf_counter()
    rows = db.execute(DUCKDB_QUERY.format(age_case=_age_case())).fetchall()
    seconds = time.perf_counter() - started
    figures: dict = {}
    for dim, year, value, n in rows:
        key = year if dim == "total" else (year, value)
        figures.setdefault(dim, {})[key] = n
    return {"figures": figures, "query_seconds": seconds}, how


def timed(fn, repeat: int) -> tuple[float, object]:
    seconds, result = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        result = fn()
        seconds.append(time.perf_counter() - started)
    return percentile(seconds, 50), result


def report_data(year: int, language: str = "da") -> list:
    """The public report's tables as report_build collects them (the selectors), before
    disclosure control: the issue's "report data"."""
    from brik.statistics import report as report_module

    return report_module.report_tables(year=year, language=language)


def report_data_protected(year: int, language: str = "da") -> list:
    """The report's data and its disclosure control (with the attacking audit), the
    steps of report_build up to disclosure.protect: the issue's "report data + protection"."""
    from django.utils import translation

    from brik.statistics import disclosure, frozen
    from brik.statistics import report as report_module

    with translation.override(language):
        cells = frozen.frozen_cells()
        tables = report_module.report_tables(year=year, language=language, frozen_cells=cells)
        shown, _revised = report_module.protected_tables(
            tables, cells, threshold=disclosure.threshold()
        )
        return shown


def measure_report(year: int, database: str, repeat: int) -> dict:
    """The report as Brik builds it, beside pandas and DuckDB on the headline figures."""
    from django.core.cache import cache

    from brik.statistics import report as report_module
    from brik.statistics import selectors

    brik_seconds, _ = timed(lambda: report_module.report_build(year=year, language="da"), repeat)
    data_seconds = timed(lambda: report_data(year), repeat)[0]

    def protected():
        # The report's data and its disclosure control: report_build without the
        # summary and the charts (the "report data + protection").
        report_data_protected(year)

    protected_seconds = timed(protected, repeat)[0]
    # The analysts' page asks for the kept report once it is built (brik.statistics.caching).
    kept_seconds = float("nan")
    try:
        from brik.statistics.caching import report_cached
    except ImportError:
        pass
    else:
        cache.clear()
        report_cached(year=year, language="da")
        kept_seconds = timed(lambda: report_cached(year=year, language="da"), repeat)[0]
    pandas_seconds, pandas_figures = timed(lambda: pandas_headline(database), repeat)
    duck_total, (duck, how) = timed(lambda: duckdb_headline(database), repeat)
    brik_series = selectors.identified_series_until(year=year)
    years = sorted(y for y in brik_series if y >= year - 5)
    agree = all(
        pandas_figures["total"].get(y, 0)
        == duck["figures"].get("total", {}).get(y, 0)
        == brik_series.get(y, 0)
        for y in years
    )
    return {
        "year": year,
        "brik_report_s": round(brik_seconds, 3),
        "brik_report_data_s": round(data_seconds, 3),
        "brik_report_protected_s": round(protected_seconds, 3),
        "brik_report_kept_s": round(kept_seconds, 4),
        "pandas_s": round(pandas_seconds, 3),
        "duckdb_query_s": round(duck["query_seconds"], 4),
        "duckdb_total_s": round(duck_total, 3),
        "duckdb_how": how,
        "report_over_pandas": round(brik_seconds / pandas_seconds, 2),
        "report_data_over_pandas": round(data_seconds / pandas_seconds, 2),
        "report_protected_over_pandas": round(protected_seconds / pandas_seconds, 2),
        "report_over_duckdb_query": round(brik_seconds / duck["query_seconds"], 1),
        "identified_per_year_agree": agree,
        "runs": repeat,
    }


def measure_protection_first_and_kept(year: int, repeat: int) -> dict:
    """Report data + disclosure control (with the attacking audit), as report_build does it:
    the first build of a state of the data (no pattern kept: the search and the audit
    run) and later builds (the pattern kept in Django's cache under its digest)."""
    import statistics

    from django.core.cache import cache

    import brik.statistics.audit  # noqa: F401 - scipy's import, once per process, left out
    from brik.statistics import disclosure, frozen

    def protected(language: str) -> None:
        report_data_protected(year, language)

    first, kept = [], []
    for _ in range(repeat):
        cache.clear()
        disclosure._PATTERNS.clear()
        getattr(frozen, "_FROZEN", {}).clear()
        started = time.perf_counter()
        protected("da")
        first.append(time.perf_counter() - started)
        for language in ("en", "da"):
            started = time.perf_counter()
            protected(language)
            kept.append(time.perf_counter() - started)
    return {
        "first_build_s": round(statistics.median(first), 3),
        "kept_pattern_s": round(statistics.median(kept), 3),
        "runs": repeat,
    }


def measure_kept_counts(year: int, repeat: int) -> dict:
    """Report data + protection with the counts Brik keeps as the data changes
    (brik.statistics.selectors.stored): the first build (every slice of persons counted
    and kept), a build with nothing changed, and builds after 1 and after 100 persons'
    records changed (their slices counted again); beside the same counted afresh. The
    disclosure control's kept patterns are dropped before every run (it runs in full).
    The changes are a person's gender switched and switched back (two writes each)."""
    import statistics

    from django.core.cache import cache
    from django.test.utils import override_settings

    from brik.cases.models import Person
    from brik.core import choices
    from brik.statistics import disclosure, frozen
    from brik.statistics.models import KeptCount

    def run() -> float:
        cache.clear()
        disclosure._PATTERNS.clear()
        getattr(frozen, "_FROZEN", {}).clear()
        started = time.perf_counter()
        report_data_protected(year)
        return time.perf_counter() - started

    identified = list(
        Person.objects.filter(
            cases__decided_on__year=year, cases__outcome=choices.Outcome.IDENTIFIED
        )
        .order_by("id")
        .values_list("id", flat=True)
        .distinct()
    )

    def change(count: int, round_: int) -> None:
        step = max(len(identified) // count, 1)
        for person in Person.objects.filter(id__in=identified[round_::step][:count]):
            person.gender = (
                choices.Gender.MAN if person.gender != choices.Gender.MAN else choices.Gender.WOMAN
            )
            person.save(update_fields=["gender"])

    KeptCount.objects.all().delete()
    first = run()
    unchanged = statistics.median(run() for _ in range(repeat))
    after: dict[int, float] = {}
    for count in (1, 100):
        times = []
        for round_ in range(repeat):
            change(count, round_)
            times.append(run())
            change(count, round_)  # back as it was
            run()
        after[count] = statistics.median(times)
    with override_settings(BRIK_STATISTICS_KEPT_COUNTS=False):
        afresh = statistics.median(run() for _ in range(repeat))
    return {
        "first_build_s": round(first, 3),
        "unchanged_s": round(unchanged, 3),
        "after_1_person_s": round(after[1], 3),
        "after_100_persons_s": round(after[100], 3),
        "afresh_s": round(afresh, 3),
        "runs": repeat,
    }


def print_kept_counts(kept: dict, pandas_seconds: float | None) -> None:
    def ratio(seconds: float) -> str:
        return f"{seconds / pandas_seconds:.2f}x pandas" if pandas_seconds else ""

    rows = [
        ("first build (every slice counted and kept)", kept["first_build_s"]),
        ("nothing changed since", kept["unchanged_s"]),
        ("after 1 person's record changed", kept["after_1_person_s"]),
        ("after 100 persons' records changed", kept["after_100_persons_s"]),
        ("counted afresh (no kept counts)", kept["afresh_s"]),
    ]
    print("\nReport data + protection with the kept counts:")
    print(table([[name, f"{s * 1000:.0f}", ratio(s)] for name, s in rows], ["", "ms", "ratio"]))


def measure_report_at(data_dir: Path, year: int, repeat: int, pandas: bool = True) -> dict:
    """The report's data and data + protection on an existing database (`--report-at DIR`:
    a data folder holding brik.sqlite3, with the keys in the environment), e.g. the
    1,000,000-assessment database: no demo build, no server, no load."""
    import django

    os.environ["BRIK_DATA_DIR"] = str(data_dir)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "brik.settings")
    django.setup()
    from django.db import connection

    from brik.cases.models import Assessment, Case, Person

    figures: dict = {
        "machine": machine(),
        "database": {
            "engine": connection.vendor,
            "persons": Person.objects.count(),
            "cases": Case.objects.count(),
            "assessments": Assessment.objects.count(),
        },
        "year": year,
    }
    print(
        f"{figures['database']['persons']:,} persons, {figures['database']['cases']:,} cases, "
        f"{figures['database']['assessments']:,} assessments ({connection.vendor}); "
        f"report {year}, median of {repeat} runs"
    )
    data_seconds = timed(lambda: report_data(year), repeat)[0]
    figures["report_data_s"] = round(data_seconds, 3)
    print(f"report data (the selectors): {data_seconds * 1000:.0f} ms")
    protection = measure_protection_first_and_kept(year, repeat)
    figures["report_protection"] = protection
    print(
        f"report data + protection: first build {protection['first_build_s'] * 1000:.0f} ms, "
        f"with the pattern kept {protection['kept_pattern_s'] * 1000:.0f} ms"
    )
    pandas_seconds = None
    if pandas and connection.vendor == "sqlite":
        database = str(connection.settings_dict["NAME"])
        pandas_seconds = timed(lambda: pandas_headline(database), repeat)[0]
        figures["pandas_s"] = round(pandas_seconds, 3)
        figures["protected_over_pandas"] = round(protection["first_build_s"] / pandas_seconds, 2)
        print(
            f"pandas read_sql + group-by: {pandas_seconds * 1000:.0f} ms; data + protection "
            f"(first build) {figures['protected_over_pandas']}x pandas"
        )
    figures["kept_counts"] = measure_kept_counts(year, repeat)
    print_kept_counts(figures["kept_counts"], pandas_seconds)
    figures["machine"]["load_after"] = [round(x, 2) for x in os.getloadavg()]
    return figures


_MEASURE_CHILD = """
import resource, sys, time
import django
django.setup()
from io import StringIO
from django.core.management import call_command
def children_cpu():
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime
started, cpu, parts_cpu = time.perf_counter(), time.process_time(), children_cpu()
call_command(*sys.argv[1:], stdout=StringIO(), stderr=StringIO())
seconds = time.perf_counter() - started
cpu = time.process_time() - cpu + children_cpu() - parts_cpu  # the command's own processes too
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
try:  # Linux: this program's own high-water mark (ru_maxrss keeps the parent's from the fork)
    with open("/proc/self/status") as status:
        peak = next(int(l.split()[1]) for l in status if l.startswith("VmHWM:"))
except (OSError, StopIteration):
    pass
# The largest of the processes the command started itself (an export's parts), if any.
parts_peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(seconds, cpu, peak, parts_peak)
"""


def _measure_command(*argv: str) -> tuple[float, float, float, float]:
    """Run a brik command in a process of its own: (seconds, CPU seconds, peak RSS in MB,
    peak RSS in MB of the largest process the command started itself, 0 if none).

    The times are the command's own (Django's start-up left out): wall clock,
    and the CPU time of the process and of those it started, which a busy
    machine inflates far less; the peak is the whole process's, start-up
    included (VmHWM on Linux: getrusage's ru_maxrss would count the benchmark's
    own memory, which the child inherits at the fork, however large).
    """
    out = subprocess.run(
        [sys.executable, "-c", _MEASURE_CHILD, *argv],
        capture_output=True, text=True, check=True, cwd=ROOT,
    ).stdout.split()  # fmt: skip
    return float(out[-4]), float(out[-3]), int(out[-2]) / 1024, int(out[-1]) / 1024  # KiB


def measure_export(rows: int | None = None) -> dict | None:
    """`brik export_cases --format csv` of every case (`rows` of them): rows/s and peak memory."""
    from brik.cases.models import Case
    from brik.exchange.writers import default_parts

    rows = Case.objects.count() if rows is None else rows
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "cases.csv"
        seconds, cpu, peak_mb, parts_mb = _measure_command(
            "export_cases", "--format", "csv", "--output", str(path)
        )
        size_mb = path.stat().st_size / 2**20
    figures = {
        "rows": rows,
        "seconds": round(seconds, 2),
        "rows_per_s": round(rows / seconds),
        "cpu_seconds": round(cpu, 2),
        "rows_per_cpu_s": round(rows / cpu),
        "peak_rss_mb": round(peak_mb, 1),
        "part_peak_rss_mb": round(parts_mb, 1),
        "workers": default_parts(),
        "file_mb": round(size_mb, 1),
        "load_before": round(os.getloadavg()[0], 1),
    }
    print(
        f"\nExport (brik export_cases --format csv, {figures['workers']} processes): "
        f"{rows:,} rows in {seconds:.1f} s = {figures['rows_per_s']:,} rows/s "
        f"({figures['rows_per_cpu_s']:,} per CPU second), peak RSS {peak_mb:.0f} MB "
        f"(largest part's process {parts_mb:.0f} MB), file {size_mb:.0f} MB, "
        f"load {figures['load_before']}"
    )
    return figures


def ctdc_file(path: Path, rows: int, seed: int = 2021) -> None:
    """A CTDC file of `rows` synthetic rows in the layout of CTDC's real sample.

    The header (with CTDC's notice and leading column) is the sample's; every
    cell is drawn at random from the values its column takes in the sample, so
    each row is valid in CTDC's format but is no real person.
    """
    import csv
    import random

    sample = ROOT / "brik" / "exchange" / "tests" / "data" / "ctdc-k-anon-sample.csv"
    with open(sample, encoding="utf-8-sig", newline="") as file:
        header, *lines = list(csv.reader(file, delimiter=";"))
    values = [
        sorted({line[i] for line in lines if len(line) == len(header)}) for i in range(len(header))
    ]
    values[0] = [""]  # CTDC's leading empty cell
    rng = random.Random(seed)
    with open(path, "w", encoding="utf-8", newline="") as file:
        writer = csv.writer(file, delimiter=";")
        writer.writerow(header)
        for _ in range(rows):
            writer.writerow([rng.choice(column) for column in values])


def measure_import(rows: int = 150_000) -> dict | None:
    """`brik import_ctdc` of a generated 150,000-row CTDC file: seconds and peak memory."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "ctdc-generated.csv"
        ctdc_file(path, rows, seed=int(time.time()))  # a new file: never "imported already"
        size_mb = path.stat().st_size / 2**20
        seconds, cpu, peak_mb, _parts_mb = _measure_command("import_ctdc", str(path))
    figures = {
        "rows": rows,
        "seconds": round(seconds, 1),
        "rows_per_s": round(rows / seconds),
        "cpu_seconds": round(cpu, 1),
        "peak_rss_mb": round(peak_mb, 1),
        "file_mb": round(size_mb, 1),
    }
    print(
        f"Import (brik import_ctdc, generated CTDC file of {rows:,} rows, {size_mb:.0f} MB): "
        f"{seconds:.1f} s ({cpu:.1f} s CPU) = {figures['rows_per_s']:,} rows/s, "
        f"peak RSS {peak_mb:.0f} MB"
    )
    return figures


def multiply_cases(database: Path, rows: int) -> int:
    """Grow the cases of a throwaway SQLite copy to about `rows` by copying them (INSERT ... SELECT).

    Each copy of the cases brings its own person (a fresh id and code: the code with
    "x2", "x3", ... appended), citizenships, referral, assessment and forms of
    exploitation; identities are not copied (their encryption is bound to the row).
    The copies are the same synthetic cases again: fine for the export's speed,
    meaningless as statistics. Returns the number of cases.
    """
    offset = 10_000_000  # ids of copy k: original + k * offset
    with contextlib.closing(sqlite3.connect(database)) as db:
        db.execute("PRAGMA foreign_keys = OFF")
        cases = db.execute("SELECT count(*) FROM cases_case").fetchone()[0]
        top = db.execute("SELECT max(id) FROM cases_case").fetchone()[0] or 0
        if top >= offset:
            raise RuntimeError("ids too large to multiply the cases this way")
        # (table, columns given new values: column -> SQL of the new value from `k`)
        plan = [
            ("cases_person", {"id": "id + {o}", "code": "code || 'x{k}'"}),
            ("cases_personcitizenship", {"id": "id + {o}", "person_id": "person_id + {o}"}),
            ("cases_case", {"id": "id + {o}", "person_id": "person_id + {o}"}),
            ("cases_referral", {"id": "id + {o}", "case_id": "case_id + {o}"}),
            ("cases_assessment", {"id": "id + {o}", "case_id": "case_id + {o}"}),
            ("cases_exploitationform", {"id": "id + {o}", "assessment_id": "assessment_id + {o}"}),
        ]
        copies = max(0, -(-rows // max(cases, 1)) - 1)
        for k in range(2, copies + 2):
            o = (k - 1) * offset
            with db:
                for table, changed in plan:
                    columns = [row[1] for row in db.execute(f'PRAGMA table_info("{table}")')]
                    values = [
                        changed[c].format(o=o, k=k) if c in changed else f'"{c}"' for c in columns
                    ]
                    names = ", ".join(f'"{c}"' for c in columns)
                    # Names from the script's own plan and the table's own columns.
                    db.execute(
                        f'INSERT INTO "{table}" ({names}) SELECT {", ".join(values)} '  # noqa: S608
                        f'FROM "{table}" WHERE id < {offset}'
                    )
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        return db.execute("SELECT count(*) FROM cases_case").fetchone()[0]


def measure_export_multiplied(database: str, rows: int) -> dict | None:
    """measure_export at about `rows` cases: the run's database copied, its cases multiplied."""
    if not rows or not database.endswith(".sqlite3"):
        return None
    source = Path(database)
    with tempfile.TemporaryDirectory(prefix="brik-bench-export-") as folder:
        copy = Path(folder) / "brik.sqlite3"
        with contextlib.closing(sqlite3.connect(source)) as db:
            db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        shutil.copyfile(source, copy)
        started = time.perf_counter()
        cases = multiply_cases(copy, rows)
        print(
            f"\nExport at {cases:,} cases: the database's cases multiplied (copies with fresh ids "
            f"and codes, no identities) in {time.perf_counter() - started:.0f} s"
        )
        before = os.environ["BRIK_DATA_DIR"]
        os.environ["BRIK_DATA_DIR"] = folder  # the child process reads the copy
        try:
            figures = measure_export(rows=cases)
        finally:
            os.environ["BRIK_DATA_DIR"] = before
    if figures:
        figures["multiplied"] = True
    return figures


# --- the run -----------------------------------------------------------------------------------


def python_executable() -> str:
    """The interpreter the virtual environment was made from (the server runs on it too)."""
    return os.path.realpath(getattr(sys, "_base_executable", sys.executable))


def machine() -> dict:
    import psutil

    return {
        "cpu": platform.processor() or platform.machine(),
        "cpus": os.cpu_count(),
        "memory_gb": round(psutil.virtual_memory().total / 2**30, 1),
        "python": platform.python_version(),
        # Whose build (a distribution's, pyenv's...): the figures are this interpreter's.
        "python_executable": python_executable(),
        "load_before": [round(x, 2) for x in os.getloadavg()],
        "sqlite": sqlite3.sqlite_version,
    }


# A fixed pure-Python loop, the best of three runs, in milliseconds: the machine's speed,
# not Brik's. A shared machine's cores are not always as fast as in its quiet hours.
SPEED_LOOP = """
import time
best = float("inf")
for _ in range(3):
    start = time.perf_counter()
    total = 0
    for i in range(1_000_000):
        total += i
    best = min(best, time.perf_counter() - start)
print(best * 1000)
"""


def python_loop_ms(processes: int) -> float:
    """The fixed loop in `processes` processes at once: the slowest one's milliseconds."""
    runs = [
        subprocess.Popen([sys.executable, "-c", SPEED_LOOP], stdout=subprocess.PIPE, text=True)
        for _ in range(processes)
    ]
    return max(float(run.communicate()[0]) for run in runs)


def machine_speed() -> dict:
    """The fixed loop alone, and in one process per CPU at once: the pages' figures are
    comparable only between runs whose loops are alike."""
    cpus = os.cpu_count() or 1
    return {
        "alone_ms": round(python_loop_ms(1), 1),
        "every_cpu_ms": round(python_loop_ms(cpus), 1),
        "cpus": cpus,
    }


def speed_line(speed: dict) -> str:
    return (
        f"a fixed Python loop took {speed['alone_ms']:.0f} ms alone, "
        f"{speed['every_cpu_ms']:.0f} ms on each of {speed['cpus']} CPUs at once"
    )


# --- instructions counted (--instructions) --------------------------------------------------

# The pages counted when --pages names none: the five of issue 13's targets (a statistics
# page takes seconds a request, which callgrind makes minutes).
COUNTED_PAGES = "case list,case list, by citizenship,name search,My work,case page"

# A client request to callgrind: write the counters gathered since the last dump, named.
_DUMP_HELPER = """#include <valgrind/callgrind.h>
void brik_dump(const char *name) { CALLGRIND_DUMP_STATS_AT(name); }
"""


def _dump_helper(run_dir: Path) -> Path:
    """The helper above, compiled into the run's folder."""
    missing = [tool for tool in ("valgrind", "cc") if shutil.which(tool) is None]
    if missing or not Path("/usr/include/valgrind/callgrind.h").exists():
        raise SystemExit(
            "--instructions needs valgrind, its headers and a C compiler "
            "(`make instructions` installs them on Debian: valgrind gcc libc6-dev)"
        )
    source, helper = run_dir / "dump.c", run_dir / "dump.so"
    source.write_text(_DUMP_HELPER, encoding="utf-8")
    subprocess.run(["cc", "-O1", "-shared", "-fPIC", "-o", str(helper), str(source)], check=True)
    return helper


def read_dumps(paths: list[Path]) -> dict[str, int]:
    """Each callgrind dump's name (its client request) and its instructions."""
    counts = {}
    for path in paths:
        name, total = None, None
        with path.open(encoding="utf-8", errors="replace") as lines:
            for line in lines:
                if line.startswith("desc: Trigger: Client Request: "):
                    name = line.removeprefix("desc: Trigger: Client Request: ").strip()
                elif line.startswith("summary: "):
                    total = int(line.split()[1])
                    break
        if name is not None and total is not None:
            counts[name] = total
    return counts


def count_instructions(args, env: dict[str, str], run_dir: Path) -> list[dict]:
    """Each page's instructions a request: this script again under callgrind (the app's
    process only: Django, Brik, psycopg, and SQLite's engine, which runs in it; not
    PostgreSQL's backend). Unlike milliseconds, the count does not depend on how fast
    the machine is this hour: two runs of the same code agree to a fraction of a per cent."""
    helper = _dump_helper(run_dir)
    out = run_dir / "callgrind.out"
    command = [
        "valgrind", "--tool=callgrind", f"--callgrind-out-file={out}",
        sys.executable, __file__, "--instructions-child", str(helper),
        "--instructions", str(args.instructions), "--pages", args.pages or COUNTED_PAGES,
        "--year", str(args.year),
    ]  # fmt: skip
    run = subprocess.run(
        command, env=env | {"PYTHONHASHSEED": "0"}, capture_output=True, text=True, check=False
    )
    if run.returncode:
        last = (run.stderr.strip().splitlines() or ["no output"])[-1]
        raise SystemExit(f"the counted run failed: {last}")
    counts = read_dumps(sorted(run_dir.glob("callgrind.out.*")))
    return [
        {"page": page.name, "instructions": round(counts[page.name] / args.instructions)}
        for page in select_pages(args.pages or COUNTED_PAGES)
    ]


def run_counted_pages(args) -> None:
    """Under callgrind (count_instructions): the pages, each warmed by 20 requests, then
    `--instructions` requests of each, a dump of the counters after each page."""
    import ctypes

    import django

    django.setup()
    from brik.demo.reference import DEMO_PASSWORD

    dump = ctypes.CDLL(str(args.instructions_child)).brik_dump
    targets = choose_targets(args.year)
    pages = select_pages(args.pages)
    browsers = logged_in_browsers(pages, DEMO_PASSWORD)
    for page in pages:
        for i in range(20):
            browsers[page.user].get(page.path(targets, i))
    dump(b"start-up")
    for page in pages:
        for i in range(args.instructions):
            reply = browsers[page.user].get(page.path(targets, i))
            if reply.status != 200:
                raise SystemExit(f"{page.name}: HTTP {reply.status}")
        dump(page.name.encode())


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--persons", type=int, default=100_000, help="Synthetic persons.")
    parser.add_argument("--seed", type=int, default=2021, help="Seed of the demo data.")
    parser.add_argument("--year", type=int, default=2023, help="Report year (and statistics page).")
    parser.add_argument("--clients", type=int, default=8, help="Concurrent clients per page.")
    parser.add_argument("--seconds", type=float, default=30, help="Measured seconds per page.")
    parser.add_argument("--warmup", type=float, default=3, help="Unmeasured seconds first.")
    parser.add_argument(
        "--server", choices=["gunicorn", "granian"], default="gunicorn",
        help="gunicorn through `brik serve` (what Brik ships), or granian to compare.",
    )  # fmt: skip
    parser.add_argument(
        "--workers", type=int, default=None, help="Server workers (default: brik serve's)."
    )
    parser.add_argument(
        "--threads", type=int, default=None, help="Threads per worker (default: brik serve's)."
    )
    parser.add_argument(
        "--pages", default="", help="Only these pages (names, comma-separated, or a part of one)."
    )
    parser.add_argument("--skip-load", action="store_true", help="No server, no load.")
    parser.add_argument("--skip-report", action="store_true", help="No report timings.")
    parser.add_argument("--report-runs", type=int, default=3, help="Runs of each report timing.")
    parser.add_argument("--rebuild", action="store_true", help="Build the cached database anew.")
    parser.add_argument(
        "--cache", type=Path, default=Path(os.getenv("BRIK_BENCHMARK_CACHE", DEFAULT_CACHE))
    )
    parser.add_argument(
        "--export-rows", type=int, default=1_000_000,
        help="Also export this many cases (SQLite: the cases multiplied in a copy; 0: not).",
    )  # fmt: skip
    parser.add_argument("--keep", action="store_true", help="Keep the run's data folder.")
    parser.add_argument("--json", type=Path, help="Also write the figures to this file.")
    parser.add_argument("--build-into", type=Path, help=argparse.SUPPRESS)
    parser.add_argument(
        "--report-at",
        type=Path,
        help="Only time the report's data and protection on the database of this data folder "
        "(BRIK_DATA_DIR; keys from the environment), e.g. one of 1,000,000 assessments.",
    )
    parser.add_argument("--no-pandas", action="store_true", help="With --report-at: no pandas.")
    parser.add_argument(
        "--instructions", type=int, default=0, metavar="N",
        help="Count instead of timing: each page's instructions a request over N requests, "
        "under valgrind's callgrind (make instructions); the five target pages unless --pages.",
    )  # fmt: skip
    parser.add_argument("--instructions-child", type=Path, help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def main(argv=None) -> None:
    args = parse_args(argv)
    sys.path.insert(0, str(ROOT))
    if args.build_into:
        build_database(persons=args.persons, seed=args.seed, year=args.year)
        return
    if args.instructions_child:
        run_counted_pages(args)
        return
    if args.report_at:
        figures = measure_report_at(
            args.report_at, args.year, args.report_runs, pandas=not args.no_pandas
        )
        if args.json:
            args.json.write_text(json.dumps(figures, indent=2, default=str), encoding="utf-8")
        return
    import dj_database_url

    from brik.protection.management.commands import serve

    # The same defaults as `brik serve`, for granian too.
    database = os.getenv("BRIK_DATABASE_URL", "")
    args.workers = args.workers or serve.default_workers(
        serve.cpu_count(),
        local_database=serve.database_is_local(
            dj_database_url.parse(database) if database else {"ENGINE": "sqlite3"}
        ),
    )
    args.threads = args.threads or serve.DEFAULT_THREADS

    figures: dict = {"machine": machine(), "arguments": {
        k: str(v) for k, v in vars(args).items() if k not in ("build_into",)
    }}  # fmt: skip
    figures["machine"]["speed_before"] = machine_speed()
    print(f"Machine: {speed_line(figures['machine']['speed_before'])}")
    keys = production_keys(args.cache)
    run_dir = Path(tempfile.mkdtemp(prefix="brik-bench-"))
    postgres = os.getenv("BRIK_DATABASE_URL", "")
    try:
        if postgres:
            print(f"PostgreSQL: {postgres.rsplit('@', 1)[-1]}")
            env = server_environment(run_dir, keys)
            subprocess.run(
                [sys.executable, __file__, "--build-into", str(run_dir), *_build_args(args)],
                # As for SQLite: `brik demo` runs only with BRIK_DEBUG=True.
                env=env | {"BRIK_LOG_LEVEL": "ERROR", "BRIK_DEBUG": "True"}, check=True,
            )  # fmt: skip
            database = postgres
        else:
            database = str(prepare_sqlite(args, keys, run_dir))
            env = server_environment(run_dir, keys)
        os.environ.update(env)
        import django

        django.setup()
        from django.core.management import call_command

        from brik.cases.models import Case, Person
        from brik.core.staticfiles import collect_if_changed
        from brik.demo.reference import DEMO_PASSWORD

        call_command("migrate", verbosity=0, interactive=False)
        collect_if_changed()
        figures["database"] = {
            "engine": "postgresql" if postgres else "sqlite",
            "persons": Person.objects.count(),
            "cases": Case.objects.count(),
        }
        print(
            f"{figures['database']['persons']:,} persons, {figures['database']['cases']:,} cases "
            f"on {figures['database']['engine']}; {args.clients} clients, {args.seconds:g} s a page; "
            f"Python {platform.python_version()} ({python_executable()})"
        )
        targets = choose_targets(args.year)
        pages = select_pages(args.pages)
        if args.instructions:
            print(f"\nInstructions a request (callgrind, {args.instructions} requests a page):")
            figures["instructions"] = count_instructions(args, env, run_dir)
            print(table(
                [[r["page"], f"{r['instructions'] / 1e6:.2f}"] for r in figures["instructions"]],
                ["page", "million"],
            ))  # fmt: skip
            if args.json:
                args.json.write_text(json.dumps(figures, indent=2, default=str), encoding="utf-8")
            return

        print("\nIn this process, one request at a time (Django's test client):")
        in_process = measure_in_process(targets, pages, DEMO_PASSWORD)
        figures["in_process"] = [asdict(r) for r in in_process]
        print(table(
            [[r.page, r.status, r.queries, f"{r.kilobytes:.0f}", f"{r.median_ms:.1f}"] for r in in_process],
            ["page", "HTTP", "queries", "KB", "median ms"],
        ))  # fmt: skip

        print("\nFinding a person by name (brik.search), one search at a time:")
        figures["search"] = measure_search(DEMO_PASSWORD)

        if not args.skip_load:
            figures["load"] = measure_load(args, env, targets, pages, DEMO_PASSWORD)
            figures["machine"]["speed_after_load"] = machine_speed()
            print(f"Machine after the load: {speed_line(figures['machine']['speed_after_load'])}")
        if not args.skip_report:
            print(f"\nThe {args.year} report, median of {args.report_runs} runs:")
            report = measure_report(args.year, database, args.report_runs)
            figures["report"] = report
            print(table(
                [
                    ["Brik report (report_build, public)", f"{report['brik_report_s'] * 1000:.0f}", ""],
                    ["Brik report data (selectors)", f"{report['brik_report_data_s'] * 1000:.0f}",
                     f"{report['report_data_over_pandas']}x pandas"],
                    ["Brik report data + disclosure control",
                     f"{report['brik_report_protected_s'] * 1000:.0f}",
                     f"{report['report_protected_over_pandas']}x pandas"],
                    ["Brik report kept (analysts' page, 2nd view)",
                     f"{report['brik_report_kept_s'] * 1000:.1f}", ""],
                    ["pandas read_sql + group-by", f"{report['pandas_s'] * 1000:.0f}",
                     f"report {report['report_over_pandas']}x pandas"],
                    ["DuckDB query", f"{report['duckdb_query_s'] * 1000:.1f}",
                     f"report {report['report_over_duckdb_query']}x DuckDB"],
                ],
                ["", "ms", "ratio"],
            ))  # fmt: skip
            print(f"DuckDB read: {report['duckdb_how']}. Identified per year agree "
                  f"(Brik, pandas, DuckDB): {report['identified_per_year_agree']}")  # fmt: skip
            protection = measure_protection_first_and_kept(args.year, args.report_runs)
            figures["report_protection"] = protection
            print(f"Report data + protection: first build of a state of the data "
                  f"{protection['first_build_s'] * 1000:.0f} ms, with the pattern kept "
                  f"{protection['kept_pattern_s'] * 1000:.0f} ms")  # fmt: skip
            figures["kept_counts"] = measure_kept_counts(args.year, args.report_runs)
            print_kept_counts(figures["kept_counts"], report["pandas_s"])
        for name, measure in (("export", measure_export), ("import", measure_import)):
            figures[name] = measure()
        figures["export_multiplied"] = measure_export_multiplied(database, args.export_rows)
        figures["machine"]["load_after"] = [round(x, 2) for x in os.getloadavg()]
        if args.json:
            args.json.write_text(json.dumps(figures, indent=2, default=str), encoding="utf-8")
            print(f"\nFigures written to {args.json}")
    finally:
        if args.keep:
            print(f"The run's data folder: {run_dir}")
        else:
            shutil.rmtree(run_dir, ignore_errors=True)


def measure_load(args, env, targets: Targets, pages: list[Page], password: str) -> dict:
    """Start the server, log the clients in, and load each page in turn."""
    port = free_port()
    started = time.perf_counter()
    log = Path(env["BRIK_DATA_DIR"]) / "server.log"
    server = start_server(args, env, port, log)
    print(f"\n{args.server} started in {time.perf_counter() - started:.1f} s on port {port}")
    try:
        watch = MemoryWatch(server.pid)
        sessions = log_in_sessions(port, args.clients, password)
        results = []
        for page in pages:
            result = measure_page_load(args, page, targets, port, sessions, watch)
            results.append(result)
            print(
                f"  {result.page:<28} {result.req_per_s:7.1f} req/s  p50 {result.p50_ms:7.1f}  "
                f"p95 {result.p95_ms:7.1f}  p99 {result.p99_ms:7.1f} ms  errors {result.errors}",
                flush=True,
            )
        workers = sum(1 for p in watch.processes()) - 1
    finally:
        stop_server(server)
    print(f"\nUnder load ({args.server}, {workers} workers x {args.threads} threads, "
          f"{args.clients} clients, {args.seconds:g} s a page):")  # fmt: skip
    print(table(
        [[r.page, f"{r.req_per_s:.1f}", f"{r.p50_ms:.0f}", f"{r.p95_ms:.0f}", f"{r.p99_ms:.0f}",
          r.errors, f"{r.peak_rss_mb.get('worker', 0):.0f}", f"{r.peak_rss_mb.get('master', 0):.0f}",
          f"{r.server_cpu_ms_per_request:.1f}", f"{r.server_cpu_percent:.0f}",
          f"{r.client_cpu_percent:.0f}", f"{r.load_before:.1f}"] for r in results],
        ["page", "req/s", "p50 ms", "p95 ms", "p99 ms", "errors", "worker MB", "master MB",
         "CPU ms/req", "server CPU %", "client CPU %", "load"],
    ))  # fmt: skip
    for r in results:
        if r.errors:
            print(f"  {r.page}: first error: {r.error_sample}")
    return {
        "server": args.server,
        "workers": workers,
        "threads": args.threads,
        "pages": [asdict(r) for r in results],
    }


if __name__ == "__main__":
    main()
