"""``--select`` / ``--ignore``: choose rules by code, code prefix, category or rule name."""

from __future__ import annotations

from ..model import PurdahError
from .codes import CATEGORIES, META_CODES
from .ruletypes import Rule


def _matches(item: str, code: str, category: str, name: str) -> bool:
    return item in (code, category, name) or (item.isupper() and code.startswith(item))


def _entries(rules: list[Rule]) -> list[tuple[str, str, str]]:
    return [(r.code, r.category, r.name) for r in rules] + [(m.code, "meta", m.name) for m in META_CODES.values()]


def _check(items: list[str], entries, option: str) -> None:
    for item in items:
        if not (item in CATEGORIES or any(_matches(item, *entry) for entry in entries)):
            raise PurdahError(f"{option}: unknown code, prefix, category or rule {item!r}; see 'purdah-lint rules'")


def split_items(values: list[str] | None) -> list[str]:
    """Flatten repeated and comma-separated option values."""
    items: list[str] = []
    for value in values or []:
        items.extend(part.strip() for part in value.split(",") if part.strip())
    return items


def _chosen(entries, select: list[str], ignore: list[str]) -> list[tuple[str, str, str]]:
    chosen = [e for e in entries if not select or any(_matches(item, *e) for item in select)]
    return [e for e in chosen if not any(_matches(item, *e) for item in ignore)]


def select_rules(rules: list[Rule], select: list[str], ignore: list[str],
                 names: tuple[str, str] = ("--select", "--ignore")) -> list[Rule]:
    """The rules chosen by ``select`` (all when empty) minus those matched by ``ignore``.

    ``names`` are how the user wrote the two settings, for the error about an unknown item.
    """
    entries = _entries(rules)
    _check(select, entries, names[0])
    _check(ignore, entries, names[1])
    codes = {code for code, _, _ in _chosen(entries, select, ignore)}
    return [rule for rule in rules if rule.code in codes]


def selected_names(rules: list[Rule], select: list[str], ignore: list[str]) -> frozenset[str]:
    """Codes chosen (meta codes included) and the categories they belong to."""
    chosen = _chosen(_entries(rules), select, ignore)
    return frozenset(code for code, _, _ in chosen) | frozenset(category for _, category, _ in chosen)


def one_per_code(rules: list[Rule]) -> list[Rule]:
    """The first rule of each code (the English one, where a rule has twins in other languages), in order."""
    return list({rule.code: rule for rule in reversed(rules)}.values())[::-1]


def look_up(wanted: str, rules: list[Rule], language: str = "en"):
    """The meta code or rule that ``wanted`` names (code or rule name), in ``language`` where it has one;
    an unknown one suggests close names."""
    wanted = wanted.strip()
    if wanted.upper() in META_CODES:
        return META_CODES[wanted.upper()]
    named = [r for r in rules if wanted.upper() == r.code or wanted == r.name]
    rule = next((r for r in named if r.language == language), named[0] if named else None)
    if rule is None:
        import difflib

        names = [r.code for r in rules] + [r.name for r in rules] + list(META_CODES)
        close = difflib.get_close_matches(wanted, names, n=3)
        hint = f"; did you mean {', '.join(close)}?" if close else "; see 'purdah-lint rules'"
        raise PurdahError(f"unknown code or rule {wanted!r}{hint}")
    return rule
