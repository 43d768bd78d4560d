"""HTML reader on the standard library's parser: body prose, titles and alt text."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

from ...model import Comment, Document, InputError, LineIndex, Segment, SegmentBuilder
from .align import add_aligned

SKIPPED = frozenset({"nav", "header", "footer", "script", "style", "noscript", "template", "code", "pre", "svg", "math", "head"})
VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr", "param"})
CONTENT_ROOTS = frozenset({"main", "article"})
# ARIA landmarks that mark a site's furniture on pages without <nav>, <header> or <footer> (many CMS templates).
FURNITURE_ROLES = frozenset({"navigation", "banner", "contentinfo", "search"})
BLOCKS = frozenset({
    "address", "article", "aside", "blockquote", "body", "caption", "dd", "details", "dialog", "div", "dl", "dt",
    "fieldset", "figcaption", "figure", "form", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "html", "legend", "li",
    "main", "ol", "option", "p", "section", "summary", "table", "tbody", "td", "tfoot", "th", "thead", "title",
    "tr", "ul", "label", "button",
})
_SCOPES = {
    "h1": "heading", "h2": "heading", "h3": "heading", "h4": "heading", "h5": "heading", "h6": "heading",
    "li": "list", "dt": "term", "dd": "list", "td": "table", "th": "table", "caption": "table",
    "blockquote": "quote", "title": "title", "summary": "heading",
}
DATE_META = ("date", "article:published_time", "dc.date", "dcterms.date")


def _attribute_pattern(name: str) -> re.Pattern:
    return re.compile(rf"""\s{name}\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+))""", re.IGNORECASE)


_ATTRIBUTES = {name: _attribute_pattern(name) for name in ("alt", "title", "content")}


def _attribute(attributes: dict, name: str) -> str:
    """An attribute's value as compared: trimmed and lower-cased, empty when absent or valueless."""
    return (attributes.get(name) or "").strip().lower()


def _hidden_or_furniture(attributes: dict) -> bool:
    """Whether an element is hidden from readers or is a navigation, banner, footer or search landmark."""
    return ("hidden" in attributes or _attribute(attributes, "aria-hidden") == "true"
            or _attribute(attributes, "role") in FURNITURE_ROLES)


