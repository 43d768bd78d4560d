"""The command-line contract: formats, selection, exit codes, config and windows."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest

from conftest import snapshot

LINE = re.compile(r"^(?P<path>.+):(?P<line>\d+):(?P<col>\d+): (?P<code>PE\d{3}) (?P<severity>suggestion|warning|error) "
                  r"\[(?P<category>[a-z-]+)\] (?P<message>.+) \(window: (?P<window>[^)]+)\)$")
CONFIG = """\
[tool.purdah-lint]
organisation_type = "nhs"
region = "england"

[[tool.purdah-lint.windows]]
id = "local.2024-05-02"
name = "Local elections, 2 May 2024"
start = 2024-03-21
end = 2024-05-02

[[tool.purdah-lint.windows]]
id = "pcc.2024-05-02"
start = 2024-04-11
end = 2024-05-02
"""


@pytest.fixture
def project(tmp_path):
    (tmp_path / "pyproject.toml").write_text(CONFIG, encoding="utf-8")
    drafts = tmp_path / "drafts"
    drafts.mkdir()
    (drafts / "consult.md").write_text("# Parking\n\nOur consultation opens today.\n", encoding="utf-8")
    (drafts / "contract.txt").write_text("Council awards £12m leisure contract\n", encoding="utf-8")
    (drafts / "clean.html").write_text("<main><p>Bins are collected on Tuesdays.</p></main>", encoding="utf-8")
    return tmp_path


def test_text_format_follows_the_contract(project, cli):
    result = cli("check", "drafts", "--as-of", "2024-04-15", cwd=project)
    assert result.code == 1, result.stderr
    lines = [line for line in result.stdout.splitlines() if LINE.match(line)]
    assert [LINE.match(line)["code"] for line in lines] == ["PE301", "PE201"]
    first = LINE.match(lines[0])
    assert (first["path"], first["line"], first["col"]) == ("drafts/consult.md", "3", "5")
    assert first["window"] == "local.2024-05-02, pcc.2024-05-02"
    assert "as of 15 Apr 2024 (--as-of)" in result.stdout
    wording = result.stdout.lower().replace("purdah-lint", "")
    assert "pre-election" in wording and "purdah" not in wording


def test_json_format_follows_the_contract(project, cli):
    result = cli("check", "drafts", "--as-of", "2024-04-15", "--format", "json", cwd=project)
    report = result.json()
    assert report["schema"] == "purdah-lint/1"
    assert report["as_of"] == "2024-04-15" and report["as_of_source"] == "option"
    assert [w["id"] for w in report["windows"]] == ["local.2024-05-02", "pcc.2024-05-02"]
    assert {w["start"] for w in report["windows"]} == {"2024-03-21", "2024-04-11"}
    assert [f["path"] for f in report["files"]] == ["drafts/clean.html", "drafts/consult.md", "drafts/contract.txt"]
    assert all(f["error"] is None and f["windows"] for f in report["files"])
    finding = report["findings"][0]
    assert set(finding) >= {"path", "line", "column", "end_line", "end_column", "code", "rule", "category",
                            "severity", "message", "match", "window", "guidance", "signoff", "waived"}
    assert (finding["code"], finding["rule"], finding["category"]) == ("PE301", "consultation-launch", "consultation")
    assert (finding["line"], finding["column"], finding["end_line"], finding["end_column"]) == (3, 5, 3, 23)
    assert finding["match"] == "consultation opens" and finding["waived"] is None
    assert report["summary"] == {"files": 3, "findings": 2, "by_severity": {"warning": 2},
                                 "by_category": {"consultation": 1, "procurement": 1}, "waived": 0,
                                 "baselined": 0, "errors": 0}


def test_outside_every_window_nothing_is_flagged(project, cli):
    result = cli("check", "drafts", "--as-of", "2024-05-03", cwd=project)
    assert result.code == 0
    assert "No pre-election window applies" in result.stdout


def test_lead_in_reports_suggestions_that_do_not_fail(project, cli):
    result = cli("check", "drafts", "--as-of", "2024-03-10", "--format", "json", cwd=project)
    assert result.code == 0
    report = result.json()
    assert {f["severity"] for f in report["findings"]} == {"suggestion"}
    assert "starts on 21 March 2024" in report["findings"][0]["message"]
    assert cli("check", "drafts", "--as-of", "2024-03-10", "--fail-level", "suggestion", cwd=project).code == 1


def test_document_date_is_the_as_of_date_unless_overridden(project, cli):
    dated = project / "drafts" / "dated.md"
    dated.write_text("---\ndate: 2024-04-20\n---\nOur consultation opens today.\n", encoding="utf-8")
    report = cli("check", dated, "--format", "json", cwd=project).json()
    assert (report["files"][0]["as_of"], report["files"][0]["as_of_source"]) == ("2024-04-20", "document:date")
    assert len(report["findings"]) == 1
    forced = cli("check", dated, "--as-of", "2024-07-10", "--format", "json", cwd=project).json()
    assert forced["findings"] == [] and forced["files"][0]["as_of_source"] == "option"


def test_rst_date_filled_in_by_the_build_states_no_date(project, cli):
    """Sphinx projects write ``:Date: |today|``: the source states no date, so it is neither read nor an error."""
    page = project / "drafts" / "index.rst"
    page.write_text("Guide\n=====\n\n:Release: |version|\n:Date: |today|\n\nOur consultation opens today.\n",
                    encoding="utf-8")
    result = cli("check", page, "--as-of", "2024-04-20", "--format", "json", cwd=project)
    assert result.code != 2, result.stderr
    assert len(result.json()["findings"]) == 1
    undated = cli("check", page, "--format", "json", cwd=project).json()
    assert undated["files"][0]["as_of_source"] != "document:date"
    keyword = project / "drafts" / "keyword.rst"  # a version-control keyword never expanded
    keyword.write_text("Guide\n=====\n\n:Date: $Date$\n\nOur consultation opens today.\n", encoding="utf-8")
    assert cli("check", keyword, "--format", "json", cwd=project).json()["files"][0]["as_of_source"] != "document:date"
    expanded = project / "drafts" / "expanded.rst"  # an expanded keyword, with a footnote mark after it
    expanded.write_text("Guide\n=====\n\n:Date: $Date: 2024-04-20 08:17:22 +0200 (Sa, 20. Apr 2024) $ [#]_\n\n"
                        "Our consultation opens today.\n\n.. [#] Last changed.\n", encoding="utf-8")
    report = cli("check", expanded, "--format", "json", cwd=project).json()
    assert (report["files"][0]["as_of"], report["files"][0]["as_of_source"]) == ("2024-04-20", "document:date")
    stated = project / "drafts" / "stated.rst"
    stated.write_text("Guide\n=====\n\n:Date: 2024-04-20 |today|\n\nText.\n", encoding="utf-8")
    assert cli("check", stated, cwd=project).code == 2  # words beside the substitution are still read


def test_rst_date_field_below_the_top_is_content_not_the_document_date(project, cli):
    """Only the field list at the top of an reST page is its metadata, as docutils and Sphinx read
    it. A manual describing an argument's ``:date:`` key in a nested list further down (Ansible's)
    was read as the page's date and refused; a top field list after a title and a label still dates it."""
    described = project / "drafts" / "keys.rst"
    described.write_text("Keys\n====\n\nOur consultation opens today.\n\n:deprecated_aliases:\n\n"
                         "  :name:\n\n    The alias.\n\n  :date:\n\n    A date after which the alias is removed.\n",
                         encoding="utf-8")
    result = cli("check", described, "--as-of", "2024-04-20", "--format", "json", cwd=project)
    assert result.code != 2, result.stderr
    assert len(result.json()["findings"]) == 1
    later = project / "drafts" / "later.rst"  # a top-level field list after a paragraph is content too
    later.write_text("Guide\n=====\n\nOur consultation opens today.\n\n:date: 2024-04-20\n", encoding="utf-8")
    assert cli("check", later, "--format", "json", cwd=project).json()["files"][0]["as_of_source"] != "document:date"
    top = project / "drafts" / "top.rst"
    top.write_text("Guide\n=====\n\n.. _guide:\n\n:date: 2024-04-20\n\nOur consultation opens today.\n",
                   encoding="utf-8")
    report = cli("check", top, "--format", "json", cwd=project).json()
    assert (report["files"][0]["as_of"], report["files"][0]["as_of_source"]) == ("2024-04-20", "document:date")


