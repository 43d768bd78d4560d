"""Formats: the one table of supported suffixes, and reading a file with the reader for its suffix.

Readers are imported lazily by suffix so that checking a Markdown file never
imports docutils, and checking text never imports a parser at all.
"""

from __future__ import annotations

import importlib
from typing import Protocol

from ..model import Document, InputError
from .sources import DEFAULT_MAX_BYTES, decode, read_bytes



class Reader(Protocol):
    """A module in ``readers/``: turns one file into a :class:`~purdah_lint.model.Document`.

    Each segment it produces has a scope from :data:`~purdah_lint.model.SCOPES`; positions map back
    to the file's lines and columns.
    """

    BINARY: bool  # True: ``parse`` gets the file's bytes (it decodes them itself); False: decoded text

    def parse(self, source: str | bytes, path: str) -> Document:
        """The document in ``source``, read from ``path`` (named in messages and findings)."""


# suffix -> (format name, module in readers/ that reads it); the one list of supported suffixes

FORMATS: dict[str, tuple[str, str]] = {
    ".md": ("markdown", "markdown"),
    ".markdown": ("markdown", "markdown"),
    ".rst": ("rst", "rst"),
    ".txt": ("text", "text"),
    ".html": ("html", "html"),
    ".htm": ("html", "html"),
    ".docx": ("docx", "docx"),
    ".docm": ("docx", "docx"),  # refused with a clear message: macros are never opened
    ".pdf": ("pdf", "pdf"),
}

SUPPORTED_SUFFIXES = tuple(FORMATS)


def format_for(path: str) -> str | None:
    """Return the format name for ``path`` by its suffix, or None when unsupported."""
    suffix = _suffix(path)
    entry = FORMATS.get(suffix)
    return entry[0] if entry else None


def _suffix(path: str) -> str:
    dot = path.rfind(".")
    return path[dot:].lower() if dot > max(path.rfind("/"), path.rfind("\\")) else ""


def read_document(path: str, max_bytes: int = DEFAULT_MAX_BYTES) -> Document:
    """Read and parse the file at ``path`` with the reader for its suffix."""
    _entry(path)  # an unsupported suffix is refused before the file is read
    return parse_document(read_bytes(path, max_bytes), path)


def parse_document(data: bytes, path: str, suffix: str | None = None) -> Document:
    """Parse ``data`` with the reader for ``path``'s suffix (or ``suffix``): the seam for sources other than files."""
    format_name, module_name = _entry(suffix or path)
    reader: Reader = importlib.import_module(f"{__package__}.readers.{module_name}")  # type: ignore[assignment]
    if reader.BINARY:
        return reader.parse(data, path)
    source = decode(data)
    del data  # a large file's bytes are not kept beside its text while it is parsed
    document = reader.parse(source.text, path)
    document.format = format_name
    document.notices.extend(source.notices)
    return document


def _entry(path: str) -> tuple[str, str]:
    entry = FORMATS.get(_suffix(path))
    if entry is None:
        raise InputError(f"unsupported file type; supported: {', '.join(SUPPORTED_SUFFIXES)}")
    return entry
