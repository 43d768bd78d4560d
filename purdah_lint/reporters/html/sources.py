"""The text a report shows for each document: the text its findings' lines and columns count in.

It is read again when the report is written rather than kept from checking, so that checking a
large tree holds no text in memory and the JSON report and Sphinx environment stay as they are.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from ...inputs.sources import read_bytes, read_text
from ...model import PurdahError

MAX_SHOWN_CHARACTERS = 500_000  # above this, only the lines around each finding are shown
CONTEXT_LINES = 2


@dataclass
class ShownText:
    """A document's lines (Word: its text blocks), each with an optional label such as 'paragraph 3'."""

    lines: list[str]
    labels: list[str | None]
    whole: bool  # False when only the lines around findings are kept


def shown_text(result, root: str | None) -> tuple[ShownText | None, str | None]:
    """The text to show for ``result`` and, when it cannot be shown, a one-line reason."""
    path = result.path if root is None or os.path.isabs(result.path) else os.path.join(root, result.path)
    try:
        if result.format == "docx":
            from ...inputs.readers.docx import text_blocks

            blocks = text_blocks(read_bytes(path), path)
            lines, labels = [text for text, _ in blocks], [location for _, location in blocks]
        else:
            text = read_text(path).text
            lines = text.split("\n")
            labels = [None] * len(lines)
    except PurdahError as exc:
        return None, f"the text cannot be shown: {exc}"
    whole = sum(map(len, lines)) <= MAX_SHOWN_CHARACTERS
    return ShownText(lines, labels, whole), None


def lines_to_show(shown: ShownText, finding_lines: set[int]) -> list[int]:
    """1-based numbers of the lines to show: all of them, or those near a finding in a large text."""
    if shown.whole:
        return list(range(1, len(shown.lines) + 1))
    wanted: set[int] = set()
    for line in finding_lines:
        wanted.update(range(max(1, line - CONTEXT_LINES), min(len(shown.lines), line + CONTEXT_LINES) + 1))
    return sorted(wanted)
