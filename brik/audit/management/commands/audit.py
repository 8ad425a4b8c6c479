from django.core.management.base import CommandError

from brik.audit.services import audit_chain_verify
from brik.core.management.base import BrikCommand


class Command(BrikCommand):
    help = (
        "Check the action log: `brik audit verify` walks its hash chain and prints OK with "
        "the number of rows, or the first broken link (and exits with code 1)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "action",
            choices=["verify"],
            help="verify: check every row's hash and its link to the row before it.",
        )

    def handle(self, *args, action, **options):
        verdict = audit_chain_verify()
        if not verdict.ok:
            raise CommandError(
                f"The action log is broken at row id {verdict.broken_id} "
                f"(sequence {verdict.broken_sequence}): {verdict.problem}. "
                f"The {verdict.rows} rows before it are intact."
            )
        redacted = f", {verdict.redacted} of them redacted by retention" if verdict.redacted else ""
        last = (
            f"; last row {verdict.last_sequence}, hash {verdict.last_hash[:16]}"
            if verdict.rows
            else ""
        )
        self.stdout.write(
            self.style.SUCCESS(f"OK: {verdict.rows} rows, chain intact{redacted}{last}.")
        )
