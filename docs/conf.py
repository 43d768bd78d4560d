"""Sphinx configuration for the purdah-lint documentation."""

project = "purdah-lint"
author = "purdah-lint developers"
copyright = "2026, purdah-lint developers"
extensions = []
exclude_patterns = ["_build", "examples"]
html_theme = "alabaster"
language = "en_GB"
