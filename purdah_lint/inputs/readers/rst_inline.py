"""docutils' inline-markup parser with cost linear in the paragraph, whatever marks it holds.

docutils looks for the end of every start-string (``*``, ``**``, `````, ``|``, ``_```) by
searching the rest of the paragraph, and slices the rest of the paragraph at every mark, so a
paragraph of unmatched marks (``*a *a *a …``) takes time quadratic in its length, and a
paragraph of thousands of web addresses recurses once per address. Here the end searches
remember where the next end is, a long paragraph is parsed in pieces cut at sentence ends, and
addresses are found by a loop; the nodes made are the same as docutils' for a paragraph shorter
than a piece.
"""

from __future__ import annotations

from docutils import nodes
from docutils.parsers.rst.states import Inliner, MarkupMismatch
from docutils.utils import escape2null

# Longest text given to docutils' inline parser at once: long enough for any written paragraph.
PIECE_CHARS = 2_000
# How far back docutils' end-string patterns look before a match (two characters, plus a margin).
_LOOK_BEHIND = 3
_END_PATTERNS = ("emphasis", "strong", "interpreted_or_phrase_ref", "literal", "target", "substitution_ref")


class _RememberedSearch:
    """An end-string pattern whose searches over the same paragraph reuse what was found before.

    docutils searches ``rest`` (always the paragraph from some point on) from its start: a match
    in its first characters is found afresh (their look-behind differs from the paragraph's), and
    beyond them the first match after a point is the first match after any earlier point, up to it.
    """

    def __init__(self, pattern, inliner: LinearInliner):
        self.pattern = pattern
        self.inliner = inliner
        self.known: tuple[int, int | None] | None = None  # (searched from, first match there or None)

    def __getattr__(self, name):
        return getattr(self.pattern, name)

    def search(self, rest: str):
        text = self.inliner.escaped
        start = len(text) - len(rest)
        if start < 0 or len(rest) <= _LOOK_BEHIND or text[start:start + 16] != rest[:16]:
            return self.pattern.search(rest)
        for offset in range(_LOOK_BEHIND):
            found = self.pattern.match(rest, offset)
            if found:
                return found
        beyond = start + _LOOK_BEHIND
        if self.known is None or self.known[0] > beyond or (self.known[1] is not None and self.known[1] < beyond):
            found = self.pattern.search(rest, _LOOK_BEHIND)
            self.known = (beyond, None if found is None else start + found.start())
            return found
        return None if self.known[1] is None else self.pattern.search(rest, self.known[1] - start)


_UNSHOWN = object()  # an inline warning nobody sees: our report level shows none


class _UnshownWarnings:
    """The document's reporter, except that inline warnings are not built (a node and ids each)."""

    def __init__(self, reporter):
        self.reporter = reporter

    def __getattr__(self, name):
        return getattr(self.reporter, name)

    def warning(self, *args, **kwargs):
        return _UNSHOWN


class LinearInliner(Inliner):
    """docutils' inliner, in time linear in the paragraph (see the module's docstring)."""

    escaped = ""
    _reporter = None

    @property
    def reporter(self):
        """The reporter docutils' methods call; a start-string without an end costs one small node."""
        return self._reporter

    @reporter.setter
    def reporter(self, reporter) -> None:
        self._reporter = _UnshownWarnings(reporter)

    def problematic(self, text, rawsource, message):
        """docutils' marker for bad markup, without the ids that link it to an unshown warning."""
        if message is _UNSHOWN:
            return nodes.problematic(rawsource, text)
        return super().problematic(text, rawsource, message)

    def init_customizations(self, settings) -> None:
        """Build docutils' patterns, then wrap the end-string ones so their searches are remembered."""
        super().init_customizations(settings)
        for name in _END_PATTERNS:
            setattr(self.patterns, name, _RememberedSearch(getattr(self.patterns, name), self))

    def parse(self, text, lineno, memo, parent):
        """Parse ``text`` in pieces of at most ``PIECE_CHARS``, each as docutils would."""
        outer = self.escaped
        processed, messages = [], []
        try:
            for piece in _pieces(text):
                self.escaped = escape2null(piece)
                for name in _END_PATTERNS:
                    getattr(self.patterns, name).known = None
                found, problems = super().parse(piece, lineno, memo, parent)
                processed += found
                messages += [problem for problem in problems if problem is not _UNSHOWN]
        finally:
            self.escaped = outer
        return processed, messages

    def implicit_inline(self, text, lineno):
        """Web and email addresses in ``text``, as docutils finds them, by a loop rather than recursion."""
        result, waiting = [], [text]
        while waiting:
            item = waiting.pop()
            if isinstance(item, list):
                result += item
                continue
            if not item:
                continue
            for pattern, method in self.implicit_dispatch:
                match = pattern.search(item)
                if match:
                    try:
                        made = method(match, lineno)
                    except MarkupMismatch:
                        continue
                    waiting += [item[match.end():], made, item[:match.start()]]
                    break
            else:
                result.append(nodes.Text(item))
        return result


# docutils builds its patterns from the strings in vars() of the inliner's own class: give it them.
for _name, _value in vars(Inliner).items():
    if isinstance(_value, str) and not _name.startswith("__"):
        setattr(LinearInliner, _name, _value)


def _pieces(text: str) -> list[str]:
    """``text`` cut before ``PIECE_CHARS`` at a sentence end (else a space) outside back-quoted text."""
    pieces = []
    while len(text) > PIECE_CHARS:
        cut = _cut(text)
        pieces.append(text[:cut])
        text = text[cut:]
    return [*pieces, text]


def _cut(text: str) -> int:
    """Where to end the first piece: the last sentence end, else space, with back-quotes paired before it."""
    low = PIECE_CHARS // 2
    quotes = text.count("`", 0, low)
    sentence_end = space = 0
    for index in range(low, PIECE_CHARS):
        char = text[index]
        if char == "`":
            quotes += 1
        elif char.isspace() and quotes % 2 == 0:
            space = index + 1
            if text[index - 1] in ".!?;:":
                sentence_end = index + 1
    return sentence_end or space or PIECE_CHARS
