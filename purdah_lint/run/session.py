"""One check over paths, as the CLI asks for it: prepare, check every file, keep the findings asked for."""

from __future__ import annotations

from .. import __version__
from ..inputs.paths import collect_paths
from .config import Config
from .pool import check_paths
from ..safety.writing import refuse_inputs
from .preparation import Options, central_result, prepare
from .report import Report


def check(paths: list[str], config: Config, options: Options, jobs: int | None = None,
          diff_base: str | None = None, baseline: str | None = None,
          outputs: dict[str, str | None] | None = None) -> Report:
    """Check ``paths``; with ``diff_base`` keep findings on changed lines, with ``baseline`` only new ones.

    ``outputs`` names the files the caller will write, by option: one that is an input stops the run.
    """
    prepared = prepare(config, options)
    changed = None
    if diff_base:
        from ..governance.changes import changed_lines

        changed = changed_lines(diff_base)
    collected = collect_paths(paths)
    if outputs:
        refuse_inputs(outputs, _inputs(collected, config, options, prepared, baseline))
    results = check_paths(collected, prepared.settings, jobs)
    configuration = [central_result(prepared, results)] if prepared.central else []
    if changed is not None:
        from ..governance.changes import on_changed_lines

        for result in results + configuration:
            result.findings = [f for f in result.findings if on_changed_lines(f, changed)]
    report = Report(__version__, options.as_of, options.as_of_source, results, prepared.rules,
                    considered=prepared.windows, warnings=list(prepared.warnings), configuration=configuration,
                    lead_in_days=prepared.settings.lead_in_days)
    if baseline:
        from ..governance.baseline import new_findings, read_baseline

        known = read_baseline(baseline)
        for result in report.files + report.configuration:
            result.findings, count = new_findings(result.findings, known)
            report.baselined += count
    return report


def _inputs(collected, config: Config, options: Options, prepared, baseline: str | None) -> list[tuple[str, str]]:
    """Every file a run reads, with what it is, so that no output can overwrite one."""
    import os
    from pathlib import Path

    from ..ruleset.packfiles import rule_files

    inputs = [(path, "a checked file") for path, error in collected if error is None]
    if config.path:
        inputs.append((config.path, "the config"))
    if prepared.central_path:
        inputs.append((prepared.central_path, "the waiver file"))
    if baseline:
        inputs.append((baseline, "the baseline"))
    inputs.extend((path, "a calendar file") for path in config.calendar_files)
    for folder in config.packs + list(options.packs):
        if os.path.isdir(folder):
            inputs.extend((str(path), "a rule file") for path in rule_files(Path(folder)))
    return inputs
