"""Checks on a .docx before any XML is parsed: the right kind of file, no macros, no zip bomb."""

from __future__ import annotations

import io
import zipfile

from ...model import InputError

OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
MAX_ENTRIES = 2_000
MAX_UNCOMPRESSED = 256 * 1024 * 1024
MAX_RATIO = 200  # uncompressed bytes per compressed byte, across the whole archive
READABLE_COMPRESSION = (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA)
MACRO_TYPES = ("macroEnabled", "vbaProject")


def open_checked(data: bytes, path: str) -> zipfile.ZipFile:
    """Open the archive after refusing old binary, encrypted, macro-enabled or oversized files."""
    if data.startswith(OLE_SIGNATURE):
        if "EncryptedPackage".encode("utf-16-le") in data:
            raise InputError("password-protected Word document; remove the password (File > Info) to check it")
        raise InputError("old binary Word format (.doc), not .docx; save it as a Word Document (.docx)")
    if path.lower().endswith(".docm"):
        raise InputError("macro-enabled Word document (.docm) is not opened; save it as a Word Document (.docx)")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        entries = archive.infolist()
    except (zipfile.BadZipFile, EOFError, ValueError) as exc:
        raise InputError(f"corrupt or truncated .docx (not a readable zip archive: {exc})") from None
    if len(entries) > MAX_ENTRIES:
        raise InputError(f".docx has {len(entries):,} parts, over the limit of {MAX_ENTRIES:,}; refused unopened")
    total = sum(entry.file_size for entry in entries)
    compressed = max(1, sum(entry.compress_size for entry in entries))
    if total > MAX_UNCOMPRESSED or (total > 10 * 1024 * 1024 and total / compressed > MAX_RATIO):
        raise InputError(f".docx would expand to {total:,} bytes (limit {MAX_UNCOMPRESSED:,}, ratio {MAX_RATIO}); "
                         "refused unopened")
    for entry in entries:
        if entry.flag_bits & 0x1:
            raise InputError(f".docx part {entry.filename!r} is encrypted; remove the password (File > Info) to check it")
        if entry.compress_type not in READABLE_COMPRESSION:
            raise InputError(f".docx part {entry.filename!r} uses compression method {entry.compress_type}, which "
                             "cannot be read; save the document again from Word")
    names = {entry.filename for entry in entries}
    if "word/document.xml" not in names and "[Content_Types].xml" not in names:
        raise InputError("not a Word document (no word/document.xml in the archive)")
    if any(name.lower().endswith("vbaproject.bin") for name in names) or _declares_macros(archive):
        raise InputError("macro-enabled Word document is not opened; save it as a Word Document (.docx)")
    return archive


def _declares_macros(archive: zipfile.ZipFile) -> bool:
    try:
        types = archive.read("[Content_Types].xml")
    except (KeyError, zipfile.BadZipFile, OSError, EOFError):
        raise InputError("corrupt or truncated .docx (cannot read [Content_Types].xml)") from None
    return any(marker.encode() in types for marker in MACRO_TYPES)
