"""SARIF 2.1.0 report for code scanning (GitHub and other SARIF consumers)."""

from __future__ import annotations

import json
import os
from pathlib import Path
from urllib.parse import quote
from typing import TYPE_CHECKING

from .. import DOCS_URL
from ..safety.display import json_safe
from ..governance.fingerprints import fingerprints
from ..model import Severity
from ..ruleset.codes import META_CODES
from ..ruleset.selection import one_per_code

if TYPE_CHECKING:
    from ..run.report import Report

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
LEVELS = {Severity.SUGGESTION: "note", Severity.WARNING: "warning", Severity.ERROR: "error"}
# GitHub code scanning accepts at most 25,000 results per run (it shows the first 5,000).
MAX_RESULTS = 25_000
FINGERPRINT_KEY = "purdahLintFinding/v1"


def _uri(path: str) -> tuple[str, bool]:
    """A relative POSIX URI under the source root, or an absolute file URI; and which it is."""
    absolute = Path(os.path.abspath(path))
    try:
        relative = absolute.relative_to(Path.cwd())
    except ValueError:
        return absolute.as_uri(), False
    return quote(relative.as_posix(), errors="surrogateescape"), True


def _location(path: str, region: dict | None = None, described: str | None = None) -> dict:
    uri, relative = _uri(path)
    artifact = {"uri": uri, "uriBaseId": "%SRCROOT%"} if relative else {"uri": uri}
    physical = {"artifactLocation": artifact}
    if region:
        physical["region"] = region
    location = {"physicalLocation": physical}
    if described:  # where a Word user finds it: "paragraph 5", "table 2, row 3, cell 1"
        location["message"] = {"text": described}
    return location


def _rule_descriptor(rule) -> dict:
    help_text = f"{rule.guidance}\n\nWho signs off an exception: {rule.signoff}"
    return {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": rule.guidance},
        "help": {"text": help_text, "markdown": f"{rule.guidance}\n\n**Who signs off an exception:** {rule.signoff}"},
        "helpUri": rule.link or f"{DOCS_URL}rules.html#{rule.code.lower()}",
        "defaultConfiguration": {"level": LEVELS[rule.level]},
        "properties": {"category": rule.category, "signoff": rule.signoff, "tags": ["pre-election-period", rule.category]},
    }


def _meta_descriptor(meta) -> dict:
    return {
        "id": meta.code,
        "name": meta.name,
        "shortDescription": {"text": meta.summary},
        "fullDescription": {"text": meta.guidance},
        "helpUri": f"{DOCS_URL}rules.html#{meta.code.lower()}",
        "defaultConfiguration": {"level": "error"},
        "properties": {"category": "meta", "tags": ["pre-election-period", "meta"]},
    }


def _suppression(waived: dict) -> dict:
    source = str(waived.get("source", ""))
    justification = (f"{waived.get('reason', '')} (approved by {waived.get('approved_by', 'unknown')}, "
                     f"expires {waived.get('expires', 'never')})")
    return {"kind": "external" if source.startswith("central") else "inSource", "status": "accepted",
            "justification": justification}


def document(report: Report) -> dict:
    """The report as a SARIF log."""
    findings = report.findings
    prints = fingerprints(findings)
    descriptors = [_rule_descriptor(rule) for rule in one_per_code(report.rules)]
    known = {descriptor["id"] for descriptor in descriptors}
    descriptors += [_meta_descriptor(meta) for meta in META_CODES.values() if meta.code not in known]
    index = {descriptor["id"]: position for position, descriptor in enumerate(descriptors)}
    results = []
    for finding, fingerprint in zip(findings[:MAX_RESULTS], prints):
        region = {"startLine": finding.line, "startColumn": finding.column,
                  "endLine": finding.end_line, "endColumn": finding.end_column}
        if finding.location:  # a PDF's page and line, a Word document's paragraph
            region["message"] = {"text": finding.location}
        result = {
            "ruleId": finding.code,
            "ruleIndex": index[finding.code],
            "level": LEVELS[finding.severity],
            "message": {"text": f"{finding.message} ({finding.location})" if finding.location else finding.message},
            "locations": [_location(finding.path, region, finding.location)],
            "partialFingerprints": {FINGERPRINT_KEY: fingerprint},
            "properties": {"category": finding.category, "window": finding.window, "windows": list(finding.windows),
                           "match": finding.match, "signoff": finding.signoff, "location": finding.location},
        }
        if finding.waived:
            result["suppressions"] = [_suppression(finding.waived)]
        results.append(result)
    notifications = [
        {"level": "error", "message": {"text": f"{result.path}: {result.error}"},
         "locations": [_location(result.path)], "descriptor": {"id": "PE005", "index": index["PE005"]}}
        for result in report.errors
    ]
    if len(findings) > MAX_RESULTS:
        notifications.append({"level": "warning", "message": {
            "text": f"{len(findings)} findings; only the first {MAX_RESULTS} are in this file (code scanning's limit). "
                    "Use --format json for the full list."}})
    run = {
        "tool": {"driver": {"name": "purdah-lint", "version": report.version, "semanticVersion": report.version,
                            "informationUri": DOCS_URL, "rules": descriptors}},
        "invocations": [{"executionSuccessful": not report.errors, "toolExecutionNotifications": notifications}],
        "originalUriBaseIds": {"%SRCROOT%": {"uri": Path.cwd().as_uri() + "/"}},
        "columnKind": "unicodeCodePoints",
        "results": results,
        "properties": {"as_of": report.as_of.isoformat(), "as_of_source": report.as_of_source,
                       "windows": [window.as_json() for window in report.windows]},
    }
    return {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}


def render(report: Report) -> str:
    """The SARIF log as JSON text."""
    return json_safe(json.dumps(document(report), indent=2, ensure_ascii=False)) + "\n"
