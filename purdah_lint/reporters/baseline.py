"""The baseline file: a run's unwaived findings by content fingerprint (``purdah-lint baseline``)."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from ..governance.baseline import baseline_document

if TYPE_CHECKING:
    from ..run.report import Report


def render(report: Report) -> tuple[str, int]:
    """The baseline file's text for ``report``, and how many findings it records."""
    document = baseline_document(report.findings, report.version, report.as_of.isoformat())
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n", len(document["findings"])