def test_month_and_year_document_date_is_the_first_of_the_month(project, cli):
    """Manuals date themselves by month (``:date: May, 2022``): the as-of date is the first of it."""
    for written, expected in (("May, 2024", "2024-05-01"), ("May 2024", "2024-05-01"), ("Apr 2024", "2024-04-01")):
        page = project / "drafts" / "manual.rst"
        page.write_text(f"Manual\n======\n\n:date: {written}\n\nOur consultation opens today.\n", encoding="utf-8")
        report = cli("check", page, "--format", "json", cwd=project).json()
        assert (report["files"][0]["as_of"], report["files"][0]["as_of_source"]) == (expected, "document:date")


def test_unparseable_document_date_is_an_error_naming_the_field(project, cli):
    dated = project / "drafts" / "dated.md"
    dated.write_text("---\ndate: next Tuesday\n---\nOur consultation opens today.\n", encoding="utf-8")
    result = cli("check", dated, cwd=project)
    assert result.code == 2
    assert "dated.md: error: document metadata 'date': 'next Tuesday' is not a date" in result.stderr


@pytest.mark.parametrize("option, value, codes", [
    ("--select", "PE301", {"PE301"}),
    ("--select", "PE2", {"PE201"}),
    ("--select", "consultation", {"PE301"}),
    ("--select", "contract-award,PE3", {"PE201", "PE301"}),
    ("--ignore", "procurement", {"PE301"}),
    ("--ignore", "PE301", {"PE201"}),
])
def test_select_and_ignore(project, cli, option, value, codes):
    report = cli("check", "drafts", "--in-window", option, value, "--format", "json", cwd=project).json()
    assert {f["code"] for f in report["findings"]} == codes


