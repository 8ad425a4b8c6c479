"""The demo's login sheet: what a newcomer needs to log in, kept in a file only they can read.

`brik demo` writes the sheet when it makes the demo (each run has new random
authenticator keys and recovery codes) to DATA_DIR/demo-logins.txt, created
0600 in a folder created 0700, and prints it. A later `brik demo --if-empty`
(as `make run` calls it) changes no account: it prints the sheet from the file.
The sheet holds no address: the command prints the one it is told (--host,
--port), which may differ from run to run.
"""

import os
import tempfile
from io import StringIO
from pathlib import Path

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from rich.console import Console
from rich.table import Table

from brik.core.choices import Role
from brik.demo import reference as ref
from brik.demo.generator import DemoLogin

FILE_NAME = "demo-logins.txt"


def path() -> Path:
    return Path(settings.DATA_DIR) / FILE_NAME


def render(logins: list[DemoLogin]) -> str:
    """The sheet as plain text: a table of the logins, then how to use them."""
    table = Table(
        title=_("Demo logins (synthetic data only), made %(when)s")
        % {"when": timezone.localtime().strftime("%Y-%m-%d %H:%M")}
    )
    table.add_column(_("Username"), no_wrap=True)
    table.add_column(_("Role"))
    table.add_column(_("Organisation"))
    table.add_column(_("Authenticator key"), no_wrap=True, min_width=32)
    table.add_column(_("Recovery codes"), no_wrap=True, min_width=8)
    for login in logins:
        table.add_row(
            login.username,
            str(Role(login.role).label),
            login.organisation,
            login.key,
            "\n".join(login.recovery_codes),
        )
    buffer = StringIO()
    console = Console(file=buffer, width=140, color_system=None, highlight=False)
    console.print(table)
    console.print(
        _(
            "Log in with a username above and the password %(password)s. Logins with an "
            "authenticator key then ask for a code: add the key to an authenticator app "
            "(TOTP), or type one of the recovery codes (each works once)."
        )
        % {"password": ref.DEMO_PASSWORD},
        soft_wrap=True,
    )
    return buffer.getvalue()


def write(text: str) -> Path:
    """Write the sheet (replacing an earlier one): a 0600 file, in a 0700 folder if it is new."""
    target = path()
    target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(dir=target.parent, prefix=".demo-logins-")  # 0600
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as file:
            file.write(text)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return target


def read() -> str | None:
    """The sheet written when the demo was made, or None if the file is gone."""
    try:
        return path().read_text(encoding="utf-8")
    except FileNotFoundError:
        return None


def remove() -> None:
    path().unlink(missing_ok=True)
