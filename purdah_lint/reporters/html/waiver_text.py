"""A ready-to-copy waiver for a finding, written the way the document's own format takes one."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import yaml

REASON_PLACEHOLDER = "…"  # the reviewer writes why it cannot wait


@dataclass(frozen=True)
class WaiverText:
    """A waiver to paste, and where it goes."""

    text: str
    where: str


def _quoted(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _fields(finding, expires: str) -> str:
    return (f"allow {finding.code} reason={_quoted(REASON_PLACEHOLDER)} approved-by={_quoted(finding.signoff)} "
            f"expires={expires}")


def _yaml(data) -> str:
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, default_flow_style=None, width=1000).strip()


def waiver_texts(finding, document_format: str | None, expires: dt.date | None) -> list[WaiverText]:
    """Waivers that would cover ``finding`` once signed off (until ``expires``): the format's inline one first."""
    if finding.category == "meta" or document_format in (None, "waivers"):
        return []  # a governance finding is fixed, not waived
    expiry = expires.isoformat() if expires else "YYYY-MM-DD"
    entry = {"codes": [finding.code], "reason": REASON_PLACEHOLDER, "approved-by": finding.signoff, "expires": expires or expiry}
    texts = []
    if document_format in ("markdown", "html"):
        texts.append(WaiverText(f"<!-- purdah-lint: {_fields(finding, expiry)} -->",
                                "on a line of its own just before the paragraph (it covers the next block)"))
    elif document_format == "rst":
        texts.append(WaiverText(f".. purdah-lint: {_fields(finding, expiry)}",
                                "as a comment line just before the paragraph, with a blank line after it"))
    elif document_format == "text":
        texts.append(WaiverText(f"[purdah-lint: {_fields(finding, expiry)}]",
                                "on a line of its own just before the paragraph"))
    if document_format == "markdown":
        texts.append(WaiverText(f"---\n{_yaml({'purdah-lint': {'allow': [entry]}})}\n---",
                                "or, to cover the whole document, in its front matter"))
    central = {"waivers": [{"codes": [finding.code], "paths": [finding.path.replace('\\', '/')],
                            "match": finding.match, **{k: v for k, v in entry.items() if k != "codes"}}]}
    where = ("in the central waiver file, purdah-waivers.yaml (Word documents carry no inline waiver)"
             if document_format == "docx" else "or in the central waiver file, purdah-waivers.yaml")
    texts.append(WaiverText(_yaml(central), where))
    return texts
