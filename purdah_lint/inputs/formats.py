"""Formats: the one table of supported suffixes, and reading a file with the reader for its suffix.

Readers are imported lazily by suffix so that checking a Markdown file never
imports docutils, and checking text never imports a parser at all.
"""

from __future__ import annotations

import importlib

from ..model import Document, InputError
from .sources import DEFAULT_MAX_BYTES, read_bytes, read_text

# suffix -> (format name, module that reads it)
FORMATS: dict[str, tuple[str, str]] = {
    ".md": ("markdown", "markdown"),
    ".markdown": ("markdown", "markdown"),
    ".rst": ("rst", "rst"),
    ".txt": ("text", "text"),
    ".html": ("html", "html"),
    ".htm": ("html", "html"),
    ".docx": ("docx", "docx"),
    ".docm": ("docx", "docx"),  # refused with a clear message: macros are never opened
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
    """Read and parse ``path`` with the reader for its suffix."""
    entry = FORMATS.get(_suffix(path))
    if entry is None:
        raise InputError(f"unsupported file type; supported: {', '.join(SUPPORTED_SUFFIXES)}")
    format_name, module_name = entry
    module = importlib.import_module(f"{__package__}.readers.{module_name}")
    if hasattr(module, "parse_bytes"):  # binary formats decode themselves
        return module.parse_bytes(read_bytes(path, max_bytes), path)
    source = read_text(path, max_bytes)
    document = module.parse(source.text, path)
    document.format = format_name
    document.notices.extend(source.notices)
    return document
