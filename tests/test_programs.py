"""The regex program store: restored patterns behave exactly as compiled ones, and a bad store only costs speed."""

from __future__ import annotations

import re

import pytest

from purdah_lint.ruleset.matching import programs
from purdah_lint.ruleset.packs import load_packs

PATTERNS = [
    (r"(?<!\w)(?:new\s+(?P<what>strategy|plan)|launch(?:es|ed)?)(?!\w)", re.IGNORECASE),
    (r"(?:MP|MS) for [A-Z][a-z]+", 0),
    (r"(\w+) \1", 0),
    (r"caf[ée] £\d+(?:\.\d\d)?m?", re.IGNORECASE),
]
TEXTS = ["The council will LAUNCH a new   Strategy today.", "Jo Lane MP for Northmere spoke.", "the the end",
         "Café £5.50m and CAFE £3", "nothing here at all"]


def _behaviour(pattern: re.Pattern) -> list:
    return [pattern.flags, pattern.groups, dict(pattern.groupindex),
            *([(m.span(), m.groups()) for m in pattern.finditer(text)] for text in TEXTS)]


@pytest.fixture()
def store(tmp_path, monkeypatch):
    monkeypatch.setenv("PURDAH_LINT_CACHE_DIR", str(tmp_path))
    return tmp_path


def test_a_restored_pattern_matches_exactly_as_re_compile(store, monkeypatch):
    for pattern, flags in PATTERNS:
        assert _behaviour(programs.compile_pattern(pattern, flags)) == _behaviour(re.compile(pattern, flags))
    assert len(list(store.glob("regex-*/*"))) == len(PATTERNS)

    def no_compiling(*args):
        raise AssertionError("compiled again instead of restored")

    monkeypatch.setattr(programs, "_program", no_compiling)
    for pattern, flags in PATTERNS:
        assert _behaviour(programs.compile_pattern(pattern, flags)) == _behaviour(re.compile(pattern, flags))


@pytest.mark.parametrize("damage", [b"", b"not marshal data", "swap"])
def test_a_damaged_store_entry_is_compiled_again(store, damage):
    pattern, flags = PATTERNS[0]
    programs.compile_pattern(pattern, flags)
    (entry,) = store.glob("regex-*/*")
    if damage == "swap":  # a valid entry holding another pattern's program under this name
        other, other_flags = PATTERNS[1]
        programs.compile_pattern(other, other_flags)
        (moved,) = [path for path in store.glob("regex-*/*") if path != entry]
        moved.replace(entry)
    else:
        entry.write_bytes(damage)
    assert _behaviour(programs.compile_pattern(pattern, flags)) == _behaviour(re.compile(pattern, flags))


def test_corrupt_program_code_falls_back_to_compiling(store):
    import marshal

    pattern, flags = PATTERNS[0]
    programs.compile_pattern(pattern, flags)
    (entry,) = store.glob("regex-*/*")
    stored = list(marshal.loads(entry.read_bytes()))
    stored[3] = bytes(len(stored[3]))  # the interpreter's own check rejects this program
    entry.write_bytes(marshal.dumps(tuple(stored)))
    assert _behaviour(programs.compile_pattern(pattern, flags)) == _behaviour(re.compile(pattern, flags))


def test_without_a_cache_folder_nothing_is_stored(tmp_path, monkeypatch):
    monkeypatch.setenv("PURDAH_LINT_CACHE_DIR", "")
    monkeypatch.chdir(tmp_path)
    pattern, flags = PATTERNS[0]
    assert _behaviour(programs.compile_pattern(pattern, flags)) == _behaviour(re.compile(pattern, flags))
    assert not list(tmp_path.rglob("*"))


def test_every_built_in_rule_finds_the_same_with_restored_programs(store):
    for rule in load_packs():
        if not rule.options.get("tokens"):
            continue
        pattern, flags = rule._tokens.pattern, rule._tokens.flags
        compiled, restored = programs.compile_pattern(pattern, flags), programs.compile_pattern(pattern, flags)
        for example in (*rule.examples.get("fail", ()), *rule.examples.get("pass", ())):
            expected = [m.span() for m in re.compile(pattern, flags).finditer(example)]
            assert [m.span() for m in compiled.finditer(example)] == expected, rule.code
            assert [m.span() for m in restored.finditer(example)] == expected, rule.code
