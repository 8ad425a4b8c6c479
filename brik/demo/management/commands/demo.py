"""`brik demo`: fill the database with synthetic demo data and print the demo logins."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from rich.console import Console
from rich.table import Table

from brik.core.choices import Role
from brik.demo import calibration, generator
from brik.demo import reference as ref


class Command(BaseCommand):
    help = (
        "Fill the database with synthetic demo data (cases 2019-2024 calibrated to the "
        "centre's published figures, cooperation records, demo logins) and print the logins."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--seed",
            type=int,
            default=generator.DEFAULT_SEED,
            help="Random seed: the same seed gives the same data (default: %(default)s).",
        )
        parser.add_argument(
            "--persons",
            type=int,
            default=None,
            help=(
                "Total number of persons to generate (default: the calibrated "
                f"{calibration.calibrated_persons()}, which reproduces the published figures). "
                "Another number scales every year's figures in proportion."
            ),
        )
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing (but print the logins) when the database already holds cases.",
        )
        parser.add_argument(
            "--flush",
            action="store_true",
            help=(
                "Delete all cases, cooperation records and the action log first "
                "(development only: refused when BRIK_DEBUG=False)."
            ),
        )
        parser.add_argument("--no-progress", action="store_true", help="Do not show progress bars.")

    def handle(self, *args, seed, persons, if_empty, flush, no_progress, verbosity, **options):
        if if_empty and flush:
            raise CommandError(_("Use either --if-empty or --flush, not both."))
        if persons is not None and persons < 100:
            raise CommandError(_("--persons must be at least 100."))
        out = getattr(self.stdout, "_out", self.stdout)
        console = Console(file=out, width=None if out.isatty() else 120, highlight=False)

        if generator.has_data():
            if if_empty:
                console.print(_("The database already holds cases: no demo data was added."))
                self.print_logins(console)
                return
            if not flush:
                raise CommandError(
                    _(
                        "The database already holds cases. Run with --flush to replace them "
                        "with demo data, or with --if-empty to leave them."
                    )
                )
            if not settings.DEBUG:
                raise CommandError(
                    _("--flush deletes every case; it is refused when BRIK_DEBUG=False.")
                )
            generator.flush()
            if verbosity:
                console.print(_("Deleted the previous cases, cooperation records and action log."))

        show_progress = verbosity > 0 and not no_progress and console.is_terminal
        try:
            summary = generator.generate(
                seed=seed,
                persons=persons,
                progress=generator.make_progress(console) if show_progress else False,
            )
        except (generator.DatabaseNotEmpty, ValueError) as exc:
            raise CommandError(str(exc)) from exc
        if verbosity:
            self.print_summary(console, summary)
        self.print_logins(console)

    def print_summary(self, console: Console, summary: generator.Summary) -> None:
        table = Table(
            title=_(
                "Demo data (seed %(seed)s): %(persons)s persons, %(cases)s cases, %(seconds).1f s"
            )
            % {
                "seed": summary.seed,
                "persons": summary.persons,
                "cases": summary.cases,
                "seconds": summary.seconds,
            }
        )
        for heading in (
            _("Decision year"),
            _("Screened"),
            _("Identified"),
            _("Women"),
            _("Men"),
            _("Minors"),
            _("Forced labour or criminal"),
            _("Prepared returns (departed)"),
        ):
            table.add_column(heading, justify="right")
        for year, f in summary.figures.items():
            table.add_row(
                str(year),
                str(f.screened),
                str(f.identified),
                str(f.women),
                str(f.men),
                str(f.minors),
                str(f.labour_or_criminal),
                str(f.prepared_returns),
            )
        console.print(table)

    def print_logins(self, console: Console) -> None:
        """The logins, with what a new user needs for two-factor login.

        Roles that see identity data must log in with a second factor. Each demo
        login gets a fixed authenticator key (type it into any TOTP app) and a
        fresh one-time recovery code, printed here; earlier printed codes stop
        working.
        """
        from brik.accounts.models import User
        from brik.accounts.permissions import two_factor_required
        from brik.accounts.services import recovery_codes_generate, totp_device_ensure

        table = Table(title=_("Demo logins (synthetic data only)"))
        table.add_column(_("Username"), no_wrap=True)
        table.add_column(_("Role"))
        table.add_column(_("Organisation"))
        table.add_column(_("Authenticator key"), no_wrap=True, min_width=32)
        table.add_column(_("Recovery code"), no_wrap=True, min_width=8)
        users = User.objects.in_bulk([u.username for u in ref.DEMO_USERS], field_name="username")
        for demo_user in ref.DEMO_USERS:
            user = users.get(demo_user.username)
            key = code = ""
            if user is not None and two_factor_required(user):
                key = totp_device_ensure(
                    user=user, secret=ref.demo_totp_secret(user.username)
                ).secret
                code = recovery_codes_generate(user=user)[0]
            table.add_row(
                demo_user.username,
                str(Role(demo_user.role).label),
                demo_user.organisation,
                key,
                code,
            )
        console.print(table)
        console.print(
            _(
                "Open %(url)s and log in with a username above and the password "
                "%(password)s. Logins with an authenticator key then ask for a code: add "
                "the key to an authenticator app (TOTP), or type the one-time recovery code."
            )
            % {"url": ref.DEMO_URL, "password": ref.DEMO_PASSWORD},
            soft_wrap=True,
        )
