"""Sphinx extension: lint every page's doctree, warn with typed locations, and the ``purdah`` builder.

Enable it with ``extensions = ["purdah_lint.sphinxext"]``, or run ``sphinx-build -b purdah SRC OUT``
without editing ``extensions`` (the builder is registered through an entry point).
"""

from __future__ import annotations

from typing import Any

from sphinx.application import Sphinx

from .. import __version__
from .builder import PurdahBuilder
from .collector import collect, prepare_context, validate_config
from .directives import PageDirective, WaiverDirective, waiver_role
from .domain import PurdahDomain
from .reference import CalendarTable, RuleReference

CONFIG_VALUES: tuple[tuple[str, Any, Any], ...] = (
    ("purdah_as_of", None, (str, type(None))),
    ("purdah_config", None, (str, type(None))),
    ("purdah_in_window", False, (bool,)),
    ("purdah_window", None, (str, type(None))),
    ("purdah_select", [], (list, tuple)),
    ("purdah_ignore", [], (list, tuple)),
    ("purdah_packs", [], (list, tuple)),
    ("purdah_fail_level", "warning", (str,)),
    ("purdah_warn", True, (bool,)),
    ("purdah_language", None, (str, type(None))),
)


def setup(app: Sphinx) -> dict[str, Any]:
    """Register config values, the domain, directives, role, event handlers and the builder."""
    for name, default, types in CONFIG_VALUES:
        app.add_config_value(name, default, "env", types=types)
    app.add_domain(PurdahDomain)
    app.add_directive("purdah-waiver", WaiverDirective)
    app.add_directive("purdah-page", PageDirective)
    app.add_role("purdah-waiver", waiver_role)
    app.add_directive("purdah-rule-reference", RuleReference)
    app.add_directive("purdah-calendar", CalendarTable)
    app.add_builder(PurdahBuilder)
    app.connect("config-inited", validate_config)
    app.connect("builder-inited", prepare_context)
    app.connect("doctree-read", collect)
    return {"version": __version__, "env_version": 1, "parallel_read_safe": True, "parallel_write_safe": True}
