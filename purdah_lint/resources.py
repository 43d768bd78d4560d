"""Where the shipped data lives: ``rules/`` inside the installed package, or in a checkout."""

from __future__ import annotations

from pathlib import Path


def builtin_rules_dir() -> Path:
    """The ``rules/`` folder: inside the installed package, or beside it in a checkout."""
    packaged = Path(__file__).resolve().parent / "rules"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parent.parent / "rules"
