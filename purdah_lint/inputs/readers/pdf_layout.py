"""Text of a PDF page by page with pdfminer.six: blocks of lines in reading order, and where each line sits.

Only page content is interpreted: JavaScript, attachments, form fields and annotations are never
read, let alone run.
"""

from __future__ import annotations

import io
import re
import unicodedata
from dataclasses import dataclass, field

from pdfminer.converter import PDFPageAggregator
from pdfminer.layout import LAParams, LTFigure, LTImage, LTTextBox, LTTextLine
from pdfminer.pdfdocument import PDFDocument
from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
from pdfminer.pdfpage import PDFPage
from pdfminer.pdfparser import PDFParser
from pdfminer.pdftypes import resolve1

from ...model import InputError
from .pdf_order import Block, reading_order
from .pdf_safety import MAX_PAGES

# pdfminer groups lines into blocks; reading_order then orders the blocks by columns and rows, so
# pdfminer's own (costlier) ordering is off (boxes_flow=None). all_texts reads form XObjects too.
LAYOUT = LAParams(boxes_flow=None, all_texts=True)
_UNMAPPED_GLYPH = re.compile(r"\(cid:\d+\)")
_SPACES = re.compile(r"\s+")
SOFT_HYPHEN = "\u00ad"


@dataclass(slots=True)
class Line:
    """One text line as read: normalised text, its block on the page, and its height from the page's edges."""

    text: str
    block: int
    from_top: float  # 0 at the top edge of the page, 1 at the bottom
    unmapped: int = 0  # glyphs the font gives no character for


@dataclass(slots=True)
class Page:
    """The text lines of one page in reading order, and whether it holds pictures."""

    number: int
    lines: list[Line] = field(default_factory=list)
    has_images: bool = False


def normalise(text: str) -> str:
    """Compatibility characters (ligatures, wide forms) as plain ones, soft hyphens dropped, spaces single."""
    text = unicodedata.normalize("NFKC", text.replace(SOFT_HYPHEN, "")) if not text.isascii() else text
    return _SPACES.sub(" ", text).strip()


MAX_DRAWN_PER_PAGE = 100_000  # characters, shapes and pictures; a dense printed page draws about 6,000


class _BoundedAggregator(PDFPageAggregator):
    """pdfminer's page aggregator, refusing a page that draws more than a page could show.

    pdfminer keeps an object for every character and shape of a page until the page is laid out:
    a page drawing the same text a million times would take minutes and gigabytes.
    """

    drawn = 0

    def begin_page(self, page, ctm) -> None:
        self.drawn = 0
        super().begin_page(page, ctm)

    def _count(self) -> None:
        self.drawn += 1
        if self.drawn > MAX_DRAWN_PER_PAGE:
            raise InputError(f"PDF page {self.pageno} draws more than {MAX_DRAWN_PER_PAGE:,} characters and shapes "
                             "(a generated or damaged file); refused")

    def render_char(self, *args, **kwargs) -> float:
        self._count()
        return super().render_char(*args, **kwargs)

    def paint_path(self, *args, **kwargs) -> None:
        self._count()
        super().paint_path(*args, **kwargs)

    def render_image(self, *args, **kwargs) -> None:
        self._count()
        super().render_image(*args, **kwargs)


def open_document(data: bytes) -> PDFDocument:
    """Parse the file's structure, opening an encrypted file only when it needs no password."""
    return PDFDocument(PDFParser(io.BytesIO(data)), password="")


def declared_page_count(document: PDFDocument) -> int | None:
    """The page count the page tree claims, read before any page is."""
    pages = resolve1(document.catalog.get("Pages"))
    count = resolve1(pages.get("Count")) if isinstance(pages, dict) else None
    return count if isinstance(count, int) else None


def read_pages(document: PDFDocument) -> list[Page]:
    """Every page's lines in reading order; more than the page limit is refused."""
    declared = declared_page_count(document)
    if declared is not None and declared > MAX_PAGES:
        raise InputError(f"PDF has {declared:,} pages, over the limit of {MAX_PAGES:,}; refused")
    resources = PDFResourceManager(caching=True)
    device = _BoundedAggregator(resources, laparams=LAYOUT)
    interpreter = PDFPageInterpreter(resources, device)
    pages: list[Page] = []
    for number, pdf_page in enumerate(PDFPage.create_pages(document), 1):
        if number > MAX_PAGES:
            raise InputError(f"PDF has more than {MAX_PAGES:,} pages; refused")
        interpreter.process_page(pdf_page)
        pages.append(_page(number, device.get_result()))
    return pages


def _page(number: int, layout) -> Page:
    page = Page(number)
    top, height = layout.y1, max(layout.height, 1.0)
    boxes = [Block(item.x0, top - item.y1, item.x1, top - item.y0,
                   [line for line in item if isinstance(line, LTTextLine)] if isinstance(item, LTTextBox) else [item])
             for item in _items(layout, page)]
    for block_number, block in enumerate(reading_order(boxes), 1):
        for line in block.lines:
            raw = line.get_text()
            unmapped = len(_UNMAPPED_GLYPH.findall(raw))
            text = normalise(_UNMAPPED_GLYPH.sub("", raw))
            if text or unmapped:
                page.lines.append(Line(text, block_number, (top - line.y1) / height, unmapped))
    return page


def _items(container, page: Page):
    """Text boxes (and loose lines) in pdfminer's reading order, looking inside figures; notes images."""
    for item in container:
        if isinstance(item, (LTTextBox, LTTextLine)):
            yield item
        elif isinstance(item, LTImage):
            page.has_images = True
        elif isinstance(item, LTFigure):
            yield from _items(item, page)
