"""What a user reads: report headers, error messages, hints for the interface in use, closed pipes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, SCRIPT, WINDOW_CONFIG, run_cli
from repos import git, new_repo

FLAGGED = "Our consultation opens today and runs for twelve weeks.\n"
COUNCIL = '[tool.purdah-lint]\norganisation_type = "council"\nregion = "england"\nareas = ["liverpool-city-ca"]\n'


def header(stdout: str) -> str:
    return stdout.splitlines()[0]


# The as-of date the report header names


def test_header_names_the_config_date_when_every_file_used_it(tmp_path):
    (tmp_path / "pyproject.toml").write_text(WINDOW_CONFIG, encoding="utf-8")
    (tmp_path / "a.md").write_text(FLAGGED, encoding="utf-8")
    (tmp_path / "b.md").write_text(FLAGGED, encoding="utf-8")
    result = run_cli("check", "a.md", "b.md", cwd=tmp_path)
    assert header(result.stdout).startswith("purdah-lint ") and "as of 15 Apr 2024 (config as_of);" in result.stdout


def test_header_names_each_files_own_date_when_they_differ(tmp_path):
    (tmp_path / "pyproject.toml").write_text(WINDOW_CONFIG, encoding="utf-8")
    (tmp_path / "dated.md").write_text(f"---\npublish_date: 2024-04-20\n---\n{FLAGGED}", encoding="utf-8")
    (tmp_path / "plain.md").write_text(FLAGGED, encoding="utf-8")
    top = header(run_cli("check", "dated.md", "plain.md", cwd=tmp_path).stdout)
    assert "(config as_of)" in top and "15 Apr 2024" in top  # not claimed for the dated file
    assert "20 Apr 2024 for dated.md (the document's publish_date)" in top
    assert "15 Apr 2024 for plain.md (config as_of)" in top


def test_header_says_the_documents_date_when_all_files_share_it(tmp_path):
    (tmp_path / "pyproject.toml").write_text(WINDOW_CONFIG, encoding="utf-8")
    for name in ("a.md", "b.md"):
        (tmp_path / name).write_text(f"---\ndate: 2024-04-20\n---\n{FLAGGED}", encoding="utf-8")
    top = header(run_cli("check", "a.md", "b.md", cwd=tmp_path).stdout)
    assert "as of 20 Apr 2024 (the document's date)" in top and "config" not in top


def test_windows_help_does_not_speak_of_a_document():
    result = run_cli("windows", "--help")
    assert "--as-of" in result.stdout and "document" not in result.stdout


# Errors that say what to do


@pytest.fixture
def master_repo(tmp_path):
    repo = new_repo(tmp_path / "site")
    git(repo, "symbolic-ref", "HEAD", "refs/heads/master")
    (repo / "a.md").write_text(FLAGGED, encoding="utf-8")
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "first")
    return repo


def test_diff_base_names_the_missing_branch_and_the_ones_that_exist(master_repo):
    result = run_cli("check", "--in-window", "--diff-base", "main", "a.md", cwd=master_repo)
    assert result.code == 2 and "Traceback" not in result.stderr
    message = result.stderr.strip()
    assert len(message.splitlines()) == 1, message
    assert "--diff-base" in message and "'main'" in message and "master" in message


def test_diff_base_on_a_missing_remote_says_there_is_none(master_repo):
    result = run_cli("check", "--in-window", "--diff-base", "origin/main", "a.md", cwd=master_repo)
    assert result.code == 2
    assert "'origin/main'" in result.stderr and "no remote" in result.stderr and "master" in result.stderr


def test_diff_base_lists_remote_branches_when_there_are_some(master_repo, tmp_path):
    git(tmp_path, "clone", "-q", str(master_repo), str(tmp_path / "clone"))
    result = run_cli("check", "--in-window", "--diff-base", "origin/main", "a.md", cwd=tmp_path / "clone")
    assert result.code == 2 and "origin/master" in result.stderr


@pytest.mark.parametrize("args", [
    ["windows", "--config", "council.toml", "--as-of", "2024-04-15"],
    ["rules"],
    ["explain", "PE301"],
    ["check", "--in-window", "many.md"],
    ["check", "--in-window", "--format", "json", "many.md"],
])
def test_a_closed_pipe_ends_quietly(tmp_path, args):
    (tmp_path / "council.toml").write_text(COUNCIL, encoding="utf-8")
    (tmp_path / "many.md").write_text(FLAGGED * 50, encoding="utf-8")
    process = subprocess.Popen([str(SCRIPT), *args], cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    process.stdout.close()  # as `| head -3` does once it has its lines
    _, stderr = process.communicate(timeout=120)
    assert stderr.decode() == "", stderr.decode()
    assert process.returncode == 141  # what a shell reports for a writer cut off by a closed pipe


def test_windows_into_head_prints_only_what_head_shows(tmp_path):
    (tmp_path / "council.toml").write_text(COUNCIL, encoding="utf-8")
    result = subprocess.run(["bash", "-c", f"'{SCRIPT}' windows --config council.toml --as-of 2024-04-15 | head -3"],
                            cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert result.stderr == "" and len(result.stdout.splitlines()) == 3


# The windows table


def test_windows_table_has_headings_and_plain_words(tmp_path):
    (tmp_path / "council.toml").write_text(COUNCIL, encoding="utf-8")
    lines = run_cli("windows", "--config", "council.toml", "--as-of", "2024-04-15", cwd=tmp_path).stdout.splitlines()
    headings = lines[1].split()
    assert headings[:3] == ["election", "status", "dates"] and "starts" in lines[1]
    rows = {line.split()[0]: line for line in lines[2:] if line.strip()}
    assert "notice of election" in rows["local.2024-05-02"]
    assert "dissolution of Parliament" in rows["parl.2024-07-04"]
    # An expected general election not yet called: the council starts at the latest notice of election.
    assert "notice of election (latest date; not yet called)" in rows["parl.2029-08-15"]
    assert "notice-of-election" not in "\n".join(lines)  # the JSON term stays in the JSON


def test_government_table_says_three_weeks_before_polling_day(tmp_path):
    (tmp_path / "gov.toml").write_text('[tool.purdah-lint]\norganisation_type = "uk-government"\n', encoding="utf-8")
    out = run_cli("windows", "--config", "gov.toml", "--as-of", "2024-04-15", cwd=tmp_path).stdout
    assert "three weeks before polling day" in out


def test_windows_json_keeps_the_contract_terms(tmp_path):
    (tmp_path / "council.toml").write_text(COUNCIL, encoding="utf-8")
    data = run_cli("windows", "--config", "council.toml", "--as-of", "2024-04-15", "--format", "json",
                   cwd=tmp_path).json()
    sources = {w["id"]: w["start_source"] for w in data["windows"]}
    assert sources["local.2024-05-02"] == "notice-of-election" and sources["parl.2024-07-04"] == "dissolution"
    assert set(sources.values()) <= {"config", "notice-of-election", "three-week-rule", "dissolution", "fixed"}


def test_docs_table_and_tool_agree_on_a_councils_general_election_start(tmp_path):
    page = " ".join((ROOT / "docs" / "windows.rst").read_text(encoding="utf-8").split())
    assert "general election dissolution date once called, else notice of election (latest date)" in page
    (tmp_path / "council.toml").write_text(COUNCIL, encoding="utf-8")
    out = run_cli("windows", "--config", "council.toml", "--as-of", "2024-04-15", cwd=tmp_path).stdout
    row = next(line for line in out.splitlines() if "parl.2029-08-15" in line)
    label = "notice of election (latest date; not yet called)"
    assert label in row and f"*{label}*" in page


# Hints name the setting of the interface in use


def test_cli_hint_names_the_flag(tmp_path):
    (tmp_path / "a.md").write_text(FLAGGED, encoding="utf-8")
    out = run_cli("check", "--as-of", "2030-01-01", "a.md", cwd=tmp_path).stdout
    assert "use --in-window" in out


def test_config_selection_error_names_the_config_key(tmp_path):
    (tmp_path / "pyproject.toml").write_text('[tool.purdah-lint]\nselect = ["PE999"]\n', encoding="utf-8")
    (tmp_path / "a.md").write_text(FLAGGED, encoding="utf-8")
    result = run_cli("check", "a.md", cwd=tmp_path)
    assert result.code == 2 and "'select' in " in result.stderr and "pyproject.toml" in result.stderr
    assert "--select" not in result.stderr
    flag = run_cli("check", "--select", "PE999", "a.md", cwd=tmp_path)
    assert flag.code == 2 and "--select" in flag.stderr


def sphinx_project(tmp_path: Path, conf: str) -> Path:
    source = tmp_path / "src"
    source.mkdir()
    (source / "conf.py").write_text(conf, encoding="utf-8")
    (source / "index.rst").write_text(f"Parking\n=======\n\n{FLAGGED}", encoding="utf-8")
    return source


def sphinx_build(source: Path, out: Path, builder: str = "purdah") -> subprocess.CompletedProcess:
    return subprocess.run([str(Path(sys.executable).parent / "sphinx-build"), "--no-color", "-b", builder, "-E",
                           str(source), str(out)], capture_output=True, text=True, timeout=600)


def test_sphinx_report_names_conf_py_settings(tmp_path):
    source = sphinx_project(tmp_path, 'purdah_as_of = "2030-01-01"\n')
    result = sphinx_build(source, tmp_path / "out")
    assert result.returncode == 0, result.stderr
    text = (tmp_path / "out" / "purdah.txt").read_text(encoding="utf-8")
    assert "purdah_in_window = True" in text and "--in-window" not in text
    assert "(purdah_as_of)" in text and "--as-of" not in text


def test_sphinx_selection_error_names_the_conf_value(tmp_path):
    source = sphinx_project(tmp_path, 'purdah_select = ["PE999"]\n')
    result = sphinx_build(source, tmp_path / "out")
    assert result.returncode != 0
    assert "purdah_select" in result.stderr and "--select" not in result.stderr


def test_sphinx_waived_hint_points_at_the_json_report(tmp_path):
    source = sphinx_project(tmp_path, "purdah_in_window = True\n")
    (source / "index.rst").write_text(
        "Parking\n=======\n\n.. purdah-lint: allow PE301 reason=\"Statutory\" approved-by=\"Head\" expires=2099-01-01\n\n"
        f"{FLAGGED}", encoding="utf-8")
    assert sphinx_build(source, tmp_path / "out").returncode == 0
    text = (tmp_path / "out" / "purdah.txt").read_text(encoding="utf-8")
    assert "1 waived finding" in text and "purdah.json" in text and "--show-waived" not in text
    data = json.loads((tmp_path / "out" / "purdah.json").read_text(encoding="utf-8"))
    assert data["as_of_source"] == "today"
