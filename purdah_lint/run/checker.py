"""Checking one file or document: read it, pick its as-of date and windows, lint it, apply waivers."""

from __future__ import annotations

import contextlib
import datetime as dt
import fnmatch
import os
import threading
from typing import Any

try:  # the C module under ``signal``, whose import builds three enums (about 3 M instructions of start-up)
    import _signal as signal
except ImportError:  # pragma: no cover - another Python implementation
    import signal

from ..elections.dates import parse_date
from ..elections.windows import Window, select_windows
from ..inputs.formats import format_for, read_document
from ..inputs.languages import assign_languages
from ..inputs.sources import DEFAULT_MAX_BYTES
from ..model import Finding, PurdahError, Record, Value
from ..ruleset.ruletypes import Rule
from .engine import Activation, lint_document

# Long enough for a 256 MB file on a busy CI machine; a file that needs more is reported, not waited for.
DEFAULT_MAX_SECONDS = 300.0
# More findings than this in one file is a generated or hostile file: the first ones make the point.
MAX_FINDINGS_PER_FILE = 1000
# Document metadata keys that give the publication date, strongest first.
DATE_KEYS = ("embargo_until", "publish_date", "date")


class CheckSettings(Value):
    """Everything a worker needs to check one file, independent of how it was asked."""

    __slots__ = ("rules", "windows", "as_of", "as_of_source", "as_of_forced", "fixed_windows", "lead_in_days",
                 "max_bytes", "max_seconds", "central_waivers", "inline_waivers", "known_codes", "selected",
                 "consultation_paths", "language")

    def __init__(self, rules: tuple[Rule, ...], windows: tuple[Window, ...], as_of: dt.date, as_of_source: str,
                 as_of_forced: bool = False, fixed_windows: tuple[Window, ...] | None = None, lead_in_days: int = 14,
                 max_bytes: int = DEFAULT_MAX_BYTES, max_seconds: float = DEFAULT_MAX_SECONDS,
                 central_waivers: tuple = (), inline_waivers: bool = True, known_codes: frozenset[str] = frozenset(),
                 selected: frozenset[str] = frozenset(), consultation_paths: tuple[str, ...] = (),
                 language: str | None = None):
        self.rules = rules
        self.windows = windows
        self.as_of = as_of
        self.as_of_source = as_of_source
        self.as_of_forced = as_of_forced
        self.fixed_windows = fixed_windows  # --in-window / --window
        self.lead_in_days = lead_in_days
        self.max_bytes = max_bytes
        self.max_seconds = max_seconds
        self.central_waivers = central_waivers
        self.inline_waivers = inline_waivers
        self.known_codes = known_codes  # every rule and meta code, selected or not
        self.selected = selected  # selected codes and their categories, meta codes included
        self.consultation_paths = consultation_paths  # globs marking consultation documents (readability advice)
        self.language = language  # the configured language of drafts and messages; None: detected per block


class FileResult(Record):
    """The outcome for one path: findings, or a one-line error."""

    __slots__ = ("path", "format", "as_of", "as_of_source", "windows", "lead_in", "findings", "error", "notices",
                 "central_used")

    def __init__(self, path: str, format: str | None, as_of: dt.date | None = None, as_of_source: str | None = None,
                 windows: list[Window] | None = None, lead_in: bool = False, findings: list[Finding] | None = None,
                 error: str | None = None, notices: list[str] | None = None, central_used: set[int] | None = None):
        self.path = path
        self.format = format
        self.as_of = as_of
        self.as_of_source = as_of_source
        self.windows = [] if windows is None else windows
        self.lead_in = lead_in
        self.findings = [] if findings is None else findings
        self.error = error
        self.notices = [] if notices is None else notices
        self.central_used = set() if central_used is None else central_used


def document_date(metadata: dict[str, Any]) -> tuple[dt.date, str] | None:
    """The publication date a document states about itself, and the key it came from."""
    for key in DATE_KEYS:
        value = metadata.get(key)
        if value in (None, ""):
            continue
        return parse_date(value, f"document metadata '{key}'"), key
    return None


class TimeLimitExceeded(Exception):
    """Raised by the interval timer when a file takes longer than its limit."""


def _on_time_limit(signum, frame):
    raise TimeLimitExceeded


