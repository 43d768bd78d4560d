"""The Sphinx extension and builder, with real builds through sphinx.testing and sphinx-build."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from sphinx.builders.dummy import DummyBuilder
from sphinx.errors import ConfigError

from conftest import ROOT, snapshot

SPHINX_BUILD = Path(sys.executable).parent / "sphinx-build"
ROOTS = ROOT / "tests" / "roots"


def report(app) -> dict:
    return json.loads((Path(app.outdir) / "purdah.json").read_text(encoding="utf-8"))


def found(data) -> set[tuple]:
    return {(f["path"], f["line"], f["column"], f["code"], f["waived"] is not None) for f in data["findings"]}


@pytest.mark.sphinx("purdah", testroot="basic", freshenv=True)
def test_builder_reports_every_page_in_the_cli_schema(app):
    before = snapshot([app.srcdir])
    app.build()
    after = snapshot([app.srcdir])
    data = report(app)
    assert data["schema"] == "purdah-lint/1" and data["as_of_source"] == "today"
    substituted = [f for f in data["findings"] if f["code"] == "PE102"]
    assert [(f["path"], f["line"]) for f in substituted] == [("index.rst", 27)]  # its words are not in the source
    assert found(data) - {("index.rst", 27, substituted[0]["column"], "PE102", False)} == {
        ("index.rst", 4, 5, "PE301", False),      # paragraph
        ("index.rst", 12, 12, "PE201", False),    # inside an admonition
        ("index.rst", 19, 18, "PE202", True),     # waived by the directive
        ("index.rst", 23, 13, "PE302", False),    # inside 'only'
        ("index.rst", 23, 27, "PE301", False),
        ("other.rst", 4, 113, "PE301", True),     # waived by the role in the same paragraph
        ("inc.txt", 1, 20, "PE302", False),       # from an included file
    }
    text = (Path(app.outdir) / "purdah.txt").read_text(encoding="utf-8")
    assert "index.rst:4:5: PE301 warning [consultation]" in text
    assert {path: after[path] for path in before} == before  # sources untouched (the build adds _build/)


@pytest.mark.sphinx("html", testroot="basic", freshenv=True)
def test_findings_are_typed_warnings_with_locations(app, warning):
    app.build()
    output = warning.getvalue()
    assert "index.rst:4: WARNING: PE301 warning [consultation]" in output
    assert "(column 5; window: in-window) [purdah.PE301]" in output
    assert "inc.txt:1: WARNING: PE302" in output
    assert "PE202" not in output  # waived
    html = (Path(app.outdir) / "index.html").read_text(encoding="utf-8")
    other = (Path(app.outdir) / "other.html").read_text(encoding="utf-8")
    assert "Greenacre is the preferred bidder." in html
    assert "role: have your say" in other.replace("\n", " ")
    assert "purdah-lint" not in html + other and "Statutory" not in other  # waiver markup never reaches readers


@pytest.mark.sphinx("html", testroot="basic", freshenv=True, confoverrides={"suppress_warnings": ["purdah.PE301"]})
def test_suppress_warnings_silences_one_code(app, warning):
    app.build()
    output = warning.getvalue()
    assert "[purdah.PE301]" not in output and "[purdah.PE201]" in output


@pytest.mark.sphinx("html", testroot="basic", freshenv=True, confoverrides={"purdah_warn": False})
def test_purdah_warn_false_keeps_normal_builds_quiet(app, warning):
    app.build()
    assert "purdah" not in warning.getvalue()


@pytest.mark.parametrize("name, value, words", [
    ("purdah_as_of", "next week", "purdah_as_of"),
    ("purdah_fail_level", "loud", "purdah_fail_level is 'loud'"),
    ("purdah_config", "missing.toml", "purdah_config: 'missing.toml' not found"),
    ("purdah_window", "pcc.2099-05-02", "no election window with id 'pcc.2099-05-02'"),
])
def test_invalid_config_values_are_config_errors(make_app, rootdir, tmp_path, name, value, words):
    srcdir = tmp_path / "src"
    shutil.copytree(rootdir / "test-basic", srcdir)
    with pytest.raises(ConfigError, match=words):
        app = make_app("purdah", srcdir=srcdir, confoverrides={name: value, "purdah_in_window": False})
        app.build()


@pytest.mark.sphinx("purdah", testroot="dated", freshenv=True)
def test_page_dates_follow_the_precedence(app):
    app.build()
    data = report(app)
    files = {f["path"]: (f["as_of"], f["as_of_source"]) for f in data["files"]}
    assert files == {"index.rst": ("2024-04-10", "document:date"), "later.rst": ("2024-06-01", "document:date"),
                     "override.rst": ("2024-04-20", "page")}
    assert {(f["path"], f["line"], f["column"]) for f in data["findings"]} == {("index.rst", 6, 5),
                                                                                ("override.rst", 7, 5)}
    assert {f["window"] for f in data["findings"]} == {"local.2024-05-02"}


@pytest.mark.sphinx("purdah", testroot="myst", freshenv=True)
def test_myst_markdown_pages(app):
    app.build()
    data = report(app)
    assert found(data) == {
        ("index.md", 5, 8, "PE301", False),    # heading, across emphasis
        ("index.md", 7, 17, "PE301", False),   # across a line break inside strong emphasis
        ("index.md", 11, 9, "PE201", False),   # inside a note directive
        ("index.md", 17, 18, "PE202", True),   # waived by an HTML comment
    }
    assert data["files"][0]["as_of_source"] == "document:date"


def sphinx_build(srcdir: Path, outdir: Path, *options: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(SPHINX_BUILD), "--no-color", *options, str(srcdir), str(outdir)], capture_output=True, text=True,
                          timeout=600)


def test_w_turns_findings_into_a_failed_build(tmp_path):
    result = sphinx_build(ROOTS / "test-basic", tmp_path / "html", "-W", "-b", "html")
    assert result.returncode != 0
    assert "PE301" in result.stderr


def test_builder_works_without_editing_extensions(tmp_path):
    result = sphinx_build(ROOTS / "test-noext", tmp_path / "out", "-b", "purdah")
    assert result.returncode == 1, result.stderr
    data = json.loads((tmp_path / "out" / "purdah.json").read_text(encoding="utf-8"))
    assert [(f["path"], f["line"], f["code"]) for f in data["findings"]] == [("index.rst", 4, "PE301")]


def test_parallel_build_gives_the_same_report(tmp_path):
    srcdir = tmp_path / "src"
    shutil.copytree(ROOTS / "test-basic", srcdir)
    for number in range(12):  # enough pages for Sphinx to read in parallel
        (srcdir / f"extra{number}.rst").write_text(f"Page {number}\n=======\n\nCouncil awards £{number}m contract.\n",
                                                   encoding="utf-8")
    one = sphinx_build(srcdir, tmp_path / "one", "-b", "purdah", "-j", "1", "-E")
    two = sphinx_build(srcdir, tmp_path / "two", "-b", "purdah", "-j", "2", "-E")
    assert one.returncode == two.returncode == 1
    first = json.loads((tmp_path / "one" / "purdah.json").read_text(encoding="utf-8"))
    second = json.loads((tmp_path / "two" / "purdah.json").read_text(encoding="utf-8"))
    assert first == second and len(first["findings"]) == 8 + 12


def test_incremental_build_keeps_findings_of_unchanged_pages(tmp_path):
    srcdir = tmp_path / "src"
    shutil.copytree(ROOTS / "test-basic", srcdir)
    outdir = tmp_path / "out"
    assert sphinx_build(srcdir, outdir, "-b", "purdah").returncode == 1
    first = json.loads((outdir / "purdah.json").read_text(encoding="utf-8"))
    other = srcdir / "other.rst"
    other.write_text(other.read_text(encoding="utf-8") + "\nCouncil awards £9m contract.\n", encoding="utf-8")
    again = sphinx_build(srcdir, outdir, "-b", "purdah")
    assert "reading sources... [100%] other" in again.stdout and "index" not in again.stdout.split("reading sources")[1].split("\n")[0]
    second = json.loads((outdir / "purdah.json").read_text(encoding="utf-8"))
    assert {f["path"] for f in second["findings"]} >= {"index.rst", "other.rst", "inc.txt"}
    assert len(second["findings"]) == len(first["findings"]) + 1


def test_each_build_sets_its_own_status_code_in_finish(make_app, tmp_path):
    flagged_src, clean_src = tmp_path / "flagged", tmp_path / "clean"
    shutil.copytree(ROOTS / "test-noext", flagged_src)
    shutil.copytree(ROOTS / "test-noext", clean_src)
    (clean_src / "index.rst").write_text("Opening hours\n=============\n\nThe library opens at nine.\n",
                                         encoding="utf-8")
    overrides = {"extensions": ["purdah_lint.sphinxext"]}
    flagged = make_app("purdah", srcdir=flagged_src, builddir=tmp_path / "out1", confoverrides=overrides)
    flagged.build()
    assert flagged.statuscode == 1
    relaxed = make_app("purdah", srcdir=flagged_src, builddir=tmp_path / "out2",
                       confoverrides={**overrides, "purdah_fail_level": "error"})
    relaxed.build()
    assert relaxed.statuscode == 0  # PE301 is a warning: below this build's fail level
    clean = make_app("purdah", srcdir=clean_src, builddir=tmp_path / "out3", confoverrides=overrides)
    clean.build()
    assert clean.statuscode == 0  # nothing left over from the earlier builds in this process
    assert isinstance(clean.builder, DummyBuilder)  # reads and checks every page, writes only the report
