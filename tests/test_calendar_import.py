"""Keeping the calendar current: Every Election imports, area checks, and the calendar running out."""

from __future__ import annotations

import json

import pytest
import yaml

from conftest import run_cli

CONFIG = 'organisation_type = "council"\nregion = "england"\nareas = ["stockport"]\ncalendar_files = ["elections.yaml"]\n'


def organisation(slug="stockport", territory="ENG"):
    return {"slug": slug, "territory_code": territory, "official_name": slug.title()}


def election(election_id, title, group_type=None, cancelled=False, replaced_by=None, slug="stockport"):
    return {"election_id": election_id, "election_title": title, "poll_open_date": election_id.rsplit(".", 1)[-1],
            "group_type": group_type, "cancelled": cancelled, "replaced_by": replaced_by,
            "organisation": organisation(slug), "election_type": {"election_type": election_id.split(".")[0]}}


def api_pages():
    first = {"count": 5, "next": "page2", "previous": None, "results": [
        election("local.2026-09-17", "Local elections", group_type="election"),
        election("local.stockport.2026-09-17", "Stockport local elections", group_type="organisation"),
        election("local.stockport.bramhall-north.2026-09-17", "Bramhall North", group_type=None),
    ]}
    second = {"count": 5, "next": None, "previous": "page1", "results": [
        election("local.stockport.heaton-mersey.by.2026-10-22", "Heaton Mersey by-election"),
        election("local.stockport.brinnington.by.2026-10-29", "Brinnington by-election", cancelled=True),
        election("ref.stockport.2026-11-12", "Stockport governance referendum", group_type="organisation"),
    ]}
    return [first, second]


@pytest.fixture()
def site(tmp_path):
    (tmp_path / ".purdah-lint.toml").write_text(CONFIG, encoding="utf-8")
    (tmp_path / "api.json").write_text(json.dumps(api_pages(), indent=1), encoding="utf-8")
    return tmp_path


def windows(site, as_of):
    result = run_cli("windows", "--format", "json", "--as-of", as_of, cwd=site)
    assert result.code == 0, result.stderr
    return {entry["id"]: entry for entry in result.json()["windows"]}


def test_import_writes_the_calendar_file_with_sources_and_cancellations(site):
    result = run_cli("windows", "import", "api.json", cwd=site)
    assert result.code == 0, result.stderr
    assert "Imported 4 elections into" in result.stdout and "1 cancelled or replaced" in result.stdout
    entries = {e["id"]: e for e in yaml.safe_load((site / "elections.yaml").read_text(encoding="utf-8"))["elections"]}
    # the election group and the scheduled ballot are covered by the organisation group
    assert set(entries) == {"local.stockport.2026-09-17", "local.stockport.heaton-mersey.by.2026-10-22",
                            "local.stockport.brinnington.by.2026-10-29", "ref.stockport.2026-11-12"}
    assert entries["local.stockport.brinnington.by.2026-10-29"]["status"] == "cancelled"
    assert entries["local.stockport.heaton-mersey.by.2026-10-22"]["areas"] == ["stockport"]
    assert entries["local.stockport.heaton-mersey.by.2026-10-22"]["regions"] == ["england"]
    assert all(e["source"].startswith("Every Election, api.json, imported ") for e in entries.values())
    again = run_cli("windows", "import", "api.json", cwd=site)
    assert "0 new, 0 updated" in again.stdout


def test_imported_elections_open_windows_and_cancelled_ones_do_not(site):
    assert run_cli("windows", "import", "api.json", cwd=site).code == 0
    found = windows(site, "2026-10-01")
    assert found["local.stockport.heaton-mersey.by.2026-10-22"]["status"] == "active"
    assert found["ref.stockport.2026-11-12"]["start"] == "2026-10-15"  # 28 days before a referendum
    assert "local.stockport.brinnington.by.2026-10-29" not in found
    (site / "news.md").write_text("We are today launching our new ten-year housing strategy.\n", encoding="utf-8")
    report = run_cli("check", "--format", "json", "--as-of", "2026-10-01", "news.md", cwd=site)
    assert report.code == 1
    assert {f["window"] for f in report.json()["findings"]} >= {"local.stockport.heaton-mersey.by.2026-10-22"}


def test_config_windows_still_win_over_imported_ones(site):
    assert run_cli("windows", "import", "api.json", cwd=site).code == 0
    (site / ".purdah-lint.toml").write_text(CONFIG + '[[windows]]\nid = "local.stockport.heaton-mersey.by.2026-10-22"\n'
                                                     'start = 2026-09-01\n', encoding="utf-8")
    entry = windows(site, "2026-09-05")["local.stockport.heaton-mersey.by.2026-10-22"]
    assert (entry["start"], entry["start_source"]) == ("2026-09-01", "config")


