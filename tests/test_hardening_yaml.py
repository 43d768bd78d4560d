"""Hostile YAML everywhere the tool reads it from users: bounded memory, one clear line, the run goes on."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from purdah_lint.safety import yaml_loader

from hardening_support import GOOD, assert_no_traceback, beside_good, error_line, run_bounded, run_error
from test_packs import VALID as RULE

FIELDS = 'reason="Statutory" approved-by="Head of Communications" expires=2030-05-02'


def alias_bomb(levels: int = 9, width: int = 9, indent: str = "") -> str:
    """The billion-laughs document: each level refers ``width`` times to the one before."""
    lines = [f'{indent}l0: &l0 [{", ".join(["lol"] * width)}]']
    for level in range(1, levels):
        lines.append(f'{indent}l{level}: &l{level} [{", ".join([f"*l{level - 1}"] * width)}]')
    return "\n".join(lines) + "\n"


def test_front_matter_alias_bomb_is_refused(tmp_path):
    bomb = "---\n" + alias_bomb() + "title: x\n---\nHello.\n"
    assert len(bomb) < 700
    result, entry = beside_good(tmp_path, "bomb.md", bomb)
    assert result.code == 2
    assert "alias" in entry["error"] and "\n" not in entry["error"]
    assert "alias" in error_line(result, "bomb.md")


def test_front_matter_single_alias_is_refused_too(tmp_path):
    result, entry = beside_good(tmp_path, "a.md", "---\nx: &x 1\ny: *x\n---\nHello.\n")
    assert result.code == 2 and "line 3" in entry["error"] and "alias" in entry["error"]


@pytest.mark.parametrize("value, shown", [
    ("2024-02-30", "2024-02-30"),
    ("2024-04-15 25:61:00", "25:61"),
    ("2024-04-15T10:00:00+99:00", "+99:00"),
    ("2024-04-15 10:00:00.5 -99:30", "-99:30"),
])
@pytest.mark.parametrize("jobs", [[], ["--jobs", "2"]])
def test_impossible_front_matter_date_is_that_files_error(tmp_path, value, shown, jobs):
    (tmp_path / "other.md").write_text(GOOD, encoding="utf-8")
    result, entry = beside_good(tmp_path, "dated.md", f"---\ndate: {value}\n---\n{GOOD}", *jobs,
                                "--fail-level", "never", also=["other.md"])
    assert result.code == 2
    assert shown in entry["error"] and "date" in entry["error"]
    assert shown in error_line(result, "dated.md")
    assert [f["path"] for f in result.json()["findings"]] == ["good.md", "other.md"]


def test_impossible_expiry_in_the_waiver_file_is_a_governance_finding(tmp_path):
    (tmp_path / "purdah-waivers.yaml").write_text(
        "waivers:\n  - codes: [PE301]\n    reason: r\n    approved-by: a\n    expires: 2024-02-30\n", encoding="utf-8")
    (tmp_path / "a.md").write_text(GOOD, encoding="utf-8")
    result = run_bounded("check", "--in-window", "--format", "json", "a.md", cwd=tmp_path)
    assert_no_traceback(result)
    codes = sorted(f["code"] for f in result.json()["findings"])
    assert codes == ["PE001", "PE301"]
    pe001 = next(f for f in result.json()["findings"] if f["code"] == "PE001")
    assert "2024-02-30" in pe001["message"] and pe001["path"] == "purdah-waivers.yaml" and pe001["line"] == 2


def test_waiver_file_alias_bomb_is_refused(tmp_path):
    (tmp_path / "w.yaml").write_text(alias_bomb(indent="") + "waivers: [*l8]\n", encoding="utf-8")
    (tmp_path / "a.md").write_text(GOOD, encoding="utf-8")
    line = run_error(run_bounded("check", "--waivers", "w.yaml", "a.md", cwd=tmp_path), "w.yaml:")
    assert "alias" in line


@pytest.mark.parametrize("entry, words", [
    ("  - {codes: [PE301], paths: [1, 2], reason: r, approved-by: a, expires: 2030-01-01}", "paths"),
    ("  - {codes: [PE301], paths: {a: b}, reason: r, approved-by: a, expires: 2030-01-01}", "paths"),
    ("  - {codes: {a: 1}, reason: r, approved-by: a, expires: 2030-01-01}", "codes"),
    ("  - {codes: [PE301], match: [1], reason: r, approved-by: a, expires: 2030-01-01}", "match"),
    ("  - {codes: [PE301], reason: [r], approved-by: a, expires: 2030-01-01}", "reason"),
])
def test_wrong_types_in_the_waiver_file_are_governance_findings(tmp_path, entry, words):
    (tmp_path / "purdah-waivers.yaml").write_text(f"waivers:\n{entry}\n", encoding="utf-8")
    (tmp_path / "a.md").write_text(GOOD, encoding="utf-8")
    result = run_bounded("check", "--in-window", "--format", "json", "a.md", cwd=tmp_path)
    assert_no_traceback(result)
    pe001 = [f for f in result.json()["findings"] if f["code"] == "PE001"]
    assert len(pe001) == 1 and words in pe001[0]["message"], result.stdout


@pytest.mark.parametrize("replace, words", [
    (("code: ORG101", "code: !!python/name:os.system"), "tag"),
    (("code: ORG101", "code: !!python/object/apply:os.system ['echo pwned']"), "tag"),
    (("tokens: ['our parish survey']", "tokens: &t ['our parish survey']\nexceptions: *t"), "alias"),
    (("tokens: ['our parish survey']", "? [a, b]\n: 1\ntokens: ['our parish survey']"), "key"),
    (("tokens: ['our parish survey']", "tokens: " + "[" * 5000 + "]" * 5000), "nested"),
    (("level: warning", "level: 1" + "0" * 6000), "level"),
    (("level: warning", "level: 2024-02-30"), "level"),
    (("tokens: ['our parish survey']", "tokens: ['" + "survey " * 20_000 + "']"), "long"),
])
def test_rule_pack_oddities_are_one_located_line(tmp_path, replace, words):
    pack = tmp_path / "pack"
    pack.mkdir()
    (pack / "parish-survey.yml").write_text(RULE.replace(*replace), encoding="utf-8")
    (tmp_path / "a.md").write_text(GOOD, encoding="utf-8")
    line = run_error(run_bounded("check", "--pack", "pack", "a.md", cwd=tmp_path), "pack/parish-survey.yml:")
    assert words in line.lower()


def test_rule_pack_alias_bomb_is_refused(tmp_path):
    pack = tmp_path / "pack"
    pack.mkdir()
    (pack / "parish-survey.yml").write_text(alias_bomb() + RULE.replace("tokens: ['our parish survey']",
                                                                         "tokens: *l8"), encoding="utf-8")
    (tmp_path / "a.md").write_text(GOOD, encoding="utf-8")
    line = run_error(run_bounded("check", "--pack", "pack", "a.md", cwd=tmp_path), "pack/parish-survey.yml:")
    assert "alias" in line


def test_labels_alias_bomb_and_missing_file_key(tmp_path):
    (tmp_path / "labels.yaml").write_text(alias_bomb() + "schema: purdah-corpus/1\ndocuments: *l8\n", encoding="utf-8")
    assert "alias" in run_error(run_bounded("eval", ".", cwd=tmp_path), "labels.yaml:")
    (tmp_path / "labels.yaml").write_text("schema: purdah-corpus/1\ndocuments:\n  - {labels: []}\n", encoding="utf-8")
    line = run_error(run_bounded("eval", ".", cwd=tmp_path), "labels.yaml")
    assert "file" in line


def test_twenty_thousand_unknown_codes_are_reported_once(tmp_path):
    codes = ",".join(f"XX{n:05d}" for n in range(20_000))
    text = f"<!-- purdah-lint: allow {codes} {FIELDS} -->\n{GOOD}"
    (tmp_path / "many.md").write_text(text, encoding="utf-8")
    result = run_bounded("check", "--in-window", "--format", "json", "many.md", cwd=tmp_path, timeout=120)
    assert_no_traceback(result)
    pe004 = [f for f in result.json()["findings"] if f["code"] == "PE004"]
    assert len(pe004) == 1
    assert "20,000" in pe004[0]["message"] and "XX00000" in pe004[0]["message"]
    assert len(json.dumps(pe004[0])) < 4000
    assert len(result.stdout) < 100_000


def test_calendar_file_alias_bomb_is_refused(tmp_path):
    (tmp_path / ".purdah-lint.toml").write_text('organisation_type = "council"\nregion = "england"\n'
                                                'calendar_files = ["elections.yaml"]\n', encoding="utf-8")
    (tmp_path / "elections.yaml").write_text(alias_bomb() + "elections: [*l8, *l8]\n", encoding="utf-8")
    line = run_error(run_bounded("windows", "--as-of", "2026-01-01", cwd=tmp_path), "elections.yaml")
    assert "aliases" in line


def test_deeply_nested_every_election_file_is_one_line(tmp_path):
    (tmp_path / "api.json").write_text("[" * 200_000 + "]" * 200_000, encoding="utf-8")
    line = run_error(run_bounded("windows", "import", "api.json", "--into", "elections.yaml", cwd=tmp_path),
                     "api.json")
    assert "nested too deeply" in line
    assert not (tmp_path / "elections.yaml").exists()


LOADERS = [name for name in ("PythonLoader", "LibyamlLoader") if hasattr(yaml_loader, name)]


@pytest.fixture(params=LOADERS)
def loader(request, monkeypatch):
    """Each YAML loader the tool can use: libyaml's parser when PyYAML has it, else the pure-Python one."""
    monkeypatch.setattr(yaml_loader, "SafeLoader", getattr(yaml_loader, request.param))
    return request.param


