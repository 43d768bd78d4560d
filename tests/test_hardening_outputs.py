"""Outputs never overwrite an input; reports are written atomically; settings files are regular and small."""

from __future__ import annotations

import json
import os
import subprocess
import threading

import pytest

from hardening_support import GOOD, assert_no_traceback, run_bounded, run_error

WAIVERS = "waivers:\n  - {codes: [PE301], reason: r, approved-by: a, expires: 2030-01-01}\n"


@pytest.fixture
def project(tmp_path):
    (tmp_path / "drafts").mkdir()
    (tmp_path / "drafts" / "a.md").write_text(GOOD, encoding="utf-8")
    (tmp_path / "b.md").write_text(GOOD, encoding="utf-8")
    (tmp_path / ".purdah-lint.toml").write_text('fail_level = "error"\n', encoding="utf-8")
    (tmp_path / "w.yaml").write_text(WAIVERS, encoding="utf-8")
    os.symlink("b.md", tmp_path / "link-to-b.md")
    os.link(tmp_path / "b.md", tmp_path / "hard-b.md")
    return tmp_path


def _contents(folder):
    return {str(path): path.read_bytes() for path in folder.rglob("*") if path.is_file() and not path.is_symlink()}


@pytest.mark.parametrize("option", ["--output", "--audit"])
@pytest.mark.parametrize("target", ["b.md", "drafts/a.md", "./drafts/../b.md", ".purdah-lint.toml", "w.yaml",
                                    "link-to-b.md", "hard-b.md"])
def test_check_refuses_to_write_over_an_input(project, option, target):
    before = _contents(project)
    result = run_bounded("check", "--waivers", "w.yaml", "--in-window", option, target, "drafts", "b.md", cwd=project)
    line = run_error(result, target)
    assert "is one of the inputs" in line and option in line
    assert _contents(project) == before


def test_check_refuses_to_write_over_the_baseline_it_reads(project):
    assert run_bounded("baseline", "--in-window", "-o", "base.json", "b.md", cwd=project).code == 0
    before = _contents(project)
    line = run_error(run_bounded("check", "--in-window", "--baseline", "base.json", "--output", "base.json", "b.md",
                                 cwd=project), "base.json")
    assert "is one of the inputs" in line
    assert _contents(project) == before


@pytest.mark.parametrize("target", ["b.md", "link-to-b.md", ".purdah-lint.toml", "drafts/a.md"])
def test_baseline_refuses_to_write_over_an_input(project, target):
    before = _contents(project)
    line = run_error(run_bounded("baseline", "--in-window", "-o", target, "drafts", "b.md", cwd=project), target)
    assert "is one of the inputs" in line and "-o" in line
    assert _contents(project) == before


def test_reports_are_written_atomically(project):
    (project / "report.json").write_text("previous report\n", encoding="utf-8")
    os.symlink("report.json", project / "report-link.json")
    result = run_bounded("check", "--in-window", "--format", "json", "--output", "report.json", "b.md", cwd=project)
    assert result.code == 0 and json.loads((project / "report.json").read_text())["summary"]["findings"] == 1
    leftovers = [p.name for p in project.iterdir() if p.name.startswith((".report", "report.json.")) or ".tmp" in p.name]
    assert leftovers == []
    (project / "sub").mkdir()
    (project / "sub" / "report.json").mkdir()  # cannot be replaced by a file: the error names it, nothing is left
    line = run_error(run_bounded("check", "--in-window", "--output", "sub/report.json", "b.md", cwd=project),
                     "sub/report.json")
    assert "cannot write" in line
    assert sorted(p.name for p in (project / "sub").iterdir()) == ["report.json"]


def test_output_to_a_device_still_works(project):
    result = run_bounded("check", "--in-window", "--output", "/dev/stdout", "b.md", cwd=project)
    assert result.code == 0 and "b.md:1:5: PE301" in result.stdout


@pytest.mark.parametrize("option, name", [("--baseline", "base.json"), ("--config", "conf.toml"),
                                          ("--waivers", "w2.yaml"), ("--pack", "pack")])
@pytest.mark.parametrize("kind", ["fifo", "dev-stdin", "dev-zero", "huge", "folder"])
def test_settings_files_must_be_regular_and_small(project, option, name, kind):
    target = project / name
    if option == "--pack":
        target.mkdir()
        target = target / "rule.yml"
    if kind == "folder":  # it opens, read-only, like a file: the hostile review found a traceback
        target.mkdir()
    elif kind == "fifo":
        os.mkfifo(target)
    elif kind == "dev-stdin":
        os.symlink("/dev/stdin", target)
    elif kind == "dev-zero":
        os.symlink("/dev/zero", target)
    else:
        with open(target, "wb") as handle:
            handle.truncate(600 * 1024 * 1024)  # sparse: no disk space used
    # stdin is a pipe nobody writes to: reading it would hang until the timeout
    reader, writer = os.pipe()
    try:
        result = run_bounded("check", "--in-window", option, name, "b.md", cwd=project, timeout=60, stdin=reader)
    finally:
        os.close(reader)
        os.close(writer)
    assert_no_traceback(result)
    assert result.code == 2, result.stderr
    assert any(words in result.stderr for words in ("not a regular file", "limit", "not found", "is a folder", "holds no"))
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr


@pytest.fixture
def calendar_project(tmp_path):
    (tmp_path / ".purdah-lint.toml").write_text('calendar_files = ["elections.yaml"]\n', encoding="utf-8")
    (tmp_path / "elections.yaml").write_text("elections: []\n", encoding="utf-8")
    (tmp_path / "api.json").write_text(json.dumps({"results": []}), encoding="utf-8")
    (tmp_path / "a.md").write_text(GOOD, encoding="utf-8")
    return tmp_path


@pytest.mark.parametrize("target", ["api.json", ".purdah-lint.toml"])
def test_windows_import_refuses_to_write_over_what_it_reads(calendar_project, target):
    before = _contents(calendar_project)
    line = run_error(run_bounded("windows", "import", "api.json", "--into", target, cwd=calendar_project), target)
    assert "--into would overwrite" in line
    assert _contents(calendar_project) == before


def test_check_refuses_to_write_a_report_over_a_calendar_file(calendar_project):
    before = _contents(calendar_project)
    line = run_error(run_bounded("check", "--in-window", "--output", "elections.yaml", "a.md", cwd=calendar_project),
                     "elections.yaml")
    assert "a calendar file" in line
    assert _contents(calendar_project) == before


def test_windows_import_writes_the_calendar_file_atomically(calendar_project):
    """The import goes through the shared writer: a new file, renamed over the old one, with its permissions."""
    target = calendar_project / "elections.yaml"
    os.chmod(target, 0o640)
    inode = target.stat().st_ino
    result = run_bounded("windows", "import", "api.json", cwd=calendar_project)
    assert result.code == 0, result.stderr
    assert target.stat().st_ino != inode and target.stat().st_mode & 0o777 == 0o640
    assert not [path for path in calendar_project.iterdir() if path.name.endswith(".tmp")]