def test_unknown_select_is_a_usage_error(project, cli):
    result = cli("check", "drafts", "--select", "PE999", cwd=project)
    assert result.code == 2 and "--select: unknown code, prefix, category or rule 'PE999'" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("level, code", [("warning", 1), ("error", 0), ("never", 0), ("suggestion", 1)])
def test_fail_level(project, cli, level, code):
    assert cli("check", "drafts", "--in-window", "--fail-level", level, cwd=project).code == code


def test_output_file_does_not_change_exit_code(project, cli):
    result = cli("check", "drafts", "--in-window", "--format", "json", "--output", "out.json", cwd=project)
    assert result.code == 1 and result.stdout == ""
    assert json.loads((project / "out.json").read_text())["summary"]["findings"] == 2


def test_window_option_needs_a_known_window(project, cli):
    ok = cli("check", "drafts", "--window", "pcc.2024-05-02", "--format", "json", cwd=project).json()
    assert {f["window"] for f in ok["findings"]} == {"pcc.2024-05-02"}
    bad = cli("check", "drafts", "--window", "pcc.2099-05-02", cwd=project)
    assert bad.code == 2 and "no election window with id 'pcc.2099-05-02'" in bad.stderr


def test_windows_command(project, cli):
    report = json.loads(cli("windows", "--as-of", "2024-04-01", "--format", "json", cwd=project).stdout)
    assert report["schema"] == "purdah-lint-windows/1" and report["organisation_type"] == "nhs"
    state = {w["id"]: (w["status"], w["start_source"]) for w in report["windows"]}
    assert state["local.2024-05-02"] == ("active", "config")
    assert state["pcc.2024-05-02"] == ("lead-in", "config")
    assert state["parl.2024-07-04"] == ("upcoming", "dissolution")
    assert state["local.2025-05-01"] == ("upcoming", "notice-of-election")
    assert "mayor.london.2024-05-02" not in state  # no areas configured: area-only polls do not bind
    assert all({"id", "name", "start", "end", "start_source", "status", "region", "areas", "topics"} <= set(w)
               for w in report["windows"])


def test_rules_and_explain(cli):
    listing = cli("rules")
    assert listing.code == 0
    assert re.search(r"^PE301\s+consultation-launch\s+consultation\s+warning\s+\S", listing.stdout, re.MULTILINE)
    explained = cli("explain", "PE301")
    assert explained.code == 0
    assert "Who signs it off:" in explained.stdout and "Flagged, for example:" in explained.stdout
    unknown = cli("explain", "PE3O1")
    assert unknown.code == 2 and "did you mean PE301" in unknown.stderr


def test_version_and_help(cli):
    from purdah_lint import __version__

    assert cli("--version").stdout.strip() == f"purdah-lint {__version__}"
    help_text = cli("check", "--help").stdout
    assert "--in-window" in help_text and "exit codes" in help_text


