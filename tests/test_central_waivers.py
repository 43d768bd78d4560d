"""A central waiver file in partial runs: pre-commit batches, single-file commits and the lead-in."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from conftest import WINDOW_CONFIG, run_cli
from repos import git, new_repo, run

PRE_COMMIT = str(Path(sys.executable).parent / "pre-commit")
FLAGGED = "Our consultation opens today and runs for twelve weeks.\n"
NEUTRAL = "Bins are collected on Tuesdays.\n"
# As docs/waivers.rst shows it: one entry per team folder, each waiving what its drafts need.
WAIVERS = """\
waivers:
  - codes: [PE301]
    paths: ["consultations/*.md"]
    reason: Statutory parking consultation
    approved-by: Monitoring Officer
    expires: 2024-05-02
  - codes: [PE201]
    paths: ["procurement/*.md"]
    reason: Contract notice required by law
    approved-by: Head of Procurement
    expires: 2024-05-02
"""


def site(folder: Path, as_of: str = "2024-04-15", news: int = 1) -> Path:
    """Drafts in three folders, a config and the central waiver file, all committed."""
    repo = new_repo(folder)
    (repo / "pyproject.toml").write_text(WINDOW_CONFIG.replace("2024-04-15", as_of), encoding="utf-8")
    (repo / "purdah-waivers.yaml").write_text(WAIVERS, encoding="utf-8")
    for name in ("consultations", "procurement", "news"):
        (repo / name).mkdir()
    (repo / "consultations" / "parking.md").write_text(FLAGGED, encoding="utf-8")
    (repo / "procurement" / "leisure.md").write_text(NEUTRAL, encoding="utf-8")  # its waiver is unused
    for number in range(news):
        (repo / "news" / f"item-{number:03}.md").write_text(NEUTRAL, encoding="utf-8")
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "drafts")
    return repo


def findings(result) -> set[tuple[str, str]]:
    return {(f["path"], f["code"]) for f in result.json()["findings"] if not f["waived"]}


def severities(result) -> set[str]:
    return {f["severity"] for f in result.json()["findings"] if not f["waived"]}


def test_entry_for_files_not_in_the_run_is_not_unused(tmp_path):
    repo = site(tmp_path / "site")
    result = run_cli("check", "--format", "json", "news/item-000.md", cwd=repo)
    assert result.code == 0 and findings(result) == set()
    result = run_cli("check", "--format", "json", "consultations/parking.md", cwd=repo)
    assert result.code == 0 and findings(result) == set()  # PE301 waived; the procurement entry not judged


def test_entry_is_reported_once_the_run_covers_every_file_it_names(tmp_path):
    repo = site(tmp_path / "site")
    partial = run_cli("check", "--format", "json", "procurement/leisure.md", cwd=repo)
    assert findings(partial) == {("purdah-waivers.yaml", "PE003")}
    assert partial.code == 0 and severities(partial) == {"suggestion"}  # a partial run never fails on it
    full = run_cli("check", "--format", "json", ".", cwd=repo)  # every draft beside the waiver file
    assert findings(full) == {("purdah-waivers.yaml", "PE003")}
    assert full.code == 1 and severities(full) == {"error"}


def test_report_unused_waivers_judges_every_entry_in_any_run(tmp_path):
    repo = site(tmp_path / "site")
    result = run_cli("check", "--format", "json", "--report-unused-waivers", "news/item-000.md", cwd=repo)
    assert result.code == 1 and findings(result) == {("purdah-waivers.yaml", "PE003")}
    assert severities(result) == {"error"}
    text = (repo / "pyproject.toml").read_text(encoding="utf-8")
    (repo / "pyproject.toml").write_text(text.replace("as_of =", "report_unused_waivers = true\nas_of ="),
                                         encoding="utf-8")
    keyed = run_cli("check", "--format", "json", "news/item-000.md", cwd=repo)
    assert findings(keyed) == {("purdah-waivers.yaml", "PE003")}


def test_waiver_file_is_not_a_checked_document(tmp_path):
    repo = site(tmp_path / "site")
    report = run_cli("check", "--format", "json", ".", cwd=repo).json()
    assert "purdah-waivers.yaml" not in {f["path"] for f in report["files"]}
    assert report["summary"]["files"] == 3
    text = run_cli("check", ".", cwd=repo).stdout
    assert "Checked 3 files:" in text and "purdah-waivers.yaml:7:5: PE003" in text


def test_lead_in_never_fails_on_an_unused_entry(tmp_path):
    repo = site(tmp_path / "site", as_of="2024-03-12")  # nine days before the window opens
    result = run_cli("check", "--format", "json", ".", cwd=repo)
    assert result.code == 0, result.stdout
    report = result.json()
    assert {f["severity"] for f in report["findings"]} <= {"suggestion"}
    assert ("purdah-waivers.yaml", "PE003") in {(f["path"], f["code"]) for f in report["findings"]}


def install_hook(repo: Path, hook) -> dict:
    clone, rev, env = hook.clone, hook.rev, hook.environment
    (repo / ".pre-commit-config.yaml").write_text(
        f"repos:\n  - repo: {clone}\n    rev: {rev}\n    hooks:\n      - id: purdah-lint\n", encoding="utf-8")
    git(repo, "add", ".pre-commit-config.yaml")
    git(repo, "commit", "-q", "--no-verify", "-m", "hook")
    return env


def test_pre_commit_batches_and_unrelated_commits_pass(tmp_path, hook_release):
    repo = site(tmp_path / "site", news=40)
    env = install_hook(repo, hook_release)
    everything = run([PRE_COMMIT, "run", "--all-files", "--verbose"], repo, env)
    batches = everything.stdout.count("Checked ")
    if (os.cpu_count() or 1) > 1:
        assert batches > 1, everything.stdout  # pre-commit split the files between processes
    # Each batch saw only part of the site: an entry whose files a batch held is a suggestion at most.
    assert everything.returncode == 0, everything.stdout + everything.stderr
    assert "PE003 error" not in everything.stdout

    installed = run([PRE_COMMIT, "install"], repo, env)
    assert installed.returncode == 0, installed.stderr
    (repo / "news" / "item-001.md").write_text("Bins are collected on Wednesdays.\n", encoding="utf-8")
    git(repo, "add", "news/item-001.md")
    commit = run(["git", "commit", "-m", "bin day"], repo, env)
    assert commit.returncode == 0, commit.stdout + commit.stderr
    assert "purdah-lint" in commit.stdout + commit.stderr and "Passed" in commit.stdout + commit.stderr


def test_pre_commit_in_the_lead_in_passes(tmp_path, hook_release):
    repo = site(tmp_path / "site", as_of="2024-03-12", news=3)
    env = install_hook(repo, hook_release)
    result = run([PRE_COMMIT, "run", "--all-files"], repo, env)
    assert result.returncode == 0, result.stdout + result.stderr
