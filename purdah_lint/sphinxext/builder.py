"""The ``purdah`` builder: one report for the whole project, as JSON, text and an HTML page, and the build's status code."""

from __future__ import annotations

from pathlib import Path

from sphinx.builders.dummy import DummyBuilder
from sphinx.util import logging

from .. import __version__
from ..reporters.html import write as write_html
from ..reporters.json_report import write as write_json
from ..reporters.text import render as render_text
from ..run.interface import SPHINX
from ..run.report import Report
from .collector import PREPARED

logger = logging.getLogger(__name__)


class PurdahBuilder(DummyBuilder):
    """Writes ``purdah.json`` (the CLI's JSON schema), ``purdah.txt`` and ``purdah.html`` for all documents.

    Like ``linkcheck``, it sets the build's status code in :meth:`finish`: 1 when an unwaived finding
    reaches ``purdah_fail_level``.
    """

    name = "purdah"
    format = "purdah"
    epilog = "The pre-election period report is in %(outdir)s/purdah.json, purdah.txt and purdah.html."

    def get_outdated_docs(self):
        return []  # nothing is written per document; finish() reports on all of them

    def report(self) -> Report:
        """Every document's results, including ones not re-read in this build."""
        prepared = PREPARED[self.env]
        results_by_doc = self.env.get_domain("purdah").results
        seen: dict[str, object] = {}
        for docname in sorted(self.env.found_docs):
            for result in results_by_doc.get(docname, []):
                seen.setdefault(result.path, result)  # an included file is reported once
        settings = prepared.settings
        files = sorted(seen.values(), key=lambda result: result.path)
        return Report(__version__, settings.as_of, settings.as_of_source, files, prepared.rules,
                      considered=prepared.windows, interface=SPHINX, lead_in_days=settings.lead_in_days,
                      root=str(self.srcdir))

    def finish(self) -> None:
        report = self.report()
        outdir = Path(self.outdir)
        outdir.mkdir(parents=True, exist_ok=True)
        with open(outdir / "purdah.json", "w", encoding="utf-8") as handle:
            write_json(report, handle)
        (outdir / "purdah.txt").write_text(render_text(report), encoding="utf-8")
        with open(outdir / "purdah.html", "w", encoding="utf-8") as handle:
            write_html(report, handle)
        logger.info(f"purdah-lint: {len(report.findings)} findings in {len(report.files)} files "
                    f"as of {report.as_of:%d %b %Y}")
        if report.fails(self.config.purdah_fail_level):
            app = self._app if hasattr(self, "_app") else self.app  # Sphinx 9 renamed it
            app.statuscode = 1
