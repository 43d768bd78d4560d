"""Writing reports and baselines: never over an input, atomically, and readable whatever the file names."""

from __future__ import annotations

import os
import sys
from typing import Callable, Iterable, TextIO

from ..model import PurdahError

# A file name that is not valid UTF-8 reaches Python as lone surrogates; written out, it stays
# visible as \udcff instead of failing the whole report.
ERRORS = "backslashreplace"


def _identity(path: str) -> tuple[int, int] | None:
    try:
        info = os.stat(path)  # follows symlinks: a link to an input is that input
    except (OSError, ValueError):
        return None
    return info.st_dev, info.st_ino


def refuse_inputs(outputs: dict[str, str | None], inputs: Iterable[tuple[str, str]]) -> None:
    """Stop (exit 2) when an output file (by option) is one of the inputs (path, role): the same file, however named."""
    wanted = {option: _identity(path) for option, path in outputs.items() if path}
    wanted = {option: identity for option, identity in wanted.items() if identity is not None}
    if not wanted:
        return
    roles = {}
    for path, role in inputs:
        identity = _identity(path)
        if identity is not None:
            roles.setdefault(identity, (path, role))
    for option, identity in wanted.items():
        if identity in roles:
            path, role = roles[identity]
            raise PurdahError(f"{outputs[option]}: {option} would overwrite {path}, which is one of the inputs "
                              f"({role}); write to another file")


def write_text(path: str | None, write: Callable[[TextIO], None]) -> None:
    """Call ``write(handle)`` on standard output, or on a temporary file renamed over ``path`` when done.

    A report cut short (full disk, Ctrl-C) never replaces the previous one. Devices and pipes
    (``/dev/stdout``) are written directly. Errors name the file.
    """
    if not path:
        _write_stdout(write)
        return
    try:
        if os.path.exists(path) and not os.path.isfile(path):
            with open(path, "w", encoding="utf-8", errors=ERRORS) as handle:
                write(handle)
            return
        _replace(os.path.realpath(path), write)  # through a symlink: the link stays, its file is replaced
    except OSError as exc:
        raise PurdahError(f"{path}: cannot write: {exc.strerror or exc}") from None


def replace_bytes(target: str | os.PathLike, data: bytes) -> None:
    """Write ``data`` to a temporary file beside ``target`` and rename it over ``target``; raises OSError."""
    _replace(os.fspath(target), lambda handle: handle.write(data), binary=True)


def _replace(target: str, write: Callable, binary: bool = False) -> None:
    import tempfile  # only when writing a file: most runs print to the terminal

    folder, name = os.path.split(target)
    descriptor, temporary = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=folder or ".")
    try:
        with (os.fdopen(descriptor, "wb") if binary else
              os.fdopen(descriptor, "w", encoding="utf-8", errors=ERRORS)) as handle:
            write(handle)
        os.chmod(temporary, _mode_for(target))
        os.replace(temporary, target)
    except BaseException:
        try:
            os.unlink(temporary)
        except OSError:
            pass
        raise


def _mode_for(target: str) -> int:
    """The permissions a newly written file gets: the old file's, else the usual ones under the umask."""
    try:
        return os.stat(target).st_mode & 0o7777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def _write_stdout(write: Callable[[TextIO], None]) -> None:
    if sys.stdout is None:
        raise PurdahError("standard output is closed; write the report to a file with --output FILE")
    try:
        write(sys.stdout)
        sys.stdout.flush()
    except BrokenPipeError:
        raise
    except OSError as exc:
        silence_stdout()
        raise PurdahError(f"cannot write the report to standard output: {exc.strerror or exc}") from None


def silence_stdout() -> None:
    """Point standard output at the null device, so that what is still buffered is not retried at exit."""
    try:
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, sys.stdout.fileno())
        os.close(null)
    except (OSError, AttributeError, ValueError):
        pass
