"""My work in process, on a copy of the benchmark's database: CPU time per request,
and its HTML kept to compare two versions of the code byte for byte.

    .venv/bin/python scripts/my_work_inprocess.py --data /tmp/cp time [-n 30] [--user lead] [--query scope=team]
    .venv/bin/python scripts/my_work_inprocess.py --data /tmp/cp dump /tmp/work-old [--today 2026-11-20]
    python3 scripts/my_work_inprocess.py compare /tmp/work-old /tmp/work-new

`time`: the test client's GET of /work/ (warm, DEBUG off), `time.process_time()`
around each request; median and minimum. `dump`: the caseworker and the lead, mine
and the team's, status and urgency filters, every sort and later pages, in English
and Danish, with the one-time tokens and the session's seconds left made equal.
The database is written to (sessions): use a copy. The page depends on the day.
"""

import argparse
import re
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import case_page_inprocess as cp

URL = "/work/"
QUERIES = [
    "",
    "scope=mine",
    "scope=team",
    "scope=team&status=referred",
    "status=identified",
    "status=returned&sort=deadline",
    "urgency=urgent",
    "scope=team&urgency=soon&sort=status",
    "sort=referred",
    "sort=-referred&scope=team",
    "cases_page=2&new_page=2&deadlines_page=2",
    "scope=team&cases_page=3&interviews_page=2&follow_ups_page=2&decisions_page=2",
    "scope=bogus&cases_page=x&status=closed",
]
TOKENS = re.compile(r'name="(csrfmiddlewaretoken|form_token)" value="[^"]*"')
SESSION_LEFT = re.compile(r'data-session-left="\d+"')


def get(browser, query: str) -> str:
    response = browser.get(f"{URL}?{query}" if query else URL)
    if response.status_code != 200:
        raise SystemExit(f"{URL}?{query}: HTTP {response.status_code}")
    return response.content.decode()


def measure(n: int, user: str, query: str) -> None:
    browser = cp.client(user)
    for _ in range(5):
        get(browser, query)
    times = []
    for _ in range(n):
        started = time.process_time()
        get(browser, query)
        times.append((time.process_time() - started) * 1000)
    print(
        f"My work ({user}, ?{query}): median {statistics.median(times):.1f} ms of CPU, "
        f"min {min(times):.1f}, max {max(times):.1f} ({n} requests)"
    )


def dump(folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    count = 0
    for username in ("caseworker", "lead"):
        for language in ("en", "da"):
            browser = cp.client(username, language)
            for number, query in enumerate(QUERIES):
                html = TOKENS.sub(r'name="\1" value="X"', get(browser, query))
                html = SESSION_LEFT.sub('data-session-left="X"', html)
                (folder / f"{username}-{language}-{number:02}.html").write_text(html, "utf-8")
                count += 1
    print(f"{count} pages in {folder}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", help="BRIK_DATA_DIR of the database copy")
    sub = parser.add_subparsers(dest="command", required=True)
    timing = sub.add_parser("time")
    timing.add_argument("-n", type=int, default=30)
    timing.add_argument("--user", default="caseworker")
    timing.add_argument("--query", default="")
    dumping = sub.add_parser("dump")
    dumping.add_argument("folder", type=Path)
    dumping.add_argument(
        "--today", help="render as on this day (YYYY-MM-DD), for interviews today and later"
    )
    comparing = sub.add_parser("compare")
    comparing.add_argument("old", type=Path)
    comparing.add_argument("new", type=Path)
    args = parser.parse_args()
    if args.command == "compare":
        return cp.compare_folders(args.old, args.new)
    if not args.data:
        parser.error("--data is needed")
    cp.setup(args.data)
    if args.command == "time":
        measure(args.n, args.user, args.query)
    elif args.today:
        import datetime as dt

        import time_machine

        with time_machine.travel(dt.datetime.fromisoformat(f"{args.today}T10:00:00+01:00")):
            dump(args.folder)
    else:
        dump(args.folder)
    return 0


if __name__ == "__main__":
    sys.exit(main())
