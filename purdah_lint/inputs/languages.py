"""The language of each block: from markup, the document, the configuration, or detected.

Precedence, strongest first: a block's own markup (HTML ``lang``), the document's ``language`` (or
``lang``) in front matter, the configured ``language``, then detection. Detection uses CLD2
(``pycld2``, a compiled model bundled in the wheel: nothing downloads) on blocks of
``DETECT_WORDS`` words or more, choosing between English and Welsh. Shorter blocks take the
language of their neighbours: a heading that of the block after it (the text it introduces), other
short blocks (list items, table cells, captions) that of the block before them.
"""

from __future__ import annotations

import re
from typing import Iterable

from ..model import Document, PurdahError, Segment
from ..ruleset.matching.programs import compile_pattern

LANGUAGES = ("en", "cy")
DEFAULT = "en"
DETECT_WORDS = 6  # blocks this long or longer are detected; CLD2 is unreliable on fewer words
DETECT_CHARACTERS = 20_000  # a longer block is detected by its start: enough to tell, and memory stays small
_TAG = r"^([A-Za-z]{2,3})(?:[-_][A-Za-z0-9]{1,8})*$"  # compiled by re when a language tag is first read
_WORD = compile_pattern(r"[^\W\d_]+")  # from the program store: compiling costs start-up
_CLD2_NAMES = {"ENGLISH": "en", "WELSH": "cy"}
METADATA_KEYS = ("language", "lang")


def primary(tag: object) -> str | None:
    """The primary language subtag of a BCP 47 tag ("cy-GB" gives "cy"), or None when it is not one."""
    if not isinstance(tag, str):
        return None
    found = re.match(_TAG, tag.strip())
    return found.group(1).lower() if found else None


def document_language(document: Document) -> str | None:
    """The language the document declares for itself (front matter ``language`` or ``lang``)."""
    for key in METADATA_KEYS:
        value = document.metadata.get(key)
        if value not in (None, ""):
            language = primary(value)
            if language is None:
                raise PurdahError(f"front matter '{key}' is {value!r}; use a language tag such as 'en' or 'cy'")
            return language
    return None


def detect(text: str) -> str | None:
    """English or Welsh for ``text``, or None when CLD2 finds neither."""
    import pycld2  # compiled, imported in a few milliseconds; only when a block needs detecting

    try:
        _, _, details = pycld2.detect(text.encode("utf-8", "replace").decode("utf-8"), bestEffort=True)
    except pycld2.error:
        return None
    scores = {_CLD2_NAMES[name]: score for name, _, percent, score in details if name in _CLD2_NAMES and percent}
    return max(scores, key=scores.get) if scores else None


def assign_languages(document: Document, configured: str | None = None) -> None:
    """Give every segment of ``document`` a language, in place."""
    fixed = document_language(document) or configured
    pending: list[Segment] = []
    current: str | None = None
    for segment in document.segments:
        if segment.language is not None:
            segment.language = primary(segment.language) or DEFAULT
        elif fixed is not None:
            segment.language = fixed
        elif _has_words(segment.text, DETECT_WORDS):
            segment.language = detect(segment.text[:DETECT_CHARACTERS]) or current
        if segment.language is None:
            if segment.scope == "heading" or current is None:
                pending.append(segment)
            else:
                segment.language = current
            continue
        current = segment.language
        _settle(pending, current)
        pending = []
    _settle(pending, current or DEFAULT)


def _has_words(text: str, count: int) -> bool:
    """Whether ``text`` holds at least ``count`` words (without listing every word of a long block)."""
    for number, _ in enumerate(_WORD.finditer(text), 1):
        if number >= count:
            return True
    return False


def _settle(segments: Iterable[Segment], language: str) -> None:
    for segment in segments:
        segment.language = language
