"""Prose segments from a docutils doctree, positioned in the source files its nodes came from.

Shared by the reStructuredText reader and the Sphinx extension, so a page gives the same
findings whichever way it is checked.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from typing import Callable

from docutils import nodes

from ...model import Comment, Document, LineIndex, SegmentBuilder
from .align import add_aligned

PROSE = (nodes.paragraph, nodes.title, nodes.subtitle, nodes.rubric, nodes.term, nodes.line,
         nodes.caption, nodes.attribution)
SKIPPED_BLOCKS = (nodes.literal_block, nodes.doctest_block, nodes.comment, nodes.raw, nodes.system_message,
                  nodes.substitution_definition, nodes.math_block, nodes.target, nodes.docinfo)
SKIPPED_INLINE = (nodes.literal, nodes.substitution_reference, nodes.problematic, nodes.raw,
                  nodes.footnote_reference, nodes.citation_reference, nodes.math, nodes.target,
                  nodes.system_message)
NODE_SCOPES = ((nodes.term, "term"), (nodes.title, "heading"), (nodes.subtitle, "heading"), (nodes.rubric, "heading"),
          (nodes.entry, "table"), (nodes.list_item, "list"), (nodes.definition_list_item, "list"),
          (nodes.block_quote, "quote"))
_COMMENT_MARKER = re.compile(r"\s*\.\.(?:\s|$)")
_HTML_COMMENT = re.compile(r"^\s*<!--(.*?)-->\s*$", re.DOTALL)
SKIP_CLASS = "purdah-skip"  # a container the docs mark as describing rules, not announcing anything


@dataclass
class _Source:
    text: str
    lines: LineIndex
    document: Document
    cursor: int = 0


@dataclass
class DoctreeReader:
    """Walks a doctree once, adding segments and comments to one document per source file."""

    read_source: Callable[[str], str | None]
    shown_path: Callable[[str], str]
    skipped_blocks: tuple = SKIPPED_BLOCKS
    skipped_inline: tuple = SKIPPED_INLINE
    format: str = "rst"
    markers: tuple = ()  # inline nodes whose text is a waiver (the Sphinx role)
    documents: dict[str, Document] = field(default_factory=dict)
    _sources: dict[str, _Source | None] = field(default_factory=dict)

    def source(self, path: str | None) -> _Source | None:
        """The source file a node came from, read once."""
        if path is None:
            return None
        if path not in self._sources:
            text = self.read_source(path)
            if text is None:
                self._sources[path] = None
            else:
                document = self.documents.setdefault(path, Document(self.shown_path(path), self.format))
                self._sources[path] = _Source(text, LineIndex(text), document)
        return self._sources[path]

    def read(self, tree: nodes.Node, default_source: str) -> dict[str, Document]:
        """Add the prose and comments of ``tree``; return the documents by source path."""
        self.source(default_source)
        folder = os.path.dirname(default_source)
        for node in tree.findall(nodes.Element):
            source = self.source(_resolve(_source_of(node) or default_source, default_source, folder))
            if source is None:
                continue
            comment = node.astext().strip() if isinstance(node, self.markers) else _comment_text(node)
            if comment is not None:
                line = _marker_line(node, comment, source) if isinstance(node, nodes.comment) else None
                source.document.comments.append(Comment(comment, line or node.line or _line_of(node), 1))
            if _inside(node, self.skipped_blocks) or _skipped_by_class(node):
                continue
            if isinstance(node, nodes.image) and node.get("alt") and node.line:
                start = source.lines.offset(node.line - 1)
                self._add(source, [node["alt"]], start, len(source.text), "alt")
            elif isinstance(node, PROSE):
                start, end = _source_range(node, source, underlined=self.format == "rst")
                source.cursor = self._add(source, self._prose_texts(node), start, end, _scope(node))
        return self.documents

    def _prose_texts(self, node) -> list[str]:
        texts = []
        for text in node.findall(nodes.Text):
            parent = text.parent
            if _inside_below(parent, node, self.skipped_inline):
                continue
            if isinstance(parent, nodes.reference) and parent.get("refuri") == text.astext():
                continue  # a bare URL
            texts.append(str(text))
        return texts

    @staticmethod
    def _add(source: _Source, texts, start, end, scope) -> int:
        builder = SegmentBuilder()
        cursor = start
        for piece in texts:
            cursor = add_aligned(builder, piece, source.text, cursor, end)
        segment = builder.build(scope, source.lines)
        if segment:
            source.document.segments.append(segment)
        return cursor


def _resolve(found: str, default_source: str, folder: str) -> str:
    """An included file's path: Sphinx names it relative to the working folder, docutils to the page."""
    if found == default_source or os.path.isabs(found):
        return found
    from_cwd = os.path.abspath(found)
    return from_cwd if os.path.exists(from_cwd) else os.path.normpath(os.path.join(folder, found))


def _source_of(node) -> str | None:
    while node is not None:
        if getattr(node, "source", None):
            return node.source
        node = node.parent
    return None


def _line_of(node) -> int:
    while node is not None:
        if getattr(node, "line", None):
            return node.line
        node = node.parent
    return 1


def _marker_line(node, comment: str, source: _Source) -> int | None:
    """The line of a comment's ``..`` marker: docutils numbers a comment by the line after its last."""
    first = comment.split("\n", 1)[0].strip()
    if not (node.line and first):
        return None  # an empty comment, or one a directive made, keeps the line docutils gives
    for number in range(node.line - 1, max(node.line - 200, 0), -1):
        if _COMMENT_MARKER.match(source.text[source.lines.offset(number - 1):source.lines.offset(number)]):
            written = source.text[source.lines.offset(number - 1):source.lines.offset(node.line - 1)]
            return number if first in written else None
    return None


def _comment_text(node) -> str | None:
    if isinstance(node, nodes.comment):
        return node.astext().strip()
    if isinstance(node, nodes.raw) and "html" in node.get("format", ""):
        found = _HTML_COMMENT.match(node.astext())
        return found.group(1).strip() if found else None
    return None


def _skipped_by_class(node) -> bool:
    while node is not None:
        if SKIP_CLASS in node.get("classes", ()) if isinstance(node, nodes.Element) else False:
            return True
        node = node.parent
    return False


def _inside(node, kinds) -> bool:
    while node is not None:
        if isinstance(node, kinds):
            return True
        node = node.parent
    return False


def _inside_below(node, top, kinds) -> bool:
    while node is not None and node is not top:
        if isinstance(node, kinds):
            return True
        node = node.parent
    return False


def _scope(node) -> str:
    for kind, scope in NODE_SCOPES:
        if _inside(node, kind):
            return scope
    return "paragraph"


def _source_range(node, source: _Source, underlined: bool) -> tuple[int, int]:
    """The stretch of source an element's text comes from, by its line and raw source."""
    height = (node.rawsource or node.astext()).count("\n") + 1
    line = node.line
    if not line:
        return source.cursor, len(source.text)
    if underlined and isinstance(node, (nodes.title, nodes.subtitle)):
        # docutils gives a section title the line of its underline.
        line -= height + 1
        height += 2
    first = max(0, line - 1)
    return source.lines.offset(first), source.lines.offset(first + height + 1)
