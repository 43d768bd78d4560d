"""One rule file: YAML parsed with positions, validated strictly, returned as plain data."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from ..safety import yaml_loader
from ..safety.display import brief
from ..inputs.languages import LANGUAGES
from ..model import SCOPES, PackError, Severity
from .codes import CATEGORIES, category_for_code
from .matching.backtracking import backtracking_risk
from .matching.edges import whitespace_edge
from .matching.patterns import alternation, phrase
from .packfiles import read_rule_bytes
from .ruletypes import RULE_TYPES
from .ruletypes.base import Key
from .vocabularies import Vocabulary, VocabularyError, expand, parts

# A pattern is a phrase, not a document: a literal of a megabyte has crashed the matcher at exit.
MAX_PATTERN_CHARACTERS = 10_000
CODE = re.compile(r"^[A-Z]{2,6}[0-9]{3}$")
NAME = re.compile(r"^[a-z0-9][a-z0-9-]*$")

COMMON_KEYS: dict[str, Key] = {
    "code": Key("str", required=True),
    "category": Key("choice", required=True, choices=tuple(name for name in CATEGORIES if name != "meta")),
    "extends": Key("choice", required=True, choices=()),  # filled from the registry when checked
    "level": Key("choice", required=True, choices=tuple(s.label for s in Severity)),
    "message": Key("str", required=True),
    "guidance": Key("str", required=True),
    "signoff": Key("str", required=True),
    "summary": Key("str"),
    "link": Key("str"),
    "scope": Key("choices", choices=SCOPES),
    "topic": Key("str"),
    "examples": Key("examples", required=True),
    "language": Key("choice", choices=LANGUAGES, default="en"),
}


@dataclass(frozen=True)
class _Located:
    """A YAML value with the position of its node."""

    value: Any
    line: int
    column: int


def _locate(node: yaml.Node, path: str) -> Any:
    """Turn a composed YAML node into plain values, keeping positions of mapping entries."""
    if isinstance(node, yaml.MappingNode):
        result: dict[str, tuple[_Located, Any]] = {}
        for key_node, value_node in node.value:
            key = key_node.value
            if key in result:
                raise PackError(f"{path}:{key_node.start_mark.line + 1}:{key_node.start_mark.column + 1}: "
                                f"key '{key}' appears twice")
            result[key] = (_Located(key, key_node.start_mark.line + 1, key_node.start_mark.column + 1),
                           _locate(value_node, path))
        return _Located(result, node.start_mark.line + 1, node.start_mark.column + 1)
    if isinstance(node, yaml.SequenceNode):
        return _Located([_locate(item, path) for item in node.value],
                        node.start_mark.line + 1, node.start_mark.column + 1)
    try:
        constructed = yaml_loader.construct(node)
    except yaml.YAMLError as exc:
        problem = getattr(exc, "problem", None) or exc
        raise PackError(f"{path}:{node.start_mark.line + 1}:{node.start_mark.column + 1}: invalid YAML: {problem}") from None
    return _Located(constructed, node.start_mark.line + 1, node.start_mark.column + 1)


class _Checker:
    """Validates one rule file's mapping, raising the first problem with its position."""

    def __init__(self, path: str, vocabularies: dict[str, Vocabulary], language: str = "en"):
        self.path = path
        self.vocabularies = vocabularies
        self.ignorecase = True  # how the rule's patterns are matched, which the backtracking check needs
        self.language = language  # the rule's: ~word inflects, and %word mutates, in this language

    def fail(self, located: _Located, message: str) -> None:
        raise PackError(f"{self.path}:{located.line}:{located.column}: {message}")

    def check(self, key: str, spec: Key, located: _Located) -> Any:
        value = located.value
        if spec.kind == "str":
            if not isinstance(value, str) or not value.strip():
                self.fail(located, f"'{key}' must be a non-empty string")
            return value
        if spec.kind == "bool":
            if not isinstance(value, bool):
                self.fail(located, f"'{key}' must be true or false")
            return value
        if spec.kind == "number":
            if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
                self.fail(located, f"'{key}' must be a number of 0 or more")
            return value
        if spec.kind == "choice":
            if value not in spec.choices:
                self.fail(located, f"'{key}' is {brief(value)}; allowed: {', '.join(spec.choices)}")
            return value
        if spec.kind == "choices":
            items = self._list_of_strings(key, located)
            for item in items:
                if item.value not in spec.choices:
                    self.fail(item, f"'{key}' has {brief(item.value)}; allowed: {', '.join(spec.choices)}")
            return [item.value for item in items]
        if spec.kind == "regexes":
            items = self._expanded_items(key, self._list_of_strings(key, located))
            for item in items:
                self._check_regex(key, item)
            return [item.value for item in items]
        if spec.kind == "examples":
            return self._examples(located)
        if spec.kind == "weights":
            return self._weights(key, located)
        raise AssertionError(spec.kind)

    def _weights(self, key: str, located: _Located) -> dict[str, float]:
        """A mapping of cues (one or two lower-case words, or "0" for any number) to weights."""
        if not isinstance(located.value, dict) or not located.value:
            self.fail(located, f"'{key}' must be a non-empty mapping of cues to weights")
        from .matching.cues import cue_words

        weights = {}
        for cue, (cue_located, value) in located.value.items():
            words = cue_words(cue) if isinstance(cue, str) else []
            if not 1 <= len(words) <= 2 or " ".join(words) != cue:
                self.fail(cue_located, f"'{key}' cue {brief(cue)} must be one or two lower-case words "
                                       "separated by one space (a number is written 0)")
            if isinstance(value.value, bool) or not isinstance(value.value, (int, float)):
                self.fail(value, f"'{key}' cue {brief(cue)} must have a number as its weight")
            weights[cue] = value.value
        return weights

    def _list_of_strings(self, key: str, located: _Located) -> list[_Located]:
        if not isinstance(located.value, list) or not located.value:
            self.fail(located, f"'{key}' must be a non-empty list of strings")
        for item in located.value:
            if not isinstance(item.value, str) or not item.value.strip():
                self.fail(item, f"'{key}' must hold only non-empty strings")
        return located.value

    def _expanded_items(self, key: str, items: list[_Located]) -> list[_Located]:
        """Each item expanded; an item naming a group alone becomes one item per member, each searched on its own."""
        found: list[_Located] = []
        grouped: dict[str, bool] = {}  # expanded pattern -> whether it came from a group
        for item in items:
            members = parts(item.value, self.vocabularies)
            for one in ([_Located(member, item.line, item.column) for member in members] if members
                        else [self._expanded(key, item)]):
                if one.value in grouped and (members or grouped[one.value]):
                    self.fail(item, f"'{key}' pattern {brief(item.value)} repeats a vocabulary the list already "
                                    "holds (a group stands for each of its members): leave one out")
                grouped[one.value] = bool(members)
                found.append(one)
        return found

    def _expanded(self, key: str, item: _Located) -> _Located:
        """The pattern with its ``{vocabulary}`` references and ``~inflected`` words written out."""
        try:
            return _Located(expand(item.value, self.vocabularies, self.language), item.line, item.column)
        except VocabularyError as exc:
            self.fail(item, f"'{key}' pattern {brief(item.value)}: {exc}")

    def _check_regex(self, key: str, item: _Located) -> None:
        if len(item.value) > MAX_PATTERN_CHARACTERS:
            self.fail(item, f"'{key}' pattern {brief(item.value)} is too long: at most "
                            f"{MAX_PATTERN_CHARACTERS:,} characters after vocabularies are written out")
        try:
            re.compile(phrase(item.value))
            re.compile(alternation([item.value]))
        except re.error as exc:
            self.fail(item, f"'{key}' pattern {brief(item.value)} does not compile: {exc}")
        risk = backtracking_risk(phrase(item.value), self.ignorecase)
        if risk:
            self.fail(item, f"'{key}' pattern {brief(item.value)} is unsafe: {risk}")
        edge = whitespace_edge(item.value)
        if edge:
            self.fail(item, f"'{key}' pattern {brief(item.value)} can {edge} with white space, so it never matches: "
                            f"a match must {edge} at a whole word; remove the space at its {edge} (in each "
                            f"alternative or optional part too: '(?:a |an )' becomes '(?:a|an)')")

    def _examples(self, located: _Located) -> dict[str, tuple[str, ...]]:
        if not isinstance(located.value, dict):
            self.fail(located, "'examples' must be a mapping with 'fail' and 'pass' lists")
        examples = {}
        for entry in ("fail", "pass"):
            if entry not in located.value:
                self.fail(located, f"'examples' needs a '{entry}' list: every rule shows what it flags and what it lets pass")
            _, items = located.value[entry]
            examples[entry] = tuple(item.value for item in self._list_of_strings(f"examples.{entry}", items))
        for extra_key, (key_located, _) in located.value.items():
            if extra_key not in ("fail", "pass"):
                self.fail(key_located, f"unknown key 'examples.{extra_key}'; allowed: fail, pass")
        return examples


