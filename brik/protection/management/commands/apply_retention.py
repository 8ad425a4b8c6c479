from django.core.management.base import BaseCommand
from django.utils import timezone

from brik.protection.retention import retention_apply, retention_due


class Command(BaseCommand):
    help = (
        "Drop identity fields and narrative notes of persons whose last case was closed "
        "longer ago than the retention policy allows (BRIK_RETENTION_*_YEARS); statistics stay."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Only list what would be dropped; change nothing.",
        )

    def handle(self, *args, dry_run, **options):
        today = timezone.localdate()
        items = retention_due(today=today) if dry_run else retention_apply(today=today)
        verb = "Would drop" if dry_run else "Dropped"
        for item in items:
            self.stdout.write(
                f"{verb} {item.kind} of {item.code} (last closed {item.last_closed_on})"
            )
        self.stdout.write(self.style.SUCCESS(f"{verb} {len(items)} item(s)."))
