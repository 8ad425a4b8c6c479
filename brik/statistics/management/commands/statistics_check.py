"""`brik statistics_check [--year 2024] [--forget]`: the kept counts against a full recount."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.test.utils import override_settings
from django.utils import timezone

from brik.statistics import years
from brik.statistics.models import KeptCount
from brik.statistics.report import report_build
from brik.statistics.tables import Report


def _cells(report: Report) -> dict[tuple, object]:
    cells: dict[tuple, object] = {}
    for table in report.all_tables():
        for row in table.all_rows():
            for column, value in zip(table.columns, row.values, strict=True):
                cells[(table.slug, row.key, column.key)] = value
    return cells


class Command(BaseCommand):
    help = (
        "Build a year's internal report from the counts Brik keeps as the data changes "
        "and again by counting every person afresh, and compare every cell. Exits with "
        "status 1 when any differs. --forget drops the kept counts (the next report "
        "counts them again)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, help="The report's year (default: this year).")
        parser.add_argument(
            "--forget", action="store_true", help="Drop every kept count instead of checking."
        )

    def handle(self, *args, year, forget, **options):
        if forget:
            dropped, _by_model = KeptCount.objects.all().delete()
            self.stdout.write(f"{dropped} kept rows dropped.")
            return
        year = year or timezone.localdate().year
        try:
            years.validate_year(year)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        kept = _cells(report_build(year=year, language="en", internal=True))
        with override_settings(BRIK_STATISTICS_KEPT_COUNTS=False):
            afresh = _cells(report_build(year=year, language="en", internal=True))
        different = sorted(
            (key, kept.get(key), afresh.get(key))
            for key in kept.keys() | afresh.keys()
            if kept.get(key) != afresh.get(key)
        )
        for (table, row, column), ours, theirs in different:
            self.stdout.write(f"{table} / {row} / {column}: kept {ours}, counted afresh {theirs}")
        self.stdout.write(f"{year}: {len(kept)} cells compared, {len(different)} different.")
        if different:
            raise CommandError(
                f"{len(different)} cells of the kept counts differ from a recount; "
                "`brik statistics_check --forget` drops them.",
                returncode=1,
            )
