from pathlib import Path

from brik.core.management.base import BrikCommand
from brik.exchange import htcds, selectors, services, writers
from brik.exchange.models import DataExport


class Command(BrikCommand):
    help = (
        "Write the centre's case microdata in IOM's HTCDS v2 layout (JSON or CSV) for its "
        "exchange partners: statistical fields only, no identities. Audited."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--format", choices=["json", "csv"], default="json", help="File format."
        )
        parser.add_argument("--output", type=Path, help="File to write (default: standard output).")

    def handle(self, *args, format, output, **options):
        services.export_record(
            actor=None, kind=DataExport.Kind.HTCDS, file_format=format, with_identity=False
        )
        rows = selectors.case_rows(cases=selectors.cases_for_export(), identity=[])
        records = (htcds.record(row) for row in rows)
        write = writers.write_htcds_json if format == "json" else writers.write_htcds_csv
        if output is None:
            out = writers.CommandOutput(self.stdout)
            write(out, records)
            out.flush()
            return
        with open(output, "w", encoding="utf-8", newline="") as file:
            count = write(file, records)
        self.stderr.write(f"Wrote {count} HTCDS records to {output}.")
