"""Checking many files: in this process, or in a pool of worker processes for large folders.

A worker that dies (killed by the system for memory, or crashed in a C extension) takes no
other file with it: the files it had not finished are checked again in a fresh pool, and a
file that kills a worker of its own, alone, is reported as that file's error. Ctrl-C stops
the workers quietly; only the main process reports the interruption.
"""

from __future__ import annotations

import os

from ..inputs.formats import format_for
from .checker import CheckSettings, FileResult, check_file

# More processes than this many per CPU only add memory and switching, never speed.
JOBS_PER_CPU = 4
MAX_CHUNK = 16
_WORKER_SETTINGS: CheckSettings | None = None


def _init_worker(settings: CheckSettings) -> None:
    import signal  # only in workers: a run in one process never needs it

    global _WORKER_SETTINGS
    _WORKER_SETTINGS = settings
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the main process handles Ctrl-C and stops the pool


def _check_in_worker(paths: list[str]) -> list[FileResult]:
    return [check_file(path, _WORKER_SETTINGS) for path in paths]


def _chunks(paths: list[str], jobs: int) -> list[list[str]]:
    """Paths in runs handed to a worker at once: about eight per worker, at most ``MAX_CHUNK`` files each.

    One task per file costs the parent a pickled task and a wake-up each; a few large chunks
    would leave one worker with the last slow files while the other waits.
    """
    size = max(1, min(MAX_CHUNK, len(paths) // (jobs * 8)))
    return [paths[start:start + size] for start in range(0, len(paths), size)]


def default_jobs(file_count: int) -> int:
    """Processes worth starting: one per CPU, but none extra for a handful of files."""
    return max(1, min(os.cpu_count() or 1, file_count // 16))


def max_jobs() -> int:
    """The most worker processes a run starts, whatever ``--jobs`` asks for."""
    return JOBS_PER_CPU * (os.cpu_count() or 1)


def check_paths(paths: list[tuple[str, str | None]], settings: CheckSettings, jobs: int | None = None) -> list[FileResult]:
    """Check every collected path, in order, in-process or in a pool of ``jobs`` processes."""
    readable = [path for path, error in paths if error is None]
    jobs = default_jobs(len(readable)) if jobs is None else max(1, min(jobs, max_jobs()))
    if jobs > 1 and len(readable) > 1:
        checked = _in_pools(readable, settings, jobs)
    else:
        checked = {path: check_file(path, settings) for path in readable}
    return [checked[path] if error is None else FileResult(path, format_for(path), error=error)
            for path, error in paths]


def _in_pools(readable: list[str], settings: CheckSettings, jobs: int) -> dict[str, FileResult]:
    """Results by path; after a worker dies, its unfinished files go to a fresh pool, then one by one."""
    checked: dict[str, FileResult] = {}
    pending = list(dict.fromkeys(readable))
    unfinished = _pool_run(pending, settings, jobs, checked)
    if unfinished:
        unfinished = _pool_run(unfinished, settings, jobs, checked)
    for path in unfinished:  # each still-failing file alone, so only the one that kills a worker fails
        if _pool_run([path], settings, 1, checked):
            checked[path] = FileResult(path, format_for(path), error=(
                "the process checking this file stopped unexpectedly (killed, or out of memory); "
                "check it on its own, or raise max_file_bytes only if the machine has the memory"))
    return checked


def _pool_run(paths: list[str], settings: CheckSettings, jobs: int, checked: dict[str, FileResult]) -> list[str]:
    """Check ``paths`` in one pool; return those left unfinished because a worker died."""
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    pool = ProcessPoolExecutor(max_workers=min(jobs, len(paths)), initializer=_init_worker, initargs=(settings,))
    unfinished = []
    try:
        futures = [(chunk, pool.submit(_check_in_worker, chunk)) for chunk in _chunks(paths, jobs)]
        for chunk, future in futures:
            try:
                checked.update(zip(chunk, future.result()))
            except BrokenProcessPool:
                unfinished.extend(chunk)
    except BaseException:
        _stop(pool)
        raise
    pool.shutdown(wait=True, cancel_futures=True)
    return unfinished


def _stop(pool) -> None:
    """Stop a pool at once (Ctrl-C): cancel what has not started and end the workers."""
    processes = list((getattr(pool, "_processes", None) or {}).values())
    pool.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        if process.is_alive():
            process.terminate()
    for process in processes:
        process.join(timeout=5)