def read_rule_spec(path: Path, user_pack: bool, vocabularies: dict[str, Vocabulary] | None = None,
                   data: bytes | None = None) -> dict[str, Any]:
    """Parse and validate one rule file (whose bytes ``data`` may be already read) into plain data for :func:`build_rule`."""
    shown = str(path)
    try:
        text = (read_rule_bytes(path) if data is None else data).decode("utf-8")
        node = yaml_loader.compose(text)
    except UnicodeDecodeError as exc:
        raise PackError(f"{shown}:1:1: cannot read rule file: not valid UTF-8 (byte offset {exc.start})") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{mark.line + 1}:{mark.column + 1}" if mark else "1:1"
        raise PackError(f"{shown}:{where}: invalid YAML: {getattr(exc, 'problem', None) or exc}") from None
    if node is None or not isinstance(node, yaml.MappingNode):
        raise PackError(f"{shown}:1:1: a rule file must be a mapping of keys to values")
    root = _locate(node, shown)
    entries = root.value
    checker = _Checker(shown, vocabularies or {})
    if "language" in entries:  # read first: the patterns are expanded in the rule's language
        checker.language = checker.check("language", COMMON_KEYS["language"], entries["language"][1])
    extends = entries.get("extends")
    type_keys: dict[str, Key] = {}
    if extends is not None:
        rule_type = RULE_TYPES.get(extends[1].value) if isinstance(extends[1].value, str) else None
        if rule_type is None:
            checker.fail(extends[1], f"'extends' is {brief(extends[1].value)}; allowed: {', '.join(sorted(RULE_TYPES))}")
        type_keys = rule_type.KEYS
    allowed = {**COMMON_KEYS, **type_keys}
    for key, (key_located, _) in entries.items():
        if key not in allowed:
            checker.fail(key_located, f"unknown key '{key}'; allowed: {', '.join(sorted(allowed))}")
    if "ignorecase" in entries:
        checker.ignorecase = checker.check("ignorecase", allowed["ignorecase"], entries["ignorecase"][1])
    values: dict[str, Any] = {}
    # A rule in another language may leave its messages to its English twin (packs._from_twins).
    inherited = ("message", "guidance", "signoff") if checker.language != "en" else ()
    for key, spec in allowed.items():
        if key not in entries:
            if spec.required and key not in inherited:
                checker.fail(root, f"missing required key '{key}'")
            values[key] = spec.default
            continue
        if key == "extends":
            values[key] = entries[key][1].value
            continue
        values[key] = checker.check(key, spec, entries[key][1])
    code_located = entries["code"][1]
    code = values["code"]
    if not CODE.match(code):
        checker.fail(code_located, f"'code' {brief(code)} must be 2 to 6 capital letters and three digits, e.g. ORG101")
    if user_pack and code.startswith("PE"):
        checker.fail(code_located, f"'code' {brief(code)} uses the PE prefix, which is kept for built-in rules; use your own prefix")
    owner = category_for_code(code)
    if owner is not None and owner != values["category"]:
        checker.fail(entries["category"][1], f"'category' {brief(values['category'])} does not match {code}, which belongs to {brief(owner)}")
    name = path.stem
    if not NAME.match(name):
        raise PackError(f"{shown}:1:1: rule file name {brief(name)} must be lower-case words joined by hyphens")
    return {
        "type": extends[1].value,
        "name": name,
        "code": code,
        "category": values["category"],
        "level": values["level"],
        "message": values["message"],
        "guidance": " ".join(values["guidance"].split()) if values["guidance"] else None,
        "signoff": values["signoff"],
        "source": shown,
        "summary": values["summary"] or (values["message"].replace("'%s'", "").replace("%s", "").strip(" :(\"'")
                                         if values["message"] else None),
        "link": values["link"],
        "scope": values["scope"],
        "topic": values["topic"],
        "examples": {kind: list(items) for kind, items in values["examples"].items()},
        "options": {key: values[key] for key in type_keys},
        "language": values["language"],
    }