@contextlib.contextmanager
def time_limit(seconds: float):
    """Interrupt the work after ``seconds`` (where the platform and thread allow a timer)."""
    usable = seconds > 0 and hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
    if not usable:
        yield
        return
    previous = signal.signal(signal.SIGALRM, _on_time_limit)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _with_waivers(document, findings: list[Finding], settings: CheckSettings, as_of: dt.date,
                  activation: Activation, complete: bool = True) -> tuple[list[Finding], set[int]]:
    """Findings marked by the waivers that cover them, with governance findings about those waivers.

    Unless the findings are ``complete`` (not cut at the cap), no waiver can be called unused.
    """
    inline = settings.inline_waivers and (document.comments or document.waiver_declaration is not None)
    if not (inline or settings.central_waivers):
        return findings, set()  # no waiver anywhere: most drafts, so the waiver code is not even imported
    from ..governance.waivers import apply, document_waivers

    waivers = document_waivers(document) if inline else []
    window = activation.windows[0].id if activation.windows else None
    return apply(findings, waivers, settings.central_waivers, as_of, settings.known_codes, settings.selected,
                 activation.active and complete, window, activation.lead_in)


def time_limit_message(seconds: float) -> str:
    """The error for a file that ran out of time."""
    return f"took longer than {seconds:g} seconds to check (max_seconds_per_file); split the file or raise the limit"


def check_file(path: str, settings: CheckSettings) -> FileResult:
    """Read and lint one file; every problem, including running out of time, becomes the ``error``."""
    try:
        with time_limit(settings.max_seconds):
            return check_document(read_document(path, settings.max_bytes), settings)
    except TimeLimitExceeded:
        return FileResult(path, format_for(path), error=time_limit_message(settings.max_seconds))
    except PurdahError as exc:
        return FileResult(path, format_for(path), error=str(exc))
    except RecursionError:
        return FileResult(path, format_for(path), error="markup is nested too deeply to parse")
    except MemoryError:
        return FileResult(path, format_for(path), error="file is too large to check in the memory available")
    except Exception as exc:  # noqa: BLE001 - one file's failure must never stop the others
        return FileResult(path, format_for(path), error=unexpected(exc))


def unexpected(exc: BaseException) -> str:
    """A one-line error for a failure nobody foresaw, with enough to report it."""
    detail = " ".join(str(exc).split())
    detail = detail[:200] + "…" if len(detail) > 200 else detail
    return f"internal error while checking ({type(exc).__name__}{': ' + detail if detail else ''}); " \
           "please report it with the file"


def check_document(document, settings: CheckSettings, as_of_override: tuple[dt.date, str] | None = None,
                   fixed_windows: tuple[Window, ...] | None = None) -> FileResult:
    """Lint a parsed document: its as-of date and windows, rules, then waivers.

    ``as_of_override`` and ``fixed_windows`` let an adapter apply a page's own settings.
    """
    result = FileResult(document.path, document.format, notices=document.notices)
    shown = document.path.replace(os.sep, "/")
    if any(fnmatch.fnmatch(shown, glob) for glob in settings.consultation_paths):
        document.metadata.setdefault("kind", "consultation")
    try:
        as_of, source = settings.as_of, settings.as_of_source
        if as_of_override is not None:
            as_of, source = as_of_override
        elif not settings.as_of_forced:
            stated = document_date(document.metadata)
            if stated is not None:
                as_of, source = stated[0], f"document:{stated[1]}"
        result.as_of, result.as_of_source = as_of, source
        fixed = fixed_windows if fixed_windows is not None else settings.fixed_windows
        messages = settings.language or "en"
        if fixed is not None:
            activation = Activation(fixed, messages=messages)
        else:
            windows, lead_in = select_windows(list(settings.windows), as_of, settings.lead_in_days)
            activation = Activation(tuple(windows), lead_in, messages)
        result.windows, result.lead_in = list(activation.windows), activation.lead_in
        if activation.active:
            assign_languages(document, settings.language)
        findings = lint_document(document, list(settings.rules), activation, limit=MAX_FINDINGS_PER_FILE + 1)
        complete = len(findings) <= MAX_FINDINGS_PER_FILE
        if not complete:
            findings = findings[:MAX_FINDINGS_PER_FILE]
            result.notices.append(f"more than {MAX_FINDINGS_PER_FILE:,} findings; only the first "
                                  f"{MAX_FINDINGS_PER_FILE:,} are reported, and no waiver is called unused")
        findings, result.central_used = _with_waivers(document, findings, settings, as_of, activation, complete)
        result.findings = sorted((f for f in findings if f.category != "meta" or f.code in settings.selected),
                                 key=Finding.sort_key)
    except PurdahError as exc:
        result.error = str(exc)
    return result
