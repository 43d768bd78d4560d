"""Reporters: write a run's :class:`~purdah_lint.run.report.Report` as text, JSON, SARIF, GitHub annotations or HTML."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..run.report import Report

FORMATS = ("text", "json", "sarif", "github", "html")


def write_report(report: Report, output_format: str, handle, show_waived: bool = False) -> None:
    """Write ``report`` to an open text ``handle``; JSON is streamed rather than built whole."""
    if output_format == "json":
        from .json_report import write

        write(report, handle)
    elif output_format == "html":
        from .html import write

        write(report, handle)
    else:
        handle.write(format_report(report, output_format, show_waived))


def format_report(report: Report, output_format: str, show_waived: bool = False) -> str:
    """Render ``report`` as text, SARIF or GitHub annotations (JSON is streamed by :func:`write_report`)."""
    if output_format == "sarif":
        from .sarif import render
    elif output_format == "github":
        from .github import render
    else:
        from .text import render

        return render(report, show_waived)
    return render(report)
