"""The project's own documentation builds cleanly with -W and checks itself with the extension."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from conftest import ROOT
from purdah_lint.elections.uk_calendar import load_elections
from purdah_lint.ruleset.codes import META_CODES
from purdah_lint.ruleset.packs import load_packs

SPHINX_BUILD = Path(sys.executable).parent / "sphinx-build"


def build(builder: str, outdir: Path, *options: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(SPHINX_BUILD), "--no-color", "-b", builder, *options, str(ROOT / "docs"), str(outdir)],
                          capture_output=True, text=True, timeout=600)


def test_docs_build_with_warnings_as_errors(tmp_path):
    result = build("html", tmp_path / "html", "-W", "--keep-going", "-E")
    assert result.returncode == 0, result.stderr
    rules_page = (tmp_path / "html" / "rules.html").read_text(encoding="utf-8")
    for code in [rule.code for rule in load_packs()] + list(META_CODES):
        assert f'id="{code.lower()}"' in rules_page, code
    calendar_page = (tmp_path / "html" / "calendar.html").read_text(encoding="utf-8")
    assert all(election.id in calendar_page for election in load_elections())


def test_docs_check_themselves_and_show_a_waived_finding(tmp_path):
    result = build("purdah", tmp_path / "purdah", "-E")
    assert result.returncode == 0, result.stderr
    report = json.loads((tmp_path / "purdah" / "purdah.json").read_text(encoding="utf-8"))
    assert {f["path"] for f in report["files"]} >= {"index.rst", "sphinx.rst", "waivers.rst", "rules.rst"}
    waived = [f for f in report["findings"] if f["waived"]]
    assert [(f["path"], f["code"]) for f in waived] == [("sphinx.rst", "PE601")]
    assert all(f["waived"] for f in report["findings"])
