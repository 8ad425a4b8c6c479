"""The name search page in process, on a copy of the benchmark's database: CPU time
per request, and its HTML kept to compare two versions of the code byte for byte.

    .venv/bin/python scripts/search_inprocess.py --data /tmp/cp time [-n 3] [--profile]
    .venv/bin/python scripts/search_inprocess.py --data /tmp/cp dump /tmp/search-old
    python3 scripts/search_inprocess.py compare /tmp/search-old /tmp/search-new

`time`: the test client's GET of /search/?q= as the caseworker over the benchmark's
names (`benchmark._names_to_search()`: a full name and a family name of 20 persons),
warm, DEBUG off, `time.process_time()` around each request; the median over `-n`
rounds of every name, and the minimum. `--profile`: a round under cProfile after.
`dump`: as the caseworker and as the analyst (who may search case codes only), in
English and Danish: names (full, family, given, misspelt, with a year, in another
script), dates of birth in two formats, years, phone numbers, case codes whole and in
part, nothing found, an empty box and one too long; with the one-time tokens and the
session's seconds left made equal. The demo has no aliases or phone numbers: the dump
refers two persons who have them (and markup and ampersands in their names) in a
transaction it rolls back, so that the names `time` searches stay the benchmark's.
The database is written to (each search is an action-log row): use a copy.
"""

import argparse
import random
import re
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import case_page_inprocess as cp

URL = "/search/"
TOKENS = re.compile(r'name="(csrfmiddlewaretoken|form_token)" value="[^"]*"')
SESSION_LEFT = re.compile(r'data-session-left="\d+"')


def names() -> list[str]:
    import benchmark

    return benchmark._names_to_search()


def get(browser, query: str, status: int = 200) -> str:
    response = browser.get(URL, {"q": query})
    if response.status_code != status:
        raise SystemExit(f"{URL}?q={query!r}: HTTP {response.status_code}")
    return response.content.decode()


def measure(rounds: int, profile: bool) -> None:
    searched = names()
    browser = cp.client("caseworker")
    for name in searched:
        get(browser, name)
    times = []
    for _ in range(rounds):
        for name in searched:
            started = time.process_time()
            get(browser, name)
            times.append((time.process_time() - started) * 1000)
    print(
        f"search page: median {statistics.median(times):.2f} ms of CPU, "
        f"min {min(times):.2f}, max {max(times):.2f} "
        f"({len(times)} requests, {len(searched)} names)"
    )
    if profile:
        import cProfile
        import pstats

        profiler = cProfile.Profile()
        profiler.enable()
        for name in searched:
            get(browser, name)
        profiler.disable()
        stats = pstats.Stats(profiler)
        stats.sort_stats("cumulative").print_stats(60)
        stats.sort_stats("tottime").print_stats(40)


def queries() -> list[str]:
    """What the dump searches for, the same on the same database."""
    from brik.cases.models import Person, PersonIdentity

    searched = names()
    found = searched[:12]
    # Some identities read in full: dates of birth, phones, aliases, given names.
    ids = list(PersonIdentity.objects.order_by("pk").values_list("pk", flat=True)[:4000])
    sample = PersonIdentity.objects.filter(pk__in=random.Random(11).sample(ids, 400))
    identities = list(sample.select_related("person").order_by("pk"))
    born = [i for i in identities if i.date_of_birth][:4]
    found += [i.date_of_birth.strftime("%d-%m-%Y") for i in born[:3]]
    found += [
        born[3].date_of_birth.isoformat(),
        f"{born[0].family_name} {born[0].date_of_birth.year}",
    ]
    found += [f"{born[1].given_names} {born[1].date_of_birth.year + 1}"]  # a wrong year
    phones = [i.phone for i in identities if i.phone][:3]
    found += phones + [re.sub(r"\D", "", p)[-8:] for p in phones[:1]]
    aliases = [i for i in identities if i.aliases][:3]
    found += [i.aliases.split()[0] for i in aliases]
    found += [i.given_names for i in identities[:3]]
    found += [searched[0][:-2] + searched[0][-1] + searched[0][-2], searched[2].lower()[:5]]
    codes = list(Person.objects.order_by("-code").values_list("code", flat=True)[:2])
    codes += list(Person.objects.order_by("code").values_list("code", flat=True)[:1])
    found += [*codes, codes[0].lower(), codes[0][:8], codes[0][4:], codes[2][-6:], "BRK"]
    found += ["1990", "Olena Kovalenko", "Олена", "Søren Ågård", "Zbigniew Qxwvz", "BRK-1900-1"]
    found += ["Hansen", "Maria", "Nguyen", "Mohammed 1985", "<b>Anna</b> & Co"]
    return found


