"""Running an audit on Dask: URLs go out as tasks a few per host at a time, results come back as they finish."""

from __future__ import annotations

import contextlib
import time
from collections import Counter, deque
from dataclasses import dataclass
from typing import Callable

from ..inputs.web.fetch import Fetcher, host_of
from ..inputs.web.sources import Locator, expand
from ..model import PurdahError
from .job import AuditJob, audit_pages
from .store import Store

REFILL_BELOW = 500  # URLs kept waiting in memory; the rest wait in the store, so memory stays flat
REFILL_SIZE = 2000
BATCH = 1000  # URLs recorded at once while reading the sources
MAX_BATCH = 64  # URLs audited by one task: fewer tasks cost the scheduler, the client and the workers less
MAX_RESENDS = 5  # times the job is sent again to a cluster that lost it


@dataclass(frozen=True)
class Politeness:
    """How hard the audit may press each host, and how far it goes."""

    per_host: int = 4
    delay: float = 0.0  # seconds between requests to one host
    max_pages: int | None = None


# Dask's own bookkeeping, which nobody watches on a cluster the audit starts for itself: the statistical
# profiler samples every worker thread 100 times a second, and the system monitor and event-loop checks wake
# often. Together they cost a few per cent of a core per process even when idle, and more when busy.
QUIET_CLUSTER = {"distributed.worker.profile.enabled": False, "distributed.admin.system-monitor.interval": "2s",
                 "distributed.admin.tick.interval": "100ms"}


@contextlib.contextmanager
def local_cluster(workers: int):
    """A Dask cluster of ``workers`` processes (2 threads each) on 127.0.0.1, without Dask's own profiling."""
    import dask
    from distributed import LocalCluster

    with dask.config.set(QUIET_CLUSTER), LocalCluster(
            n_workers=workers, threads_per_worker=2, processes=True, host="127.0.0.1",
            dashboard_address="127.0.0.1:0", silence_logs=40) as cluster:
        yield cluster


@contextlib.contextmanager
def dask_client(scheduler: str | None, workers: int | None):
    """A Dask client: to the cluster at ``scheduler``, or to a local cluster of ``workers`` processes."""
    from distributed import Client

    if scheduler:
        try:
            client = Client(scheduler, timeout="20s")
        except (OSError, TimeoutError) as exc:
            raise PurdahError(f"cannot reach the Dask scheduler at {scheduler} (--scheduler): {exc}") from None
        with client:
            yield client
        return
    with local_cluster(workers or 2) as cluster, Client(cluster) as client:
        yield client


def add_sources(sources: list[str], store: Store, job: AuditJob) -> None:
    """Record every URL the sources name (sitemaps are read here, on the client, a batch at a time)."""
    fetcher = Fetcher(job.limits)
    batch: list[Locator] = []

    def add(locator: Locator) -> None:
        batch.append(locator)
        if len(batch) >= BATCH:
            store.add(batch)
            batch.clear()

    for source in sources:
        expand(source, fetcher, add)
    store.add(batch)


def run(client, store: Store, job: AuditJob, politeness: Politeness, on_result: Callable[[dict], None]) -> None:
    """Audit every pending URL in ``store``; each result is stored, then passed to ``on_result``.

    URLs go to the workers in batches (one task audits several URLs of one host in turn), so the
    scheduler's cost per task is shared; a batch counts as one request in progress to its host.
    """
    from distributed import wait
    from distributed.client import CancelledError

    job_future = client.scatter(job, broadcast=True, hash=False)
    capacity = max(2, 2 * sum(client.nthreads().values()))
    waiting: dict[str, deque] = {}
    in_flight: dict = {}
    busy: Counter = Counter()
    next_start: dict[str, float] = {}
    cursor = 0
    started = sum(sum(reasons.values()) for state, reasons in store.counts().items() if state != "pending")
    exhausted = False
    resent = 0
    while True:
        queued = sum(len(queue) for queue in waiting.values())
        if queued < REFILL_BELOW and not exhausted:
            rows = store.pending(cursor, REFILL_SIZE)
            exhausted = not rows
            for page_id, locator in rows:
                cursor = page_id
                waiting.setdefault(_host(locator), deque()).append((page_id, locator))
        now = time.monotonic()
        for host, queue in waiting.items():
            while (queue and busy[host] < politeness.per_host and len(in_flight) < capacity
                   and now >= next_start.get(host, 0.0)
                   and (politeness.max_pages is None or started < politeness.max_pages)):
                size = _batch_size(len(queue), capacity, politeness, started)
                batch = [queue.popleft() for _ in range(size)]
                future = client.submit(audit_pages, [locator for _, locator in batch], job_future, pure=False)
                in_flight[future] = (host, batch)
                busy[host] += 1
                started += size
                next_start[host] = now + politeness.delay
        waiting = {host: queue for host, queue in waiting.items() if queue}
        if not in_flight:
            if not waiting and exhausted:
                exhausted = not store.pending(cursor, 1)  # links found by the last results
                if exhausted:
                    return
                continue
            if politeness.max_pages is not None and started >= politeness.max_pages:
                return
            time.sleep(max(0.0, min(next_start.get(host, 0.0) for host in waiting) - time.monotonic()))
            continue
        try:
            done, _ = wait(list(in_flight), timeout=politeness.delay or None, return_when="FIRST_COMPLETED")
        except TimeoutError:
            continue
        except CancelledError:
            # The scheduler forgot the job with the workers that held it: send it again and retry those URLs.
            resent += 1
            if resent > MAX_RESENDS:
                raise PurdahError("the Dask cluster keeps losing its workers; --resume finishes the audit later")
            job_future = client.scatter(job, broadcast=True, hash=False)
            for future in [future for future in in_flight if future.cancelled()]:
                host, batch = in_flight.pop(future)
                busy[host] -= 1
                started -= len(batch)
                waiting.setdefault(host, deque()).extendleft(reversed(batch))
            continue
        for future in done:
            host, batch = in_flight.pop(future)
            busy[host] -= 1
            results = _results(future, batch)
            future.release()
            for (_, locator), result, recorded in zip(batch, results, store.record_batch(
                    [(page_id, result) for (page_id, _), result in zip(batch, results)])):
                if not recorded:
                    continue
                links = result.get("links") or []
                if links:
                    exhausted = False
                    store.add([Locator(url, crawl=crawl, depth=locator.depth + 1, scope=locator.scope)
                               for url, crawl in links])
                on_result(result)


def _batch_size(queued: int, capacity: int, politeness: Politeness, started: int) -> int:
    """URLs for the next task: enough to share the scheduling cost, few enough to keep every worker busy."""
    if politeness.delay:
        return 1  # each request waits for the delay, which only the client keeps
    size = max(1, min(MAX_BATCH, queued // capacity))
    if politeness.max_pages is not None:
        size = min(size, politeness.max_pages - started)
    return size


def _host(locator: Locator) -> str:
    return host_of(locator.url) if locator.kind == "web" else "local"


def _results(future, batch: list[tuple[int, Locator]]) -> list[dict]:
    """The task's results; a task that could not finish (its workers died) fails its URLs, never loses them."""
    try:
        return future.result()
    except Exception as exc:  # KilledWorker, or a bug in a reader: the URLs are still accounted for
        detail = f"the audit task did not finish: {type(exc).__name__}: {exc}".splitlines()[0]
        return [{"url": locator.url, "path": locator.url, "state": "failed", "reason": "worker", "detail": detail}
                for _, locator in batch]
