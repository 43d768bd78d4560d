"""Election windows: the built-in calendar, who is bound and from when, with the source documents' dates."""

from __future__ import annotations

import datetime as dt
import json

import pytest
import yaml
from uk_election_ids.election_ids import validate
from uk_election_timetables.calendars import easter_sunday

from conftest import ROOT, run_cli
from purdah_lint.elections.uk_calendar import Organisation, load_elections, notice_of_election, resolve_windows, window_start

CALENDAR = ROOT / "purdah_lint" / "elections" / "data"
MAYOR_PCC_AREAS = {"london", "greater-manchester-ca", "west-yorkshire-ca", "south-yorkshire-ca",
                   "york-and-north-yorkshire-ca"}
CCTV = "Forty-eight new CCTV cameras will be installed in the town centre.\n"


def windows(tmp_path, config: str, as_of: str) -> dict[str, dict]:
    (tmp_path / "c.toml").write_text(config, encoding="utf-8")
    result = run_cli("windows", "--config", tmp_path / "c.toml", "--as-of", as_of, "--format", "json")
    assert result.code == 0, result.stderr
    return {w["id"]: w for w in json.loads(result.stdout)["windows"]}


def active(found: dict[str, dict]) -> set[str]:
    return {election for election, window in found.items() if window["status"] == "active"}


LIVERPOOL_NHS = """\
organisation_type = "nhs"
region = "england"
areas = ["liverpool-city-ca", "merseyside"]
[[windows]]
id = "local.2024-05-02"
start = 2024-03-21
[[windows]]
id = "pcc.2024-05-02"
start = 2024-03-21
[[windows]]
id = "mayor.liverpool-city-ca.2024-05-02"
start = 2024-03-21
"""
MAY_2024 = {"local.2024-05-02", "pcc.2024-05-02", "mayor.liverpool-city-ca.2024-05-02"}


def test_nhs_trust_in_liverpool_city_region(tmp_path):
    assert active(windows(tmp_path, LIVERPOOL_NHS, "2024-03-22")) == MAY_2024
    assert active(windows(tmp_path, LIVERPOOL_NHS, "2024-05-02")) == MAY_2024  # polling day is inside
    assert active(windows(tmp_path, LIVERPOOL_NHS, "2024-05-03")) == set()
    assert active(windows(tmp_path, LIVERPOOL_NHS, "2024-03-20")) == set()
    found = windows(tmp_path, LIVERPOOL_NHS, "2024-03-22")
    assert {found[i]["start_source"] for i in MAY_2024} == {"config"}
    assert "mayor.london.2024-05-02" not in found and "mayor.greater-manchester-ca.2024-05-02" not in found


def test_overlapping_windows_are_all_named_on_a_finding(tmp_path):
    (tmp_path / ".purdah-lint.toml").write_text(LIVERPOOL_NHS, encoding="utf-8")
    (tmp_path / "a.md").write_text("Our consultation opens today.\n", encoding="utf-8")
    finding = run_cli("check", "--as-of", "2024-03-22", "--format", "json", "a.md", cwd=tmp_path).json()["findings"][0]
    assert set(finding["windows"]) == MAY_2024 and finding["window"] in MAY_2024


WELSH_GOVERNMENT = 'organisation_type = "welsh-government"\nregion = "wales"\n'


@pytest.mark.parametrize("as_of, in_window", [("2024-04-10", False), ("2024-04-11", True), ("2024-05-02", True),
                                              ("2024-05-03", False)])
def test_welsh_government_pcc_window_and_topic_rules(tmp_path, as_of, in_window):
    found = windows(tmp_path, WELSH_GOVERNMENT, as_of)
    assert found["pcc.2024-05-02"]["start"] == "2024-04-11"
    assert found["pcc.2024-05-02"]["start_source"] == "three-week-rule"
    assert ("pcc.2024-05-02" in active(found)) is in_window
    (tmp_path / ".purdah-lint.toml").write_text(WELSH_GOVERNMENT, encoding="utf-8")
    (tmp_path / "cctv.txt").write_text(CCTV, encoding="utf-8")
    report = run_cli("check", "--as-of", as_of, "--format", "json", "cctv.txt", cwd=tmp_path).json()
    serious = [f for f in report["findings"] if f["severity"] != "suggestion"]
    assert bool(serious) is in_window
    if in_window:
        assert serious[0]["code"] == "PE803" and serious[0]["window"] == "pcc.2024-05-02"


