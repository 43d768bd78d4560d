"""Reading structured files (TOML, YAML, JSON) with one-line errors that name the file."""

from __future__ import annotations

import io
from typing import IO, Any, Callable

from .inputs.sources import read_bytes
from .model import InputError, PurdahError

# Settings files (config, waivers, rule packs, labels) are small; a bigger one is a mistake or an attack.
SETTINGS_MAX_BYTES = 16 * 1024 * 1024


def read_settings_bytes(path: str, what: str, error: type[PurdahError] = PurdahError,
                        max_bytes: int = SETTINGS_MAX_BYTES) -> bytes:
    """The bytes of a settings file: a regular file within the size limit, else ``error`` naming it."""
    try:
        return read_bytes(path, max_bytes)
    except InputError as exc:
        raise error(f"{path}: cannot read {what}: {exc}") from None


def parse_file(path: str, what: str, parse: Callable[[IO[bytes]], Any], syntax_error: type[Exception] | tuple,
               describe: Callable[[Exception], str], error: type[PurdahError] = PurdahError,
               max_bytes: int = SETTINGS_MAX_BYTES) -> Any:
    """Parse ``path`` with ``parse``; failures raise ``error`` as ``path:[line:col:] message``."""
    data = read_settings_bytes(path, what, error, max_bytes)
    try:
        return parse(io.BytesIO(data))
    except syntax_error as exc:
        raise error(f"{path}:{describe(exc)}") from None
    except UnicodeDecodeError as exc:
        raise error(f"{path}: {what} is not valid UTF-8 text (byte offset {exc.start}); save it as UTF-8") from None
    except RecursionError:
        raise error(f"{path}: {what} is nested too deeply to read") from None


def yaml_problem(exc: Exception, label: str) -> str:
    """``line:col: label: problem`` from a PyYAML error (1-based), without a position if it has none."""
    mark = getattr(exc, "problem_mark", None)
    where = f"{mark.line + 1}:{mark.column + 1}:" if mark else ""
    return f"{where} {label}: {getattr(exc, 'problem', None) or exc}"
