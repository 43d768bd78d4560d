"""An audit's outputs, read back from its store: the text summary, streamed JSON, and a Report for SARIF."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from ..model import Finding, Severity
from ..governance.fingerprints import fingerprints
from ..reporters.json_report import SCHEMA, _compact, finding_json
from ..reporters.text import finding_line, reasons_text, short_date
from ..run.checker import FileResult
from ..run.report import Report
from .store import Store, open_previous

CONTENT = {
    "existing": "existing (published before the window: checked for what is still promoted)",
    "new": "new (published during the window: every rule)",
    "undated": "undated (no published or updated date found: every rule)",
}


def finding_from_json(item: dict) -> Finding:
    """A stored finding as a :class:`Finding` again, for reporters that take a Report."""
    return Finding(item["path"], item["line"], item["column"], item["end_line"], item["end_column"], item["code"],
                   item["rule"], item["category"], Severity.parse(item["severity"]), item["message"], item["match"],
                   item["window"], tuple(item["windows"]), item["guidance"], item["signoff"], item["location"],
                   item["waived"])


def file_json(result: dict) -> dict:
    """One URL's entry in the JSON ``files`` list: the ``purdah-lint/1`` keys, ``url`` and how it ended."""
    return {
        "path": result.get("path", result["url"]), "url": result["url"], "format": result.get("format"),
        "as_of": result.get("as_of"), "as_of_source": result.get("as_of_source"),
        "windows": result.get("windows", []), "lead_in": result.get("lead_in", False),
        "notices": result.get("notices", []),
        "error": result.get("detail") if result["state"] == "failed" else None,
        "state": result["state"], "reason": result.get("reason"), "detail": result.get("detail"),
        "content": result.get("content"), "published": result.get("published"),
        "published_source": result.get("published_source"), "owner": result.get("owner"),
    }


