"""PDF reader on pdfminer.six: text lines in reading order, page furniture read once, places by page and line.

A finding's ``line`` counts text lines through the whole document in reading order (running
headers and footers included, though only their first appearance is checked), its ``column``
the character in that line after normalisation, and ``location`` says "page 3, line 12".
"""

from __future__ import annotations

import datetime as dt
import re
import struct
import zlib

from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
from pdfminer.pdftypes import resolve1
from pdfminer.psexceptions import PSException
from pdfminer.utils import decode_text

from ...model import Document, InputError, LineIndex, SegmentBuilder
from . import pdf_safety
from .pdf_furniture import repeats
from .pdf_layout import Line, Page, open_document, read_pages

pdf_safety.install()

# pdfminer reports damaged files with its own exceptions and, deep inside, with these.
DAMAGED = (PSException, ValueError, KeyError, TypeError, IndexError, AttributeError, AssertionError,
           struct.error, zlib.error, OverflowError, ZeroDivisionError, UnicodeError)
_HYPHENATED = re.compile(r"[^\W\d_]+-[^\W\d_]+")
_LAST_WORD = re.compile(r"([^\W\d_]+)-$")
_FIRST_WORD = re.compile(r"[^\W\d_]+")
_PDF_DATE = re.compile(r"(?:D:)?(\d{4})(\d{2})?(\d{2})?")
PROPERTIES = (("Title", "title"), ("Subject", "subject"))


BINARY = True  # gets the file's bytes: pdfminer.six decodes them


def parse(data: bytes, path: str) -> Document:
    """Read a PDF's bytes into a document of text blocks, each mapped to its page and line."""
    pdf_safety.check_envelope(data)
    try:
        with pdf_safety.reading_limits():
            document = open_document(data)
            pages = read_pages(document)
            info = document.info
    except PDFPasswordIncorrect:
        raise InputError("encrypted PDF that needs a password to open; save a copy without one to check it") from None
    except PDFEncryptionError as exc:
        raise InputError(f"encrypted PDF that cannot be opened ({_first_line(exc)}); save a copy without "
                         "encryption to check it") from None
    except RecursionError:
        raise InputError("PDF objects are nested too deeply to read") from None
    except DAMAGED as exc:
        raise InputError(f"corrupt PDF ({type(exc).__name__}: {_first_line(exc)})") from None
    result = Document(path, "pdf")
    _refuse_or_note_scans(pages, result)
    properties = _properties(info, result)
    _build(pages, properties, result)
    return result


def _first_line(exc: Exception) -> str:
    text = str(exc).strip()
    return text.splitlines()[0][:200] if text else "unreadable"


def _refuse_or_note_scans(pages: list[Page], result: Document) -> None:
    """No text at all is an error that asks for OCR; a few pages without text are a notice."""
    scanned = [page.number for page in pages if page.has_images and not any(line.text for line in page.lines)]
    if not pages:
        raise InputError("PDF has no pages")
    if not any(line.text for page in pages for line in page.lines):
        if any(line.unmapped for page in pages for line in page.lines):
            raise InputError("PDF text cannot be decoded (its fonts map no characters); it needs OCR "
                             "(optical character recognition) before it can be checked")
        if scanned:
            raise InputError("PDF has no text layer (scanned images only); it needs OCR "
                             "(optical character recognition) before it can be checked")
        raise InputError("PDF has no text to check")
    if scanned:
        listed = ", ".join(map(str, scanned[:10])) + (" …" if len(scanned) > 10 else "")
        result.notices.append(f"page{'s' if len(scanned) > 1 else ''} {listed} of the PDF ha{'ve' if len(scanned) > 1 else 's'} "
                              "no text layer (scanned images); those pages need OCR to be checked")


def _properties(info: list[dict], result: Document) -> list[tuple[str, str]]:
    """Title and subject to check as text, and the document's date for the as-of date."""
    merged: dict = {}
    for entry in info:
        if isinstance(entry, dict):
            merged.update(entry)
    texts = []
    for key, name in PROPERTIES:
        value = _text(merged.get(key))
        result.metadata[name] = value
        if value:
            texts.append((value, f"document {name}"))
    for key, name in (("ModDate", "modified"), ("CreationDate", "created")):
        value = _date(_text(merged.get(key)))
        if value is not None:
            result.metadata[name] = value
    if result.metadata.get("modified") or result.metadata.get("created"):
        result.metadata["date"] = result.metadata.get("modified") or result.metadata.get("created")
    return texts


def _text(value) -> str:
    value = resolve1(value)
    if isinstance(value, bytes):
        return " ".join(decode_text(value).split())
    return " ".join(value.split()) if isinstance(value, str) else ""


def _date(text: str) -> dt.date | None:
    match = _PDF_DATE.match(text)
    if not match:
        return None
    try:
        return dt.date(int(match.group(1)), int(match.group(2) or 1), int(match.group(3) or 1))
    except ValueError:
        return None


def _build(pages: list[Page], properties: list[tuple[str, str]], result: Document) -> None:
    """One segment per block of lines; every line of every page is a line of the document's text."""
    skipped = repeats(pages)
    placed: list[tuple[Line, int, int, bool]] = []  # line, page, line on the page, checked
    for page in pages:
        for index, line in enumerate(page.lines):
            placed.append((line, page.number, index + 1, (page.number, index) not in skipped))
    texts = [line.text for line, *_ in placed] + [text for text, _ in properties]
    locations = [f"page {page}, line {number}" for _, page, number, _ in placed] + [where for _, where in properties]
    lines = LineIndex("\n".join(texts))
    hyphenated = {word.lower() for text in texts for word in _HYPHENATED.findall(text)}
    starts = [lines.offset(index) for index in range(len(texts))]
    groups: list[list[int]] = []
    previous = None
    for index, (line, page, _, checked) in enumerate(placed):
        if not checked or not line.text:
            previous = None
            continue
        # A block is a segment of its own, unless a word broken at the end of the last one runs into it.
        if previous is None or previous[:2] != (page, line.block) and (
                previous[0] != page or _broken_word(texts[previous[2]], line.text, hyphenated) is None):
            groups.append([])
        groups[-1].append(index)
        previous = (page, line.block, index)
    groups += [[len(placed) + number] for number in range(len(properties))]
    for group in groups:
        builder = SegmentBuilder()
        for position, index in enumerate(group):
            text = texts[index]
            following = texts[group[position + 1]] if position + 1 < len(group) else None
            join = _broken_word(text, following, hyphenated) if following is not None else None
            builder.add(text[:-1] if join == "drop" else text, starts[index])
            if following is not None and join is None:
                builder.add(" ", starts[index] + len(text))  # the line break, as a space
        segment = builder.build("title" if group[0] >= len(placed) else "paragraph", lines)
        if segment is not None:
            segment.line_locations = locations
            result.segments.append(segment)


def _broken_word(text: str, following: str, hyphenated: set[str]) -> str | None:
    """How a word broken by a hyphen at the end of ``text`` joins the start of ``following``.

    "drop" the hyphen ("consul-" + "tation"), or "keep" it when the document writes the word
    with a hyphen elsewhere ("pre-election"); None when no word is broken there.
    """
    last = _LAST_WORD.search(text)
    first = _FIRST_WORD.match(following)
    if not last or not first or not first.group()[0].islower():
        return None
    return "keep" if f"{last.group(1)}-{first.group()}".lower() in hyphenated else "drop"
