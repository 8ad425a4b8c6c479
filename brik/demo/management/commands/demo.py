"""`brik demo`: fill an empty database with synthetic demo data and print the demo logins.

What the demo may and may not do (see brik.demo.generator): it runs only in
development (BRIK_DEBUG=True), only on an empty database or one holding
nothing but its own data, and it never changes an account it did not make in
the same run. Its logins' keys and recovery codes are new and random each
time the demo is made; they are written to the login sheet (brik.demo.sheet),
which later runs print.
"""

import argparse
import os
from datetime import date

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError
from django.db.models import ProtectedError
from django.utils.translation import gettext as _
from rich.console import Console
from rich.table import Table

from brik.demo import calibration, generator, sheet


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            _("%(text)s is not a date in the form YYYY-MM-DD.") % {"text": text}
        ) from None


def address(host: str, port: int) -> str:
    """The address to open in a browser for `brik serve --host host --port port`."""
    if host in ("0.0.0.0", "::", ""):  # noqa: S104 - listening everywhere: this computer
        host = "127.0.0.1"
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}/"


class Command(BaseCommand):
    help = (
        "Fill an empty development database with synthetic demo data (cases from 2019 to today, 2019-2024 "
        "calibrated to the centre's published figures, cooperation records, demo logins) "
        "and print the logins."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--seed",
            type=int,
            default=generator.DEFAULT_SEED,
            help="Random seed: the same seed gives the same data (default: %(default)s).",
        )
        parser.add_argument(
            "--persons",
            type=int,
            default=None,
            help=(
                "Total number of persons to generate (default: the calibrated "
                f"{calibration.calibrated_persons()}, which reproduces the published figures). "
                "Another number scales every year's figures in proportion."
            ),
        )
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help=(
                "Change nothing when the database is not empty: print the demo's login sheet "
                "if the demo is there, or say why the demo leaves the database alone."
            ),
        )
        parser.add_argument(
            "--flush",
            action="store_true",
            help=(
                "Delete the demo's data and make it again with new logins (refused when "
                "the database holds anything the demo did not make)."
            ),
        )
        parser.add_argument(
            "--today",
            type=_day,
            default=None,
            help=(
                "Make the demo as if today were this day (YYYY-MM-DD; default: today). Its "
                "history ends on that day: deadlines and new referrals fall around it."
            ),
        )
        parser.add_argument(
            "--host",
            default="127.0.0.1",
            help="The host Brik is served on, for the address printed (default: %(default)s).",
        )
        parser.add_argument(
            "--port",
            type=int,
            default=8000,
            help="The port Brik is served on, for the address printed (default: %(default)s).",
        )
        parser.add_argument(
            "--processes",
            type=int,
            choices=(1, 2),
            default=None,
            help=(
                "1: make and write the rows in one process; 2: make them in a second one while "
                "this one writes (the same data, about half the time). Default: 2 on a "
                "computer with more than one core."
            ),
        )
        parser.add_argument("--no-progress", action="store_true", help="Do not show progress bars.")

    def handle(
        self,
        *args,
        seed,
        persons,
        today,
        host,
        port,
        if_empty,
        flush,
        processes,
        no_progress,
        verbosity,
        **options,
    ):
        if not settings.DEBUG:
            raise CommandError(
                _(
                    "brik demo is refused when BRIK_DEBUG=False: its logins have a published "
                    "password. Use it on a development computer only."
                )
            )
        if if_empty and flush:
            raise CommandError(_("Use either --if-empty or --flush, not both."))
        if persons is not None and persons < 100:
            raise CommandError(_("--persons must be at least 100."))
        out = getattr(self.stdout, "_out", self.stdout)
        console = Console(file=out, width=None if out.isatty() else 140, highlight=False)

        if generator.has_data():
            found = generator.foreign_records()
            if if_empty:
                self.leave_alone(console, found, address(host, port))
                return
            if found:
                raise CommandError(
                    _(
                        "The database holds records the demo did not make (%(records)s). The "
                        "demo runs only on an empty database or its own, and deletes nothing else."
                    )
                    % {"records": generator.describe(found)}
                )
            if not flush:
                raise CommandError(
                    _(
                        "The demo is already in the database. Run with --flush to make it again "
                        "with new logins, or with --if-empty to leave it and print its logins."
                    )
                )
            try:
                generator.flush()
            except generator.NotOnlyDemoData as exc:
                raise CommandError(
                    _("Nothing was deleted: the database holds records the demo did not make (%s).")
                    % exc
                ) from exc
            except (ProtectedError, DatabaseError) as exc:
                raise CommandError(
                    _("Nothing was deleted: other records still refer to the demo's (%s).") % exc
                ) from exc
            sheet.remove()
            if verbosity:
                console.print(_("Deleted the demo's data and its logins."))

        show_progress = verbosity > 0 and not no_progress and console.is_terminal
        try:
            summary = generator.generate(
                seed=seed,
                persons=persons,
                today=today,
                progress=generator.make_progress(console) if show_progress else False,
                processes=processes or (2 if (os.cpu_count() or 1) > 1 else 1),
            )
        except (generator.DatabaseNotEmpty, ValueError) as exc:
            raise CommandError(str(exc)) from exc
        path = sheet.write(sheet.render(summary.logins))
        if verbosity:
            self.print_summary(console, summary)
        self.print_sheet(console, address(host, port))
        console.print(
            _("These logins are also in %(path)s (readable only by you).") % {"path": path}
        )

    def leave_alone(self, console: Console, found: dict[str, int], url: str) -> None:
        """--if-empty on a database that is not empty: change nothing, say what is there."""
        if found:
            console.print(
                _(
                    "The database holds records the demo did not make (%(records)s): the demo "
                    "leaves it alone and changes no account."
                )
                % {"records": generator.describe(found)},
                soft_wrap=True,
            )
            return
        console.print(_("The demo is already in the database: nothing was changed."))
        self.print_sheet(console, url)

    def print_sheet(self, console: Console, url: str) -> None:
        text = sheet.read()
        if text is None:
            console.print(
                _(
                    "The demo's login sheet %(path)s is gone, and its keys and recovery codes "
                    "are not shown again. Run `brik demo --flush` to make the demo again with "
                    "new logins."
                )
                % {"path": sheet.path()},
                soft_wrap=True,
            )
            return
        console.out(text, highlight=False)
        console.print(
            _("Brik is at %(url)s (once `brik serve` or `make run` has started it).")
            % {"url": url},
            soft_wrap=True,
        )

    def print_summary(self, console: Console, summary: generator.Summary) -> None:
        table = Table(
            title=_(
                "Demo data (seed %(seed)s): %(persons)s persons, %(cases)s cases, %(seconds).1f s"
            )
            % {
                "seed": summary.seed,
                "persons": summary.persons,
                "cases": summary.cases,
                "seconds": summary.seconds,
            }
        )
        for heading in (
            _("Decision year"),
            _("Screened"),
            _("Identified"),
            _("Women"),
            _("Men"),
            _("Minors"),
            _("Forced labour or criminal"),
            _("Prepared returns (departed)"),
        ):
            table.add_column(heading, justify="right")
        for year, f in summary.figures.items():
            table.add_row(
                str(year),
                str(f.screened),
                str(f.identified),
                str(f.women),
                str(f.men),
                str(f.minors),
                str(f.labour_or_criminal),
                str(f.prepared_returns),
            )
        console.print(table)
