from django.utils import timezone

from brik.core.management.base import BrikCommand
from brik.exchange.jobs import export_files_due, export_files_expire
from brik.protection.retention import (
    retention_apply,
    retention_backups_due,
    retention_backups_expire,
    retention_due,
    retention_orphan_files_delete,
    storage_compact,
)


class Command(BrikCommand):
    help = (
        "Drop identity fields, places and narrative notes of persons whose last case was closed "
        "longer ago than the retention policy allows (BRIK_RETENTION_*_YEARS), and delete "
        "Brik's backups older than BRIK_BACKUP_RETENTION_DAYS, attachment files no case names "
        "any more and the files of expired export downloads; statistics stay."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Only list what would be dropped and deleted; change nothing.",
        )

    def handle(self, *args, dry_run, **options):
        today, now = timezone.localdate(), timezone.now()
        if dry_run:
            items, backups = retention_due(today=today), retention_backups_due(now=now)
            exports = [job.file_name for job in export_files_due(now=now)]
        else:
            items = retention_apply(today=today)
            backups = retention_backups_expire(now=now)
            exports = [path.name for path in export_files_expire(now=now)]
        verb = "Would drop" if dry_run else "Dropped"
        for item in items:
            self.stdout.write(
                f"{verb} {item.kind} of {item.code} (last closed {item.last_closed_on})"
            )
        for path in backups:
            self.stdout.write(f"{'Would delete' if dry_run else 'Deleted'} backup {path}")
        for name in exports:
            self.stdout.write(f"{'Would delete' if dry_run else 'Deleted'} expired export {name}")
        self.stdout.write(self.style.SUCCESS(f"{verb} {len(items)} item(s)."))
        if backups:
            self.stdout.write(f"{len(backups)} backup(s) older than the retention period.")
        if not dry_run:
            # Attachment files no row names (an upload rolled back, a case deleted).
            orphans = retention_orphan_files_delete()
            if orphans:
                self.stdout.write(f"Deleted {len(orphans)} attachment file(s) no case names.")
        if items and not dry_run:
            self.stdout.write(storage_compact())
