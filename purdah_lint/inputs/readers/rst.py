"""reStructuredText reader on docutils alone (no Sphinx), tolerant of Sphinx markup."""

from __future__ import annotations

import contextlib
import copy
import functools
import io
import re
import sys

from docutils import frontend, nodes
from docutils.core import publish_doctree
from docutils.parsers.rst import Directive, Parser, directives, roles
from docutils.readers.standalone import Reader
from docutils.transforms.references import AnonymousHyperlinks, DanglingReferences, Footnotes, Substitutions
from docutils.writers.null import Writer as NullWriter

from ...model import Document, InputError
from .doctree import DoctreeReader
from .rst_inline import LinearInliner

_SETTINGS = {
    "report_level": 5,  # Sphinx-only markup must not fill the output with errors
    "halt_level": 5,
    "traceback": True,  # raise errors to the caller, as docutils does for programmatic use
    "warning_stream": io.StringIO(),
    "file_insertion_enabled": False,  # never read other files named in a draft
    "raw_enabled": False,
    "input_encoding": "unicode",
    "smart_quotes": False,
    "pep_references": False,
    "rfc_references": False,
    # docutils drops a whole document holding one line over 10,000 characters (a guard against its
    # own quadratic inline parsing, which LinearInliner removes): a generated one-line file is read.
    "line_length_limit": sys.maxsize,
}

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


# Substitutions: their text is not in the source. Footnote numbering (footnote references are not
# prose), pairing anonymous references with targets and marking dangling references (markers that
# hid the words) each look up every reference in its paragraph's list of children: time quadratic
# in a paragraph of thousands of references, for nothing prose reading uses.
_UNUSED_TRANSFORMS = (Substitutions, Footnotes, AnonymousHyperlinks, DanglingReferences)


class _Reader(Reader):
    """The standalone reader, without transforms prose reading has no use for."""

    def get_transforms(self):
        return [transform for transform in super().get_transforms() if transform not in _UNUSED_TRANSFORMS]


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


# Characters str.splitlines() breaks lines at but editors do not: docutils would count lines differently.
_NOT_LINE_BREAKS = str.maketrans({code: " " for code in (0x0B, 0x0C, 0x1C, 0x1D, 0x1E, 0x85, 0x2028, 0x2029)})


@functools.lru_cache(maxsize=1)
def _default_settings():
    """docutils' settings for our reader, built once: its option parser is costly to make per file."""
    settings = frontend.get_default_settings(Parser, _Reader, NullWriter)
    for name, value in _SETTINGS.items():
        setattr(settings, name, value)
    return settings


BINARY = False  # gets the decoded text
# docutils parses each indented block with a state machine of its own holding a copy of its lines,
# so memory grows with lines times depth: 3,000 nested list items took 2.7 GB. No draft nests so deep.
MAX_NESTING = 100


def _check_nesting(text: str) -> None:
    """Refuse text indented more than ``MAX_NESTING`` levels deep, before docutils builds the levels."""
    indents = [0]
    for number, line in enumerate(text.splitlines(), 1):
        body = line.lstrip(" \t")
        if not body:
            continue
        indent = len(line[:len(line) - len(body)].expandtabs(8))
        while indent < indents[-1]:
            indents.pop()
        if indent > indents[-1]:
            indents.append(indent)
            if len(indents) > MAX_NESTING:
                raise InputError(f"line {number}: reStructuredText indented more than {MAX_NESTING} levels deep; "
                                 "not checked (flatten the nested lists or quotes)")


def parse(text: str, path: str) -> Document:
    """Parse reStructuredText ``text`` into a document of prose segments."""
    _check_nesting(text)
    settings = copy.copy(_default_settings())
    settings.warning_stream = io.StringIO()
    source = text.translate(_NOT_LINE_BREAKS)  # one character for one: offsets still match the file
    with _sphinx_tolerance():
        tree = publish_doctree(source, source_path=path, reader=_Reader(), parser=Parser(inliner=LinearInliner()),
                               settings=settings)
    reader = DoctreeReader(read_source=lambda name: source if name == path else None, shown_path=lambda _: path)
    document = reader.read(tree, path).get(path) or Document(path, "rst")
    _read_metadata(tree, document)
    return document


def _read_metadata(tree, document: Document) -> None:
    """Dates and kind from the document's bibliographic fields: the field list at its top (before
    anything but a title and comments), as docutils and Sphinx read one. A field list further
    down is content, not metadata: Ansible's manual describes an argument's ``:date:`` key inside
    a nested list, which was read as the page's date and refused as not a date."""
    docinfo = next(iter(tree.findall(nodes.docinfo)), None)
    if docinfo is None:
        return
    for field in docinfo.findall(nodes.date):
        if not _substitution_only(field):
            document.metadata.setdefault("date", _field_text(field))
    for field in docinfo.findall(nodes.field):
        name = field[0].astext().strip().lower().replace("-", "_")
        if name in ("date", "publish_date", "embargo_until", "kind") and not _substitution_only(field[1]):
            document.metadata.setdefault(name, _field_text(field[1]))


def _field_text(node) -> str:
    """A field's value as written, less footnote marks, with a version-control date keyword
    (``$Date: 2025-05-27 08:17:22 +0200 (Di, 27. Mai 2025) $``) read as the date it holds, as
    docutils itself reads one standing alone."""
    if any(True for _ in node.findall(_is_reference)):
        node = node.deepcopy()
        for reference in list(node.findall(_is_reference)):
            reference.parent.remove(reference)
    return _DATE_KEYWORD.sub(r"\1-\2-\3", node.astext().strip()).strip()


def _is_reference(node) -> bool:
    return isinstance(node, (nodes.footnote_reference, nodes.citation_reference))


def _substitution_only(node) -> bool:
    """Whether a field's value is only something a tool fills in later: substitutions the build
    fills in (Sphinx's ``:Date: |today|``) or a version-control keyword never expanded (``$Date$``).

    Such a field states no date in the source, so it is not read as one (and is not an error)."""
    if _UNEXPANDED_KEYWORD.fullmatch(_field_text(node)):
        return True
    texts = [reference.astext() for reference in node.findall(nodes.substitution_reference)]
    return bool(texts) and "".join(node.astext().split()) == "".join("".join(texts).split())


_UNEXPANDED_KEYWORD = re.compile(r"\$[A-Za-z]+\$")
_DATE_KEYWORD = re.compile(r"\$Date: (\d{4})[-/](\d\d)[-/](\d\d)[^$]{0,80}\$")
