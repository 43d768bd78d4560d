"""Content fingerprints of findings: stable when lines move, different when the text changes."""

from __future__ import annotations

import hashlib
from collections import Counter
from typing import Iterable

from ..model import Finding


def normalised_path(path: str) -> str:
    """The path with forward slashes and no leading ``./``."""
    text = path.replace("\\", "/")
    while text.startswith("./"):
        text = text[2:]
    return text


def fingerprints(findings: Iterable[Finding]) -> list[str]:
    """One fingerprint per finding, in order: code + path + matched words + occurrence number.

    The occurrence number tells apart the same words flagged twice in one file, counted in
    report order, so inserting lines above a finding does not change its fingerprint.
    """
    seen: Counter[tuple[str, str, str]] = Counter()
    result = []
    for finding in findings:
        key = (finding.code, normalised_path(finding.path), " ".join(finding.match.lower().split()))
        seen[key] += 1
        text = "\0".join((*key, str(seen[key])))
        result.append(hashlib.sha256(text.encode("utf-8", "surrogateescape")).hexdigest()[:32])
    return result
