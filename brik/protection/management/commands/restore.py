from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from brik.protection.backup import BackupError, backup_restore


class Command(BaseCommand):
    help = "Replace the whole database with a backup written by `brik backup`."

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path, help="The backup file.")
        parser.add_argument(
            "--yes", action="store_true", help="Confirm that the current data may be replaced."
        )

    def handle(self, *args, path, yes, **options):
        if not yes:
            raise CommandError("Restoring replaces all current data: add --yes to confirm.")
        try:
            backup_restore(path=path)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(f"Restored from {path}"))
