"""What import_ctdc and import_htcds share: run the import, print the report."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import CommandError
from rich.console import Console
from rich.progress import Progress

from brik.core.management.base import BrikCommand
from brik.exchange import services
from brik.exchange.ctdc import HeaderError


def line_count(path: Path) -> int:
    count = 0
    with open(path, "rb") as file:
        while block := file.read(1 << 20):
            count += block.count(b"\n")
    return count


class ImportCommand(BrikCommand):
    source: str | None = None  # None: by the file's name (HTCDS CSV or JSON)
    what = ""

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path, help=f"The {self.what} file to import.")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Check every row and print what would be imported; write nothing.",
        )

    def handle(self, *args, path: Path, dry_run: bool, **options):
        source = services.source_of(path, self.source)
        total = line_count(path)  # rows and lines differ only for quoted line breaks
        show = options["verbosity"] > 0 and total > 0
        try:
            with Progress(console=Console(stderr=True), disable=not show, transient=True) as bar:
                task = bar.add_task("Checking" if dry_run else "Importing", total=total)
                result = services.records_import(
                    actor=None,
                    path=path,
                    source=source,
                    dry_run=dry_run,
                    on_row=lambda: bar.advance(task),
                )
        except HeaderError as exc:
            raise CommandError(f"{path}: {exc}") from exc
        except UnicodeDecodeError as exc:
            raise CommandError(
                f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start})"
            ) from exc
        except services.ImportRejected as exc:
            self._problems(exc.problems)
            raise CommandError(f"{path}: {exc}") from exc
        if result.already is not None:
            self.stdout.write(
                f"{path} was imported already on {result.already.imported_at:%Y-%m-%d %H:%M} "
                f"({result.already.rows} rows): nothing added."
            )
            return
        if result.problems:
            self._problems(result.problems)
            raise CommandError(
                f"{path}: {len(result.problems)} problem(s) in the file; nothing would be imported"
            )
        verb = "Would import" if dry_run else "Imported"
        self.stdout.write(f"{verb} {result.report.rows} records from {path}:")
        self.stdout.write(result.report.as_text())

    def _problems(self, problems) -> None:
        for problem in problems:
            self.stderr.write(str(problem))
