"""The `brik` command.

Brik's own commands come first in `brik --help`; every Django management
command (`brik migrate`, `brik createsuperuser`, `brik shell`, ...) passes
straight through to Django.
"""

import os
import sys
import textwrap
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

# Brik's main commands in plain words, listed first. Brik's other commands
# follow with the first sentence of their own help.
PLAIN_WORDS = {
    "serve": "Run Brik's web server on this computer, at http://127.0.0.1:8000/ "
    "(choose another address with --host and --port).",
    "demo": "Fill the database with synthetic demo data (no real persons) "
    "and print the demo logins.",
    "report": "Write the annual report for a year as PDF, HTML, Excel or CSV, "
    "in Danish or English (e.g. brik report 2021 --lang da --format pdf).",
}

DJANGO_EXAMPLES = [
    ("migrate", "create or update the database tables"),
    ("createsuperuser", "create an administrator login"),
    ("shell", "open a Python shell with Brik loaded"),
    ("help --commands", "list every command"),
    ("help <command>", "explain one command and its options"),
]


def brik_commands() -> dict[str, str]:
    """Brik's own commands, each with one line of help."""
    try:
        import django
        from django.core.management import get_commands

        django.setup()
        installed = {n: app for n, app in get_commands().items() if app.startswith("brik.")}
    except Exception:  # broken settings must not break --help; Django reports them later
        return dict(PLAIN_WORDS)
    commands = {
        name: text if name in installed else f"{text} (Not in this version yet.)"
        for name, text in PLAIN_WORDS.items()
    }
    for name in sorted(installed.keys() - commands.keys()):
        commands[name] = first_sentence(installed[name], name)
    return commands


def first_sentence(app: str, name: str) -> str:
    from django.core.management import load_command_class

    try:
        text = " ".join(str(load_command_class(app, name).help).split())
    except Exception:  # one broken command must not hide the others
        return "(This command could not be loaded; run it to see why.)"
    return text.split(". ")[0].rstrip(".") + "."


def usage() -> str:
    commands = brik_commands()
    width = max(len(name) for name in commands)
    lines = [
        "usage: brik <command> [options]",
        "",
        "Brik: case work, cooperation and statistics for a national anti-trafficking centre.",
        "",
        "Brik's commands:",
    ]
    for name, text in commands.items():
        lines += textwrap.wrap(
            text,
            width=79,
            initial_indent=f"  {name:<{width}}  ",
            subsequent_indent=" " * (width + 4),
        )
    lines += ["", "Django's management commands work too, for example:"]
    width = max(len(name) for name, _ in DJANGO_EXAMPLES) + len("brik ")
    lines += [f"  {'brik ' + name:<{width}}  {text}" for name, text in DJANGO_EXAMPLES]
    lines += ["", "Brik reads its settings from BRIK_* environment variables (see README.md).", ""]
    return "\n".join(lines)


def ensure_data_dir() -> None:
    """Create the folder of a SQLite database (0700), so a fresh checkout just works."""
    from django.conf import settings

    from brik.protection.files import private_dir

    database = settings.DATABASES["default"]
    if database["ENGINE"] == "django.db.backends.sqlite3" and database["NAME"] != ":memory:":
        private_dir(Path(database["NAME"]).parent)


def main(argv: list[str] | None = None) -> None:
    args = list(sys.argv[1:] if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "brik.settings")
    if args in ([], ["-h"], ["--help"], ["help"]):
        sys.stdout.write(usage())
        return
    if args == ["--version"]:
        import django

        try:
            brik_version = version("brik")
        except PackageNotFoundError:
            brik_version = "unknown"
        print(f"brik {brik_version} (Django {django.get_version()})")
        return

    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import ManagementUtility

    from brik.protection.files import private_umask

    # Whatever a command writes (database, backups, reports, exports) is
    # readable by this account only (brik.protection.files).
    private_umask()
    try:
        ensure_data_dir()
    except ImproperlyConfigured as exc:
        sys.exit(f"brik: the configuration is not valid: {exc}")
    ManagementUtility(["brik", *args]).execute()


if __name__ == "__main__":
    main()
