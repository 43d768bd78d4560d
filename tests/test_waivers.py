"""Signed-off waivers in every format, their governance findings, baselines and the audit summary."""

from __future__ import annotations

import json

import docx
import pytest

from conftest import run_cli, snapshot

FIELDS = 'reason="Statutory consultation" approved-by="Head of Communications" expires=2024-05-02'
TRIGGER = "Our consultation opens today."
FORMS = {
    "inline.md": f"# News\n\n<!-- purdah-lint: allow PE301 {FIELDS} -->\n{TRIGGER}\n\n{TRIGGER}\n",
    "inline.html": f"<main><h1>News</h1>\n<!-- purdah-lint: allow consultation {FIELDS} -->\n<p>{TRIGGER}</p>\n"
                   f"<p>{TRIGGER}</p></main>\n",
    "inline.rst": f"News\n====\n\n.. purdah-lint: allow PE301 {FIELDS}\n\n{TRIGGER}\n\n{TRIGGER}\n",
    "inline.txt": f"News\n\n[purdah-lint: allow PE301 {FIELDS}]\n{TRIGGER}\n\n{TRIGGER}\n",
}
UNWAIVED_LINE = {"inline.md": 6, "inline.html": 4, "inline.rst": 8, "inline.txt": 6}


def check(folder, *args):
    result = run_cli("check", "--as-of", "2024-04-15", "--in-window", "--format", "json", *args, cwd=folder)
    assert "Traceback" not in result.stderr, result.stderr
    return result


@pytest.mark.parametrize("name", sorted(FORMS))
def test_inline_waiver_covers_the_next_block_only(tmp_path, name):
    (tmp_path / name).write_text(FORMS[name], encoding="utf-8")
    before = snapshot([tmp_path])
    result = check(tmp_path, name)
    report = result.json()
    waived = [f for f in report["findings"] if f["waived"]]
    open_ = [f for f in report["findings"] if not f["waived"]]
    assert len(waived) == 1 and waived[0]["code"] == "PE301"
    assert waived[0]["waived"]["reason"] == "Statutory consultation"
    assert waived[0]["waived"]["approved_by"] == "Head of Communications"
    assert waived[0]["waived"]["expires"] == "2024-05-02"
    assert waived[0]["waived"]["source"].startswith(f"inline:{name}:")
    assert [(f["code"], f["line"]) for f in open_] == [("PE301", UNWAIVED_LINE[name])]
    assert report["summary"]["waived"] == 1 and report["summary"]["findings"] == 1
    assert snapshot([tmp_path]) == before


@pytest.mark.parametrize("name", sorted(FORMS))
def test_a_fully_waived_draft_passes(tmp_path, name):
    text = FORMS[name]
    last = text.rindex(TRIGGER)
    (tmp_path / name).write_text(text[:last] + "Bins are collected on Tuesdays." + text[last + len(TRIGGER):],
                                 encoding="utf-8")
    result = run_cli("check", "--as-of", "2024-04-15", "--in-window", name, cwd=tmp_path)
    assert result.code == 0, result.stdout
    assert "1 waived finding not shown" in result.stdout
    shown = run_cli("check", "--as-of", "2024-04-15", "--in-window", "--show-waived", name, cwd=tmp_path)
    assert "[waived: Statutory consultation; approved by Head of Communications; expires 2024-05-02]" in shown.stdout


def test_front_matter_waiver_covers_the_document(tmp_path):
    (tmp_path / "fm.md").write_text(
        "---\ntitle: News\npurdah-lint: {allow: [{codes: [consultation], reason: Statutory, "
        "approved-by: Monitoring Officer, expires: 2024-05-02}]}\n---\n"
        f"{TRIGGER}\n\nThere is still time to have your say.\n\nCouncil awards £12m leisure contract.\n",
        encoding="utf-8")
    report = check(tmp_path, "fm.md").json()
    assert {(f["code"], bool(f["waived"])) for f in report["findings"]} == {
        ("PE301", True), ("PE302", True), ("PE201", False)}
    assert all(f["waived"]["source"] == "front-matter:fm.md:3" for f in report["findings"] if f["waived"])


def test_central_waiver_file_by_code_path_and_match(tmp_path):
    (tmp_path / "consultations").mkdir()
    (tmp_path / "consultations" / "parking.md").write_text(f"{TRIGGER}\n\nHave your say today.\n", encoding="utf-8")
    (tmp_path / "news.md").write_text(f"{TRIGGER}\n", encoding="utf-8")
    (tmp_path / "purdah-waivers.yaml").write_text(
        "waivers:\n"
        "  - codes: [PE301]\n    paths: ['consultations/*.md']\n    match: consultation opens\n"
        "    reason: Statutory parking consultation\n    approved-by: Monitoring Officer\n    expires: 2024-05-02\n"
        "  - codes: [PE201]\n    paths: ['nowhere/*.md']\n    reason: Unused\n    approved-by: A\n"
        "    expires: 2024-05-02\n", encoding="utf-8")
    report = check(tmp_path, "consultations", "news.md").json()
    state = {(f["path"], f["line"], f["code"]): f["waived"] for f in report["findings"]}
    assert state[("consultations/parking.md", 1, "PE301")]["source"] == "central:purdah-waivers.yaml:2"
    assert state[("consultations/parking.md", 3, "PE301")] is None  # 'match' limits it to the named words
    assert state[("news.md", 1, "PE301")] is None  # outside the paths
    assert ("purdah-waivers.yaml", 8, "PE003") in state  # the unused entry
    sarif = run_cli("check", "--as-of", "2024-04-15", "--in-window", "--format", "sarif", "consultations",
                    cwd=tmp_path).json()
    suppressed = [r for r in sarif["runs"][0]["results"] if r.get("suppressions")]
    assert suppressed[0]["suppressions"][0]["kind"] == "external"
    assert "Monitoring Officer" in suppressed[0]["suppressions"][0]["justification"]