@pytest.mark.parametrize("text, words", [
    (alias_bomb(), "aliases"),
    ("a: " + "[" * 70 + "]" * 70 + "\n", "nested more than 64"),
    ("a: !!python/object/apply:os.system [echo]\n", "tag"),
    ("? [a, b]\n: 1\n", "complex keys"),
    ("a: [\n", ""),
])
def test_every_loader_refuses_the_same_shapes(loader, text, words):
    with pytest.raises(yaml.YAMLError) as refused:
        yaml_loader.load(text)
    assert words in str(refused.value) and refused.value.problem_mark is not None


def test_the_loaders_read_every_committed_yaml_alike():
    if len(LOADERS) < 2:
        pytest.skip("PyYAML without libyaml: only the pure-Python loader exists")
    root = Path(__file__).resolve().parent.parent
    texts = [path.read_text(encoding="utf-8") for path in sorted((root / "rules").rglob("*.yml"))]
    documents = [*(root / "tests" / "corpus").rglob("*.md"), *(root.parent / "shared" / "corpus").rglob("*.md")]
    texts += [text.split("---\n")[1] for text in (path.read_text(encoding="utf-8") for path in sorted(documents))
              if text.startswith("---\n")]
    texts.append((root / "tests" / "corpus" / "real" / "labels.yaml").read_text(encoding="utf-8"))
    assert len(texts) > 100
    for text in texts:
        assert yaml_loader.LibyamlLoader(text).get_single_data() == yaml_loader.PythonLoader(text).get_single_data()