def test_welsh_government_is_not_bound_by_english_polls(tmp_path):
    found = windows(tmp_path, WELSH_GOVERNMENT, "2024-04-15")
    assert "local.2024-05-02" not in found and "mayor.london.2024-05-02" not in found
    assert found["senedd.2026-05-07"]["start"] == "2026-04-08"  # dissolution
    assert found["senedd.2026-05-07"]["start_source"] == "dissolution"


def test_policing_rules_need_a_pcc_window(tmp_path):
    (tmp_path / "cctv.txt").write_text(CCTV, encoding="utf-8")
    general = run_cli("check", "--in-window", "--format", "json", "cctv.txt", cwd=tmp_path).json()
    assert [f["code"] for f in general["findings"]] == []
    pcc = run_cli("check", "--window", "pcc.2024-05-02", "--format", "json", "cctv.txt", cwd=tmp_path).json()
    assert [f["code"] for f in pcc["findings"]] == ["PE803"]
    london = run_cli("check", "--window", "mayor.london.2024-05-02", "--format", "json", "cctv.txt",
                     cwd=tmp_path).json()
    assert [f["code"] for f in london["findings"]] == ["PE803"]  # the Mayor holds PCC functions


def test_council_start_is_the_notice_of_election_deadline(tmp_path):
    found = windows(tmp_path, 'organisation_type = "council"\nregion = "england"\n', "2024-04-01")
    assert (found["local.2024-05-02"]["start"], found["local.2024-05-02"]["start_source"]) == \
        ("2024-03-26", "notice-of-election")
    assert found["pcc.2024-05-02"]["start"] == "2024-03-26"
    assert (found["parl.2024-07-04"]["start"], found["parl.2024-07-04"]["start_source"]) == ("2024-05-25", "dissolution")


def test_uk_government_uses_three_weeks_for_local_polls():
    organisation = Organisation("uk-government", "england")
    election = next(e for e in load_elections() if e.id == "local.2024-05-02")
    assert window_start(election, organisation) == (dt.date(2024, 4, 11), "three-week-rule")


def test_2029_needs_the_projects_own_bank_holidays(tmp_path):
    found = windows(tmp_path, 'organisation_type = "council"\nregion = "england"\n', "2029-03-28")
    # 25 working days before 3 May 2029, skipping Good Friday 30 March and Easter Monday 2 April
    # (the library's own holidays stop in 2028, which would give 29 March).
    assert found["local.2029-05-03"]["start"] == "2029-03-27"
    assert "local.2029-05-03" in active(found)
    election = next(e for e in load_elections() if e.id == "local.2029-05-03")
    assert notice_of_election(election, "england") == dt.date(2029, 3, 27)


def test_bank_holiday_data():
    holidays = yaml.safe_load((CALENDAR / "bank-holidays.yaml").read_text(encoding="utf-8"))
    assert set(holidays) == {"england-and-wales", "scotland", "northern-ireland"}
    for country, events in holidays.items():
        dates = {event["date"] for event in events}
        assert all(day.weekday() < 5 for day in dates), country  # substitute days are given, not weekends
        for year in (2029, 2030):
            good_friday = easter_sunday(year) - dt.timedelta(days=2)
            assert good_friday in dates and dt.date(year, 12, 25) in dates, (country, year)
            easter_monday = easter_sunday(year) + dt.timedelta(days=1)
            assert (easter_monday in dates) is (country != "scotland"), (country, year)


