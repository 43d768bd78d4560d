"""Owner groups: which team answers for a URL, from ``[[tool.purdah-lint.owners]]`` (prefix or glob)."""

from __future__ import annotations

import fnmatch

GLOB_CHARACTERS = "*?["


def owner_of(url: str, owners: tuple[tuple[str, str], ...]) -> str | None:
    """The team of the first owner entry whose URL prefix or glob matches ``url``."""
    for pattern, team in owners:
        if any(character in pattern for character in GLOB_CHARACTERS):
            if fnmatch.fnmatchcase(url, pattern):
                return team
        elif url.startswith(pattern):
            return team
    return None
