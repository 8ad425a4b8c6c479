"""The case page in process, on a copy of the benchmark's database: CPU time per
request, and its HTML kept to compare two versions of the code byte for byte.

    cp ~/.cache/brik-benchmark/sqlite-100000-seed2021/brik.sqlite3 /tmp/cp/
    ln -s ~/.cache/brik-benchmark/static /tmp/cp/static
    BRIK_DATA_DIR=/tmp/cp .venv/bin/brik migrate   # with the keys of keys.env
    .venv/bin/python scripts/case_page_inprocess.py --data /tmp/cp time
    .venv/bin/python scripts/case_page_inprocess.py --data /tmp/cp dump /tmp/pages-new
    python3 scripts/case_page_inprocess.py compare /tmp/pages-old /tmp/pages-new

`time`: the test client's GET as the caseworker over the benchmark's case pages
(the 200 most recently referred cases), warm, DEBUG off, `time.process_time()`
around each request; median and minimum. `dump`: 32 cases (recent ones before
their decision, closed and returned ones, two in each other state) as the caseworker and the lead, in
English and Danish, with the one-time tokens and the session's seconds left made
equal. `compare`: identical apart from the check for earlier records of the
person, which the page now loads after itself (issue 13). The database is
written to (each view is an audit row): use a copy.
"""

import argparse
import difflib
import os
import re
import statistics
import sys
import time
from pathlib import Path

KEYS = Path.home() / ".cache" / "brik-benchmark" / "keys.env"
# The duplicate check, inline before and as its placeholder now (with the blank line after).
DUPLICATE_CHECK = re.compile(
    r'      <p class="likely-same(?:-check"| role="note">).*?</p>\n      \n', re.S
)
SESSION_LEFT = re.compile(r'data-session-left="\d+"')


def setup(data: str) -> None:
    for line in KEYS.read_text(encoding="utf-8").splitlines():
        name, _, value = line.partition("=")
        if name.startswith("BRIK_"):
            os.environ[name] = value
    os.environ.update(
        BRIK_DATA_DIR=data,
        BRIK_DEBUG="False",
        BRIK_SECURE_SSL_REDIRECT="False",
        BRIK_ALLOWED_HOSTS="testserver,localhost",
        BRIK_LOG_LEVEL="WARNING",
        DJANGO_SETTINGS_MODULE="brik.settings",
    )
    import django

    django.setup()


def client(username: str, language: str = "en"):
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY

    from brik.accounts.models import Authenticator, User

    browser = Client(HTTP_ACCEPT_LANGUAGE=language, HTTP_HOST="localhost")
    user = User.objects.get(username=username)
    browser.force_login(user)
    device = Authenticator.objects.filter(user=user, confirmed=True).first()
    if device is not None:
        session = browser.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return browser


def case_pks() -> list[int]:
    from brik.cases.models import Case

    return list(Case.objects.order_by("-referred_on", "-pk").values_list("pk", flat=True)[:200])


def page(browser, pk: int) -> str:
    response = browser.get(f"/cases/{pk}/")
    if response.status_code != 200:
        raise SystemExit(f"/cases/{pk}/: HTTP {response.status_code}")
    return response.content.decode()


def measure(n: int) -> None:
    pks = case_pks()
    browser = client("caseworker")
    for pk in pks[:10]:
        page(browser, pk)
    times = []
    for i in range(n):
        started = time.process_time()
        page(browser, pks[i % len(pks)])
        times.append((time.process_time() - started) * 1000)
    print(
        f"case page: median {statistics.median(times):.1f} ms of CPU, "
        f"min {min(times):.1f}, max {max(times):.1f} ({n} requests)"
    )


def dump(folder: Path) -> None:
    from brik.cases.models import Case

    pks = case_pks()
    sample = pks[:12] + pks[100:104]
    for status in ("closed", "returned"):
        sample += list(
            Case.objects.filter(status=status).order_by("pk").values_list("pk", flat=True)[:3]
        )
    # After the decision, in each state: the reflection period, support, interviews.
    for status in ("in_support", "staying", "not_identified", "interviewed", "interview_planned"):
        sample += list(
            Case.objects.filter(status=status).order_by("-pk").values_list("pk", flat=True)[:2]
        )
    folder.mkdir(parents=True, exist_ok=True)
    for username in ("caseworker", "lead"):
        for language in ("en", "da"):
            browser = client(username, language)
            for pk in sample:
                html = re.sub(
                    r'name="(csrfmiddlewaretoken|form_token)" value="[^"]*"',
                    r'name="\1" value="X"',
                    page(browser, pk),
                )
                (folder / f"{username}-{language}-{pk}.html").write_text(html, encoding="utf-8")
    print(f"{len(sample) * 4} pages in {folder}")


def _read(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def compare_folders(old: Path, new: Path, normal=_read) -> int:
    """Each page of `old` against the same-named page of `new` (as `normal` reads
    them): the differences' first lines, the count, and 1 if any differs. The other
    in-process scripts (case list, My work) compare their dumps with it too."""
    different = 0
    files = sorted(old.glob("*.html"))
    for path in files:
        a, b = normal(path), normal(new / path.name)
        if a != b:
            different += 1
            print(path.name)
            sys.stdout.writelines(
                list(difflib.unified_diff(a.splitlines(True), b.splitlines(True), n=1))[:30]
            )
    print(f"{len(files) - different} identical, {different} different")
    return 1 if different else 0


def compare(old: Path, new: Path) -> int:
    def normal(path: Path) -> str:
        return SESSION_LEFT.sub("", DUPLICATE_CHECK.sub("", _read(path)))

    return compare_folders(old, new, normal)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", help="BRIK_DATA_DIR of the database copy")
    sub = parser.add_subparsers(dest="command", required=True)
    timing = sub.add_parser("time")
    timing.add_argument("-n", type=int, default=60)
    dumping = sub.add_parser("dump")
    dumping.add_argument("folder", type=Path)
    comparing = sub.add_parser("compare")
    comparing.add_argument("old", type=Path)
    comparing.add_argument("new", type=Path)
    args = parser.parse_args()
    if args.command == "compare":
        return compare(args.old, args.new)
    if not args.data:
        parser.error("--data is needed")
    setup(args.data)
    if args.command == "time":
        measure(args.n)
    else:
        dump(args.folder)
    return 0


if __name__ == "__main__":
    sys.exit(main())
