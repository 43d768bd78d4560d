"""PDFs for the tests: ordinary layouts made with fpdf2, and hand-built files for what fpdf2 will not write."""

from __future__ import annotations

import zlib
from pathlib import Path

from fpdf import FPDF

HEADER = "Riverside Council | Draft for review"


class Draft(FPDF):
    """An A4 document with a running header and a numbered footer on every page."""

    def header(self):
        self.set_font("Helvetica", size=9)
        self.cell(0, 8, HEADER, align="C")
        self.ln(12)

    def footer(self):
        self.set_y(-15)
        self.set_font("Helvetica", size=9)
        self.cell(0, 8, f"Page {self.page_no()} of {{nb}}", align="C")


def draft() -> Draft:
    """A new draft in 11-point Helvetica with no page yet."""
    pdf = Draft()
    pdf.set_font("Helvetica", size=11)
    return pdf


def lines(pdf: FPDF, texts: list[str], x: float | None = None, width: float = 0) -> None:
    """Write each text as a line of its own (short enough never to wrap)."""
    if x is not None:
        pdf.set_x(x)
    for text in texts:
        if x is not None:
            pdf.set_x(x)
        pdf.cell(width, 6, text, new_x="LMARGIN", new_y="NEXT")


def raw_pdf(objects: list[bytes], root: int = 1, trailer_extra: bytes = b"") -> bytes:
    """A PDF file from numbered object bodies (object 1 first), with a correct cross-reference table."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root %d 0 R %s>>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, root, trailer_extra, xref)
    return bytes(out)


def stream(content: bytes, extra: bytes = b"", deflate: bool = False) -> bytes:
    """A stream object body."""
    if deflate:
        content = zlib.compress(content)
        extra += b" /Filter /FlateDecode"
    return b"<< /Length %d %s >>\nstream\n" % (len(content), extra) + content + b"\nendstream"


def one_page(content: bytes, font: bytes = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
             catalog_extra: bytes = b"", page_extra: bytes = b"", more: list[bytes] = ()) -> bytes:
    """A one-page PDF drawing ``content`` with font /F1 (objects 6 onwards are ``more``)."""
    return raw_pdf([
        b"<< /Type /Catalog /Pages 2 0 R " + catalog_extra + b">>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> >> "
        b"/Contents 4 0 R " + page_extra + b">>",
        stream(content),
        font,
        *more,
    ])


def text_ops(*rows: bytes, size: int = 12) -> bytes:
    """Content drawing each row as a line of text from the top of the page down."""
    ops = [b"BT /F1 %d Tf 72 760 Td %d TL" % (size, size + 4)]
    ops += [b"(%s) Tj T*" % row for row in rows]
    return b"\n".join(ops + [b"ET"])


def save(path: Path, data: bytes | FPDF) -> Path:
    """Write the PDF to ``path`` and return the path."""
    if isinstance(data, FPDF):
        data.output(str(path))
    else:
        path.write_bytes(data)
    return path
