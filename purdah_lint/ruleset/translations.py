"""Rule messages in other languages: ``messages/LANG.yml`` in a pack, and rules shown in one language.

A messages file maps rule names to their ``message``, ``summary``, ``guidance`` and ``signoff`` in
that language. A rule's twins in other languages share its name, so one entry serves all of them.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

from ..inputs.languages import DEFAULT, LANGUAGES
from ..model import PackError
from .packfiles import message_files

FIELDS = ("message", "summary", "guidance", "signoff")
REQUIRED = ("message", "guidance")


def load_translations(packs: list[Path], rule_names: set[str]) -> dict[str, dict[str, dict[str, str]]]:
    """``{language: {rule name: {field: text}}}`` from the packs' messages files, validated strictly."""
    import yaml

    from ..safety import yaml_loader
    from ..structured import parse_file, yaml_problem

    found: dict[str, dict[str, dict[str, str]]] = {}
    for pack in packs:
        for path in message_files(pack):
            language = path.stem
            if language not in LANGUAGES or language == DEFAULT:
                raise PackError(f"{path}:1:1: a messages file is named after its language: "
                                f"{', '.join(f'{code}.yml' for code in LANGUAGES if code != DEFAULT)}")
            data = parse_file(str(path), "messages file", yaml_loader.load, yaml.YAMLError,
                              lambda exc: yaml_problem(exc, "invalid YAML"), PackError)
            if not isinstance(data, dict):
                raise PackError(f"{path}:1:1: a messages file maps rule names to their messages")
            for name, entry in data.items():
                found.setdefault(language, {})[name] = _entry(path, name, entry, rule_names)
    return found


def _entry(path: Path, name: Any, entry: Any, rule_names: set[str]) -> dict[str, str]:
    if name not in rule_names:
        raise PackError(f"{path}:1:1: {name!r} is not a rule of the loaded packs")
    if not isinstance(entry, dict):
        raise PackError(f"{path}:1:1: {name}: expected a mapping with {', '.join(FIELDS)}")
    for key, value in entry.items():
        if key not in FIELDS:
            raise PackError(f"{path}:1:1: {name}: unknown key '{key}'; allowed: {', '.join(FIELDS)}")
        if not isinstance(value, str) or not value.strip():
            raise PackError(f"{path}:1:1: {name}: '{key}' must be a non-empty string")
    for key in REQUIRED:
        if key not in entry:
            raise PackError(f"{path}:1:1: {name}: missing required key '{key}'")
    return {key: " ".join(value.split()) if key == "guidance" else value for key, value in entry.items()}


def localised(rules: list, language: str | None) -> list:
    """The rules with their messages, summaries, guidance and sign-off in ``language`` where translated."""
    if not language or language == DEFAULT:
        return list(rules)
    return [_translated(rule, rule.translations[language]) if language in rule.translations else rule
            for rule in rules]


def _translated(rule, fields: dict[str, str]):
    """A copy of ``rule`` with its messages replaced; its patterns, compiled or not, are shared."""
    twin = copy.copy(rule)
    for key, value in fields.items():
        setattr(twin, key, value)
    return twin