def test_calendar_data():
    elections = load_elections()
    ids = [e.id for e in elections]
    assert len(ids) == len(set(ids))
    assert all(validate(election_id) for election_id in ids)
    assert all(dt.date(2024, 1, 1) <= e.poll <= dt.date(2030, 12, 31) for e in elections)
    assert {e.status for e in elections} <= {"held", "scheduled", "expected"}
    kinds = {e.kind for e in elections}
    assert {"local", "mayor", "gla", "pcc", "parl", "senedd", "sp", "nia"} <= kinds
    for election in elections:
        if election.kind == "pcc":
            assert MAYOR_PCC_AREAS <= set(election.excluded_areas) and election.topics == ("policing",)
        if election.id.startswith("mayor.liverpool-city-ca."):
            assert {"halton", "wirral", "st-helens"} <= set(election.areas)
    assert next(e for e in elections if e.id == "parl.2029-08-15").status == "expected"


def test_area_scoping(tmp_path):
    halton = windows(tmp_path, 'organisation_type = "council"\nregion = "england"\nareas = ["halton"]\n', "2024-04-01")
    leeds = windows(tmp_path, 'organisation_type = "council"\nregion = "england"\nareas = ["west-yorkshire-ca"]\n',
                    "2024-04-01")
    assert "mayor.liverpool-city-ca.2024-05-02" in halton and "mayor.liverpool-city-ca.2024-05-02" not in leeds
    assert "pcc.2024-05-02" in halton and "pcc.2024-05-02" not in leeds  # the West Yorkshire Mayor is its PCC
    assert leeds["mayor.west-yorkshire-ca.2024-05-02"]["topics"] == ["policing"]
    scotland = windows(tmp_path, 'organisation_type = "council"\nregion = "scotland"\n', "2026-04-01")
    assert "pcc.2024-05-02" not in scotland and "sp.2026-05-07" in scotland


def test_by_elections_and_referendums_added_in_config(tmp_path):
    config = ('organisation_type = "council"\nregion = "england"\n'
              '[[windows]]\nid = "local.stockport.heaton-mersey.by.2025-06-12"\nname = "Heaton Mersey by-election"\n'
              '[[windows]]\nid = "ref.exampleton.2025-09-18"\n')
    found = windows(tmp_path, config, "2025-06-01")
    by_election = found["local.stockport.heaton-mersey.by.2025-06-12"]
    assert by_election["start_source"] == "notice-of-election" and by_election["end"] == "2025-06-12"
    assert by_election["name"] == "Heaton Mersey by-election" and by_election["status"] == "active"
    assert (found["ref.exampleton.2025-09-18"]["start"], found["ref.exampleton.2025-09-18"]["start_source"]) == \
        ("2025-08-21", "fixed")
    (tmp_path / "bad.toml").write_text('[[windows]]\nid = "by-election in June"\n', encoding="utf-8")
    bad = run_cli("windows", "--config", tmp_path / "bad.toml")
    assert bad.code == 2 and "not a Democracy Club election id" in bad.stderr


def test_config_as_of_is_reported_as_the_source(tmp_path):
    (tmp_path / ".purdah-lint.toml").write_text('as_of = 2024-04-15\n', encoding="utf-8")
    (tmp_path / "a.md").write_text("Hello.\n", encoding="utf-8")
    report = run_cli("check", "--format", "json", "a.md", cwd=tmp_path).json()
    assert (report["as_of"], report["as_of_source"]) == ("2024-04-15", "config")
    text = run_cli("check", "a.md", cwd=tmp_path).stdout
    assert text.startswith("purdah-lint ") and "as of 15 Apr 2024 (config as_of); no pre-election window applies" in text


def test_resolved_windows_are_cached_and_identical(monkeypatch, tmp_path):
    monkeypatch.setenv("PURDAH_LINT_CACHE_DIR", str(tmp_path))
    organisation = Organisation("council", "england", ("halton",))
    first = resolve_windows(organisation)
    assert list(tmp_path.glob("windows-*.bin"))
    assert resolve_windows(organisation) == first
