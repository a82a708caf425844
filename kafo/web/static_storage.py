"""Static files with hashed names, precompressed (Brotli and gzip) and cached for good.

`kafo collectstatic` (which `kafo serve` runs when the files changed) writes each file
under a name holding its hash, beside its `.br` and `.gz`; WhiteNoise sends the one the
browser accepts and marks the hashed names `immutable` for ten years. A page names the
hashed file, so a new version is a new name: nothing stale stays in a browser's cache.
"""

import hashlib
import json
from pathlib import Path

from django.conf import settings
from whitenoise.storage import CompressedManifestStaticFilesStorage


class KafoStaticStorage(CompressedManifestStaticFilesStorage):
    """WhiteNoise's compressed manifest storage which, before the files are collected,
    names them as they are (served from the packages, cached a minute) rather than fail:
    `kafo test`, `kafo shell` and a first start need no collection step."""

    manifest_strict = False

    def stored_name(self, name: str) -> str:
        try:
            return super().stored_name(name)
        except ValueError:  # not collected: the finders serve it under its own name
            return name


def sources_digest() -> str:
    """A digest of every static file's path, size and time, as the finders see them."""
    from django.contrib.staticfiles.finders import get_finders

    digest = hashlib.sha256()
    for finder in get_finders():
        for path, storage in sorted(finder.list(["CVS", ".*", "*~"]), key=lambda p: p[0]):
            stat = Path(storage.path(path)).stat()
            digest.update(f"{path}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()


def collect_if_changed(stdout=None) -> bool:
    """Collect the static files when they changed since the last collection (or never
    were). Returns whether it collected."""
    from django.core.management import call_command

    root = Path(settings.STATIC_ROOT)
    root.mkdir(parents=True, exist_ok=True)
    stamp = root / ".kafo-sources"
    manifest = root / "staticfiles.json"
    digest = sources_digest()
    # Servers sharing KAFO_DATA_DIR start together: one collects, the others wait for it.
    with open(root.parent / f".{root.name}.lock", "w") as lock:
        _lock(lock)
        if stamp.exists() and manifest.exists() and stamp.read_text() == digest:
            return False
        stamp.unlink(missing_ok=True)
        call_command("collectstatic", interactive=False, verbosity=0, clear=True)
        json.loads(manifest.read_text())  # written whole, or collecting failed
        stamp.write_text(digest)
    return True


def _lock(file) -> None:
    try:
        import fcntl
    except ImportError:  # Windows: one server per data folder
        return
    fcntl.flock(file, fcntl.LOCK_EX)
