"""Rule packs load strictly: every problem is one line starting file:line:col."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import textwrap

import pytest

from conftest import run_cli
from purdah_lint.ruleset.packfiles import message_files, rule_files, vocabulary_files
from purdah_lint.ruleset.packs import PackError, load_packs

VALID = """\
code: ORG101
category: consultation
extends: existence
level: warning
message: "Local survey launched ('%s')"
guidance: Ask the comms lead first.
signoff: Comms lead
tokens: ['our parish survey']
examples:
  fail: ["Fill in our parish survey today."]
  pass: ["The survey closed last year."]
"""


def write_rule(tmp_path, text, name="parish-survey"):
    folder = tmp_path / "pack"
    folder.mkdir(exist_ok=True)
    path = folder / f"{name}.yml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def load_error(tmp_path, text) -> str:
    path = write_rule(tmp_path, text)
    with pytest.raises(PackError) as caught:
        load_packs([str(path.parent)], include_builtin=False)
    message = str(caught.value)
    assert "\n" not in message
    return message


def test_valid_user_rule_loads(tmp_path):
    [rule] = load_packs([str(write_rule(tmp_path, VALID).parent)], include_builtin=False)
    assert (rule.code, rule.name, rule.category) == ("ORG101", "parish-survey", "consultation")


@pytest.mark.parametrize("change, position, words", [
    (("level: warning", "level: loud"), ":4:8:", "allowed: suggestion, warning, error"),
    (("extends: existence", "extends: nearby"), ":3:10:", "allowed: cooccurrence, existence"),
    (("category: consultation", "category: gossip"), ":2:11:", "allowed: policy-announcement"),
    (("signoff: Comms lead", "signoff: Comms lead\ncolour: red"), ":8:1:", "unknown key 'colour'"),
    (("tokens: ['our parish survey']", "tokens: ['our (parish survey']"), ":8:10:", "does not compile"),
    (("tokens: ['our parish survey']", "tokens: ['(a+)+b']"), ":8:10:", "backtrack catastrophically"),
    (("tokens: ['our parish survey']", "tokens: ['survey.*today']"), ":8:10:", "bounded gap"),
    (("tokens: ['our parish survey']", "tokens: []"), ":8:9:", "non-empty list"),
    (("tokens: ['our parish survey']", "tokens: ['our parish survey ']"), ":8:10:", "can end with white space"),
    (("tokens: ['our parish survey']", "tokens: ['our (?:parish |local )']"), ":8:10:", "can end with white space"),
    (("tokens: ['our parish survey']", "tokens: ['our parish (?:survey|poll)\\s?']"), ":8:10:", "remove the space"),
    (("tokens: ['our parish survey']", "tokens: [' our parish survey']"), ":8:10:", "can start with white space"),
    (("tokens: ['our parish survey']", "tokens: ['our parish survey']\nexceptions: ['survey closed ']"), ":9:14:",
     "'exceptions' pattern 'survey closed ' can end with white space"),
    (("code: ORG101", "code: PE301"), ":1:7:", "PE prefix"),
    (("code: ORG101", "code: org-1"), ":1:7:", "capital letters and three digits"),
    (('  pass: ["The survey closed last year."]\n', ""), ":10:3:", "needs a 'pass' list"),
    (("guidance: Ask the comms lead first.\n", ""), ":1:1:", "missing required key 'guidance'"),
    (("level: warning", "level: warning\nlevel: error"), ":5:1:", "appears twice"),
    (("message: \"Local survey launched ('%s')\"", "message: [unclosed"), ":", "invalid YAML"),
])
def test_bad_rule_files_name_file_line_and_column(tmp_path, change, position, words):
    text = VALID.replace(*change)
    message = load_error(tmp_path, text)
    assert re.match(r"^.*parish-survey\.yml:\d+:\d+: ", message), message
    assert position in message, message
    assert words in message, message


def test_duplicate_codes_across_files_are_an_error(tmp_path):
    write_rule(tmp_path, VALID, "parish-survey")
    write_rule(tmp_path, VALID, "parish-survey-two")
    with pytest.raises(PackError, match="ORG101 is already defined in"):
        load_packs([str(tmp_path / "pack")])


def test_user_pack_cannot_redefine_a_builtin_name(tmp_path):
    write_rule(tmp_path, VALID, "consultation-launch")
    with pytest.raises(PackError, match="consultation-launch is already defined"):
        load_packs([str(tmp_path / "pack")])


def test_user_pack_runs_from_the_cli(tmp_path):
    write_rule(tmp_path, VALID)
    draft = tmp_path / "draft.md"
    draft.write_text("Fill in our parish\nsurvey today.\n", encoding="utf-8")
    result = run_cli("check", "--in-window", "--pack", tmp_path / "pack", "--select", "ORG", draft)
    assert result.code == 1
    assert f"{draft}:1:9: ORG101 warning [consultation] Local survey launched ('our parish survey')" in result.stdout


def test_malformed_pack_exits_2_with_one_line(tmp_path):
    write_rule(tmp_path, VALID.replace("level: warning", "level: loud"))
    draft = tmp_path / "draft.md"
    draft.write_text("Hello.\n", encoding="utf-8")
    result = run_cli("check", "--in-window", "--pack", tmp_path / "pack", draft)
    assert result.code == 2
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1 and "parish-survey.yml:4:8: 'level' is 'loud'" in result.stderr
    assert "Traceback" not in result.stderr


def _loaded_modules_after_check(tmp_path, cache_dir):
    draft = tmp_path / "draft.txt"
    draft.write_text("Our consultation opens today.\n", encoding="utf-8")
    probe = ("import sys; from purdah_lint.ruleset.packs import load_packs; rules = load_packs(); "
             "print(len(rules), 'purdah_lint.ruleset.rulefile' in sys.modules, 'yaml' in sys.modules, "
             "'purdah_lint.ruleset.vocabularies' in sys.modules)")
    env = {**os.environ, "PURDAH_LINT_CACHE_DIR": str(cache_dir)}
    return subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, env=env,
                          check=True).stdout.split()


def test_pack_cache_skips_parsing_when_files_are_unchanged(tmp_path):
    cache_dir = tmp_path / "cache"
    first = _loaded_modules_after_check(tmp_path, cache_dir)
    assert first[1:] == ["True", "True", "True"] and list(cache_dir.glob("packs-*.bin"))
    second = _loaded_modules_after_check(tmp_path, cache_dir)
    assert second == [first[0], "False", "False", "False"]
    entry = next(cache_dir.glob("packs-*.bin"))
    whole = entry.read_bytes()
    for broken in (b"{not marshal", whole[: len(whole) // 2]):
        entry.write_bytes(broken)
        assert _loaded_modules_after_check(tmp_path, cache_dir)[1] == "True"  # a broken entry is rebuilt


def test_rules_from_the_cache_equal_rules_built_from_their_files(tmp_path, monkeypatch):
    monkeypatch.setenv("PURDAH_LINT_CACHE_DIR", "")
    fresh = load_packs()
    monkeypatch.setenv("PURDAH_LINT_CACHE_DIR", str(tmp_path / "cache"))
    load_packs()  # fills the cache
    cached = load_packs()
    assert [(rule.code, rule.language) for rule in cached] == [(rule.code, rule.language) for rule in fresh]
    for old, new in zip(fresh, cached):
        assert (new.options, new.anchors, new.start_anchors, new.gates, new.translations) == \
            (old.options, old.anchors, old.start_anchors, old.gates, old.translations), old.code


def _org_rule(rules):
    return next(rule for rule in rules if rule.code == "ORG101")


def test_editing_a_rule_file_invalidates_the_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("PURDAH_LINT_CACHE_DIR", str(tmp_path / "cache"))
    path = write_rule(tmp_path, VALID)
    assert _org_rule(load_packs([str(path.parent)])).message == "Local survey launched ('%s')"
    path.write_text(VALID.replace("Local survey launched", "Parish survey promoted"), encoding="utf-8")
    assert _org_rule(load_packs([str(path.parent)])).message == "Parish survey promoted ('%s')"
    path.write_text(VALID.replace("level: warning", "level: loud"), encoding="utf-8")
    with pytest.raises(PackError, match="'level' is 'loud'"):
        load_packs([str(path.parent)])


def test_a_pack_cache_miss_reads_again_only_the_rule_files_that_changed(tmp_path, monkeypatch):
    import purdah_lint.ruleset.rulefile as rulefile

    monkeypatch.setenv("PURDAH_LINT_CACHE_DIR", str(tmp_path / "cache"))
    read = []
    original = rulefile.read_rule_spec
    monkeypatch.setattr(rulefile, "read_rule_spec", lambda path, *args: read.append(path.name) or original(path, *args))
    first = write_rule(tmp_path, VALID)
    load_packs([str(first.parent)])
    assert first.name in read and len(read) > 50  # a cold cache reads every file
    read.clear()
    second = write_rule(tmp_path, VALID.replace("ORG101", "ORG102").replace("parish survey", "ward survey"), "ward")
    rules = load_packs([str(second.parent)])
    assert read == [second.name]  # a new pack, so a new entry: only the new file is read again
    read.clear()
    second.write_text(second.read_text(encoding="utf-8").replace("ward survey", "street survey"), encoding="utf-8")
    assert [rule.options["tokens"] for rule in load_packs([str(second.parent)]) if rule.code == "ORG102"] == [["our street survey"]]
    assert read == [second.name] and {rule.code for rule in rules} >= {"ORG101", "ORG102", "PE101"}


def test_editing_a_vocabulary_reads_again_the_rules_that_use_it(tmp_path, monkeypatch):
    monkeypatch.setenv("PURDAH_LINT_CACHE_DIR", str(tmp_path / "cache"))
    path = write_rule(tmp_path, VALID.replace("tokens: ['our parish survey']", "tokens: ['our {survey-kind} survey']"))
    vocabulary = path.parent / "vocabularies" / "survey-kind.yml"
    vocabulary.parent.mkdir()
    vocabulary.write_text("words: [parish]\n", encoding="utf-8")
    assert _org_rule(load_packs([str(path.parent)])).options["tokens"] == ["our (?:parish) survey"]
    vocabulary.write_text("words: [parish, ward]\n", encoding="utf-8")
    assert _org_rule(load_packs([str(path.parent)])).options["tokens"] == ["our (?:parish|ward) survey"]


def test_adding_or_removing_a_rule_file_invalidates_the_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("PURDAH_LINT_CACHE_DIR", str(tmp_path / "cache"))
    pack = str(write_rule(tmp_path, VALID).parent)
    assert [rule.code for rule in load_packs([pack], include_builtin=False)] == ["ORG101"]
    second = write_rule(tmp_path, VALID.replace("ORG101", "ORG102"), name="second")
    assert [rule.code for rule in load_packs([pack], include_builtin=False)] == ["ORG101", "ORG102"]
    second.unlink()
    assert [rule.code for rule in load_packs([pack], include_builtin=False)] == ["ORG101"]


def test_a_pack_lists_its_files_in_path_order(tmp_path):
    names = ("a-b.yml", "a/b.yml", "a/c/d.yaml", "a.yml", "B.yml", "a b.yml", "ab/a.yml", "notes.txt",
             "vocabularies/words.yml", "messages/cy.yml", "a/vocabularies/x.yml")
    for name in names:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x", encoding="utf-8")
    rules = sorted(path for path in tmp_path.rglob("*") if path.suffix in (".yml", ".yaml")
                   and not {"vocabularies", "messages"} & set(path.relative_to(tmp_path).parts[:-1]))
    assert rule_files(tmp_path) == rules and len(rules) == 7
    assert vocabulary_files(tmp_path) == [tmp_path / "vocabularies" / "words.yml"]
    assert message_files(tmp_path) == [tmp_path / "messages" / "cy.yml"]
    assert vocabulary_files(tmp_path / "a" / "b.yml") == [] and message_files(tmp_path / "missing") == []


@pytest.mark.parametrize("token", ["our (?:new )?parish survey", "(?:our |the )?parish survey",
                                   "our parish survey(?=,)", "our parish (?:survey|poll)(?! closed)",
                                   r"^\W{0,3}(?:our |)parish survey"])
def test_spaces_inside_a_token_are_not_refused(tmp_path, token):
    text = VALID.replace("tokens: ['our parish survey']", f"tokens: ['{token}']")
    [rule] = load_packs([str(write_rule(tmp_path, text).parent)], include_builtin=False)
    assert rule.code == "ORG101"


def test_white_space_bordered_by_a_lookaround_is_accepted():
    """A lookbehind before a leading space (or lookahead after a trailing one) says what borders it, so it can match."""
    from purdah_lint.ruleset.matching.edges import whitespace_edge

    assert whitespace_edge(r"(?<=[a-z],)\s(?:the )?Mayor of") is None
    assert whitespace_edge(r"\s(?:the )?Mayor of") == "start"
    assert whitespace_edge(r"urge voters to vote\s(?=[,;])") is None
    assert whitespace_edge(r"(?=[,;])urge voters to vote\s") == "end"


def test_equal_cache_keys_name_the_same_entry_whatever_their_strings_history(tmp_path):
    from purdah_lint.ruleset import cache

    path = str(tmp_path / "rules" / "a.yml")
    built = "".join([path[:5], path[5:]])  # equal, but another object that is not interned
    held = [built] * 3  # more references change how marshal's newer versions write it
    first = ((sys.intern(path), False, 10, 20), (path, True, 1, 2))
    second = ((built, False, 10, 20), (held[0], True, 1, 2))
    assert first == second
    assert cache._entry(tmp_path, "packs", first) == cache._entry(tmp_path, "packs", second)
