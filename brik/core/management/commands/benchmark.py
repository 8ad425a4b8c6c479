"""`brik benchmark`: scripts/benchmark.py under Brik's own command (its options pass through)."""

import os
import sys

from django.conf import settings
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "Measure Brik's pages under load and its report against pandas and DuckDB "
        "(runs scripts/benchmark.py; `brik benchmark --help` lists its options)."
    )

    def run_from_argv(self, argv):
        # The script sets up its own throwaway settings before Django starts, so
        # it runs as a process of its own, with every option passed on as given.
        script = settings.BASE_DIR / "scripts" / "benchmark.py"
        if not script.exists():
            sys.exit(f"brik benchmark: {script} is missing (it comes with Brik's source).")
        os.execv(sys.executable, [sys.executable, str(script), *argv[2:]])  # noqa: S606
