"""Checking many files: in this process, or in a pool of worker processes for large folders."""

from __future__ import annotations

import os

from ..inputs.formats import format_for
from .checker import CheckSettings, FileResult, check_file

_WORKER_SETTINGS: CheckSettings | None = None


def _init_worker(settings: CheckSettings) -> None:
    global _WORKER_SETTINGS
    _WORKER_SETTINGS = settings


def _check_in_worker(path: str) -> FileResult:
    return check_file(path, _WORKER_SETTINGS)


def default_jobs(file_count: int) -> int:
    """Processes worth starting: one per CPU, but none extra for a handful of files."""
    return max(1, min(os.cpu_count() or 1, file_count // 16))


def check_paths(paths: list[tuple[str, str | None]], settings: CheckSettings, jobs: int | None = None) -> list[FileResult]:
    """Check every collected path, in order, in-process or in a pool of ``jobs`` processes."""
    readable = [path for path, error in paths if error is None]
    jobs = default_jobs(len(readable)) if jobs is None else max(1, jobs)
    if jobs > 1 and len(readable) > 1:
        from concurrent.futures import ProcessPoolExecutor

        with ProcessPoolExecutor(max_workers=jobs, initializer=_init_worker, initargs=(settings,)) as pool:
            checked = dict(zip(readable, pool.map(_check_in_worker, readable, chunksize=8)))
    else:
        checked = {path: check_file(path, settings) for path in readable}
    return [checked[path] if error is None else FileResult(path, format_for(path), error=error)
            for path, error in paths]
