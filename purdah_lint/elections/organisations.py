"""The organisations the calendar knows: which slugs exist, and which larger areas each sits in."""

from __future__ import annotations

import difflib
from functools import lru_cache
from pathlib import Path

from ..model import PurdahError

ORGANISATIONS_FILE = Path(__file__).parent / "data" / "organisations.yaml"


@lru_cache(maxsize=1)
def organisations() -> dict[str, dict]:
    """Every organisation by slug: name, region, type and the areas it sits in (``parents``)."""
    import yaml

    with open(ORGANISATIONS_FILE, encoding="utf-8") as handle:
        return yaml.safe_load(handle)["organisations"]


def with_parents(areas: tuple[str, ...]) -> tuple[str, ...]:
    """``areas`` and every area they sit in (a council, its county, its combined authority), in order."""
    known = organisations()
    found: dict[str, None] = {}
    pending = list(areas)
    while pending:
        area = pending.pop(0)
        if area not in found:
            found[area] = None
            pending.extend(known.get(area, {}).get("parents", ()))
    return tuple(found)


def check_areas(areas: list[str] | tuple[str, ...], also_known: set[str], where: str) -> None:
    """Raise for an area slug the calendar does not know, suggesting the nearest ones."""
    known = set(organisations()) | also_known
    for area in areas:
        if area not in known:
            close = difflib.get_close_matches(area, sorted(known), n=3, cutoff=0.75)
            hint = (f"; did you mean {' or '.join(repr(name) for name in close)}?" if close else
                    "; areas are Democracy Club organisation slugs, such as 'stockport' or 'liverpool-city-ca' "
                    "(see docs/windows.rst)")
            raise PurdahError(f"{where}: area {area!r} is not an organisation the election calendar knows{hint}")
