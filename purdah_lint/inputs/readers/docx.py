"""Word (.docx) reader on python-docx: every text block in document order, with a location.

A finding's ``line`` is the number of the text block (a non-empty paragraph, table-cell
paragraph, text box paragraph, image description, header, footer, footnote or comment
paragraph) counted in document order, and its ``column`` the character in that block.
``location`` says where it is in words, e.g. "paragraph 14" or "table 2, row 3, cell 1".
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from dataclasses import dataclass, field

import docx
from docx.opc.exceptions import PackageNotFoundError
from lxml import etree

from ...model import Comment, Document, InputError, LineIndex, Segment, mask_urls
from .docx_safety import open_checked

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
WP = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}"
MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
SKIPPED = {W + "del", W + "moveFrom", W + "instrText", W + "delInstrText", MC + "Fallback", W + "rPr", W + "pPr"}
BREAKS = {W + "br": "\n", W + "cr": "\n", W + "tab": "\t", W + "noBreakHyphen": "-", W + "softHyphen": ""}
FOOTNOTES_RELTYPE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/footnotes"


@dataclass
class _Blocks:
    """Text blocks collected in document order."""

    texts: list[tuple[str, str, str]] = field(default_factory=list)  # (text, scope, location)
    paragraph_count: int = 0
    table_count: int = 0
    image_count: int = 0
    comment_anchors: dict[str, int] = field(default_factory=dict)  # comment id -> block number

    def add(self, text: str, scope: str, location: str) -> None:
        if text.strip():
            self.texts.append((text, scope, location))


def _inline_text(element, boxes: list, images: list, anchors: list) -> str:
    """Visible text of a paragraph: runs, insertions and hyperlinks; not deletions or field codes."""
    parts: list[str] = []
    stack = [iter(element)]
    while stack:
        child = next(stack[-1], None)
        if child is None:
            stack.pop()
            continue
        tag = child.tag
        if not isinstance(tag, str) or tag in SKIPPED:
            continue
        if tag == W + "t":
            parts.append(child.text or "")
        elif tag in BREAKS:
            parts.append(BREAKS[tag])
        elif tag == W + "txbxContent":
            boxes.append(child)
        elif tag == WP + "docPr":
            description = child.get("descr") or child.get("title")
            if description:
                images.append(description)
        elif tag == W + "commentRangeStart":
            anchors.append(child.get(W + "id"))
        else:
            stack.append(iter(child))
    return "".join(parts)


def _paragraph(blocks: _Blocks, element, scope: str, location: str | None) -> None:
    boxes, images, anchors = [], [], []
    text = _inline_text(element, boxes, images, anchors)
    if location is None:  # a body paragraph: numbered when it has text
        if text.strip():
            blocks.paragraph_count += 1
        location = f"paragraph {blocks.paragraph_count}"
    for anchor in anchors:
        blocks.comment_anchors[anchor] = len(blocks.texts) + 1
    blocks.add(text, scope, location)
    for box in boxes:
        for inner in box.iter(W + "p"):
            blocks.add(_inline_text(inner, [], [], []), "paragraph", f"text box in {location}")
    for description in images:
        blocks.image_count += 1
        blocks.add(description, "alt", f"image {blocks.image_count} description")


def _body(blocks: _Blocks, container, location: str | None = None) -> None:
    """Paragraphs and tables of a body, cell, header or footer, in order."""
    for child in container:
        if child.tag == W + "p":
            _paragraph(blocks, child, _scope(child), location)
        elif child.tag == W + "tbl":
            blocks.table_count += 1
            _table(blocks, child, f"{location}, table" if location else f"table {blocks.table_count}")
        elif child.tag == W + "sdt":
            content = child.find(W + "sdtContent")
            if content is not None:
                _body(blocks, content, location)


def _table(blocks: _Blocks, table, name: str) -> None:
    for row_number, row in enumerate(table.iter(W + "tr"), 1):
        if row.getparent() is not table:
            continue  # rows of nested tables are read with their own table
        cells = [cell for cell in row if cell.tag == W + "tc"]
        for cell_number, cell in enumerate(cells, 1):
            _body(blocks, cell, f"{name}, row {row_number}, cell {cell_number}")


def _scope(paragraph) -> str:
    """heading, list or paragraph, from the paragraph's style and numbering."""
    style = paragraph.find(f"{W}pPr/{W}pStyle")
    value = ((style.get(W + "val") if style is not None else "") or "").lower()
    if value.startswith(("heading", "title", "subtitle")):
        return "heading"
    if value.startswith("list") or paragraph.find(f"{W}pPr/{W}numPr") is not None:
        return "list"
    return "paragraph"


