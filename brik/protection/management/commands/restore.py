from pathlib import Path

from django.core.management.base import CommandError

from brik.core.management.base import BrikCommand
from brik.protection.backup import BackupError, backup_restore, backup_verify
from brik.protection.backup_file import BackupFileError
from brik.protection.crypto import DecryptionError
from brik.protection.keycheck import KeyCheckError


class Command(BrikCommand):
    help = (
        "Replace the whole database with a backup written by `brik backup`, after checking "
        "all of it; the replaced database is kept as a safety copy."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path, help="The backup file.")
        parser.add_argument(
            "--yes", action="store_true", help="Confirm that the current data may be replaced."
        )
        parser.add_argument(
            "--check",
            action="store_true",
            help="Only check that the backup is intact and can be restored here; change nothing.",
        )
        parser.add_argument(
            "--without-safety-copy",
            action="store_true",
            help="Do not save the current database first (only when it cannot be read at all).",
        )

    def handle(self, *args, path, yes, check, without_safety_copy, **options):
        try:
            if check:
                manifest = backup_verify(path=path)
                self.stdout.write(
                    self.style.SUCCESS(
                        f"{path} is intact and can be restored here: made {manifest['created_at']} "
                        f"by Brik {manifest['brik_version']}, {len(manifest['tables'])} tables, "
                        f"{manifest['audit']['rows']:,} action log rows."
                    )
                )
                return
            if not yes:
                raise CommandError("Restoring replaces all current data: add --yes to confirm.")
            restored = backup_restore(path=path, safety_copy=not without_safety_copy)
        except (BackupError, BackupFileError, DecryptionError, KeyCheckError) as exc:
            raise CommandError(str(exc)) from exc
        manifest = restored.manifest
        self.stdout.write(
            self.style.SUCCESS(f"Restored from {path} (made {manifest['created_at']}).")
        )
        if restored.safety_copy:
            self.stdout.write(
                f"The replaced database was saved as {restored.safety_copy} "
                f"(`brik restore {restored.safety_copy} --yes` brings it back)."
            )
        replaced = restored.replaced
        if replaced["rows_after_backup"]:
            self.stdout.write(
                f"The replaced action log had {replaced['rows_after_backup']:,} row(s) that are "
                "not in the backup; the restore's own action log row records them."
            )
        if restored.migrated:
            self.stdout.write("The backup was made by an older Brik; it has been migrated.")