class AuditOutput:
    """Writes one finished audit in each format, reading its store page by page."""

    def __init__(self, store: Store, version: str, as_of: dt.date, as_of_source: str, windows: list, rules: list,
                 previous: set[str] | None = None, previous_store: str | None = None):
        self.store, self.version, self.as_of, self.as_of_source = store, version, as_of, as_of_source
        self.windows = {window.id: window for window in windows}
        self.rules = rules
        self.previous = previous
        self.previous_store = previous_store  # with --since: the earlier audit's store, for what was resolved
        self.configuration: FileResult | None = None  # the central waiver file, with its own findings

    def _findings(self):
        for item in self.store.findings():
            if self.previous is not None:
                item["since"] = "present" if item["fingerprint"] in self.previous else "new"
            yield item
        governance = self.configuration.findings if self.configuration else []
        for finding, fingerprint in zip(governance, fingerprints(governance)):
            yield dict(finding_json(finding), url=None, owner=None, content=None, fingerprint=fingerprint)

    def totals(self) -> dict:
        """Counts per state and reason, content kind, severity, owner, and (with --since) new/present/resolved."""
        content, severities, owners, since, current = Counter(), Counter(), Counter(), Counter(), set()
        waived = baselined = 0
        for result in self.store.results():
            content[result.get("content") or "none"] += result["state"] == "checked"
            baselined += result.get("baselined", 0)
        for item in self._findings():
            if item["waived"] is not None:
                waived += 1
                continue
            severities[item["severity"]] += 1
            owners[item.get("owner") or "(no owner)"] += 1
            current.add(item["fingerprint"])
            if "since" in item:
                since[item["since"]] += 1
        counts = self.store.counts()
        totals = {"urls": sum(sum(reasons.values()) for reasons in counts.values()),
                  "checked": sum(counts["checked"].values()), "skipped": counts["skipped"],
                  "failed": counts["failed"], "pending": sum(counts["pending"].values()),
                  "content": {key: content[key] for key in CONTENT if content[key]},
                  "findings": sum(severities.values()),
                  "by_severity": {s.label: severities[s.label] for s in sorted(Severity, reverse=True)
                                  if severities[s.label]},
                  "by_owner": dict(sorted(owners.items())), "waived": waived, "baselined": baselined}
        if self.previous is not None:
            totals["since"] = {"new": since["new"], "present": since["present"],
                               "resolved": len(self.previous - current)}
        return totals

    def fails(self, fail_level: str) -> bool:
        """Whether an unwaived finding reaches ``fail_level``."""
        if fail_level == "never":
            return False
        threshold = Severity.parse(fail_level)
        return any(Severity.parse(item["severity"]) >= threshold and item["waived"] is None
                   for item in self._findings())

    def write_json(self, handle) -> None:
        """The ``purdah-lint/1`` report with ``url`` beside ``path``, streamed one line per URL and finding."""
        used = set()
        handle.write("{\n")
        head = {"schema": SCHEMA, "version": self.version, "as_of": self.as_of.isoformat(),
                "as_of_source": self.as_of_source}
        for key, value in head.items():
            handle.write(f"  {_compact(key)}: {_compact(value)},\n")
        handle.write('  "files": [')
        separator = "\n    "
        for result in self.store.results():
            used.update(result.get("windows", []))
            handle.write(separator + _compact(file_json(result)))
            separator = ",\n    "
        handle.write('\n  ],\n  "findings": [' if separator != "\n    " else '],\n  "findings": [')
        separator = "\n    "
        for item in self._findings():
            handle.write(separator + _compact(item))
            separator = ",\n    "
        handle.write("\n  ],\n" if separator != "\n    " else "],\n")
        windows = [self.windows[i].as_json() for i in sorted(used) if i in self.windows]
        totals = self.totals()
        summary = {"files": totals["urls"], "findings": totals["findings"], "by_severity": totals["by_severity"],
                   "waived": totals["waived"], "baselined": totals["baselined"],
                   "errors": sum(totals["failed"].values()), "audit": totals}
        handle.write(f'  "windows": {_compact(windows)},\n  "summary": {_compact(summary)}\n}}\n')

    def report(self) -> Report:
        """The audit as a :class:`Report`, for the SARIF and GitHub reporters."""
        files: dict[str, FileResult] = {}
        for result in self.store.results():
            path = result.get("path", result["url"])
            files[path] = FileResult(path, result.get("format"),
                                     as_of=dt.date.fromisoformat(result["as_of"]) if result.get("as_of") else None,
                                     as_of_source=result.get("as_of_source"),
                                     windows=[self.windows[i] for i in result.get("windows", []) if i in self.windows],
                                     error=result.get("detail") if result["state"] == "failed" else None)
        for item in self._findings():
            if item["path"] in files:
                files[item["path"]].findings.append(finding_from_json(item))
        return Report(self.version, self.as_of, self.as_of_source, list(files.values()), self.rules,
                      considered=list(self.windows.values()),
                      configuration=[self.configuration] if self.configuration else [])

    def write_html(self, handle) -> None:
        """The HTML report, with each URL's state, owner and content kind, and (with --since) what changed."""
        from ..reporters.html import write
        from ..reporters.html.audit import AuditFacts, PageFacts

        report = self.report()
        facts = AuditFacts(self.totals())
        for result in self.store.results():
            facts.pages[result.get("path", result["url"])] = PageFacts(
                result["url"], result["state"], result.get("reason"), result.get("detail"), result.get("owner"),
                result.get("content"), CONTENT.get(result.get("content")), result.get("published"),
                result.get("published_source"))
        for item in self._findings():
            if "since" in item:
                facts.since[finding_from_json(item).sort_key()] = item["since"]
        facts.resolved = list(self.resolved())
        write(report, handle, audit=facts)

    def resolved(self):
        """The earlier audit's unwaived findings that this audit no longer finds (with --since), once each."""
        if self.previous_store is None:
            return
        current = self.store.fingerprints()
        earlier = open_previous(self.previous_store)
        try:
            seen = set()
            for item in earlier.findings():
                if item["waived"] is None and item["fingerprint"] not in current | seen:
                    seen.add(item["fingerprint"])
                    yield item
        finally:
            earlier.close()

    def write_text(self, handle, show_waived: bool = False) -> None:
        """Findings one per line (``url:line:col: ...``), then the audit's counts."""
        handle.write(f"purdah-lint {self.version}: audit as of {short_date(self.as_of)}\n")
        for item in self._findings():
            if item["waived"] is not None and not show_waived:
                continue
            extras = [f"{item['content']} content"] if item["content"] else []
            if item.get("owner"):
                extras.append(f"owner: {item['owner']}")
            if "since" in item:
                extras.append(item["since"])
            handle.write(finding_line(finding_from_json(item)) + (f" [{'; '.join(extras)}]" if extras else "") + "\n")
        handle.write("\n" + summary_text(self.totals()) + "\n")
        failed = [result for result in self.store.results() if result["state"] == "failed"]
        for result in failed:
            handle.write(f"{result['url']}: failed: {result['detail']}\n")


def summary_text(totals: dict) -> str:
    """The closing lines of the text output: every URL accounted for, then findings."""
    lines = [f"Audited {totals['urls']:,} URLs: {totals['checked']:,} checked, "
             f"{reasons_text(totals['skipped'])} skipped, {reasons_text(totals['failed'])} failed"
             + (f", {totals['pending']:,} not reached" if totals["pending"] else "") + "."]
    if totals["content"]:
        lines.append("Content: " + "; ".join(f"{count:,} {CONTENT[key]}" for key, count in totals["content"].items())
                     + ".")
    severities = ", ".join(f"{count:,} {name}" for name, count in totals["by_severity"].items())
    found = f"Findings: {totals['findings']:,}" + (f" ({severities})" if severities else "")
    if totals["waived"]:
        found += f"; {totals['waived']:,} waived (--show-waived lists them)"
    if totals["baselined"]:
        found += f"; {totals['baselined']:,} already in the baseline"
    lines.append(found + ".")
    if totals["findings"]:
        lines.append("By owner: " + ", ".join(f"{team} {count:,}" for team, count in totals["by_owner"].items()) + ".")
    if "since" in totals:
        since = totals["since"]
        lines.append(f"Since the previous audit (--since): {since['new']:,} new, {since['present']:,} still present, "
                     f"{since['resolved']:,} resolved.")
    return "\n".join(lines)
