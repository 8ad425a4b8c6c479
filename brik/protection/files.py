"""Files Brik writes are readable by the account that runs Brik, and no one else.

The data folder and the folders in it are 0700, every file in it 0600: the
SQLite database (with its -wal and -shm files), backups, exports, reports.
Three layers make that hold:

- `brik` (brik.cli) and brik.wsgi set the process umask to 077, so whatever
  a command writes is private, even a path the operator chose;
- files Brik itself creates (backups, their temporary files) are opened with
  mode 0600 explicitly, whatever the umask;
- the SQLite files are set to 0600 each time a connection opens, because
  SQLite creates the database file with 0644 and gives its -wal and -shm
  files the database file's mode.

`brik check` warns about anything in the data folder that is wider
(brik.protection.checks).
"""

import os
import stat
from collections.abc import Iterator
from pathlib import Path

PRIVATE_UMASK = 0o077
FILE_MODE = 0o600
DIR_MODE = 0o700


def private_umask() -> int:
    """Make every file this process creates private; returns the previous umask."""
    return os.umask(PRIVATE_UMASK)


def private_dir(path: Path) -> Path:
    """Create the folder (and missing parents) 0700; an existing folder is left as it is."""
    path = Path(path)
    missing = []
    for parent in (path, *path.parents):
        if parent.exists():
            break
        missing.append(parent)
    path.mkdir(mode=DIR_MODE, parents=True, exist_ok=True)
    for created in missing:
        created.chmod(DIR_MODE)  # mkdir's mode is filtered by the umask
    return path


def private_file_create(path: Path) -> int:
    """Create a new file 0600 and return its descriptor (FileExistsError if it exists)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), FILE_MODE)
    os.fchmod(fd, FILE_MODE)  # the umask may have removed bits, never added: make it exact
    return fd


def sqlite_files(database: str) -> list[Path]:
    """The files of a SQLite database (none for an in-memory one)."""
    if not database or database == ":memory:" or "mode=memory" in database:
        return []
    if database.startswith("file:"):
        database = database[len("file:") :].split("?", 1)[0]
    path = Path(database)
    return [path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")]


def make_private(path: Path) -> None:
    try:
        mode = stat.S_IMODE(path.stat().st_mode)
    except FileNotFoundError:
        return
    if mode & 0o077:
        path.chmod(mode & 0o700)


def sqlite_connection_created(sender, connection, **kwargs) -> None:
    """connection_created receiver: the SQLite files are 0600 from the first connection on."""
    if connection.vendor != "sqlite":
        return
    for path in sqlite_files(str(connection.settings_dict["NAME"])):
        make_private(path)


def too_wide(root: Path, skip: tuple[Path, ...] = ()) -> Iterator[tuple[Path, int]]:
    """Folders under root (root included) wider than 0700 and files wider than 0600."""
    root = Path(root)
    if not root.exists():
        return
    skipped = {p.resolve() for p in skip}
    for folder, dirs, files in os.walk(root):
        here = Path(folder)
        if here.resolve() in skipped:
            dirs[:] = []
            continue
        mode = stat.S_IMODE(here.stat().st_mode)
        if mode & 0o077:
            yield here, mode
        for name in files:
            path = here / name
            try:
                info = path.lstat()
            except FileNotFoundError:
                continue
            if stat.S_ISREG(info.st_mode) and stat.S_IMODE(info.st_mode) & 0o077:
                yield path, stat.S_IMODE(info.st_mode)
