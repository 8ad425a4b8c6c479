from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from brik.protection.backup import BackupError, backup_create, default_backup_path


class Command(BaseCommand):
    help = "Write a consistent backup of the whole database (SQLite online backup or pg_dump)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            type=Path,
            help="File to write (default: a time-stamped file under BRIK_DATA_DIR/backups).",
        )

    def handle(self, *args, output, **options):
        path = output or default_backup_path(Path(settings.DATA_DIR) / "backups")
        try:
            backup_create(path=path)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(f"Backup written to {path}"))
        self.stdout.write(
            "Keep BRIK_ENCRYPTION_KEYS safe too: without them the backup cannot be read."
        )
