"""Markdown reader (CommonMark via markdown-it-py), with YAML front matter."""

from __future__ import annotations

import re

from markdown_it import MarkdownIt
from mdit_py_plugins.front_matter import front_matter_plugin

from ...model import Comment, Document, LineIndex, SegmentBuilder
from ...ruleset.matching.programs import compile_pattern
from .align import add_aligned

_PARSER = MarkdownIt("commonmark").enable("table").enable("strikethrough").use(front_matter_plugin)
# What follows link text in the source: an inline destination or a reference label (both patterns from the
# program store: compiling them costs more start-up than reading a small file).
_LINK_TAIL = compile_pattern(r"\]\s*(?:\((?:[^()\\\n]|\\.|\([^()\n]*\))*\)|\[[^\]\n]*\])?")
_COMMENT = compile_pattern(r"<!--(.*?)-->", re.DOTALL)

_SCOPE_BY_OPEN = {
    "heading_open": "heading",
    "list_item_open": "list",
    "th_open": "table",
    "td_open": "table",
    "blockquote_open": "quote",
}


BINARY = False  # gets the decoded text


def parse(text: str, path: str) -> Document:
    """Parse Markdown ``text`` into a document of prose segments."""
    document = Document(path, "markdown")
    lines = LineIndex(text)
    tokens = _PARSER.parse(text)
    scopes: list[str] = []
    previous_end = 0
    for token in tokens:
        if token.type == "front_matter":
            from . import frontmatter  # YAML is imported only for files that have front matter

            start, end = lines.offset(token.map[0]), lines.offset(token.map[1])
            document.metadata.update(frontmatter.load(token.content, token.map[0] + 2))
            document.waiver_declaration = frontmatter.waiver_declaration(document.metadata, text, start, end, lines)
            document.segments.extend(frontmatter.prose_segments(document.metadata, text, start, end, lines))
        elif token.type in _SCOPE_BY_OPEN:
            scopes.append(_SCOPE_BY_OPEN[token.type])
        elif token.type.endswith("_close") and token.type.replace("_close", "_open") in _SCOPE_BY_OPEN:
            scopes.pop()
        elif token.type == "html_block":
            from . import html  # only for Markdown that holds HTML blocks

            html.add_block(document, text, lines, token.map[0], token.map[1])
        elif token.type == "inline" and token.map:
            start = lines.offset(token.map[0])
            end = lines.offset(token.map[1])
            if start < previous_end < end:  # another cell of the same table row
                start = previous_end
            scope = scopes[-1] if scopes else "paragraph"
            previous_end = _read_inline(document, token.children or [], text, start, end, scope, lines)
    return document


def _collect_comments(document: Document, source: str, start: int, end: int, lines: LineIndex) -> None:
    for match in _COMMENT.finditer(source, start, end):
        line, column = lines.position(match.start())
        document.comments.append(Comment(match.group(1).strip(), line, column))


def _read_inline(document, children, source, start, end, scope, lines) -> int:
    """Add the prose of one inline token as a segment; return the source cursor after it."""
    builder = SegmentBuilder()
    cursor = start
    in_autolink = False
    for child in children:
        kind = child.type
        if kind == "text" and not in_autolink:
            cursor = add_aligned(builder, child.content, source, cursor, end)
        elif kind in ("softbreak", "hardbreak"):
            newline = source.find("\n", cursor, end)
            if newline != -1:
                builder.add("\n", newline)
                cursor = newline + 1
        elif kind == "link_open":
            in_autolink = child.markup == "autolink"
        elif kind == "link_close":
            if in_autolink:
                closing = source.find(">", cursor, end)
                cursor = closing + 1 if closing != -1 else cursor
            else:
                cursor = _skip_link_tail(source, cursor, end)
            in_autolink = False
        elif kind == "image":
            alt = SegmentBuilder()
            for grandchild in child.children or []:
                if grandchild.type == "text":
                    cursor = add_aligned(alt, grandchild.content, source, cursor, end)
            segment = alt.build("alt", lines)
            if segment:
                document.segments.append(segment)
            cursor = _skip_link_tail(source, cursor, end)
        elif kind in ("code_inline", "html_inline"):
            found = source.find(child.content, cursor, end)
            if found != -1:
                cursor = found + len(child.content)
                if kind == "html_inline":
                    _collect_comments(document, source, found, cursor, lines)
    segment = builder.build(scope, lines)
    if segment:
        document.segments.append(segment)
    return cursor


def _skip_link_tail(source: str, cursor: int, end: int) -> int:
    bracket = source.find("]", cursor, end)
    if bracket == -1:
        return cursor
    tail = _LINK_TAIL.match(source, bracket, end)
    return tail.end() if tail else bracket + 1
