"""Sphinx: a page's own bad settings are a located warning on that page, never an aborted build."""

from __future__ import annotations

import pytest


def _project(tmp_path, body: str):
    src = tmp_path / "src"
    src.mkdir()
    (src / "conf.py").write_text('extensions = ["purdah_lint.sphinxext"]\npurdah_as_of = "2024-04-15"\n',
                                 encoding="utf-8")
    (src / "index.rst").write_text("Title\n=====\n\n.. toctree::\n\n   other\n", encoding="utf-8")
    (src / "other.rst").write_text(f"Other\n=====\n\n{body}\n\nOur consultation opens today.\n", encoding="utf-8")
    return src


@pytest.mark.parametrize("option, words", [
    (":as-of: 2024-02-30", "as-of"),
    (":as-of: next tuesday", "as-of"),
    (":window: local.1999-01-01", "window"),
    (":window: ::error::x", "window"),
])
def test_bad_page_settings_are_located_warnings(tmp_path, make_app, option, words):
    src = _project(tmp_path, f".. purdah-page::\n   {option}\n")
    app = make_app("html", srcdir=src)
    app.build()
    warnings = app._warning.getvalue()
    assert "other.rst:4: WARNING:" in warnings and words in warnings, warnings
    assert not [line for line in warnings.splitlines() if line.lstrip().startswith("::")]
    assert (app.outdir / "other.html").is_file()
