"""CI gating: SARIF validated against the official schema, GitHub annotations, changed-lines mode."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess

import jsonschema
import pytest

from conftest import ROOT, SCRIPT, run_cli
from purdah_lint.run.checker import FileResult
from purdah_lint.model import Finding, Severity
from purdah_lint.ruleset.packs import load_packs
from purdah_lint.run.report import Report
from purdah_lint.reporters import sarif as sarif_reporter
from purdah_lint.reporters.github import escape_data, escape_property

SCHEMA = json.loads((ROOT / "tests" / "schemas" / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
DRAFT = "# Parking\n\nOur consultation opens today.\n\nCouncil awards £12m leisure contract.\n"


@pytest.fixture
def drafts(tmp_path):
    (tmp_path / "news").mkdir()
    (tmp_path / "news" / "parking.md").write_text(DRAFT, encoding="utf-8")
    (tmp_path / "news" / "broken.txt").write_bytes(b"\x00\x01binary")
    return tmp_path


def validate(log: dict) -> None:
    jsonschema.Draft4Validator(SCHEMA).validate(log)


def test_sarif_is_valid_and_complete(drafts):
    result = run_cli("check", "--in-window", "--format", "sarif", "news", cwd=drafts)
    assert result.code == 2  # the binary file is an input error
    log = result.json()
    validate(log)
    run = log["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    by_id = {rule["id"]: rule for rule in rules}
    assert {"PE301", "PE201", "PE005"} <= set(by_id)
    assert by_id["PE301"]["name"] == "consultation-launch"
    assert by_id["PE301"]["defaultConfiguration"]["level"] == "warning"
    assert by_id["PE301"]["helpUri"].startswith("https://")
    assert by_id["PE301"]["shortDescription"]["text"] and by_id["PE301"]["fullDescription"]["text"]
    first = run["results"][0]
    assert rules[first["ruleIndex"]]["id"] == first["ruleId"] == "PE301"
    location = first["locations"][0]["physicalLocation"]
    assert location["artifactLocation"] == {"uri": "news/parking.md", "uriBaseId": "%SRCROOT%"}
    assert location["region"] == {"startLine": 3, "startColumn": 5, "endLine": 3, "endColumn": 23}
    assert first["properties"]["category"] == "consultation" and first["properties"]["window"] == "in-window"
    assert run["columnKind"] == "unicodeCodePoints"
    invocation = run["invocations"][0]
    assert invocation["executionSuccessful"] is False
    assert "news/broken.txt" in invocation["toolExecutionNotifications"][0]["message"]["text"]


def test_sarif_fingerprints_survive_unrelated_edits(drafts):
    def prints():
        log = run_cli("check", "--in-window", "--format", "sarif", "news/parking.md", cwd=drafts).json()
        return [(r["ruleId"], r["partialFingerprints"]["purdahLintFinding/v1"]) for r in log["runs"][0]["results"]]

    before = prints()
    (drafts / "news" / "parking.md").write_text("# Parking\n\nA new first paragraph.\n\nAnother one.\n\n"
                                                + DRAFT.split("\n", 2)[2], encoding="utf-8")
    assert prints() == before
    (drafts / "news" / "parking.md").write_text(DRAFT.replace("opens today", "is now open"), encoding="utf-8")
    changed = prints()
    assert changed[1] == before[1] and changed[0] != before[0]


def test_sarif_waived_findings_become_suppressions_and_limits_hold(monkeypatch):
    rule = next(r for r in load_packs() if r.code == "PE301")
    base = Finding("a.md", 1, 1, 1, 5, "PE301", rule.name, rule.category, Severity.WARNING, "msg", "have your say",
                   "in-window", ("in-window",), rule.guidance, rule.signoff)
    waived = base.replace(line=2, waived={"reason": "Statutory consultation", "approved_by": "Head of Comms",
                                                       "expires": "2024-05-02", "source": "inline"})
    report = Report("0", dt.date(2024, 4, 1), "option", [FileResult("a.md", "markdown", findings=[base, waived] * 2)],
                     [rule])
    monkeypatch.setattr(sarif_reporter, "MAX_RESULTS", 3)
    log = sarif_reporter.document(report)
    validate(log)
    results = log["runs"][0]["results"]
    assert len(results) == 3
    suppressed = [r for r in results if "suppressions" in r]
    assert suppressed and suppressed[0]["suppressions"][0]["kind"] == "inSource"
    assert "Head of Comms" in suppressed[0]["suppressions"][0]["justification"]
    notes = log["runs"][0]["invocations"][0]["toolExecutionNotifications"]
    assert "only the first 3" in notes[-1]["message"]["text"]


def test_github_escaping():
    assert escape_data("50% done\r\nnext") == "50%25 done%0D%0Anext"
    assert escape_property("a,b:c%\n") == "a%2Cb%3Ac%25%0A"


def test_github_annotations_with_awkward_names(tmp_path):
    name = "odd, name: 100%.md"
    (tmp_path / name).write_text("# Plan\n\nOur consultation opens today.\n", encoding="utf-8")
    (tmp_path / "bad, file.txt").write_bytes(b"\x00\x00binary")
    summary = tmp_path / "summary.md"
    summary.write_text("earlier step\n", encoding="utf-8")
    result = subprocess.run([str(SCRIPT), "check", "--in-window",
                             "--format", "github", name, "bad, file.txt"], cwd=tmp_path, capture_output=True, text=True,
                            env={**os.environ, "GITHUB_STEP_SUMMARY": str(summary)})
    assert result.returncode == 2
    lines = result.stdout.splitlines()
    assert lines[0].startswith("::warning file=odd%2C name%3A 100%25.md,line=3,col=5,endLine=3,endColumn=23,"
                               "title=PE301 consultation-launch [consultation]::A consultation appears to open")
    assert "%0ASign-off: " in lines[0]
    assert lines[1].startswith("::error file=bad%2C file.txt,title=PE005 unreadable-input::binary file")
    written = summary.read_text(encoding="utf-8")
    assert written.startswith("earlier step\n## purdah-lint")
    assert "| consultation | 1 |" in written and "could not check `bad, file.txt`" in written


@pytest.mark.parametrize("level, command", [("suggestion", "notice"), ("warning", "warning"), ("error", "error")])
def test_github_severity_mapping(tmp_path, level, command):
    pack = tmp_path / "pack"
    pack.mkdir()
    (pack / "parish.yml").write_text(
        f"code: ORG301\ncategory: consultation\nextends: existence\nlevel: {level}\nmessage: Survey\n"
        "guidance: Wait.\nsignoff: Clerk\ntokens: [parish survey]\nexamples: {fail: [a parish survey], pass: [b]}\n",
        encoding="utf-8")
    (tmp_path / "a.md").write_text("Our parish survey.\n", encoding="utf-8")
    result = run_cli("check", "--in-window", "--pack", pack, "--select", "ORG", "--format", "github", "a.md",
                     cwd=tmp_path)
    assert result.stdout.startswith(f"::{command} file=a.md,line=1,col=5,")


def git(cwd, *args):
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True)


def test_diff_base_reports_only_changed_lines(tmp_path):
    git(tmp_path, "init", "-q", "-b", "main")
    git(tmp_path, "config", "user.email", "t@example.org")
    git(tmp_path, "config", "user.name", "Test")
    (tmp_path / "old.md").write_text("Our consultation opens today.\n\nThe council has awarded a contract.\n",
                                     encoding="utf-8")
    git(tmp_path, "add", ".")
    git(tmp_path, "commit", "-q", "-m", "start")
    (tmp_path / "old.md").write_text("Intro.\n\nOur consultation opens today.\n\nThe council has awarded a contract.\n\n"
                                     "There is still time to have your say.\n", encoding="utf-8")
    (tmp_path / "new.txt").write_text("Greenacre named preferred bidder.\n", encoding="utf-8")
    everything = run_cli("check", "--in-window", "--format", "json", ".", cwd=tmp_path).json()
    assert len(everything["findings"]) == 5
    changed = run_cli("check", "--in-window", "--format", "json", "--diff-base", "HEAD", ".", cwd=tmp_path).json()
    assert {(f["path"], f["line"], f["code"]) for f in changed["findings"]} == {
        ("new.txt", 1, "PE202"), ("old.md", 7, "PE301"), ("old.md", 7, "PE302")}
    bad = run_cli("check", "--in-window", "--diff-base", "no-such-branch", ".", cwd=tmp_path)
    assert bad.code == 2 and "--diff-base" in bad.stderr and "Traceback" not in bad.stderr


def test_diff_base_outside_git_is_a_clear_error(tmp_path):
    (tmp_path / "a.md").write_text("Hello.\n", encoding="utf-8")
    result = run_cli("check", "--diff-base", "HEAD", "a.md", cwd=tmp_path)
    assert result.code == 2 and "--diff-base: " in result.stderr and "not a git repository" in result.stderr


def test_word_location_reaches_sarif_and_github(tmp_path):
    import docx

    document = docx.Document()
    document.add_paragraph("Parking news")
    table = document.add_table(rows=3, cols=1)
    table.cell(2, 0).text = "Our consultation opens today."
    document.save(tmp_path / "draft.docx")
    sarif = run_cli("check", "--in-window", "--format", "sarif", "draft.docx", cwd=tmp_path).json()
    (result,) = sarif["runs"][0]["results"]
    location = "table 1, row 3, cell 1"
    assert result["properties"]["location"] == location
    assert location in result["message"]["text"]
    assert result["locations"][0]["message"]["text"] == location
    github = run_cli("check", "--in-window", "--format", "github", "draft.docx", cwd=tmp_path).stdout
    annotation = next(line for line in github.splitlines() if line.startswith("::warning"))
    assert f"({location})" in annotation.split("::", 2)[2]
