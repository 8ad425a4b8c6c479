import secrets

from brik.core.management.base import BrikCommand
from brik.protection.crypto import generate_key


class Command(BrikCommand):
    help = "Print new random values for BRIK_SECRET_KEY, BRIK_ENCRYPTION_KEYS and BRIK_BLIND_INDEX_KEY."

    def handle(self, *args, **options):
        self.stdout.write(f"BRIK_SECRET_KEY={secrets.token_urlsafe(50)}")
        self.stdout.write(f"BRIK_ENCRYPTION_KEYS={generate_key()}")
        self.stdout.write(f"BRIK_BLIND_INDEX_KEY={secrets.token_urlsafe(32)}")
