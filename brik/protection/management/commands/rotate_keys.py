from django.conf import settings
from django.core.management.base import CommandError
from rich.progress import Progress

from brik.core.management.base import BrikCommand
from brik.protection import services
from brik.protection.crypto import DecryptionError
from brik.protection.keycheck import WRONG_INDEX_KEY, KeyCheckError, keys_verify


class Command(BrikCommand):
    help = (
        "Re-encrypt every identity field and narrative with the first key in "
        "BRIK_ENCRYPTION_KEYS (put the new key first, keep the old one after it, "
        "run this, then remove the old key)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--batch-size", type=int, default=1000, help="Rows per transaction (default 1000)."
        )
        parser.add_argument(
            "--reindex",
            action="store_true",
            help=(
                "Also rebuild the blind name index and the search tokens "
                "(needed after BRIK_BLIND_INDEX_KEY changed)."
            ),
        )

    def handle(self, *args, batch_size, reindex, **options):
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1.")
        for finding in keys_verify():
            # A changed blind index key is what --reindex is for.
            if finding.error and not (reindex and finding.message == WRONG_INDEX_KEY):
                raise CommandError(f"{finding.message} Nothing was changed.")
        if len(settings.ENCRYPTION_KEYS) < 2:
            self.stdout.write(
                "Only one key is configured: values will be re-encrypted with the same key."
            )
        total = services.encrypted_value_count()
        try:
            with Progress(disable=options["verbosity"] == 0) as progress:
                task = progress.add_task("Re-encrypting", total=total)
                rows = services.keys_rotate(
                    batch_size=batch_size, on_batch=lambda n: progress.advance(task, n)
                )
        except (DecryptionError, KeyCheckError) as exc:
            raise CommandError(f"{exc} Nothing after the last finished batch was changed.") from exc
        self.stdout.write(self.style.SUCCESS(f"Re-encrypted {rows} rows."))
        if reindex:
            # The search tokens first: the index check value is renewed last (by
            # blind_indexes_rebuild), so an interrupted run is still seen as one.
            from brik.cases.models import PersonIdentity
            from brik.search import services as search_services

            with Progress(disable=options["verbosity"] == 0) as progress:
                task = progress.add_task(
                    "Rebuilding search tokens", total=PersonIdentity.objects.count()
                )
                persons = search_services.search_tokens_rebuild(
                    batch_size=batch_size, on_batch=lambda n: progress.advance(task, n)
                )
            self.stdout.write(
                self.style.SUCCESS(f"Rebuilt the search tokens of {persons} persons.")
            )
            count = services.blind_indexes_rebuild(batch_size=batch_size)
            self.stdout.write(self.style.SUCCESS(f"Rebuilt {count} blind indexes."))
