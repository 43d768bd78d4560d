"""Named vocabularies and inflected words in rule patterns, expanded when a pack is compiled.

A pack folder may hold ``vocabularies/NAME.yml`` files, each a list of ``words`` (phrases) or
``patterns`` (regular expressions) under a name. In a rule pattern, ``{NAME}`` stands for any
entry of that vocabulary and ``~word`` for the word with all its inflections (launch: launches,
launched, launching). A group (``vocabularies: [NAME, ...]``) names other vocabularies: a rule's
list item that is the group alone stands for one item per member, so each is still searched on
its own. Inflections come from lemminflect's tables, which are consulted only
while a pack is compiled: the expanded patterns are cached with the pack, so no linguistic
library runs while text is checked.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..inputs.languages import LANGUAGES
from ..model import PurdahError
from .matching.patterns import class_end
from .packfiles import vocabulary_files

NAME = re.compile(r"^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$")
# {name} outside a character class; a quantifier such as {2,3} starts with a digit or comma.
REFERENCE = re.compile(r"\{([a-z][a-z0-9-]*)\}")
INFLECTED = re.compile(r"(?<![\w\\])~([^\W\d_]+(?:-[^\W\d_]+)*)")
# %word: the word with its Welsh initial mutations; %~word: every inflected form, each mutated.
MUTATED = re.compile(r"(?<![\w\\])%(~?)([^\W\d_]+(?:-[^\W\d_]+)*)")
STRAY_MUTATION = re.compile(r"(?<![\w\\])%(?!~?[^\W\d_])")
KEYS = {"summary", "words", "patterns", "inflect", "language", "vocabularies"}
GROUP_KEYS = {"summary", "vocabularies"}  # a group only names its members


class VocabularyError(PurdahError):
    """A vocabulary file, or a reference to one, that is not valid; names file:line:col."""


@dataclass(frozen=True)
class Vocabulary:
    """One named list: the regular expression its entries make, and where it was defined."""

    name: str
    pattern: str
    source: str
    # A group's members, each written as a reference to it is: a list item naming the group becomes these items.
    parts: tuple[str, ...] = ()


INFLECT_CHOICES = {True: ("NOUN", "VERB"), "noun": ("NOUN",), "verb": ("VERB",)}


def inflections(word: str, parts: tuple[str, ...] = ("NOUN", "VERB"), language: str = "en") -> list[str]:
    """``word`` and its inflected forms as the ``parts`` of speech (same case for the first letter)."""
    if language == "cy":
        from .welsh import inflections as welsh_inflections

        return welsh_inflections(word)
    from lemminflect import getAllInflections, getAllInflectionsOOV

    lower = word.lower()
    forms = {lower}
    for upos in parts:
        known = getAllInflections(lower, upos=upos) or getAllInflectionsOOV(lower, upos=upos)
        for variants in known.values():
            forms.update(variants)
    if word[:1].isupper():
        forms = {form[:1].upper() + form[1:] for form in forms}
    return sorted(forms, key=lambda form: (-len(form), form))


def _inflect_phrase(phrase: str, parts: tuple[str, ...], language: str = "en") -> str:
    """A pattern for ``phrase`` with its last word in any inflected form."""
    *head, last = phrase.split(" ")
    forms = "|".join(re.escape(form) for form in inflections(last, parts, language))
    escaped = " ".join(re.escape(word) for word in head)
    return f"{escaped} (?:{forms})" if head else f"(?:{forms})"


def _escape_phrase(phrase: str) -> str:
    return " ".join(re.escape(word) for word in phrase.split(" "))


def _alternatives(forms: list[str]) -> str:
    return f"(?:{'|'.join(re.escape(form) for form in sorted(set(forms), key=lambda form: (-len(form), form)))})"


def expand(pattern: str, vocabularies: dict[str, Vocabulary], language: str = "en") -> str:
    """``pattern`` with ``{name}``, ``~word`` and ``%word`` replaced by the alternations they stand for.

    ``~word`` takes its inflections in ``language``; ``%word`` (Welsh only) its initial mutations.
    """
    def reference(match: re.Match) -> str:
        vocabulary = vocabularies.get(match.group(1))
        if vocabulary is None:
            known = ", ".join(sorted(vocabularies)) or "none"
            raise VocabularyError(f"unknown vocabulary '{{{match.group(1)}}}'; this pack can use: {known}")
        return f"(?:{vocabulary.pattern})"

    def inflected(match: re.Match) -> str:
        return _alternatives(inflections(match.group(1), language=language))

    def mutated(match: re.Match) -> str:
        if language != "cy":
            raise VocabularyError(f"'%{match.group(1)}{match.group(2)}' asks for Welsh initial mutations, "
                                  "which only a Welsh rule or vocabulary (language: cy) can use")
        from .welsh import mutated_inflections, mutations

        word = match.group(2)
        return _alternatives(mutated_inflections(word) if match.group(1) else mutations(word))

    if language == "cy" and STRAY_MUTATION.search(pattern):
        raise VocabularyError("'%' must be followed by a word ('%cyngor') or '~' and a word ('%~cyngor'); "
                              "write a literal per cent sign as '\\%'")

    return _outside_classes(pattern, lambda part: INFLECTED.sub(inflected, MUTATED.sub(mutated, REFERENCE.sub(reference, part))))


def _outside_classes(pattern: str, replace) -> str:
    """Apply ``replace`` only to the parts of ``pattern`` outside ``[...]`` classes."""
    parts, index, start = [], 0, 0
    while index < len(pattern):
        char = pattern[index]
        if char == "\\":
            index += 2
            continue
        if char == "[":
            parts.append(replace(pattern[start:index]))
            end = class_end(pattern, index)
            parts.append(pattern[index:end])
            index = start = end
            continue
        index += 1
    parts.append(replace(pattern[start:]))
    return "".join(parts)


def load_vocabularies(pack: Path, inherited: dict[str, Vocabulary] | None = None) -> dict[str, Vocabulary]:
    """The vocabularies a pack's rules can use: ``inherited`` ones (the built-in core pack), then its own."""
    found = dict(inherited or {})
    own = {}
    for path in vocabulary_files(pack):
        name = path.stem
        if not NAME.match(name):
            raise VocabularyError(f"{path}:1:1: vocabulary name {name!r} must be lower-case words joined by hyphens")
        own[name] = path
    # A vocabulary may use another one, so each is expanded after those it names.
    pending = {name: _read(path) for name, path in own.items()}
    while pending:
        ready = [name for name, (data, _) in pending.items()
                 if all(ref not in pending or ref == name for ref in _references(data))]
        if not ready:
            raise VocabularyError(f"{own[sorted(pending)[0]]}:1:1: vocabularies refer to each other in a circle: "
                                  f"{', '.join(sorted(pending))}")
        for name in ready:
            data, path = pending.pop(name)
            found[name] = (_group(name, data, path, found) if "vocabularies" in data
                           else Vocabulary(name, _compile(data, path, found), str(path)))
    return found


