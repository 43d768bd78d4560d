"""Rule types: the code behind rules. Each module registers one type by name."""

from __future__ import annotations

from .base import RULE_TYPES, Rule
from . import cooccurrence, existence, readability, scored  # noqa: F401  (registration)

__all__ = ["RULE_TYPES", "Rule"]
