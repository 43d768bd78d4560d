"""Collecting the files to check: expand folders, refuse what cannot be read, drop repeats."""

from __future__ import annotations

import os

from .formats import SUPPORTED_SUFFIXES, format_for

SKIPPED_DIRS = frozenset({"node_modules", "__pycache__", "_build", "site-packages"})


def collect_paths(paths: list[str]) -> list[tuple[str, str | None]]:
    """Expand directories into the files to check; pair each path with an error or None."""
    collected: list[tuple[str, str | None]] = []
    for path in paths:
        if os.path.isdir(path):
            found = list(draft_files(path))
            if not found:
                collected.append((path, f"no files to check (looked for {' '.join(SUPPORTED_SUFFIXES)})"))
            collected.extend(found)
        elif not os.path.lexists(path):
            collected.append((path, "no such file or directory"))
        elif format_for(path) is None:
            collected.append((path, f"unsupported file type; supported: {' '.join(SUPPORTED_SUFFIXES)}"))
        else:
            collected.append((path, None))
    seen: set[str] = set()
    unique = []
    for item in collected:
        key = os.path.normpath(item[0])
        if key not in seen:
            seen.add(key)
            unique.append(item)
    return unique


def draft_files(root: str):
    """``(path, None)`` for each file under ``root`` a folder check reads, ``(folder, error)`` for each unreadable folder."""
    unreadable: list[OSError] = []

    def report():
        while unreadable:
            exc = unreadable.pop(0)
            yield os.path.normpath(exc.filename or root), f"cannot read folder: {exc.strerror or exc}"

    for folder, subfolders, files in os.walk(root, onerror=unreadable.append, followlinks=False):
        yield from report()
        subfolders[:] = sorted(name for name in subfolders if not name.startswith(".") and name not in SKIPPED_DIRS)
        for name in sorted(files):
            if not name.startswith(".") and format_for(name) is not None:
                yield os.path.normpath(os.path.join(folder, name)), None
    yield from report()
