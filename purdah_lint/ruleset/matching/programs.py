"""Rule patterns compiled once per machine: a process restores a stored regex program instead of compiling it.

``re`` compiles in pure Python: a rule's large alternation takes milliseconds, more than checking
a small file. What it produces is a list of integers that ``_sre`` turns into a pattern object in
microseconds. Programs are stored by a hash of pattern and flags, in a folder per interpreter
(the format belongs to one CPython version), and any failure falls back to ``re.compile``, so
the store only ever changes speed, never results.
"""

from __future__ import annotations

import marshal
import os
import re
from binascii import crc32  # the CRC-32 of zlib, from a module Python has loaded already
from pathlib import Path

try:  # the stdlib's own compiler stages, as re.compile runs them
    import _sre
    from re import _compiler, _parser  # noqa: PLC2701
    # Stored code is read through a memoryview, which needs no import (array's cost start-up).
    _CODE_TYPE = next(kind for kind in "IL" if memoryview(b"").cast(kind).itemsize == _sre.CODESIZE)
except (ImportError, StopIteration):  # pragma: no cover - another Python implementation: plain re.compile
    _sre = None

from ..cache import INTERPRETER, cache_folder

MAX_STORED = 5000  # programs kept before the folder is emptied: old rule versions pile up otherwise
_STORE_NAME = f"regex-{crc32(INTERPRETER.encode()):08x}"


def compile_pattern(pattern: str, flags: int = 0) -> re.Pattern:
    """``re.compile(pattern, flags)``, restored from the program store when it holds the pattern."""
    folder = _folder()
    if folder is None:
        return re.compile(pattern, flags)
    flags = int(flags)  # a RegexFlag would not marshal
    # The name only finds the entry (pattern and flags stored inside are compared in full).
    entry = os.path.join(folder, f"{crc32(pattern.encode('utf-8', 'surrogatepass')):08x}-{len(pattern):x}-{flags:x}")
    try:
        with open(entry, "rb") as handle:
            stored = marshal.loads(handle.read())  # load(handle) reads item by item: far slower
        if stored[0] == pattern and stored[1] == flags:
            final_flags, code, groups, groupindex, indexgroup = stored[2:]
            return _sre.compile(pattern, final_flags, memoryview(code).cast(_CODE_TYPE).tolist(), groups, groupindex,
                                indexgroup)
    except (OSError, ValueError, EOFError, TypeError, IndexError, RuntimeError):
        pass
    try:
        program = _program(pattern, flags)
        compiled = _sre.compile(pattern, *program)
    except Exception:  # noqa: BLE001 - an interpreter whose internals differ: compile the usual way
        return re.compile(pattern, flags)
    from array import array  # only when storing: most runs only restore

    final_flags, code, groups, groupindex, indexgroup = program
    _store(folder, entry, (pattern, flags, final_flags, array(_CODE_TYPE, code).tobytes(), groups, groupindex, indexgroup))
    return compiled


def _folder() -> str | None:
    # A string, not a Path: every check restores a dozen patterns, and making Paths cost start-up.
    if _sre is None:
        return None
    root = cache_folder()
    return None if root is None else os.path.join(root, _STORE_NAME)


def _program(pattern: str, flags: int) -> tuple:
    """The arguments ``_sre.compile`` takes after the pattern, exactly as ``re._compiler.compile`` builds them."""
    parsed = _parser.parse(pattern, flags)
    code = _compiler._code(parsed, flags)  # noqa: SLF001
    groupindex = dict(parsed.state.groupdict)
    indexgroup = [None] * parsed.state.groups
    for name, number in groupindex.items():
        indexgroup[number] = name
    return int(flags | parsed.state.flags), code, parsed.state.groups - 1, groupindex, tuple(indexgroup)


def _store(folder: str, entry: str, stored: tuple) -> None:
    try:
        os.makedirs(folder, exist_ok=True)
        if len(os.listdir(folder)) > MAX_STORED:
            for old in Path(folder).iterdir():
                old.unlink(missing_ok=True)
        from ...safety.writing import replace_bytes  # only when storing: most runs only restore

        replace_bytes(entry, marshal.dumps(stored))
    except (OSError, ValueError):
        return
