"""`brik notify`: make the notifications and mail the daily digests (run it from a timer).

Idempotent: running it twice makes no notification twice and mails no digest twice
on the same day (brik.notifications.services).
"""

from django.conf import settings
from django.core.management.base import BaseCommand

from brik.notifications import services


class Command(BaseCommand):
    help = "Make in-app notifications from the action log and deadlines; mail the daily digests."

    def add_arguments(self, parser):
        parser.add_argument(
            "--no-digest", action="store_true", help="Make the notifications, mail nothing."
        )
        parser.add_argument(
            "--base-url",
            default=settings.BRIK_BASE_URL,
            help="The address the digest's links start with (default: BRIK_BASE_URL).",
        )

    def handle(self, *args, **options):
        result = services.notify(base_url=options["base_url"], digest=not options["no_digest"])
        self.stdout.write(
            f"notifications from the action log: {result.from_action_log}, "
            f"deadlines: {result.deadlines}, digests mailed: {result.digests}"
        )
