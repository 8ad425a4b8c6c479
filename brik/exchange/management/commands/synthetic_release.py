import json
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import CommandError

from brik.core.management.base import BrikCommand
from brik.exchange import synthetic
from brik.protection.files import private_dir


class Command(BrikCommand):
    help = (
        "Make a differentially private synthetic public-use dataset of the cases decided in "
        "YEAR... (pac-synth), with its utility report, and write them to --output. The release "
        "is stored unpublished; publish it on the analysts' page. Audited."
    )

    def add_arguments(self, parser):
        parser.add_argument("years", nargs="+", type=int, metavar="YEAR", help="Ended years.")
        parser.add_argument(
            "--epsilon",
            type=float,
            required=True,
            help="The privacy budget ε (above 0, at most 20).",
        )
        parser.add_argument(
            "--delta",
            type=float,
            default=synthetic.DEFAULT_DELTA,
            help=f"δ (default {synthetic.DEFAULT_DELTA:g}; above 0, below 0.001).",
        )
        parser.add_argument("--output", type=Path, required=True, help="Folder to write into.")

    def handle(self, *args, years, epsilon, delta, output, **options):
        try:
            release = synthetic.synthetic_release_make(
                actor=None, years=years, epsilon=epsilon, delta=delta
            )
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        folder = private_dir(output)
        stem = "brik-synthetic-" + "-".join(str(y) for y in release.years)
        (folder / f"{stem}.csv").write_bytes(bytes(release.data_csv))
        (folder / f"{stem}-utility.json").write_text(
            json.dumps(release.report, indent=2, ensure_ascii=False), encoding="utf-8"
        )
        (folder / f"{stem}-utility.md").write_text(release.report_markdown, encoding="utf-8")
        summary = release.report["summary"]
        self.stdout.write(
            f"Wrote {release.records} synthetic records (ε={release.epsilon:g}, "
            f"δ={release.delta:g}) and the utility report to {folder} (release {release.pk}, "
            "not published)."
        )
        for length, s in summary.items():
            self.stdout.write(
                f"  {length}-way marginals: mean error {s['mean_abs_error']}, max "
                f"{s['max_abs_error']}, {s['suppressed_cells']} suppressed cells"
            )
