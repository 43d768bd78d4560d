"""Showing user-controlled text safely: no control characters, no workflow commands, bounded length.

GitHub Actions reads workflow commands (``::error ...::``) from any line a job prints that
starts with ``::`` after spaces, and the old ``##[command]`` form anywhere in a line. A file
name, a waiver reason or a window name could carry one, or a terminal escape sequence, or a
line break that starts a line of its own. Every reporter and every stderr line passes such
text through :func:`printable` first.
"""

from __future__ import annotations

import html
import re

# DEL, C1 controls, line and paragraph separators, bidirectional overrides and isolates: what
# json.dumps(ensure_ascii=False) writes raw that a terminal or editor may act on.
_LEFT_RAW_BY_JSON = "\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069"
_COMMAND_START = r"^(\s*):"  # compiled by re for the rare text that starts like a workflow command
_OLD_COMMAND = "##["
BRIEF = 80


# Those, C0 controls, and lone surrogates (undecodable bytes in file names). Like the workflow-command
# pattern, compiled (by re, once) only for text that needs it: these character classes cost more to
# compile than a small check spends printing, and most text is printable (str.isprintable is false
# for every character they hold).
_UNSAFE = f"[\x00-\x1f{_LEFT_RAW_BY_JSON}\ud800-\udfff]"
_JSON_UNSAFE = f"[{_LEFT_RAW_BY_JSON}]"


def _escape(found: re.Match) -> str:
    code = ord(found.group())
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def printable(text: object) -> str:
    """``text`` with control characters escaped (``\\x1b``) and workflow-command syntax broken."""
    shown = str(text)
    if not shown.isprintable():
        shown = re.sub(_UNSAFE, _escape, shown)
    if shown.lstrip().startswith("::"):
        shown = re.sub(_COMMAND_START, r"\1\\x3a", shown, count=1)
    if _OLD_COMMAND in shown:
        shown = shown.replace(_OLD_COMMAND, "#\\x23[")
    return shown


def brief(value: object, limit: int = BRIEF) -> str:
    """``repr(value)``, shortened to about ``limit`` characters, for messages about bad values."""
    text = repr(value)
    if len(text) > limit:
        text = f"{text[:limit - 20]}…{text[-12:]} ({len(str(value)):,} characters)"
    return text


def json_safe(serialised: str) -> str:
    """JSON text with ``##[`` and the controls JSON leaves raw (DEL, C1, bidi) escaped: the same value parsed."""
    if not serialised.isprintable():
        serialised = re.sub(_JSON_UNSAFE, lambda found: f"\\u{ord(found.group()):04x}", serialised)
    return serialised.replace(_OLD_COMMAND, "#\\u0023[") if _OLD_COMMAND in serialised else serialised


def html_safe(text: str) -> str:
    """``text`` escaped for HTML, with controls and line breaks as character references and ``::``, ``##[`` broken.

    The browser shows the same text; a log that prints the file sees no line of the user's making.
    """
    escaped = re.sub(_UNSAFE, lambda found: f"&#x{ord(found.group()):x};", html.escape(text))
    return escaped.replace("::", "&#58;:").replace(_OLD_COMMAND, "#&#35;[")


def printable_lines(text: str) -> str:
    """Each line of a listing made :func:`printable`, the line breaks kept."""
    return "\n".join(printable(line) for line in text.split("\n"))
