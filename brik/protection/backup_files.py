"""The attachment files in a backup (brik.casefiles stores them outside the database).

A backup's payload is the database dump followed by a tar stream of the files
in BRIK_FILES_DIR as they are stored, each already encrypted with its own key
(brik.casefiles.storage); the manifest says where the dump ends
(`database_bytes`) and how many files follow. A restore splits the payload
there: the dump goes to the database as before, the files are unpacked into a
private staging folder next to BRIK_FILES_DIR and, once the database has been
replaced, take its place in two renames. A backup made before attachments
existed has no `database_bytes`: its restore leaves the files as they are.

The list of files is taken before the database is dumped, so every file a
backed-up row names is in the backup (files are never changed once written);
a file deleted while the backup runs is left out.
"""

import contextlib
import os
import re
import secrets
import shutil
import tarfile
from pathlib import Path
from typing import BinaryIO

from django.conf import settings

from brik.protection.files import DIR_MODE, FILE_MODE, private_dir

FILE_SUFFIX = ".brikfile"
NAME = re.compile(r"^[0-9a-f]{32}\.brikfile$")
STAGING = ".brik-tmp-files-"


class BackupFilesError(Exception):
    pass


def files_dir() -> Path:
    return Path(settings.BRIK_FILES_DIR)


def files_list() -> list[Path]:
    directory = files_dir()
    if not directory.is_dir():
        return []
    return sorted(p for p in directory.iterdir() if p.is_file() and NAME.match(p.name))


def files_write(writer, paths: list[Path]) -> dict:
    """Append the files to the backup's payload as one tar stream; returns what was written."""
    count = size = 0
    with tarfile.open(fileobj=writer, mode="w|", format=tarfile.PAX_FORMAT) as tar:
        for path in paths:
            try:
                f = open(path, "rb")  # noqa: SIM115 - closed below
            except FileNotFoundError:
                continue  # deleted meanwhile (its row is gone too, or goes)
            with f:
                info = tarfile.TarInfo(path.name)
                info.size = os.fstat(f.fileno()).st_size
                info.mode = FILE_MODE
                info.mtime = int(os.fstat(f.fileno()).st_mtime)
                tar.addfile(info, f)
            count += 1
            size += info.size
    return {"count": count, "bytes": size}


def staging_dir() -> Path:
    """A new private folder beside BRIK_FILES_DIR (same file system, for the rename)."""
    target = files_dir()
    private_dir(target.parent)
    staging = target.parent / f"{STAGING}{secrets.token_hex(8)}"
    staging.mkdir(mode=DIR_MODE)
    staging.chmod(DIR_MODE)
    return staging


def files_extract(source: BinaryIO, staging: Path, name: str) -> int:
    """Unpack the tar stream of a backup's files into `staging`; only stored files are accepted."""
    count = 0
    try:
        with tarfile.open(fileobj=source, mode="r|") as tar:
            for member in tar:
                if not (member.isfile() and NAME.match(member.name)):
                    raise BackupFilesError(f"{name} holds an unexpected file ({member.name!r}).")
                extracted = tar.extractfile(member)
                if extracted is None:
                    raise BackupFilesError(f"{name} holds a damaged file list.")
                fd = os.open(staging / member.name, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
                with os.fdopen(fd, "wb") as out:
                    shutil.copyfileobj(extracted, out, 1 << 20)
                count += 1
    except tarfile.TarError as exc:
        raise BackupFilesError(f"{name} holds a damaged file list ({exc}).") from None
    return count


def files_swap(staging: Path) -> None:
    """Put the staged files in BRIK_FILES_DIR's place (the old folder is then deleted)."""
    target = files_dir()
    old = target.with_name(f"{STAGING}old-{secrets.token_hex(8)}")
    if target.exists():
        os.rename(target, old)
    os.rename(staging, target)
    if old.exists():
        shutil.rmtree(old, ignore_errors=True)


def staging_remove(staging: Path | None) -> None:
    if staging is not None:
        with contextlib.suppress(FileNotFoundError):
            shutil.rmtree(staging)
