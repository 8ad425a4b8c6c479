"""Compare My work before and after a change of its selector, on a filled database.

Loads brik/cases/selectors/my_work.py as it was at a git revision (default: main)
next to the current one and runs both for every user who has My work, both scopes,
every sort, status and urgency filter and the first pages of each list: the same
rows in the same order, the same counts, the same "What needs me today", the same
team load. Prints what differs; exits 1 if anything does.

    BRIK_DATA_DIR=<a copy of the benchmark's data folder> BRIK_SECRET_KEY=... \\
        .venv/bin/python scripts/compare_my_work.py [--revision main] [--today 2026-12-03]

(the benchmark's keys are in ~/.cache/brik-benchmark/keys.env; migrate the copy first).
"""

import argparse
import datetime as dt
import importlib.util
import itertools
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def old_selector(revision: str):
    source = subprocess.run(
        ["git", "show", f"{revision}:brik/cases/selectors/my_work.py"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    # The old selector annotated its computed rank as "urgency_rank", now a column's name.
    if "urgency_rank=_urgency_rank()" in source:  # only a selector from before the column
        source = source.replace("urgency_rank=_urgency_rank()", "old_urgency_rank=_urgency_rank()")
        source = source.replace('"urgency_rank"', '"old_urgency_rank"')
    path = Path(tempfile.mkdtemp(prefix="brik-old-my-work-")) / "old_my_work.py"
    path.write_text(source, encoding="utf-8")
    spec = importlib.util.spec_from_file_location("old_my_work", path)
    assert spec
    assert spec.loader
    module = importlib.util.module_from_spec(spec)
    # Registered first: its dataclasses look their module up while they are made.
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def listing(value) -> tuple:
    def key(row):
        case = getattr(row, "case", None)
        item = getattr(row, "item", None)
        return (
            # The kind of row: a Case, or the CaseRow read as values that stands for one.
            type(row).__name__.removesuffix("Row"),
            getattr(row, "pk", None),
            getattr(case, "pk", None),
            getattr(row, "due", None),
            getattr(row, "days", None),
            str(getattr(row, "note", "")),
            getattr(item, "pk", None),
        )

    return (value.count, value.page, value.has_next, [key(r) for r in value.rows])


def summary(work, lists) -> dict:
    return {
        **{name: listing(getattr(work, name)) for name in lists},
        "needs_me": [
            (i.case.pk, i.reason, i.action, i.url, i.due, i.days, i.overdue) for i in work.needs_me
        ],
        "team": [(m.user.pk, m.open_cases, m.urgent, m.deadlines) for m in work.team],
        "unassigned": work.unassigned_count,
        "shown": (work.scope, work.sort, work.status, work.urgency),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--revision", default="main")
    parser.add_argument("--today", type=dt.date.fromisoformat, default=None)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from brik.accounts.models import User
    from brik.accounts.permissions import Ability, can
    from brik.core import choices

    new = importlib.import_module("brik.cases.selectors.my_work")
    old = old_selector(args.revision)
    users = [u for u in User.objects.order_by("pk") if can(u, Ability.CASE_MY_WORK)]
    statuses = ["", *sorted(choices.CASE_OPEN)]
    urgencies = ["", *choices.Urgency.values]
    pages = [{}, dict.fromkeys(new.LISTS, "2"), dict.fromkeys(new.LISTS, "40")]
    compared = differ = 0
    timings = {"old": 0.0, "new": 0.0}
    for user, scope, sort, status, urgency, page in itertools.product(
        users, new.SCOPES, list(new.CASE_SORTS), statuses, urgencies, pages
    ):
        if (status or urgency) and page:
            continue  # the filters on the first page only: enough, and quicker
        values = {
            "user": user, "today": args.today, "scope": scope, "sort": sort, "status": status, "urgency": urgency,
            "pages": page,
        }  # fmt: skip
        started = time.process_time()
        before = summary(old.my_work(**values), new.LISTS)
        timings["old"] += time.process_time() - started
        started = time.process_time()
        after = summary(new.my_work(**values), new.LISTS)
        timings["new"] += time.process_time() - started
        compared += 1
        if before != after:
            differ += 1
            wrong = [k for k in before if before[k] != after[k]]
            print(
                f"DIFFERENT {user.username} {scope} {sort} {status!r} {urgency!r} {page}: {wrong}"
            )
    print(
        f"{compared} views of My work compared ({len(users)} users), {differ} different; "
        f"CPU {timings['old']:.1f} s before, {timings['new']:.1f} s after"
    )
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
