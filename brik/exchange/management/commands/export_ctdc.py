from pathlib import Path

from django.core.management.base import CommandError

from brik.core.management.base import BrikCommand
from brik.exchange import kanon, selectors, services, writers
from brik.exchange.models import DataExport


class Command(BrikCommand):
    help = (
        "Write a CTDC-style k-anonymised file of the centre's victims: quasi-identifiers "
        "generalised, and records suppressed, until every combination occurs at least k times."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--k",
            type=int,
            default=kanon.DEFAULT_K,
            help=f"Smallest number of records per combination (default {kanon.DEFAULT_K}, as CTDC).",
        )
        parser.add_argument("--output", type=Path, help="File to write (default: standard output).")

    def handle(self, *args, k, output, **options):
        if k < 2:
            raise CommandError("--k must be at least 2.")
        services.export_record(
            actor=None,
            kind=DataExport.Kind.CTDC,
            file_format="csv",
            filters={"k": k},
            with_identity=False,
        )
        plan, rows = selectors.ctdc_export(cases=selectors.cases_for_export(), k=k)
        notice = f"k-anonymised (k={k}) export from Brik; quasi-identifiers: " + ", ".join(
            kanon.QUASI_IDENTIFIERS
        )
        if output is None:
            out = writers.CommandOutput(self.stdout)
            writers.write_ctdc(out, rows, notice)
            out.flush()
        else:
            with open(output, "w", encoding="utf-8", newline="") as file:
                writers.write_ctdc(file, rows, notice)
        self.stderr.write(f"{plan.kept} records written, {plan.suppressed} suppressed (k={k}).")
