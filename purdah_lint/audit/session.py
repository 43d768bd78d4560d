"""One audit as the CLI asks for it: prepare the checks, record the sources, run on Dask, open the outputs."""

from __future__ import annotations

import os
from dataclasses import dataclass

from .. import __version__
from ..inputs.web.fetch import FetchLimits
from ..run.config import Config
from ..run.preparation import Options, prepare
from ..run.checker import FileResult
from .governance import central_findings
from .job import AuditJob
from .output import AuditOutput
from .progress import Progress
from .runner import Politeness, add_sources, dask_client, run
from .store import Store, open_previous


@dataclass
class AuditRequest:
    """What to audit, where to keep results, and how to run."""

    sources: list[str]
    store: str = "purdah-audit.sqlite"
    resume: bool = False
    scheduler: str | None = None
    workers: int | None = None
    max_depth: int = 2
    politeness: Politeness = Politeness()
    limits: FetchLimits = FetchLimits()
    baseline: str | None = None
    since: str | None = None
    progress: bool | None = None  # None: on a terminal, not in CI


def audit(request: AuditRequest, config: Config, options: Options) -> AuditOutput:
    """Run (or finish, with ``resume``) the audit; return its outputs, read from the store."""
    prepared = prepare(config, options)
    existing_rules = tuple(rule for rule in prepared.settings.rules if rule.category in config.existing_content_categories)
    baseline = frozenset()
    if request.baseline:
        from ..governance.baseline import read_baseline

        baseline = frozenset(read_baseline(request.baseline))
    job = AuditJob(prepared.settings, prepared.settings.replace(rules=existing_rules), request.limits,
                   options.as_of, tuple((o.pattern, o.team) for o in config.owners), request.max_depth, baseline)
    previous = None
    if request.since:
        earlier = open_previous(request.since)
        previous = earlier.fingerprints()
        earlier.close()
    store = Store(request.store, fresh=not request.resume)
    store.set_meta("sources", request.sources)
    add_sources(request.sources, store, job)
    progress = Progress(enabled=request.progress)
    scheduler = request.scheduler or os.environ.get("DASK_SCHEDULER_ADDRESS")
    try:
        with dask_client(scheduler, request.workers) as client:
            run(client, store, job, request.politeness, progress)
    finally:
        progress.close()
    if request.politeness.max_pages is not None:
        store.skip_pending("max-pages", f"not fetched: the audit stopped at {request.politeness.max_pages:,} URLs "
                                        "(--max-pages)")
    windows = list(prepared.windows) + list(prepared.settings.fixed_windows or ())
    output = AuditOutput(store, __version__, options.as_of, options.as_of_source, windows, prepared.rules, previous,
                         request.since)
    output.configuration = FileResult(prepared.central_path, "waivers", as_of=options.as_of,
                                      as_of_source=options.as_of_source,
                                      findings=central_findings(prepared, store)) if prepared.central_path else None
    return output
