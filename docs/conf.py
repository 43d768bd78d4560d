"""Sphinx configuration for the purdah-lint documentation, which checks itself with the extension."""

project = "purdah-lint"
author = "purdah-lint developers"
copyright = "2026, purdah-lint developers"
extensions = ["purdah_lint.sphinxext"]
exclude_patterns = ["_build", "examples"]
html_theme = "alabaster"
language = "en_GB"

# The docs are checked as if published inside a pre-election period, so any sentence that would
# need sign-off fails the -W build unless it carries a signed-off waiver.
purdah_in_window = True
