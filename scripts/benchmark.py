"""Print how long Brik's heavy reads take on a generated database.

    .venv/bin/python scripts/benchmark.py --persons 100000

Builds a throwaway SQLite database (or uses BRIK_DATABASE_URL), loads the
synthetic demo data at the given size, then times: the case list (first page,
a filtered page, a late page), My work, one case page, and the annual report.
Figures only; nothing here passes or fails.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path


def timed(label: str, fn, repeat: int = 5) -> None:
    seconds = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        seconds.append(time.perf_counter() - start)
    print(f"{label:<44} median {statistics.median(seconds) * 1000:8.1f} ms  (n={repeat})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--persons", type=int, default=20000, help="Persons to generate.")
    parser.add_argument("--year", type=int, default=2021, help="Report year.")
    args = parser.parse_args()

    os.environ.setdefault("BRIK_DATA_DIR", tempfile.mkdtemp(prefix="brik-bench-"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "brik.settings")
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    import django

    django.setup()
    from django.core.management import call_command

    from brik.accounts.models import User
    from brik.cases import selectors
    from brik.cases.models import Case
    from brik.demo import generator
    from brik.statistics.report import report_build

    call_command("migrate", verbosity=0)
    if not generator.has_data():
        start = time.perf_counter()
        summary = generator.generate(seed=2021, persons=args.persons)
        print(f"demo data: {summary.persons} persons in {time.perf_counter() - start:.1f} s")
    print(f"database: {os.environ.get('BRIK_DATABASE_URL') or os.environ['BRIK_DATA_DIR']}")
    print(f"cases: {Case.objects.count()}")

    user = User.objects.get(username="caseworker")
    order = ("-referred_on", "-id")
    timed(
        "case list, first page",
        lambda: selectors.case_list_page(user=user, filters={}, order_by=order, page=1),
    )
    timed(
        "case list, filtered by citizenship NG",
        lambda: selectors.case_list_page(
            user=user, filters={"citizenship": "NG"}, order_by=order, page=1
        ),
    )
    timed(
        "case list, page 200",
        lambda: selectors.case_list_page(user=user, filters={}, order_by=order, page=200),
    )
    timed("my work", lambda: selectors.my_work(user=user))
    pk = Case.objects.order_by("-pk").values_list("pk", flat=True).first()
    timed(
        "case page data", lambda: selectors.case_timeline(selectors.case_detail(user=user, pk=pk))
    )
    timed(
        f"annual report {args.year}, public",
        lambda: report_build(year=args.year, language="da"),
        repeat=3,
    )


if __name__ == "__main__":
    main()
