"""`brik disclosure_audit [--year 2024] [--all]`: attack everything published, as an outsider would."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from brik.statistics import audit, disclosure, years
from brik.statistics.report import report_build


class Command(BaseCommand):
    help = (
        "Compute, for every hidden cell of every published year (and of a year about to be "
        "published, with --year), the interval an outsider can derive from all public "
        "outputs together by integer programming, and say whether each keeps the "
        "protection range. Exits with status 1 when any hidden cell is too narrowly protected."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--year",
            type=int,
            help="Also audit this year's public report as publishing it now would release it.",
        )
        parser.add_argument(
            "--all", action="store_true", help="Print every interval, not only the failing ones."
        )

    def handle(self, *args, year, all, **options):
        extra = []
        if year is not None:
            try:
                years.validate_year(year)
            except ValidationError as error:
                raise CommandError(" ".join(error.messages)) from None
            extra = report_build(year=year, language="en", revise=True).all_tables()
        found = audit.audit_public(extra=extra, except_year=year)
        failing = audit.failures(found)
        for interval in found if all else failing:
            self.stdout.write(interval.describe())
        self.stdout.write(
            f"{len(found)} hidden cells audited (threshold {disclosure.threshold()}, "
            f"minimum width {audit.min_width()}): {len(failing)} too narrow."
        )
        if failing:
            raise CommandError(f"{len(failing)} hidden cells are not protected.", returncode=1)
