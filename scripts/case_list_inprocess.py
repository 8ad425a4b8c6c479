"""The case list (and `/`) in process, on a copy of the benchmark's database: CPU time
per request, and its HTML kept to compare two versions of the code byte for byte.

    .venv/bin/python scripts/case_list_inprocess.py --data /tmp/cp time
    .venv/bin/python scripts/case_list_inprocess.py --data /tmp/cp dump /tmp/list-old
    .venv/bin/python scripts/case_list_inprocess.py compare /tmp/list-old /tmp/list-new

`time`: the test client's GET as the caseworker, warm, DEBUG off, `time.process_time()`
around each request; median of n (default 30) for each URL of TIMED. `dump`: every URL
of DUMPED as the caseworker, the lead and the analyst, in English and Danish, with the
one-time tokens and the session's seconds left made equal. The database is written to
(sessions, audit rows): use a copy.
"""

import argparse
import re
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from case_page_inprocess import client as login
from case_page_inprocess import compare_folders, setup

TIMED = ["/cases/", "/cases/?citizenship=NG", "/cases/?q=BRK-2019-50", "/"]
DUMPED = [
    "/cases/",
    "/cases/?page=3",
    "/cases/?citizenship=NG",
    "/cases/?citizenship=NG&page=2",
    "/cases/?q=BRK-2019-50",
    "/cases/?q=BRK",
    "/cases/?q=Maria",
    "/cases/?sort=code",
    "/cases/?sort=-decided&open=closed",
    "/cases/?open=closed",
    "/cases/?status=returned&form=labour",
    "/cases/?referred_year=2024&authority=immigration_service",
    "/cases/?q=zzzz-nothing",
    "/cases/?referred_year=abc",
    "/",
]
USERS = ("caseworker", "lead", "analyst")
TOKENS = re.compile(r'name="(csrfmiddlewaretoken|form_token)" value="[^"]*"')
SESSION_LEFT = re.compile(r'data-session-left="\d+"')


def get(browser, url: str):
    return browser.get(url)


def measure(n: int, user: str, urls: list[str]) -> None:
    browser = login(user)
    for url in urls:
        for _ in range(5):
            get(browser, url)
        times = []
        for _ in range(n):
            started = time.process_time()
            get(browser, url)
            times.append((time.process_time() - started) * 1000)
        print(
            f"{url}: median {statistics.median(times):.1f} ms of CPU, "
            f"min {min(times):.1f} ({n} requests, {user})"
        )


def _header(name: str, value: str) -> str:
    """A header's value, with the CSP's directives sorted (their order varies by process)."""
    if name.lower().startswith("content-security-policy"):
        return "; ".join(sorted(value.split("; ")))
    return value


def dump(folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    count = 0
    for username in USERS:
        for language in ("en", "da"):
            browser = login(username, language)
            for i, url in enumerate(DUMPED):
                response = get(browser, url)
                body = response.content.decode()
                body = SESSION_LEFT.sub(
                    'data-session-left="X"', TOKENS.sub(r'name="\1" value="X"', body)
                )
                head = f"{response.status_code} {response.get('Location', '')}\n"
                head += "".join(f"{k}: {_header(k, v)}\n" for k, v in sorted(response.items()))
                (folder / f"{username}-{language}-{i:02d}.html").write_text(
                    head + body, encoding="utf-8"
                )
                count += 1
    print(f"{count} pages in {folder}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", help="BRIK_DATA_DIR of the database copy")
    sub = parser.add_subparsers(dest="command", required=True)
    timing = sub.add_parser("time")
    timing.add_argument("-n", type=int, default=30)
    timing.add_argument("--user", default="caseworker")
    timing.add_argument("urls", nargs="*")
    dumping = sub.add_parser("dump")
    dumping.add_argument("folder", type=Path)
    comparing = sub.add_parser("compare")
    comparing.add_argument("old", type=Path)
    comparing.add_argument("new", type=Path)
    args = parser.parse_args()
    if args.command == "compare":
        return compare_folders(args.old, args.new)
    if not args.data:
        parser.error("--data is needed")
    setup(args.data)
    if args.command == "time":
        measure(args.n, args.user, args.urls or TIMED)
    else:
        dump(args.folder)
    return 0


if __name__ == "__main__":
    sys.exit(main())
