"""Static files: hashed, compressed names served by WhiteNoise, and collecting them when needed.

`brik serve` gathers the static files into STATIC_ROOT (DATA_DIR/static)
before it starts the server, and WhiteNoise serves them from there with
far-future caching (the names carry a hash of the content) and gzip/Brotli
versions. Collecting takes a while (it hashes and compresses every file), so
`collect_if_changed` skips it when no source file changed since the last run.
"""

import hashlib
import json
from fnmatch import fnmatch
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.finders import FileSystemFinder
from django.core.management import call_command
from whitenoise.storage import CompressedManifestStaticFilesStorage

STAMP_NAME = ".brik-collected.json"


class StaticStorage(CompressedManifestStaticFilesStorage):
    """WhiteNoise's compressed manifest storage that works before the first collectstatic.

    Without a manifest (a fresh checkout, the test suite) it gives the plain
    names, as Django's simple storage does. Once collected, a name missing from
    the manifest is an error, as in WhiteNoise's storage: that catches a
    misspelt file name instead of serving a page whose style is missing.
    """

    def stored_name(self, name):
        if not self.hashed_files:
            return name
        return super().stored_name(name)


class VendorFinder(FileSystemFinder):
    """STATICFILES_DIRS; of a folder named in STATIC_VENDOR_FILES only the files matching its patterns.

    The npm packages hold far more than Brik uses (pico alone 239 themes):
    hashing and compressing all of it took a minute and a half.
    """

    def _wanted(self, prefix: str, path: str) -> bool:
        patterns = settings.STATIC_VENDOR_FILES.get(prefix)
        return patterns is None or any(fnmatch(path, pattern) for pattern in patterns)

    def list(self, ignore_patterns):
        for path, storage in super().list(ignore_patterns):
            if self._wanted(storage.prefix or "", path):
                yield path, storage

    def find_location(self, root, path, prefix=None):
        if (
            prefix
            and path.startswith(f"{prefix}/")
            and not self._wanted(prefix, path.removeprefix(f"{prefix}/"))
        ):
            return None
        return super().find_location(root, path, prefix)


def source_fingerprint() -> str:
    """A digest of every static source file's name, size and modification time."""
    digest = hashlib.sha256()
    for finder in finders.get_finders():
        for path, storage in sorted(finder.list(None), key=lambda item: item[0]):
            stat = Path(storage.path(path)).stat()
            prefix = getattr(storage, "prefix", None) or ""
            digest.update(f"{prefix}/{path}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())
    digest.update(settings.STORAGES["staticfiles"]["BACKEND"].encode())
    return digest.hexdigest()


def collect_if_changed() -> bool:
    """Run collectstatic unless the sources are unchanged since the last run; True if it ran."""
    root = Path(settings.STATIC_ROOT)
    stamp = root / STAMP_NAME
    fingerprint = source_fingerprint()
    try:
        if json.loads(stamp.read_text(encoding="utf-8")).get("fingerprint") == fingerprint:
            return False
    except (OSError, ValueError):
        pass
    call_command("collectstatic", interactive=False, verbosity=0)
    stamp.write_text(json.dumps({"fingerprint": fingerprint}), encoding="utf-8")
    return True
