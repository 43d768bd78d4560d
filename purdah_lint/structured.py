"""Reading structured files (TOML, YAML, JSON) with one-line errors that name the file."""

from __future__ import annotations

from typing import IO, Any, Callable

from .model import PurdahError


def parse_file(path: str, what: str, parse: Callable[[IO[bytes]], Any], syntax_error: type[Exception] | tuple,
               describe: Callable[[Exception], str], error: type[PurdahError] = PurdahError) -> Any:
    """Parse ``path`` with ``parse``; failures raise ``error`` as ``path:[line:col:] message``."""
    try:
        with open(path, "rb") as handle:
            return parse(handle)
    except OSError as exc:
        raise error(f"{path}: cannot read {what}: {exc.strerror or exc}") from None
    except syntax_error as exc:
        raise error(f"{path}:{describe(exc)}") from None


def yaml_problem(exc: Exception, label: str) -> str:
    """``line:col: label: problem`` from a PyYAML error (1-based), without a position if it has none."""
    mark = getattr(exc, "problem_mark", None)
    where = f"{mark.line + 1}:{mark.column + 1}:" if mark else ""
    return f"{where} {label}: {getattr(exc, 'problem', None) or exc}"
