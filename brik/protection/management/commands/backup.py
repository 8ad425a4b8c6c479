from pathlib import Path

from django.core.management.base import CommandError

from brik.core.management.base import BrikCommand
from brik.protection.backup import BackupError, backup_create, default_backup_path
from brik.protection.backup_file import BackupFileError
from brik.protection.crypto import DecryptionError
from brik.protection.keycheck import KeyCheckError


class Command(BrikCommand):
    help = (
        "Write an encrypted backup of the whole database (default: a time-stamped file "
        "in BRIK_BACKUP_DIR); it can be restored only with BRIK_ENCRYPTION_KEYS."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            type=Path,
            help="File to write (default: a time-stamped file in BRIK_BACKUP_DIR).",
        )

    def handle(self, *args, output, **options):
        path = output or default_backup_path()
        try:
            manifest = backup_create(path=path)
        except (BackupError, BackupFileError, DecryptionError, KeyCheckError) as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"Backup written to {path} ({path.stat().st_size:,} bytes, encrypted; "
                f"{len(manifest['tables'])} tables, "
                f"{manifest['audit']['rows']:,} action log rows)."
            )
        )
        self.stdout.write(
            "Keep BRIK_ENCRYPTION_KEYS safe, apart from the backup: without them it cannot be read."
        )
