"""reStructuredText reader on docutils alone (no Sphinx), tolerant of Sphinx markup."""

from __future__ import annotations

import contextlib
import io
import re

from docutils import nodes
from docutils.core import publish_doctree
from docutils.parsers.rst import Directive, directives, roles
from docutils.readers.standalone import Reader
from docutils.transforms.references import Substitutions

from ..model import Comment, Document, LineIndex, SegmentBuilder
from .align import add_aligned

_SETTINGS = {
    "report_level": 5,  # Sphinx-only markup must not fill the output with errors
    "halt_level": 5,
    "warning_stream": io.StringIO(),
    "file_insertion_enabled": False,  # never read other files named in a draft
    "raw_enabled": False,
    "input_encoding": "unicode",
    "smart_quotes": False,
    "pep_references": False,
    "rfc_references": False,
}

PROSE = (nodes.paragraph, nodes.title, nodes.subtitle, nodes.rubric, nodes.term, nodes.line,
         nodes.caption, nodes.attribution)
SKIPPED_BLOCKS = (nodes.literal_block, nodes.doctest_block, nodes.comment, nodes.raw, nodes.system_message,
                  nodes.substitution_definition, nodes.math_block, nodes.target, nodes.docinfo)
SKIPPED_INLINE = (nodes.literal, nodes.substitution_reference, nodes.problematic, nodes.raw, nodes.footnote_reference,
                  nodes.citation_reference, nodes.math, nodes.target, nodes.system_message)
_SCOPES = ((nodes.title, "heading"), (nodes.subtitle, "heading"), (nodes.rubric, "heading"),
           (nodes.entry, "table"), (nodes.list_item, "list"), (nodes.definition_list_item, "list"),
           (nodes.block_quote, "quote"))

# Sphinx roles whose text is prose (shown as written or as "title <target>").
_PROSE_ROLES = ("ref", "doc", "term", "any", "numref", "abbr", "dfn", "guilabel", "menuselection", "download",
                "keyword", "eq")
# Sphinx directives whose content is prose, and ones whose content is not.
_PROSE_DIRECTIVES = ("only", "versionadded", "versionchanged", "deprecated", "versionremoved", "seealso",
                     "centered", "hlist", "glossary", "tab", "tab-item", "grid-item-card", "dropdown", "card")
_SKIPPED_DIRECTIVES = ("toctree", "literalinclude", "highlight", "index", "autosummary", "automodule", "autoclass",
                       "autofunction", "automethod", "autoattribute", "autodata", "tabularcolumns",
                       "productionlist", "graphviz", "mermaid", "sourcecode", "program", "currentmodule",
                       "module", "py:module", "py:function", "py:class", "todo", "todolist")
_TITLE_TARGET = re.compile(r"^(.*?)\s*<[^<>]*>$", re.DOTALL)


class _Reader(Reader):
    """The standalone reader, leaving substitutions unexpanded: their text is not in the source."""

    def get_transforms(self):
        return [transform for transform in super().get_transforms() if transform is not Substitutions]


def _prose_role(name, rawtext, text, lineno, inliner, options=None, content=None):
    title = _TITLE_TARGET.match(text)
    return [nodes.inline(rawtext, title.group(1) if title else text)], []


class _ProseDirective(Directive):
    has_content = True
    optional_arguments = 10
    final_argument_whitespace = True
    option_spec = None

    def run(self):
        container = nodes.container()
        self.state.nested_parse(self.content, self.content_offset, container)
        return [container]


class _SkippedDirective(_ProseDirective):
    def run(self):
        return []


@contextlib.contextmanager
def _sphinx_tolerance():
    """Register stand-ins for Sphinx roles and directives, then restore docutils' tables."""
    saved_roles, saved_directives = dict(roles._roles), dict(directives._directives)
    try:
        for name in _PROSE_ROLES:
            roles._roles.setdefault(name, _prose_role)
        for name in _PROSE_DIRECTIVES:
            directives._directives.setdefault(name, _ProseDirective)
        for name in _SKIPPED_DIRECTIVES:
            directives._directives.setdefault(name, _SkippedDirective)
        yield
    finally:
        roles._roles.clear()
        roles._roles.update(saved_roles)
        directives._directives.clear()
        directives._directives.update(saved_directives)


def parse(text: str, path: str) -> Document:
    """Parse reStructuredText ``text`` into a document of prose segments."""
    document = Document(path, "rst")
    with _sphinx_tolerance():
        tree = publish_doctree(text, source_path=path, reader=_Reader(), settings_overrides=dict(_SETTINGS, warning_stream=io.StringIO()))
    lines = LineIndex(text)
    line_starts = [0] + [m.end() for m in re.finditer("\n", text)] + [len(text)]
    _read_metadata(tree, document)
    cursor = 0
    for node in tree.findall(nodes.Element):
        if isinstance(node, nodes.comment):
            document.comments.append(Comment(node.astext().strip(), node.line or 1, 1))
        if _inside(node, SKIPPED_BLOCKS):
            continue
        if isinstance(node, nodes.image) and node.get("alt") and node.line:
            start = line_starts[min(node.line - 1, len(line_starts) - 1)]
            _add_segment(document, [node["alt"]], text, start, len(text), "alt", lines)
        elif isinstance(node, PROSE):
            start, end = _source_range(node, line_starts, cursor)
            cursor = _add_segment(document, _prose_texts(node), text, start, end, _scope(node), lines)
    return document


def _read_metadata(tree, document: Document) -> None:
    for field in tree.findall(nodes.date):
        document.metadata.setdefault("date", field.astext().strip())
    for field in tree.findall(nodes.field):
        name = field[0].astext().strip().lower().replace("-", "_")
        if name in ("date", "publish_date", "embargo_until", "kind"):
            document.metadata.setdefault(name, field[1].astext().strip())


def _inside(node, kinds) -> bool:
    while node is not None:
        if isinstance(node, kinds):
            return True
        node = node.parent
    return False


def _scope(node) -> str:
    for kind, scope in _SCOPES:
        if _inside(node, kind):
            return scope
    return "paragraph"


def _source_range(node, line_starts: list[int], cursor: int) -> tuple[int, int]:
    """The stretch of source an element's text comes from, by its line and raw source."""
    height = (node.rawsource or node.astext()).count("\n") + 1
    line = node.line
    if not line:
        return cursor, line_starts[-1]
    if isinstance(node, (nodes.title, nodes.subtitle)):
        # docutils gives a section title the line of its underline.
        line -= height + 1
        height += 2
    last = len(line_starts) - 1
    first = max(0, min(line - 1, last))
    return line_starts[first], line_starts[min(first + height + 1, last)]


def _prose_texts(node) -> list[str]:
    texts = []
    for text in node.findall(nodes.Text):
        parent = text.parent
        if _inside_below(parent, node, SKIPPED_INLINE):
            continue
        if isinstance(parent, nodes.reference) and parent.get("refuri") == text.astext():
            continue  # a bare URL
        texts.append(str(text))
    return texts


def _inside_below(node, top, kinds) -> bool:
    while node is not None and node is not top:
        if isinstance(node, kinds):
            return True
        node = node.parent
    return False


def _add_segment(document, texts, source, start, end, scope, lines) -> int:
    builder = SegmentBuilder()
    cursor = start
    for piece in texts:
        cursor = add_aligned(builder, piece, source, cursor, end)
    segment = builder.build(scope, lines)
    if segment:
        document.segments.append(segment)
    return cursor