def _headers_and_footers(blocks: _Blocks, document, kind: str) -> None:
    seen = set()
    for number, section in enumerate(document.sections, 1):
        for variant in ("", "first_page_", "even_page_"):
            part = getattr(section, f"{variant}{kind}")
            if part.is_linked_to_previous or id(part._element) in seen:
                continue
            seen.add(id(part._element))
            label = f"{variant.replace('_', ' ')}{kind}".strip()
            _body(blocks, part._element, label if number == 1 else f"{label} (section {number})")


def _footnotes(blocks: _Blocks, document) -> None:
    for relationship in document.part.rels.values():
        if relationship.reltype != FOOTNOTES_RELTYPE or relationship.is_external:
            continue
        root = etree.fromstring(relationship.target_part.blob)
        for note in root.iter(W + "footnote"):
            if note.get(W + "type") in ("separator", "continuationSeparator", "continuationNotice"):
                continue
            for paragraph in note.iter(W + "p"):
                _paragraph(blocks, paragraph, "paragraph", f"footnote {note.get(W + 'id')}")


def _comments(blocks: _Blocks, document, result: Document) -> None:
    for comment in document.comments:
        text = "\n".join(paragraph.text for paragraph in comment.paragraphs)
        anchor = blocks.comment_anchors.get(str(comment.comment_id))
        result.comments.append(Comment(text.strip(), anchor or 1, 1))
        if text.strip().lower().startswith("purdah-lint:"):
            continue  # a waiver, not prose
        for paragraph in comment.paragraphs:
            blocks.add(paragraph.text, "paragraph", f"comment {comment.comment_id}")


def _metadata(document, result: Document, blocks: _Blocks) -> None:
    properties = document.core_properties
    for key in ("title", "subject"):
        value = getattr(properties, key) or ""
        result.metadata[key] = value
        blocks.add(value, "title", f"document {key}")
    note = (properties.comments or "").strip()
    if note.lower().startswith("purdah-lint:"):
        result.waiver_declaration = (note, 1)
    for key in ("created", "modified"):
        value = getattr(properties, key)
        if isinstance(value, dt.datetime):
            result.metadata[key] = value.date()
    if result.metadata.get("modified") or result.metadata.get("created"):
        result.metadata["date"] = result.metadata.get("modified") or result.metadata.get("created")


BINARY = True  # gets the file's bytes: a .docx is a zip archive


def _read(data: bytes, path: str) -> tuple[Document, _Blocks]:
    archive = open_checked(data, path)
    archive.close()
    try:
        document = docx.Document(io.BytesIO(data))
        result = Document(path, "docx")
        blocks = _Blocks()
        # The body comes first so that, without tables before it, paragraph N is line N.
        _body(blocks, document.element.body)
        _headers_and_footers(blocks, document, "header")
        _headers_and_footers(blocks, document, "footer")
        _footnotes(blocks, document)
        _comments(blocks, document, result)
        _metadata(document, result, blocks)
    except (PackageNotFoundError, KeyError, zipfile.BadZipFile, etree.XMLSyntaxError, ValueError) as exc:
        raise InputError(f"corrupt .docx ({type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else 'unreadable'})") from None
    return result, blocks


def text_blocks(data: bytes, path: str) -> list[tuple[str, str]]:
    """Each text block (flattened to one line) and its location; block N is what findings call line N."""
    return [(text.replace("\n", " "), location) for text, _, location in _read(data, path)[1].texts]


def parse(data: bytes, path: str) -> Document:
    """Read a .docx file's bytes into a document of text blocks."""
    result, blocks = _read(data, path)
    virtual = "\n".join(text.replace("\n", " ") for text, _, _ in blocks.texts)
    lines = LineIndex(virtual)
    offset = 0
    for text, scope, location in blocks.texts:
        flat = text.replace("\n", " ")
        result.segments.append(Segment(mask_urls(flat), scope, [(0, offset)], lines, location))
        offset += len(flat) + 1
    return result