def test_only_central_waivers_ignores_inline_ones(tmp_path):
    (tmp_path / "inline.md").write_text(FORMS["inline.md"], encoding="utf-8")
    report = check(tmp_path, "--only-central-waivers", "inline.md").json()
    assert [f["waived"] for f in report["findings"]] == [None, None]


@pytest.mark.parametrize("as_of, waived, codes", [
    ("2024-05-02", True, {"PE301"}),            # the expiry day itself is still covered
    ("2024-05-03", False, {"PE301", "PE002"}),  # the day after, it has expired
])
def test_expiry_boundary(tmp_path, as_of, waived, codes):
    (tmp_path / "a.md").write_text(f"<!-- purdah-lint: allow PE301 {FIELDS} -->\n{TRIGGER}\n", encoding="utf-8")
    result = run_cli("check", "--as-of", as_of, "--in-window", "--format", "json", "a.md", cwd=tmp_path)
    report = result.json()
    assert {f["code"] for f in report["findings"]} == codes
    assert bool(next(f for f in report["findings"] if f["code"] == "PE301")["waived"]) is waived
    assert result.code == (0 if waived else 1)


def test_waiver_before_a_multi_line_paragraph_covers_all_its_lines(tmp_path):
    (tmp_path / "a.md").write_text(f"<!-- purdah-lint: allow PE301 {FIELDS} -->\nParking news.\nFrom Monday\n"
                                   "our consultation\nopens.\n", encoding="utf-8")
    report = check(tmp_path, "a.md").json()
    assert [(f["line"], bool(f["waived"])) for f in report["findings"]] == [(4, True)]


def test_overlapping_waivers(tmp_path):
    (tmp_path / "a.md").write_text(
        f"<!-- purdah-lint: allow PE301 {FIELDS} -->\n"
        f"<!-- purdah-lint: allow PE201 {FIELDS.replace('Statutory consultation', 'Contract notice')} -->\n"
        f"{TRIGGER} Council awards £12m leisure contract.\n", encoding="utf-8")
    (tmp_path / "purdah-waivers.yaml").write_text(
        "waivers:\n  - codes: [consultation]\n    reason: Central\n    approved-by: B\n    expires: 2024-05-02\n",
        encoding="utf-8")
    report = check(tmp_path, "a.md").json()
    reasons = {f["code"]: f["waived"]["reason"] for f in report["findings"] if f["waived"]}
    assert reasons == {"PE301": "Statutory consultation", "PE201": "Contract notice"}  # inline wins
    assert {f["code"] for f in report["findings"] if not f["waived"]} == {"PE003"}  # central one unused


@pytest.mark.parametrize("waiver, code, words", [
    ('<!-- purdah-lint: allow PE301 reason="unclosed approved-by=A expires=2024-05-02 -->', "PE001", "cannot be read"),
    ('<!-- purdah-lint: allow PE301 reason="Why" -->', "PE001", "missing approved-by, expires"),
    ('<!-- purdah-lint: allow PE301 reason=x approved-by=A expires=soon -->', "PE001", "not a date"),
    ('<!-- purdah-lint: allow reason=x approved-by=A expires=2024-05-02 -->', "PE001", "names no code"),
    ('<!-- purdah-lint: allow PE301 reason=x approved-by=A expires=2024-05-02 colour=red -->', "PE001",
     "unknown field 'colour'"),
    ('<!-- purdah-lint: allow gossip reason=x approved-by=A expires=2024-05-02 -->', "PE004", "'gossip'"),
])
def test_malformed_waivers_are_findings_not_crashes(tmp_path, waiver, code, words):
    (tmp_path / "a.md").write_text(f"# News\n\n{waiver}\n{TRIGGER}\n", encoding="utf-8")
    result = check(tmp_path, "a.md")
    meta = [f for f in result.json()["findings"] if f["code"] == code]
    assert len(meta) == 1 and words in meta[0]["message"] and (meta[0]["line"], meta[0]["column"]) == (3, 1)
    assert result.code == 1


