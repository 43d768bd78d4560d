"""Rule packs: finding the rule files, loading them (through a cache) and building rules."""

from __future__ import annotations

import marshal
import os
import sys
from pathlib import Path
from typing import Any, Callable

import ahocorasick

from .. import __version__
from ..model import PackError, Severity
from . import cache
from .packfiles import (builtin_rules_dir, message_file_names, read_rule_bytes, rule_file_names, vocabulary_file_names,
                        vocabulary_files)
from .matching.prefilter import PackIndex, index_data, stored_index
from .ruletypes import RULE_TYPES, Rule
from .ruletypes.base import DETAIL



def analysis_code() -> list[str]:
    """The code whose output the cached packs hold (anchors, the saved automata): part of the cache key."""
    # Strings and os.listdir, not Paths and a glob: every check builds this key, so its cost is start-up.
    here = os.path.dirname(__file__)
    types = os.path.join(here, "ruletypes")
    return [*(os.path.join(here, "matching", name) for name in ("anchors.py", "start_anchors.py", "patterns.py",
                                                                "backtracking.py", "rarity.py", "edges.py",
                                                                "prefilter.py")),
            *(os.path.join(here, name) for name in ("vocabularies.py", "packfiles.py", "welsh.py", "rulefile.py")),
            *(os.path.join(types, name) for name in sorted(os.listdir(types)) if name.endswith(".py")),
            ahocorasick.__file__]  # an automaton's saved state belongs to one build of pyahocorasick


TWIN_KEYS = ("message", "guidance", "signoff", "summary", "link")


def builtin_pack_dirs() -> list[Path]:
    """Every built-in pack: the sub-folders of ``rules/``."""
    root = builtin_rules_dir()
    return sorted(path for path in root.iterdir() if path.is_dir())


def build_rule(spec: dict[str, Any], detail: bytes | None = None) -> Rule:
    """Build a rule of the spec's type from validated plain data (``detail``: its DETAIL fields, marshalled)."""
    fields = {} if detail is not None else {
        "examples": {kind: tuple(items) for kind, items in spec["examples"].items()},
        "options": spec["options"],
        "derived": spec.get("derived"),
        "translations": spec.get("translations") or {},
    }
    return RULE_TYPES[spec["type"]](
        name=spec["name"],
        code=spec["code"],
        category=spec["category"],
        level=Severity.parse(spec["level"]),
        message=spec["message"],
        guidance=spec["guidance"],
        signoff=spec["signoff"],
        summary=spec["summary"],
        link=spec["link"],
        scope=frozenset(spec["scope"]) if spec["scope"] else None,
        topic=spec["topic"],
        language=spec["language"],
        detail=detail,
        **fields,
    )


def load_packs(extra: list[str] | None = None, include_builtin: bool = True) -> list[Rule]:
    """Load the built-in packs and any extra pack folders; codes and names must be unique."""
    sources: list[tuple[Path, bool]] = []
    if include_builtin:
        sources.extend((directory, False) for directory in builtin_pack_dirs())
    for folder in extra or []:
        directory = Path(folder)
        if not directory.is_dir():
            raise PackError(f"{folder}: rule pack folder not found")
        files = rule_file_names(directory)
        if not files:
            raise PackError(f"{folder}: rule pack folder holds no .yml rule files")
        sources.append((directory, True))
    files = [(path, user_pack, directory) for directory, user_pack in sources for path in rule_file_names(directory)]
    stored, index = _stored(files)
    shared = PackIndex(index)
    rules = []
    for spec, detail in stored["rules"]:
        rule = build_rule(spec, detail)
        rule.pack_index = shared
        rules.append(rule)
    return sorted(rules, key=lambda rule: rule.code)


def _stored(files: list[tuple[str, bool, Path]]) -> tuple[dict[str, Any], Callable[[str], bytes | None]]:
    """The packs as the cache keeps them, and a reader of one language's prefilter data.

    Each rule's spec is kept with its DETAIL fields marshalled; a miss stores this form and a hit
    reads it, so both build rules the same way. Each language's index
    is an entry of its own, read only when a document in that language is checked: an English page
    never reads the Welsh rules' index (and a missing or stale one is built afresh from the rules).
    """
    packs = list(dict.fromkeys(directory for _, _, directory in files))
    definitions = [(path, False) for pack in packs
                   for path in (*vocabulary_file_names(pack), *message_file_names(pack))]
    key = _signature([*((module, False) for module in analysis_code()), *definitions,
                      *((path, user_pack) for path, user_pack, _ in files)])
    cached = cache.read("packs", key)
    if cached is not None:
        return cached, lambda language: cache.read(f"pack-index-{language}", key)
    specs = _specs([(Path(path), user_pack, directory) for path, user_pack, directory in files], packs)
    rules = []
    for spec in specs:
        spec["examples"] = {kind: tuple(items) for kind, items in spec["examples"].items()}
        rules.append(({name: value for name, value in spec.items() if name not in DETAIL},
                      marshal.dumps(tuple(spec[name] for name in DETAIL))))
    index = {language: stored_index(index_data((spec["code"], spec["derived"])
                                               for spec in specs if spec["language"] == language))
             for language in sorted({spec["language"] for spec in specs})}
    stored = {"rules": rules}
    for language, data in index.items():
        cache.write(f"pack-index-{language}", key, data)
    cache.write("packs", key, stored)
    return stored, index.get


