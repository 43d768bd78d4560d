"""The HTML report for reviewers: one self-contained, accessible file, made from a Jinja2 template."""

from __future__ import annotations

import base64
import hashlib
import zlib
from importlib import resources

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

from ...model import Severity
from ...run.report import Report
from ...safety.display import html_safe
from ..text import short_date
from .audit import AuditFacts
from .timeline import timeline
from .view import (RuleInfos, as_of_source_text, category_order, document_view, shown_windows, summarise, totals,
                   totals_by)

HERE = resources.files(__name__)


def _asset(name: str) -> str:
    return HERE.joinpath(name).read_text(encoding="utf-8")


def _hash(text: str) -> str:
    """A Content-Security-Policy source that allows exactly this inline text."""
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii") + "'"


def content_security_policy(css: str, script: str) -> str:
    """No fetch of any kind; only the report's own style and script run."""
    return (f"default-src 'none'; style-src {_hash(css)}; script-src {_hash(script)}; "
            "img-src 'none'; base-uri 'none'; form-action 'none'")


def _shown(value):
    """Every value the templates print: user text escaped and neutralised (the report may be printed to a CI log)."""
    return Markup(html_safe(value)) if isinstance(value, str) and not isinstance(value, Markup) else value


def _environment() -> Environment:
    return Environment(loader=FileSystemLoader(str(HERE)), autoescape=True, undefined=StrictUndefined,
                       trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True, finalize=_shown)


def _packed(markup: str) -> str:
    """Markup deflated and base64-encoded: a third of the size for the browser to load."""
    packer = zlib.compressobj(6, zlib.DEFLATED, -15)  # raw deflate, as DecompressionStream("deflate-raw") reads
    return base64.b64encode(packer.compress(markup.encode("utf-8")) + packer.flush()).decode("ascii")


def _fragments(environment: Environment, views):
    """Each document's markup, packed: the browser builds a document only when it is chosen."""
    template = environment.get_template("document.html.j2")
    for view in views:
        yield view.summary.index, _packed(template.render(view=view))


def write(report: Report, handle, audit: AuditFacts | None = None) -> None:
    """Write the report to ``handle``; documents are rendered one at a time as the file is written.

    ``audit`` adds what an audit knows of each URL: its state, owner, content kind and changes since an earlier audit.
    """
    css, script = _asset("report.css"), _asset("report.js")
    summaries = [summarise(index, result) for index, result in enumerate(report.files, 1)]
    windows = {w.id: w for w in (*report.considered, *report.windows)}
    infos = RuleInfos()
    views = (document_view(summary, report, windows, infos, audit) for summary in summaries
             if summary.result.findings or summary.result.error)
    shown = shown_windows(report)
    findings = report.findings
    context = {
        "report": report, "css": Markup(css), "script": Markup(script),
        "csp": content_security_policy(css, script), "as_of": short_date(report.as_of),
        "as_of_source": as_of_source_text(report.as_of_source), "summaries": summaries, "infos": infos,
        "open_count": sum(1 for f in findings if f.waived is None), "waived_count": sum(1 for f in findings if f.waived),
        "checked": len(report.files) - len(report.errors), "totals": totals(report),
        "windows": [(w, w.status(report.as_of, report.lead_in_days)) for w in shown],
        "timeline": timeline(shown, report.as_of, report.lead_in_days),
        "categories": sorted({f.category for f in findings}, key=category_order),
        "severities": [s.label for s in sorted(Severity, reverse=True)], "audit": audit,
        "noun": "pages" if audit is not None else "documents",
    }
    if audit is not None:
        context["totals"].insert(0, totals_by("By owner", "Owner", findings, audit.owner))
    environment = _environment()
    context["fragments"] = _fragments(environment, views)
    for chunk in environment.get_template("report.html.j2").generate(context):
        handle.write(chunk)
