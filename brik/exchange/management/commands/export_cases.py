from functools import partial
from pathlib import Path

from django.core.management.base import CommandError

from brik.core.management.base import BrikCommand
from brik.exchange import selectors, services, writers
from brik.exchange.models import DataExport


class Command(BrikCommand):
    help = (
        "Write the full case microdata (one row per case, no row cap) as CSV or Excel; "
        "identity columns only with --with-identity. Audited."
    )

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=["csv", "xlsx"], default="csv", help="File format.")
        parser.add_argument(
            "--output", type=Path, help="File to write (default: standard output; csv only)."
        )
        parser.add_argument(
            "--workers",
            type=int,
            default=None,
            help=(
                "Processes writing a CSV file at once (default: the CPU count, at most 4; "
                "one for standard output or Excel)."
            ),
        )
        parser.add_argument(
            "--with-identity",
            action="store_true",
            help="Also the identity columns (names, date of birth, contact, documents).",
        )

    def handle(self, *args, format, output, with_identity, workers, **options):
        if format == "xlsx" and output is None:
            raise CommandError("--format xlsx needs --output (a workbook is not text).")
        if workers is not None and workers < 1:
            raise CommandError("--workers must be 1 or more.")
        identity = selectors.identity_columns(None) if with_identity else []
        columns = selectors.case_columns(identity)
        services.export_record(
            actor=None,
            kind=DataExport.Kind.CASES,
            file_format=format,
            with_identity=bool(identity),
        )
        cases = selectors.cases_for_export()
        selectors.bulk_read_without_mmap()
        if format == "xlsx":
            rows = selectors.case_rows(cases=cases, identity=identity)
            count = writers.write_cases_xlsx(output, rows, columns)
        elif output is None:
            out = writers.CommandOutput(self.stdout)
            count = writers.write_cases_csv(out, writers.case_csv_pieces(cases, identity), columns)
            out.flush()
        else:
            if not selectors.export_in_parts_possible():
                workers = 1
            elif workers is None:
                workers = writers.default_parts()
            parts = [
                partial(_part, part, identity) for part in selectors.cases_in_parts(cases, workers)
            ]
            count = writers.write_csv_parts(output, columns, parts)
        if output is not None:
            self.stderr.write(f"Wrote {count} cases to {output}.")


def _part(cases, identity):
    """One part of the file, in a process of its own (a new connection: no memory map)."""
    selectors.bulk_read_without_mmap()
    yield from writers.case_csv_pieces(cases, identity)
