"""A base for Brik's own management commands: expected failures are one clear line.

Django already turns a CommandError into one line on stderr and exit code 1.
BrikCommand adds the rest of what an operator can get wrong: a bad option
(argparse would print the whole usage), a database that is not there or not
migrated, a file that cannot be read or written, keys that do not fit. Each
becomes one line and a non-zero exit, never a traceback. `--traceback` still
shows the traceback for a developer.
"""

from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DatabaseError


def one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split())
    return text or type(exc).__name__


class OneLineParser(CommandParser):
    def error(self, message):
        if self.called_from_command_line:
            self.exit(
                2, f"{self.prog}: error: {message} (see `brik help {self.prog.split()[-1]}`)\n"
            )
        super().error(message)


class BrikCommand(BaseCommand):
    # Failures that are the operator's to fix, not Brik's bugs.
    expected_errors: tuple[type[BaseException], ...] = (
        DatabaseError,
        ImproperlyConfigured,
        OSError,
    )

    def create_parser(self, prog_name, subcommand, **kwargs):
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        parser.__class__ = OneLineParser
        return parser

    def execute(self, *args, **options):
        try:
            return super().execute(*args, **options)
        except CommandError:
            raise
        except self.expected_errors as exc:
            if options.get("traceback"):
                raise
            raise CommandError(one_line(exc)) from exc
