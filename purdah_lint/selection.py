"""``--select`` / ``--ignore``: choose rules by code, code prefix, category or rule name."""

from __future__ import annotations

from .categories import CATEGORIES
from .meta import META_CODES
from .model import PurdahError
from .ruletypes import Rule


def _matches(item: str, rule: Rule) -> bool:
    return item in (rule.code, rule.category, rule.name) or (item.isupper() and rule.code.startswith(item))


def _check(items: list[str], rules: list[Rule], option: str) -> None:
    for item in items:
        known = any(_matches(item, rule) for rule in rules) or item in CATEGORIES or item in META_CODES
        known = known or (item.isupper() and any(code.startswith(item) for code in META_CODES))
        if not known:
            raise PurdahError(f"{option}: unknown code, prefix, category or rule {item!r}; see 'purdah-lint rules'")


def split_items(values: list[str] | None) -> list[str]:
    """Flatten repeated and comma-separated option values."""
    items: list[str] = []
    for value in values or []:
        items.extend(part.strip() for part in value.split(",") if part.strip())
    return items


def select_rules(rules: list[Rule], select: list[str], ignore: list[str]) -> list[Rule]:
    """The rules chosen by ``select`` (all when empty) minus those matched by ``ignore``."""
    _check(select, rules, "--select")
    _check(ignore, rules, "--ignore")
    chosen = [rule for rule in rules if not select or any(_matches(item, rule) for item in select)]
    return [rule for rule in chosen if not any(_matches(item, rule) for item in ignore)]