def test_unused_waivers_are_not_reported_outside_a_window_and_can_be_ignored(tmp_path):
    (tmp_path / "a.md").write_text(f"<!-- purdah-lint: allow PE202 {FIELDS} -->\nBins on Tuesday.\n", encoding="utf-8")
    assert [f["code"] for f in check(tmp_path, "a.md").json()["findings"]] == ["PE003"]
    outside = run_cli("check", "--as-of", "2024-04-15", "--format", "json", "a.md", cwd=tmp_path).json()
    assert outside["findings"] == []
    assert check(tmp_path, "--ignore", "PE003", "a.md").json()["findings"] == []


def test_word_comment_and_property_waivers(tmp_path):
    document = docx.Document()
    document.add_paragraph("Intro.")
    covered = document.add_paragraph(TRIGGER)
    document.add_paragraph("There is still time to have your say.")
    document.add_comment(covered.runs, text=f"purdah-lint: allow PE301 {FIELDS}", author="Head of Communications")
    document.save(tmp_path / "a.docx")
    report = check(tmp_path, "a.docx").json()
    state = {(f["code"], f["location"]): bool(f["waived"]) for f in report["findings"]}
    assert state == {("PE301", "paragraph 2"): True, ("PE301", "paragraph 3"): False, ("PE302", "paragraph 3"): False}
    document.core_properties.comments = f"purdah-lint: allow consultation {FIELDS}"
    document.save(tmp_path / "b.docx")
    report = check(tmp_path, "b.docx").json()
    assert all(f["waived"] for f in report["findings"]) and len(report["findings"]) == 3


def test_baseline_survives_edits_above_a_finding(tmp_path):
    draft = tmp_path / "a.md"
    draft.write_text(f"# News\n\n{TRIGGER}\n", encoding="utf-8")
    made = run_cli("baseline", "--as-of", "2024-04-15", "--in-window", "a.md", "-o", "base.json", cwd=tmp_path)
    assert made.code == 0 and "Recorded 1 findings in base.json" in made.stderr
    recorded = json.loads((tmp_path / "base.json").read_text())
    assert recorded["schema"] == "purdah-lint-baseline/1" and recorded["findings"][0]["code"] == "PE301"
    draft.write_text(f"# News\n\nA new paragraph.\n\nAnother.\n\n{TRIGGER}\n\nCouncil awards £12m leisure contract.\n",
                     encoding="utf-8")
    result = run_cli("check", "--as-of", "2024-04-15", "--in-window", "--baseline", "base.json", "--format", "json",
                     "a.md", cwd=tmp_path)
    report = result.json()
    assert [f["code"] for f in report["findings"]] == ["PE201"] and report["summary"]["baselined"] == 1
    draft.write_text(f"# News\n\n{TRIGGER.replace('today', 'on Monday')}\n", encoding="utf-8")
    still = run_cli("check", "--as-of", "2024-04-15", "--in-window", "--baseline", "base.json", "a.md", cwd=tmp_path)
    assert still.code == 0  # the same words, still recorded
    bad = run_cli("check", "--in-window", "--baseline", "a.md", "a.md", cwd=tmp_path)
    assert bad.code == 2 and "baseline is not valid JSON" in bad.stderr


def test_audit_summary(tmp_path):
    (tmp_path / "inline.md").write_text(FORMS["inline.md"], encoding="utf-8")
    (tmp_path / "c.toml").write_text('[[windows]]\nid = "local.2024-05-02"\nstart = 2024-03-21\nend = 2024-05-02\n'
                                     '[[windows]]\nid = "parl.2024-07-04"\nstart = 2024-05-25\nend = 2024-07-04\n',
                                     encoding="utf-8")
    result = run_cli("check", "--config", "c.toml", "--as-of", "2024-04-15", "--audit", "audit.md", "inline.md",
                     cwd=tmp_path)
    assert result.code == 1
    audit = (tmp_path / "audit.md").read_text(encoding="utf-8")
    for expected in ("# purdah-lint audit summary", "- Tool: purdah-lint ", "As-of date: 15 Apr 2024 (--as-of)",
                     "| local.2024-05-02 | 21 Mar to 2 May 2024 | config | yes |",
                     "| parl.2024-07-04 | 25 May to 4 Jul 2024 | config | no |",
                     "| consultation | 1 |",
                     "| Head of Communications | Statutory consultation | 2024-05-02 | 1 | `inline:inline.md:3` |",
                     "- `inline.md`: 1 open, 1 waived"):
        assert expected in audit, expected


def test_broken_central_waiver_file_is_a_one_line_error(tmp_path):
    (tmp_path / "a.md").write_text(f"{TRIGGER}\n", encoding="utf-8")
    (tmp_path / "purdah-waivers.yaml").write_text("waivers:\n  - codes: [PE301\n", encoding="utf-8")
    result = run_cli("check", "--in-window", "a.md", cwd=tmp_path)
    assert result.code == 2 and result.stdout == ""
    assert result.stderr.startswith("purdah-lint: error: purdah-waivers.yaml:3:1: invalid YAML in waiver file: ")
    (tmp_path / "purdah-waivers.yaml").write_text("- not: a mapping\n", encoding="utf-8")
    result = run_cli("check", "--in-window", "a.md", cwd=tmp_path)
    assert result.code == 2 and "holds 'waivers:', a list of entries" in result.stderr