def test_building_the_parser_keeps_argparse_words_and_gives_gettext_back(tmp_path):
    import argparse
    import gettext
    import subprocess
    import sys

    from purdah_lint.cli import build_parser

    help_text = build_parser("check").format_help()
    assert argparse._ is gettext.gettext  # only building skips the translation lookup; errors still use it
    for words in ("positional arguments:", "options:", "-h, --help", "show this help message and exit"):
        assert words in help_text
    # Looking a translation up imported locale (a tenth of a small check's start-up); a cached check no longer does.
    (tmp_path / "draft.md").write_text("# News\n\nBins are collected on Tuesdays.\n", encoding="utf-8")
    probe = ("import sys; from purdah_lint.cli import main; code = main(['check', '--in-window', 'draft.md']); "
             "print(code, 'locale' in sys.modules)")
    runs = [subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=tmp_path,
                           check=True).stdout for _ in range(2)]  # the first may fill the pack cache
    assert runs[1].strip().endswith("0 False")


def test_directories_are_walked_in_a_stable_order_skipping_hidden_folders(tmp_path, cli):
    for name in ("b/z.md", "a/y.txt", "a/x.rst", ".git/hidden.md", "c/notes.odt"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("Hello.\n", encoding="utf-8")
    report = cli("check", ".", "--in-window", "--format", "json", cwd=tmp_path).json()
    assert [f["path"] for f in report["files"]] == ["a/x.rst", "a/y.txt", "b/z.md"]


def test_parallel_jobs_give_identical_results(corpus, cli):
    one = cli("check", corpus / "docs", "--in-window", "--format", "json", "--jobs", "1", "--select", "PE1,PE2,PE3,PE4,PE5,PE6,PE7")
    two = cli("check", corpus / "docs", "--in-window", "--format", "json", "--jobs", "2", "--select", "PE1,PE2,PE3,PE4,PE5,PE6,PE7")
    assert one.stdout == two.stdout and one.code == two.code
    assert len(one.json()["findings"]) > 50


def test_config_errors_name_the_file(tmp_path, cli):
    (tmp_path / ".purdah-lint.toml").write_text('colour = "red"\n', encoding="utf-8")
    (tmp_path / "a.md").write_text("Hi.\n", encoding="utf-8")
    result = cli("check", "a.md", cwd=tmp_path)
    assert result.code == 2 and ".purdah-lint.toml: unknown key 'colour'" in result.stderr
    (tmp_path / ".purdah-lint.toml").write_text('region = "england\n', encoding="utf-8")
    result = cli("check", "a.md", cwd=tmp_path)
    assert result.code == 2 and re.search(r"\.purdah-lint\.toml:1:\d+: invalid TOML", result.stderr)
    (tmp_path / ".purdah-lint.toml").write_text('region = "mars"\n', encoding="utf-8")
    result = cli("check", "a.md", cwd=tmp_path)
    assert result.code == 2 and "'region' is 'mars'; allowed: england, wales" in result.stderr
    assert cli("check", "a.md", "--config", "missing.toml", cwd=tmp_path).code == 2


def test_inputs_are_never_modified(project, cli):
    before = snapshot([project / "drafts"])
    for output_format in ("text", "json"):
        cli("check", "drafts", "--in-window", "--format", output_format, cwd=project)
    assert snapshot([project / "drafts"]) == before


def test_the_command_run_as_a_program_keeps_its_exit_code_and_writes_its_report_whole(tmp_path):
    # ``run`` (the console script and ``python -m purdah_lint``) leaves the collector's last pass out at exit.
    (tmp_path / "draft.md").write_text("# News\n\nThe council has awarded the contract to Acme Ltd.\n", encoding="utf-8")
    finished = subprocess.run([sys.executable, "-m", "purdah_lint", "check", "--in-window", "--format", "json",
                               "--output", "report.json", "draft.md"], capture_output=True, text=True, cwd=tmp_path)
    report = json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))
    assert finished.returncode == 1 and report["findings"]
    printed = subprocess.run([sys.executable, "-m", "purdah_lint", "check", "--in-window", "--format", "json",
                              "draft.md"], capture_output=True, text=True, cwd=tmp_path)
    assert printed.returncode == 1 and json.loads(printed.stdout) == report
