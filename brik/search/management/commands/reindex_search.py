from django.core.management.base import CommandError
from rich.progress import Progress

from brik.core.management.base import BrikCommand
from brik.protection.crypto import DecryptionError


class Command(BrikCommand):
    help = (
        "Build the search tokens of every person from their encrypted identity "
        "(after upgrading to a version with name search, or after changing "
        "BRIK_SEARCH_TOKEN_BITS). Safe to run again; searches keep working meanwhile."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--batch-size", type=int, default=1000, help="Persons per transaction (default 1000)."
        )

    def handle(self, *args, batch_size, **options):
        from brik.cases.models import PersonIdentity
        from brik.search import services

        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1.")
        total = PersonIdentity.objects.count()
        try:
            with Progress(disable=options["verbosity"] == 0) as progress:
                task = progress.add_task("Indexing persons for search", total=total)
                done = services.search_tokens_rebuild(
                    batch_size=batch_size, on_batch=lambda n: progress.advance(task, n)
                )
        except DecryptionError as exc:
            raise CommandError(f"{exc} The batches already done are kept.") from exc
        self.stdout.write(self.style.SUCCESS(f"Indexed {done} persons for search."))
