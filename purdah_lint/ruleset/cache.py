"""A small on-disk cache of plain data, one entry per kind, stored with its exact key; failures only cost speed.

Entries are written with ``marshal``, the format of Python's own ``.pyc`` files: it loads several
times faster than JSON and keeps tuples, so cached rules need no conversion. Its format belongs
to one interpreter version, which is therefore part of every entry's key.
"""

from __future__ import annotations

import marshal
import os
import sys
from binascii import crc32  # the CRC-32 of zlib, from a module Python has loaded already
from pathlib import Path
from typing import Any

INTERPRETER = f"{sys.implementation.cache_tag}:{sys.hexversion:x}:marshal{marshal.version}"


def cache_dir() -> Path | None:
    """Where cached data lives: ``$PURDAH_LINT_CACHE_DIR``, else the user's cache folder."""
    folder = cache_folder()
    return None if folder is None else Path(folder)


def cache_folder() -> str | None:
    """:func:`cache_dir` as a string: every check reads cached packs and patterns, and making Paths cost start-up."""
    configured = os.environ.get("PURDAH_LINT_CACHE_DIR")
    if configured is not None:
        return configured or None  # an empty value turns the cache off
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "purdah-lint")


def _entry(folder: str | Path, kind: str, key: str | tuple) -> str:
    # The name only finds the entry; the key stored inside it is compared in full.
    # Marshal's version 0 has no references or interning marks, so equal keys give equal names in every process.
    data = key.encode("utf-8", "surrogateescape") if isinstance(key, str) else marshal.dumps(key, 0)
    return os.path.join(folder, f"{kind}-{crc32(data):08x}.bin")


def read(kind: str, key: str | tuple) -> Any | None:
    """The cached value for ``key``, or None when absent, unreadable or stored for another key."""
    folder = cache_folder()
    if folder is None:
        return None
    try:
        with open(_entry(folder, kind, key), "rb") as handle:
            stored = marshal.loads(handle.read())  # load(handle) reads item by item: far slower
    except (OSError, ValueError, EOFError, TypeError):
        return None
    if isinstance(stored, tuple) and len(stored) == 3 and stored[:2] == (INTERPRETER, key):
        return stored[2]
    return None


def write(kind: str, key: str | tuple, value: Any) -> None:
    """Store ``value`` for ``key`` atomically; any failure is ignored."""
    folder = cache_dir()
    if folder is None:
        return
    try:
        data = marshal.dumps((INTERPRETER, key, value))
    except ValueError:
        return  # not plain data: never cached rather than cached wrongly
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for old in folder.glob(f"{kind}-*"):
            old.unlink(missing_ok=True)  # one entry per kind: packs change rarely
        from ..safety.writing import replace_bytes  # only when writing: most runs only read the cache

        replace_bytes(_entry(folder, kind, key), data)
    except OSError:
        return
