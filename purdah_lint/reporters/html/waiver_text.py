"""A ready-to-copy waiver for a finding, written the way the document's own format takes one."""

from __future__ import annotations

import datetime as dt
import functools
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


def _yaml(data) -> str:
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, default_flow_style=None, width=1000).strip()


def waiver_texts(finding, document_format: str | None, expires: dt.date | None) -> tuple[WaiverText, ...]:
    """Waivers that would cover ``finding`` once signed off (until ``expires``): the format's inline one first."""
    if finding.category == "meta" or document_format in (None, "waivers"):
        return ()  # a governance finding is fixed, not waived
    if document_format == "docx":
        return (_central(finding, expires),)
    return _inline(finding.code, finding.signoff, document_format, expires)


def _entry(code: str, signoff: str, expires: dt.date | None) -> dict:
    return {"codes": [code], "reason": REASON_PLACEHOLDER, "approved-by": signoff, "expires": expires or "YYYY-MM-DD"}


def _central(finding, expires: dt.date | None) -> WaiverText:
    # Word documents carry no inline waiver; the central file names the file and the words.
    entry = {"codes": [finding.code], "paths": [finding.path.replace("\\", "/")], "match": finding.match,
             **{k: v for k, v in _entry(finding.code, finding.signoff, expires).items() if k != "codes"}}
    return WaiverText(_yaml({"waivers": [entry]}), "Put this in the central waiver file, purdah-waivers.yaml "
                                                   "(beside the config, or the file --waivers names).")


@functools.lru_cache(maxsize=4096)
def _inline(code: str, signoff: str, document_format: str, expires: dt.date | None) -> tuple[WaiverText, ...]:
    """The same for every finding of a rule in one window, so written once."""
    expiry = expires.isoformat() if expires else "YYYY-MM-DD"
    fields = (f"allow {code} reason={_quoted(REASON_PLACEHOLDER)} approved-by={_quoted(signoff)} "
              f"expires={expiry}")
    texts = []
    if document_format in ("markdown", "html"):
        texts.append(WaiverText(f"<!-- purdah-lint: {fields} -->",
                                "Put this on a line of its own just before the paragraph; it covers the next block."))
    elif document_format == "rst":
        texts.append(WaiverText(f".. purdah-lint: {fields}",
                                "Put this comment just before the paragraph, with a blank line after it."))
    elif document_format == "text":
        texts.append(WaiverText(f"[purdah-lint: {fields}]",
                                "Put this on a line of its own just before the paragraph."))
    if document_format == "markdown":
        texts.append(WaiverText(_yaml({"purdah-lint": {"allow": [_entry(code, signoff, expires)]}}),
                                "Or, to cover the whole document, add this to its front matter (between the --- "
                                "lines at the top; add them if there are none)."))
    return tuple(texts)
