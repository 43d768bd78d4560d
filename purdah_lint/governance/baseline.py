"""Baselines: record today's findings by content fingerprint, then report only new ones."""

from __future__ import annotations

import json
from typing import Iterable

from ..model import Finding, PurdahError
from ..structured import parse_file
from .fingerprints import fingerprints, normalised_path

SCHEMA = "purdah-lint-baseline/1"
MAX_BASELINE_BYTES = 256 * 1024 * 1024


def baseline_document(findings: list[Finding], version: str, as_of: str) -> dict:
    """The baseline file's content for ``findings`` (waived ones are not recorded)."""
    current = [f for f in findings if f.waived is None]
    return {
        "schema": SCHEMA,
        "version": version,
        "as_of": as_of,
        "findings": [{"fingerprint": fingerprint, "code": f.code, "path": normalised_path(f.path), "match": f.match}
                     for f, fingerprint in zip(current, fingerprints(current))],
    }


def read_baseline(path: str) -> set[str]:
    """The fingerprints recorded in a baseline file."""
    data = parse_file(path, "baseline", json.load, ValueError, lambda exc: f" baseline is not valid JSON ({exc})",
                      max_bytes=MAX_BASELINE_BYTES)
    if not isinstance(data, dict) or data.get("schema") != SCHEMA or not isinstance(data.get("findings"), list):
        raise PurdahError(f"{path}: not a purdah-lint baseline (expected schema {SCHEMA!r}); "
                          "write one with 'purdah-lint baseline'")
    known = set()
    for number, entry in enumerate(data["findings"], 1):
        if not isinstance(entry, dict) or not isinstance(entry.get("fingerprint"), str):
            raise PurdahError(f"{path}: finding {number} of the baseline has no fingerprint (text); "
                              "write the baseline again with 'purdah-lint baseline'")
        known.add(entry["fingerprint"])
    return known


def new_findings(findings: Iterable[Finding], known: set[str]) -> tuple[list[Finding], int]:
    """Findings whose fingerprint is not in the baseline, and how many were."""
    findings = list(findings)
    unwaived = [f for f in findings if f.waived is None]
    recorded = {id(f) for f, fingerprint in zip(unwaived, fingerprints(unwaived)) if fingerprint in known}
    kept = [f for f in findings if id(f) not in recorded]
    return kept, len(recorded)
