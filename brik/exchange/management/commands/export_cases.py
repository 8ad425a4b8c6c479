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
            "--with-identity",
            action="store_true",
            help="Also the identity columns (names, date of birth, contact, documents).",
        )

    def handle(self, *args, format, output, with_identity, **options):
        if format == "xlsx" and output is None:
            raise CommandError("--format xlsx needs --output (a workbook is not text).")
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
            count = writers.write_cases_csv(
                out, selectors.case_cells(cases=cases, identity=identity), columns
            )
            out.flush()
        else:
            with open(output, "w", encoding="utf-8", newline="", buffering=1 << 20) as file:
                count = writers.write_cases_csv(
                    file, selectors.case_cells(cases=cases, identity=identity), columns
                )
        if output is not None:
            self.stderr.write(f"Wrote {count} cases to {output}.")