def parts(pattern: str, vocabularies: dict[str, Vocabulary]) -> tuple[str, ...] | None:
    """The members of the group ``pattern`` names alone (``'{group}'``), as their references expand; else None."""
    reference = REFERENCE.fullmatch(pattern)
    vocabulary = vocabularies.get(reference.group(1)) if reference else None
    return vocabulary.parts if vocabulary is not None and vocabulary.parts else None


def _group(name: str, data: dict[str, Any], path: Path, known: dict[str, Vocabulary]) -> Vocabulary:
    """A group of vocabularies: it matches what any member matches, and splits into its members in a rule's list."""
    members: list[str] = []
    for member in data["vocabularies"]:
        if member not in known:  # its own name: the inherited vocabulary it replaces, as in a pattern
            listed = ", ".join(sorted(known)) or "none"
            raise VocabularyError(f"{path}:1:1: group member '{member}' is not a vocabulary; this pack can use: {listed}")
        members.extend(known[member].parts or (f"(?:{known[member].pattern})",))
    if len(set(members)) < len(members):
        raise VocabularyError(f"{path}:1:1: group '{name}' holds a vocabulary twice (directly or through another group)")
    return Vocabulary(name, "|".join(members), str(path), tuple(members))


def _read(path: Path) -> tuple[dict[str, Any], Path]:
    import yaml

    from ..safety import yaml_loader
    from ..structured import parse_file, yaml_problem

    data = parse_file(str(path), "vocabulary file", yaml_loader.load, yaml.YAMLError,
                      lambda exc: yaml_problem(exc, "invalid YAML"), VocabularyError)
    if not isinstance(data, dict):
        raise VocabularyError(f"{path}:1:1: a vocabulary file must be a mapping with 'words' or 'patterns'")
    unknown = sorted(set(data) - KEYS)
    if unknown:
        raise VocabularyError(f"{path}:1:1: unknown key '{unknown[0]}'; allowed: {', '.join(sorted(KEYS))}")
    if "vocabularies" in data:
        other = sorted(set(data) - GROUP_KEYS)
        if other:
            raise VocabularyError(f"{path}:1:1: a group ('vocabularies') takes only 'summary' beside it, not '{other[0]}'")
        members = data["vocabularies"]
        if (not isinstance(members, list) or not members
                or not all(isinstance(member, str) and NAME.match(member) for member in members)):
            raise VocabularyError(f"{path}:1:1: 'vocabularies' must be a non-empty list of vocabulary names "
                                  "(lower-case words joined by hyphens)")
        return data, path
    entries = [*(data.get("words") or []), *(data.get("patterns") or [])]
    if not entries or not all(isinstance(entry, str) and entry.strip() for entry in entries):
        raise VocabularyError(f"{path}:1:1: 'words' and 'patterns' must be lists of non-empty strings, "
                              "and a vocabulary needs at least one entry")
    if data.get("inflect", False) not in (False, *INFLECT_CHOICES):
        raise VocabularyError(f"{path}:1:1: 'inflect' must be true (every form), noun, verb or false")
    if data.get("language", "en") not in LANGUAGES:
        raise VocabularyError(f"{path}:1:1: 'language' is {data['language']!r}; allowed: {', '.join(LANGUAGES)}")
    return data, path


def _references(data: dict[str, Any]) -> set[str]:
    return {*(data.get("vocabularies") or []),
            *(name for pattern in data.get("patterns") or [] for name in REFERENCE.findall(pattern))}


def _compile(data: dict[str, Any], path: Path, known: dict[str, Vocabulary]) -> str:
    words = data.get("words") or []
    inflect = data.get("inflect", False)
    language = data.get("language", "en")
    alternatives = [_inflect_phrase(word.strip(), INFLECT_CHOICES[inflect], language) if inflect
                    else _escape_phrase(word.strip()) for word in words]
    for pattern in data.get("patterns") or []:
        try:
            expanded = expand(pattern, known, language)
            re.compile(expanded)
        except VocabularyError as exc:
            raise VocabularyError(f"{path}:1:1: {exc}") from None
        except re.error as exc:
            raise VocabularyError(f"{path}:1:1: pattern {pattern!r} does not compile: {exc}") from None
        alternatives.append(f"(?:{expanded})")
    return "|".join(alternatives)
