"""Page markup: a signed-off waiver (directive and role) and a page-level date or window."""

from __future__ import annotations

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.util.docutils import SphinxDirective

from ..governance.waivers import FIELDS


class waiver_marker(nodes.Inline, nodes.TextElement):
    """An inline waiver from the role; removed once the page has been checked."""


class page_settings(nodes.Element):
    """A page's own as-of date or window; removed once the page has been checked."""


def _waiver_text(codes: str, options: dict) -> str:
    fields = " ".join(f'{name}="{options[name]}"' for name in FIELDS if options.get(name))
    return f"purdah-lint: allow {codes} {fields}".strip()


class WaiverDirective(SphinxDirective):
    """``.. purdah-waiver:: PE301`` with ``:reason:``, ``:approved-by:`` and ``:expires:``.

    It covers the next block, like a waiver comment, or the whole page with ``:scope: page``.
    Missing fields are reported as PE001 findings, as for every other waiver.
    """

    required_arguments = 1
    final_argument_whitespace = True
    option_spec = {"reason": directives.unchanged, "approved-by": directives.unchanged,
                   "expires": directives.unchanged, "scope": lambda value: directives.choice(value, ("block", "page"))}

    def run(self):
        text = _waiver_text(self.arguments[0], self.options)
        if self.options.get("scope") == "page":
            node = page_settings(waiver=text)
        else:
            node = nodes.comment(text, text)
        self.set_source_info(node)
        return [node]


class PageDirective(SphinxDirective):
    """``.. purdah-page::`` with ``:as-of: YYYY-MM-DD``, ``:window: ID`` or ``:in-window:`` for this page."""

    option_spec = {"as-of": directives.unchanged_required, "window": directives.unchanged_required,
                   "in-window": directives.flag}

    def run(self):
        node = page_settings(as_of=self.options.get("as-of"), window=self.options.get("window"),
                             in_window="in-window" in self.options)
        self.set_source_info(node)
        return [node]


def waiver_role(name, rawtext, text, lineno, inliner, options=None, content=None):
    """``:purdah-waiver:`PE301 reason="…" approved-by="…" expires=…``` covers the paragraph it is in."""
    node = waiver_marker(rawtext, f"purdah-lint: allow {text}")
    node.line = lineno
    return [node], []
