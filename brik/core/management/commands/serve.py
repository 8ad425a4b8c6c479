"""`brik serve`: Brik's web server for one computer, such as a laptop or a demo.

It is Django's runserver with Brik's defaults and a plain message. In
production Brik runs behind a WSGI server instead (brik.wsgi:application).
"""

from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

from brik.protection.keycheck import keys_require_valid


class Command(BaseCommand):
    help = (
        "Run Brik's web server on this computer (for a laptop or a demo; "
        "production runs brik.wsgi:application behind a WSGI server)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--host",
            default="127.0.0.1",
            help="Address to listen on (default: 127.0.0.1, reachable from this computer only).",
        )
        parser.add_argument(
            "--port", type=int, default=8000, help="Port to listen on (default: 8000)."
        )
        parser.add_argument(
            "--reload",
            action="store_true",
            help="Restart the server when the code changes (for developers).",
        )

    def handle(self, *args, host, port, reload, **options):
        if not 0 < port < 65536:
            raise CommandError(f"--port must be between 1 and 65535, not {port}.")
        try:
            # Never serve with keys that cannot read this database (brik.protection.keycheck).
            keys_require_valid()
        except ImproperlyConfigured as exc:
            raise CommandError(f"Brik refuses to start: {exc}") from exc
        except DatabaseError:
            pass  # not migrated yet, or unreachable: Django's own checks and pages say so
        ipv6 = ":" in host
        address = f"[{host}]" if ipv6 else host
        self.stdout.write(f"Brik is running at http://{address}:{port}/ (stop it with Ctrl+C).")
        call_command("runserver", f"{address}:{port}", use_reloader=reload, use_ipv6=ipv6)