def _specs(files: list[tuple[Path, bool, Path]], packs: list[Path]) -> list[dict[str, Any]]:
    """Validated rule data for ``files``, with what each rule type derives from it (anchors, ...)."""
    import hashlib  # only on a miss: hashlib is a noticeable part of start-up

    from .rulefile import read_rule_spec

    vocabularies = pack_vocabularies(packs)
    used = {pack: _vocabulary_digest(pack) for pack in packs}
    # Validating and analysing a rule file is most of a cache miss; a miss caused by another pack
    # (a project's own) or by one edited file reuses every unchanged file's result from the last one.
    code_key = _signature([(module, False) for module in analysis_code()])
    earlier = cache.read("rule-files", code_key) or {}
    kept = {}
    specs = []
    by_code: dict[tuple[str, str], str] = {}
    by_name: dict[tuple[str, str], str] = {}
    for path, user_pack, directory in files:
        data = read_rule_bytes(path)
        file_key = f"{path}\0{user_pack}\0{used[directory]}\0{hashlib.sha256(data).hexdigest()}"
        stored = earlier.get(file_key)
        if stored is None:
            spec = read_rule_spec(path, user_pack, vocabularies[directory], data)
            spec["derived"] = RULE_TYPES[spec["type"]].analyse(spec["options"], spec["language"])
            stored = marshal.dumps(spec)
        kept[file_key] = stored
        spec = marshal.loads(stored)  # a fresh copy: the steps below change specs
        # A code or name may appear once per language: a Welsh rule mirrors its English twin's code.
        for index, item in ((by_code, spec["code"]), (by_name, spec["name"])):
            if (item, spec["language"]) in index:
                raise PackError(f"{spec['source']}:1:1: {item} is already defined in {index[item, spec['language']]}")
            index[item, spec["language"]] = spec["source"]
        specs.append(spec)
    if kept != earlier:
        cache.write("rule-files", code_key, kept)
    _from_twins(specs)
    from .translations import load_translations

    translations = load_translations(packs, {spec["name"] for spec in specs})
    for spec in specs:
        spec["translations"] = {language: entries[spec["name"]] for language, entries in translations.items()
                                if spec["name"] in entries}
    return specs


def _from_twins(specs: list[dict[str, Any]]) -> None:
    """A rule in another language takes what it leaves out (message, guidance, ...) from its English twin."""
    english = {spec["code"]: spec for spec in specs if spec["language"] == "en"}
    for spec in specs:
        if spec["language"] == "en":
            continue
        missing = [key for key in TWIN_KEYS if spec.get(key) is None]
        twin = english.get(spec["code"])
        required = [key for key in missing if key in ("message", "guidance", "signoff")]
        if twin is None and required:
            raise PackError(f"{spec['source']}:1:1: missing required key '{required[0]}' (a rule in another "
                            f"language takes it from the English rule with its code, and there is no English "
                            f"{spec['code']})")
        if twin is None:
            continue
        if twin["name"] != spec["name"] or twin["category"] != spec["category"]:
            raise PackError(f"{spec['source']}:1:1: {spec['code']} is {twin['name']!r} [{twin['category']}] in "
                            f"English ({twin['source']}); a rule in another language keeps its name and category")
        for key in missing:
            spec[key] = twin[key]


def _signature(paths: list[tuple[str, bool]]) -> tuple:
    """The cache key: this version, and each file's path, size, times and mode.

    Like Python's own bytecode cache, the key reads file status rather than contents: hashing every
    rule file cost more than the rest of a small check's set-up. A rewritten or re-permissioned file
    changes its times, so it is read again. The key is a tuple of numbers, not text: formatting
    every file's times cost start-up too.
    """
    lines: list[tuple] = [(__version__, sys.version)]
    for path, user_pack in paths:
        try:
            status = os.stat(path)
        except OSError as exc:
            raise PackError(f"{path}:1:1: cannot read rule file: {exc.strerror or exc}") from None
        lines.append((path, user_pack, status.st_size, status.st_mtime_ns, status.st_ctime_ns, status.st_mode))
    return tuple(lines)


def _vocabulary_digest(pack: Path) -> str:
    """A digest of the vocabulary files a pack's rules are read with: the core pack's, then its own."""
    import hashlib

    digest = hashlib.sha256()
    for path in dict.fromkeys([*vocabulary_files(builtin_rules_dir() / "core"), *vocabulary_files(pack)]):
        digest.update(f"{path}\0".encode("utf-8", "surrogateescape") + read_rule_bytes(path) + b"\0")
    return digest.hexdigest()


def pack_vocabularies(packs: list[Path]) -> dict[Path, dict]:
    """Each pack's vocabularies: the built-in core pack's, then its own (which may replace them)."""
    from .vocabularies import VocabularyError, load_vocabularies

    try:
        core = load_vocabularies(builtin_rules_dir() / "core")
        return {pack: load_vocabularies(pack, core) for pack in packs}
    except VocabularyError as exc:
        raise PackError(str(exc)) from None
