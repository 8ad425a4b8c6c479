"""How much each year's public report hides, and whether the audit passes: for comparing
two versions of the disclosure control on one database (not a test: the figures depend
on the data).

    BRIK_DATA_DIR=/tmp/demo .venv/bin/python scripts/protection_figures.py [--years 2019-2026]

For every year: the seconds of its first build (the pattern not kept: the sums' search
and the hardening run), the "<5" and "x" marks counted in the English report's tables
(a cell shown in two tables counts twice, as a reader sees it), the "x" marks in the
headline tables, and the hidden cells the attacking audit finds too narrow over the
report's tables (`audit.audit_tables`, as `brik disclosure_audit` does once published).
Then the totals.
"""

import argparse
import os
import time
from collections import Counter

HEADLINE = ("gender", "children", "age_group", "citizenship_group", "forms", "eurostat_forms")


def years(text: str) -> range:
    first, _, last = text.partition("-")
    return range(int(first), int(last or first) + 1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--years", type=years, default=years("2019-2026"))
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "brik.settings")
    import django

    django.setup()
    from django.core.cache import cache

    from brik.statistics import audit, disclosure
    from brik.statistics.report import report_build
    from brik.statistics.tables import PRIMARY, SECONDARY

    totals: Counter = Counter()
    print("year  first build  '<5'   'x'  'x' in headline tables  too narrow")
    for year in args.years:
        cache.clear()
        disclosure._PATTERNS.clear()
        started = time.perf_counter()
        report = report_build(year=year, language="en")
        seconds = time.perf_counter() - started
        marks: Counter = Counter()
        for table in report.tables():
            for row in table.all_rows():
                for i, _column in enumerate(table.columns):
                    mark = row.mark(i)
                    marks[mark] += 1
                    if mark == SECONDARY and table.slug in HEADLINE:
                        marks["headline"] += 1
        narrow = audit.failures(audit.audit_tables(report.tables(), disclosure.threshold()))
        print(
            f"{year}  {seconds:10.2f}s  {marks[PRIMARY]:4}  {marks[SECONDARY]:4}"
            f"  {marks['headline']:22}  {len(narrow):10}"
        )
        totals.update(
            seconds=seconds,
            primary=marks[PRIMARY],
            secondary=marks[SECONDARY],
            headline=marks["headline"],
            narrow=len(narrow),
        )
    print(
        f"all   {totals['seconds']:10.2f}s  {totals['primary']:4}  {totals['secondary']:4}"
        f"  {totals['headline']:22}  {totals['narrow']:10}"
    )


if __name__ == "__main__":
    main()
