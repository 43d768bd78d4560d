"""Reading input files: size and type checks, encoding detection, newline normalisation."""

from __future__ import annotations

import codecs
import os
import stat
from ..model import InputError, Record

DEFAULT_MAX_BYTES = 256 * 1024 * 1024
_SNIFF = 8192
_A_FOLDER = "is a folder, not a file"


class SourceText(Record):
    """Decoded text of one input file, with newlines normalised to ``\\n``."""

    __slots__ = ("text", "encoding", "notices")

    def __init__(self, text: str, encoding: str, notices: list[str]):
        self.text = text
        self.encoding = encoding
        self.notices = notices


def read_bytes(path: str, max_bytes: int = DEFAULT_MAX_BYTES) -> bytes:
    """Read a regular file's bytes, refusing FIFOs, devices and oversized files without blocking on them."""
    try:
        # Non-blocking, so that opening a FIFO returns at once; fstat then refuses it.
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    except FileNotFoundError:
        raise InputError("no such file or directory") from None
    except IsADirectoryError:
        raise InputError(_A_FOLDER) from None
    except OSError as exc:
        raise InputError(f"cannot read file: {exc.strerror or exc}") from None
    info = os.fstat(descriptor)
    if not stat.S_ISREG(info.st_mode):
        os.close(descriptor)  # a folder opens read-only too, but is no file object's
        if stat.S_ISDIR(info.st_mode):
            raise InputError(_A_FOLDER)
        raise InputError("not a regular file (a pipe, device or socket cannot be read)")
    with open(descriptor, "rb", closefd=True) as handle:
        if info.st_size > max_bytes:
            raise InputError(f"file is {info.st_size:,} bytes, over the {max_bytes:,}-byte limit")
        try:
            # Asking for the expected size (plus one byte to notice growth) avoids allocating the
            # whole limit for every small file.
            data = handle.read(info.st_size + 1)
            if len(data) > info.st_size:
                data += handle.read(max_bytes + 1 - len(data))
        except OSError as exc:
            raise InputError(f"cannot read file: {exc.strerror or exc}") from None
    if len(data) > max_bytes:
        raise InputError(f"file grew past the {max_bytes:,}-byte limit while it was read")
    return data


def _looks_like_utf16(sample: bytes) -> str | None:
    """Guess UTF-16 without a byte-order mark from where the NUL bytes fall."""
    if len(sample) < 4 or len(sample) % 2:
        sample = sample[: len(sample) - len(sample) % 2]
    if not sample:
        return None
    even_nuls = sample[0::2].count(0)
    odd_nuls = sample[1::2].count(0)
    half = len(sample) // 2
    if odd_nuls > 0.6 * half and even_nuls < 0.1 * half:
        return "utf-16-le"
    if even_nuls > 0.6 * half and odd_nuls < 0.1 * half:
        return "utf-16-be"
    return None


def decode(data: bytes) -> SourceText:
    """Decode file bytes: UTF-8 (with or without BOM), UTF-16, else Windows-1252 with a notice."""
    notices: list[str] = []
    if data.startswith(codecs.BOM_UTF8):
        encoding, body = "utf-8", data[len(codecs.BOM_UTF8):]
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding, body = "utf-16", data
    elif b"\x00" in data[:_SNIFF]:
        guessed = _looks_like_utf16(data[:_SNIFF])
        if guessed is None:
            raise InputError("binary file (contains NUL bytes); only text, Markdown, reST and HTML are checked")
        encoding, body = guessed, data
    else:
        encoding, body = "utf-8", data
    try:
        text = body.decode(encoding)
    except UnicodeDecodeError as exc:
        if encoding != "utf-8":
            raise InputError(f"not valid {encoding.upper()} text (byte offset {exc.start})") from None
        try:
            text = body.decode("cp1252")
        except UnicodeDecodeError:
            raise InputError(
                f"not valid UTF-8 text (byte 0x{body[exc.start]:02x} at offset {exc.start}) "
                "and not Windows-1252 either; save it as UTF-8"
            ) from None
        encoding = "cp1252"
        notices.append(f"not valid UTF-8 (byte offset {exc.start}); read as Windows-1252")
    if "\x00" in text:
        raise InputError("binary file (contains NUL characters)")
    if text.startswith("\ufeff"):
        text = text[1:]
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return SourceText(text, encoding, notices)


def read_text(path: str, max_bytes: int = DEFAULT_MAX_BYTES) -> SourceText:
    """Read and decode a text file; problems raise :class:`InputError` with one line."""
    return decode(read_bytes(path, max_bytes))