def test_csv_import_with_a_by_election_and_a_cancelled_poll(site):
    (site / "ee.csv").write_text(
        "election_id,election_title,poll_open_date,group_type,cancelled,organisation_slug,territory_code\n"
        "local.stockport.cheadle.by.2026-12-03,Cheadle by-election,2026-12-03,,False,stockport,ENG\n"
        "local.stockport.marple-north.by.2026-12-10,Marple North by-election,2026-12-10,,True,stockport,ENG\n",
        encoding="utf-8")
    result = run_cli("windows", "import", "ee.csv", "--into", "elections.yaml", cwd=site)
    assert result.code == 0, result.stderr
    found = windows(site, "2026-11-20")
    assert found["local.stockport.cheadle.by.2026-12-03"]["status"] == "active"
    assert "local.stockport.marple-north.by.2026-12-10" not in found


@pytest.mark.parametrize("name, text, where", [
    ("broken.json", '{"results": [\n  {"election_id": }\n]}', "broken.json:2:19: not valid JSON"),
    ("wrong.json", '{"results": [{"election_id": "local.stockport.2026-09-17"}, {"election_id": "not an id"}]}',
     "wrong.json: results[1]: 'not an id' is not a valid Democracy Club election id"),
    ("ragged.csv", "election_id,election_title\nlocal.stockport.2026-09-17,Stockport,extra\n",
     "ragged.csv:2: more cells than the header has columns"),
    ("noid.csv", "title,date\nx,y\n", "noid.csv:1: the CSV needs an 'election_id' column"),
])
def test_malformed_files_are_one_line_errors_with_their_place(site, name, text, where):
    (site / name).write_text(text, encoding="utf-8")
    result = run_cli("windows", "import", name, cwd=site)
    assert result.code == 2
    assert where in result.stderr and "Traceback" not in result.stderr and result.stderr.count("\n") == 1
    assert not (site / "elections.yaml").exists(), "nothing written from a bad file"


def test_import_needs_somewhere_to_write(tmp_path):
    (tmp_path / "api.json").write_text(json.dumps(api_pages()), encoding="utf-8")
    result = run_cli("windows", "import", "api.json", cwd=tmp_path)
    assert result.code == 2 and "pass --into FILE, or set calendar_files" in result.stderr


def test_a_council_in_a_combined_authority_gets_the_mayor_and_not_the_pcc(tmp_path):
    (tmp_path / ".purdah-lint.toml").write_text('organisation_type = "council"\nregion = "england"\n'
                                                'areas = ["stockport"]\n', encoding="utf-8")
    found = windows(tmp_path, "2028-01-10")
    assert "mayor.greater-manchester-ca.2028-05-04" in found
    assert not [window for window in found if window.startswith("pcc.")]
    (tmp_path / ".purdah-lint.toml").write_text('organisation_type = "council"\nregion = "england"\n'
                                                'areas = ["cambridge"]\n', encoding="utf-8")
    found = windows(tmp_path, "2028-01-10")
    assert "mayor.cambridgeshire-and-peterborough-ca.2029-05-03" in found and "pcc.2028-05-04" in found


def test_a_misspelt_area_is_an_error_with_a_suggestion(tmp_path):
    (tmp_path / ".purdah-lint.toml").write_text('organisation_type = "council"\nareas = ["stockprt"]\n', encoding="utf-8")
    for command in (["windows"], ["check", "--in-window", "."]):
        result = run_cli(*command, cwd=tmp_path)
        assert result.code == 2
        assert "area 'stockprt' is not an organisation the election calendar knows; did you mean 'stockport'?" \
            in result.stderr


def test_a_calendar_that_runs_out_is_reported_on_every_command(tmp_path):
    (tmp_path / ".purdah-lint.toml").write_text('organisation_type = "nhs"\nregion = "england"\n', encoding="utf-8")
    (tmp_path / "note.md").write_text("Opening hours are unchanged.\n", encoding="utf-8")
    late, early = "2030-01-10", "2029-01-10"
    for command in (["windows"], ["check", "note.md"]):
        result = run_cli(*command, "--as-of", late, cwd=tmp_path)
        assert result.code == 0
        assert "warning: the election calendar may be out of date" in result.stderr
        assert "windows import" in result.stderr
        assert "out of date" not in run_cli(*command, "--as-of", early, cwd=tmp_path).stderr
    assert run_cli("windows", "--check", "--as-of", late, cwd=tmp_path).code == 1
    assert run_cli("windows", "--check", "--as-of", early, cwd=tmp_path).code == 0


def test_the_built_in_calendar_runs_to_the_end_of_2030():
    from purdah_lint.elections.uk_calendar import load_elections

    polls = {e.id: e.poll for e in load_elections()}
    assert max(polls.values()).year == 2030
    assert "parl.2029-08-15" in polls  # the latest possible date of the next UK general election
