"""Limits on a PDF before and while pdfminer reads it: the right kind of file, no bomb, no endless tree."""

from __future__ import annotations

import contextlib
import contextvars
import io
import logging
import warnings
import zlib

from ...model import InputError

MAX_PAGES = 5_000
MAX_DECODED_BYTES = 256 * 1024 * 1024  # all decompressed streams of one file together
TAIL = 4096  # where the end-of-file marker must be; incremental updates and trailing junk stay inside it

_budget: contextvars.ContextVar[list[int] | None] = contextvars.ContextVar("pdf_decoded_budget", default=None)


class DecodedTooLarge(InputError):
    """Streams that expand past the budget: a decompression bomb, refused before memory runs out."""


def check_envelope(data: bytes) -> None:
    """Refuse what is not a PDF, or is cut short, before the parser sees it."""
    if b"%PDF-" not in data[:1024]:
        raise InputError("not a PDF (no %PDF- header at the start of the file)")
    if b"%%EOF" not in data[-TAIL:]:
        raise InputError("truncated PDF (no end-of-file marker); export or download it again")


def _spend(amount: int) -> None:
    budget = _budget.get()
    if budget is None:
        return
    budget[0] -= amount
    if budget[0] < 0:
        raise DecodedTooLarge(f"PDF streams expand past {MAX_DECODED_BYTES:,} bytes (a decompression bomb?); "
                              "refused")


class _BoundedDecompressor:
    """A zlib decompressor that stops once the file's budget is spent."""

    def __init__(self) -> None:
        self._inner = zlib.decompressobj()

    def decompress(self, data: bytes) -> bytes:
        budget = _budget.get()
        # One byte past the budget is enough to know it is spent; nothing larger is allocated.
        output = self._inner.decompress(data, budget[0] + 1) if budget is not None else self._inner.decompress(data)
        _spend(len(output))
        return output

    def flush(self, length: int = zlib.DEF_BUF_SIZE) -> bytes:
        output = self._inner.flush(length)
        _spend(len(output))
        return output

    def __getattr__(self, name: str):
        return getattr(self._inner, name)


class BoundedZlib:
    """Stands in for the ``zlib`` module inside pdfminer so that no stream inflates without limit.

    pdfminer calls ``zlib.decompress`` on whole streams with no size cap; a few kilobytes of
    deflated zeros would otherwise fill the memory of the machine.
    """

    error = zlib.error
    MAX_WBITS = zlib.MAX_WBITS

    @staticmethod
    def decompressobj(*args, **kwargs) -> _BoundedDecompressor:
        """A decompressor that counts against the file's budget."""
        return _BoundedDecompressor()

    @staticmethod
    def decompress(data: bytes, *args) -> bytes:
        """Inflate a whole stream, within the budget; incomplete data is an error, as with zlib."""
        inflater = _BoundedDecompressor()
        output = inflater.decompress(data)
        if not inflater.eof:
            raise zlib.error("incomplete or truncated stream")
        return output


def rldecode(data: bytes) -> bytes:
    """RunLengthDecode within the budget (pdfminer's keeps a Python list of every output byte)."""
    output = bytearray()
    index = 0
    while index < len(data) and data[index] != 128:
        length = data[index]
        if length < 128:
            piece = data[index + 1:index + 2 + length]
            index += 2 + length
        else:
            piece = data[index + 1:index + 2] * (257 - length)
            index += 2
        _spend(len(piece))
        output += piece
    return bytes(output)


def lzwdecode(data: bytes) -> bytes:
    """LZWDecode within the budget: a few bytes of LZW codes can stand for thousands."""
    from pdfminer.lzw import LZWDecoder

    output = bytearray()
    for piece in LZWDecoder(io.BytesIO(data)).run():
        _spend(len(piece))
        output += piece
    return bytes(output)


MAX_REFERENCE_HOPS = 64


def _resolving_once(resolve):
    """``PDFObjRef.resolve`` following a chain of references to its end, refusing a loop.

    pdfminer's ``resolve1`` follows a reference to a reference for ever when two objects name
    each other.
    """
    from pdfminer.pdftypes import PDFObjRef

    def resolved(reference, default=None):
        found = resolve(reference, default)
        for _ in range(MAX_REFERENCE_HOPS):
            if not isinstance(found, PDFObjRef):
                return found
            found = resolve(found, default)
        raise ValueError("objects refer to each other in a loop")

    resolved.bounded = True
    return resolved


def install() -> None:
    """Bound pdfminer's inflation and keep its log and warnings off the user's terminal."""
    from pdfminer import pdftypes

    pdftypes.zlib = BoundedZlib
    pdftypes.rldecode = rldecode
    pdftypes.lzwdecode = lzwdecode
    if not getattr(pdftypes.PDFObjRef.resolve, "bounded", False):
        pdftypes.PDFObjRef.resolve = _resolving_once(pdftypes.PDFObjRef.resolve)
    logger = logging.getLogger("pdfminer")
    if not any(isinstance(handler, logging.NullHandler) for handler in logger.handlers):
        logger.addHandler(logging.NullHandler())
    logger.propagate = False


@contextlib.contextmanager
def reading_limits():
    """Give one file its decompression budget, and silence pdfminer's warnings about damaged files."""
    token = _budget.set([MAX_DECODED_BYTES])
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            yield
    finally:
        _budget.reset(token)
