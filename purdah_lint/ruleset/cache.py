"""A small on-disk cache of JSON data, one entry per kind, stored with its exact key; failures only cost speed."""

from __future__ import annotations

import json
import os
import zlib
from pathlib import Path
from typing import Any


def cache_dir() -> Path | None:
    """Where cached data lives: ``$PURDAH_LINT_CACHE_DIR``, else the user's cache folder."""
    configured = os.environ.get("PURDAH_LINT_CACHE_DIR")
    if configured is not None:
        return Path(configured) if configured else None  # an empty value turns the cache off
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "purdah-lint"


def _entry(folder: Path, kind: str, key: str) -> Path:
    # The name only finds the entry; the key stored inside it is compared in full.
    return folder / f"{kind}-{zlib.crc32(key.encode('utf-8', 'surrogateescape')):08x}.json"


def read(kind: str, key: str) -> Any | None:
    """The cached value for ``key``, or None when absent, unreadable or stored for another key."""
    folder = cache_dir()
    if folder is None:
        return None
    try:
        with open(_entry(folder, kind, key), encoding="utf-8") as handle:
            stored = json.load(handle)
    except (OSError, ValueError):
        return None
    return stored.get("value") if isinstance(stored, dict) and stored.get("key") == key else None


def write(kind: str, key: str, value: Any) -> None:
    """Store ``value`` for ``key`` atomically; any failure is ignored."""
    folder = cache_dir()
    if folder is None:
        return
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for old in folder.glob(f"{kind}-*.json"):
            old.unlink(missing_ok=True)  # one entry per kind: packs change rarely
        import tempfile  # only when writing: most runs only read the cache

        handle, temporary = tempfile.mkstemp(dir=folder, suffix=".tmp")
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            json.dump({"key": key, "value": value}, out)
        os.replace(temporary, _entry(folder, kind, key))
    except OSError:
        return