class _Extractor(HTMLParser):
    def __init__(self, source: str, document: Document, lines: LineIndex | None = None, first_line: int = 0):
        super().__init__(convert_charrefs=False)
        self.source = source
        self.document = document
        self.lines = lines or LineIndex(source)
        self.first_line = first_line  # 0-based line of ``source`` where the fed HTML starts
        self.stack: list[str] = []
        # Counts of open tags and the open tags that set a scope, so that an end tag and the
        # current scope cost the same however deep unclosed markup nests.
        self.open_counts: dict[str, int] = {}
        self.scopes: list[tuple[int, str]] = []
        self.languages: list[tuple[int, str]] = []  # (stack depth, lang attribute) of open elements
        self.skip_depth = 0
        self.root_depth = 0
        # Stack depths of the open elements that skip their content or are a content root.
        self.skipped_at: list[int] = []
        self.roots_at: list[int] = []
        self.seen_root = False
        self.in_title = False
        self.builder = SegmentBuilder()
        # (inside <main>/<article>, segment, kept whatever the region) triples; the region is chosen at the end.
        self.candidates: list[tuple[bool, Segment, bool]] = []

    # -- positions -------------------------------------------------------
    def source_offset(self) -> int:
        line, column = self.getpos()
        return self.lines.offset(self.first_line + line - 1) + column

    # -- structure -------------------------------------------------------
    def handle_starttag(self, tag, attrs):
        attributes = {name: value for name, value in attrs}
        if tag == "meta":
            self._meta(attributes)
        if tag in BLOCKS or tag == "title":
            self.flush()
        if tag == "br":
            self.builder.add_break()
        if not self.skip_depth:
            for name, scope in (("alt", "alt"), ("title", "title")):
                if attributes.get(name) and (name != "alt" or tag in ("img", "area", "input")):
                    self._attribute_segment(name, attributes[name], scope)
        if tag in VOID:
            return
        self.stack.append(tag)
        self.open_counts[tag] = self.open_counts.get(tag, 0) + 1
        if tag in _SCOPES:
            self.scopes.append((len(self.stack) - 1, _SCOPES[tag]))
        if attributes.get("lang"):
            self.languages.append((len(self.stack), attributes["lang"]))
        if tag in SKIPPED or _hidden_or_furniture(attributes):
            self.skip_depth += 1
            self.skipped_at.append(len(self.stack))
        if tag in CONTENT_ROOTS or _attribute(attributes, "role") == "main":
            self.root_depth += 1
            self.seen_root = True
            self.roots_at.append(len(self.stack))
        if tag == "title":
            self.in_title = True

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.handle_endtag(tag)

    def handle_endtag(self, tag):
        if not self.open_counts.get(tag):
            return
        if tag in BLOCKS or tag == "title":
            self.flush()
        while self.stack:
            depth = len(self.stack)
            open_tag = self.stack.pop()
            self.open_counts[open_tag] -= 1
            if self.scopes and self.scopes[-1][0] == len(self.stack):
                self.scopes.pop()
            while self.languages and self.languages[-1][0] > len(self.stack):
                self.languages.pop()
            if self.skipped_at and self.skipped_at[-1] == depth:
                self.skipped_at.pop()
                self.skip_depth -= 1
            if self.roots_at and self.roots_at[-1] == depth:
                self.roots_at.pop()
                self.root_depth -= 1
            if open_tag == "title":
                self.flush()
                self.in_title = False
            if open_tag == tag:
                break

    # -- content ---------------------------------------------------------
    def handle_data(self, data):
        if self._collecting():
            self.builder.add(data, self.source_offset())

    def handle_entityref(self, name):
        self._reference(f"&{name};")

    def handle_charref(self, name):
        self._reference(f"&#{name};")

    def _reference(self, reference):
        if self._collecting():
            text = html.unescape(reference)
            self.builder.add_mapped(text, [self.source_offset()] * len(text))

    def handle_comment(self, data):
        line, column = self.getpos()
        self.document.comments.append(Comment(data.strip(), self.first_line + line, column + 1))

    def _collecting(self) -> bool:
        return self.in_title or not self.skip_depth

    # -- helpers ---------------------------------------------------------
    def _scope(self) -> str:
        return self.scopes[-1][1] if self.scopes else "paragraph"

    def _language(self) -> str | None:
        """The ``lang`` of the innermost open element that has one (checked in inputs.languages)."""
        return self.languages[-1][1] if self.languages else None

    def flush(self):
        if not self.builder:
            return
        scope = "title" if self.in_title else self._scope()
        segment = self.builder.build(scope, self.lines)
        self.builder = SegmentBuilder()
        if segment is not None:
            segment.language = self._language()
            # The page title is linted whatever region the body text comes from.
            self.candidates.append((True if self.in_title else self.root_depth > 0, segment, self.in_title))

    def _attribute_segment(self, name: str, value: str, scope: str) -> None:
        raw = self.get_starttag_text() or ""
        found = _ATTRIBUTES[name].search(raw)
        if not found:
            return
        group = next(index for index in (1, 2, 3) if found.group(index) is not None)
        start = self.source_offset() + found.start(group)
        builder = SegmentBuilder()
        add_aligned(builder, value, self.source, start, start + len(found.group(group)))
        segment = builder.build(scope, self.lines)
        if segment is not None:
            segment.language = self._language()
            self.candidates.append((self.root_depth > 0, segment, False))

    def _meta(self, attributes):
        key = (attributes.get("name") or attributes.get("property") or "").strip().lower()
        content = attributes.get("content")
        if content is None:
            return
        if key in DATE_META:
            self.document.metadata.setdefault("date", content.strip())
        elif key == "description" and content.strip():
            self._attribute_segment("content", content, "title")
            segment = self.candidates.pop() if self.candidates else None
            if segment is not None:
                self.candidates.append((True, segment[1], True))

    def finish(self) -> None:
        self.close()
        self.flush()
        for in_root, segment, always in self.candidates:
            if always or in_root or not self.seen_root:
                self.document.segments.append(segment)


BINARY = False  # gets the decoded text


def parse(text: str, path: str) -> Document:
    """Parse HTML ``text``: ``<main>``/``<article>`` prose when present, else the body."""
    document = Document(path, "html")
    _extract(_Extractor(text, document), text)
    return document


def add_block(document: Document, source: str, lines: LineIndex, first_line: int, end_line: int) -> None:
    """Add the prose and comments of the HTML on lines ``first_line`` to ``end_line`` (0-based, end excluded)
    of a larger ``source``, such as an HTML block in Markdown."""
    _extract(_Extractor(source, document, lines, first_line), source[lines.offset(first_line):lines.offset(end_line)])


def _extract(extractor: _Extractor, html_text: str) -> None:
    try:
        extractor.feed(html_text)
        extractor.finish()
    except (AssertionError, ValueError, IndexError) as exc:  # the stdlib parser's own failures
        raise InputError(f"cannot parse HTML: {exc}") from None
