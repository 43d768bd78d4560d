"""YAML front matter: metadata, plus the title and description as prose."""

from __future__ import annotations

import re
from typing import Any

import yaml

from ...safety import yaml_loader
from ...model import InputError, LineIndex, Segment, SegmentBuilder
from ...ruleset.matching.programs import compile_pattern
from .align import add_aligned

PROSE_KEYS = ("title", "description")


def load(text: str, first_line: int) -> dict[str, Any]:
    """Parse front matter ``text`` (which starts on 1-based ``first_line``) as a mapping."""
    try:
        data = yaml_loader.load(text) if text.strip() else {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + first_line}, column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or "invalid YAML"
        raise InputError(f"invalid YAML front matter{where}: {problem}") from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise InputError(f"front matter at line {first_line} is not a mapping of keys to values")
    return {str(key): value for key, value in data.items()}


def prose_segments(metadata: dict[str, Any], source: str, start: int, end: int, lines: LineIndex) -> list[Segment]:
    """Segments for the front-matter keys that are linted as prose."""
    segments = []
    for key in PROSE_KEYS:
        value = metadata.get(key)
        if not isinstance(value, str) or not value.strip():
            continue
        found = compile_pattern(rf"^{key}[ \t]*:[ \t]*", re.MULTILINE).search(source, start, end)  # from the store
        if not found:
            continue
        builder = SegmentBuilder()
        add_aligned(builder, value, source, found.end(), end)
        segment = builder.build("title", lines)
        if segment:
            segments.append(segment)
    return segments


def waiver_declaration(metadata: dict[str, Any], source: str, start: int, end: int, lines: LineIndex):
    """The ``purdah-lint:`` front-matter value and its line, when there is one."""
    if "purdah-lint" not in metadata:
        return None
    found = re.compile(r"^purdah-lint[ \t]*:", re.MULTILINE).search(source, start, end)
    return metadata["purdah-lint"], lines.position(found.start() if found else start)[0]