# Persons with what the demo lacks: aliases, phone numbers, markup, no date of birth.
EXTRA = [
    {
        "given_names": "Amélie <script>alert(1)</script>",
        "family_name": "Dupont & Fils",
        "aliases": 'Mimi "Lili" O\'Hara',
        "date_of_birth": "1991-02-03",
        "phone": "+45 12 34 56 78",
    },
    {
        "given_names": "Kwame",
        "family_name": "Mensah-Owusu",
        "aliases": "Kojo <b>K</b>",
        "phone": "+233 24 555 0101",
    },
]
EXTRA_QUERIES = [
    "Dupont",
    "Amelie Dupont",
    "Mimi",
    "Lili Hara",
    "+45 12 34 56 78",
    "12345678",
    "03-02-1991",
    "Kwame 1987",
    "Kojo",
    "Mensah Owusu",
    "script alert",
    "+233 24 555 0101",
]


def refer_extra() -> list[str]:
    """EXTRA referred by the police (as the demo's referrals are): their codes."""
    import datetime as dt

    from brik.accounts.models import User
    from brik.cases import services

    police = User.objects.get(username="police")
    codes = []
    for identity in EXTRA:
        born = identity.get("date_of_birth")
        case = services.case_refer(
            actor=police,
            referring_organisation=police.organisation,
            referred_on=dt.date(2025, 3, 1),
            gender="woman",
            birth_year=int(born[:4]) if born else 1987,
            citizenships=["NG"],
            identity={
                **identity,
                **({"date_of_birth": dt.date.fromisoformat(born)} if born else {}),
            },
        )
        codes.append(case.person.code)
    return codes


def dump(folder: Path) -> None:
    from django.db import transaction

    with transaction.atomic():
        _dump(folder)
        transaction.set_rollback(True)


def _dump(folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    searched = queries()
    searched += EXTRA_QUERIES + refer_extra()
    count = 0
    for username in ("caseworker", "analyst"):
        for language in ("en", "da"):
            browser = cp.client(username, language)
            pages = [(q, 200) for q in searched] + [("", 200), ("x" * 201, 422)]
            for number, (query, status) in enumerate(pages):
                html = TOKENS.sub(r'name="\1" value="X"', get(browser, query, status))
                html = SESSION_LEFT.sub('data-session-left="X"', html)
                (folder / f"{username}-{language}-{number:02}.html").write_text(html, "utf-8")
                count += 1
    (folder / "queries.txt").write_text("\n".join(searched) + "\n", "utf-8")
    print(f"{count} pages in {folder}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", help="BRIK_DATA_DIR of the database copy")
    sub = parser.add_subparsers(dest="command", required=True)
    timing = sub.add_parser("time")
    timing.add_argument("-n", type=int, default=3, help="rounds of every name")
    timing.add_argument("--profile", action="store_true")
    dumping = sub.add_parser("dump")
    dumping.add_argument("folder", type=Path)
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
        measure(args.n, args.profile)
    else:
        dump(args.folder)
    return 0


if __name__ == "__main__":
    sys.exit(main())
