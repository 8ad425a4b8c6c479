import time

from django.db import close_old_connections

from brik.core.management.base import BrikCommand
from brik.exchange import jobs


class Command(BrikCommand):
    help = (
        "Run the queued background exports (large downloads asked for on the web). Loops until "
        "stopped; --once runs what is waiting and stops. Run it as a service next to the web "
        "server (docs/exchange.md)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="Run the waiting jobs, then stop.")
        parser.add_argument(
            "--sleep", type=float, default=2.0, help="Seconds between looks at the queue."
        )

    def handle(self, *args, once, sleep, **options):
        while True:
            for job in jobs.jobs_run_once():
                self.stdout.write(
                    f"Export job {job.pk}: {job.status}, {job.rows_done} rows"
                    + (f" ({job.error})" if job.error else "")
                )
            if once:
                return
            close_old_connections()
            time.sleep(sleep)
