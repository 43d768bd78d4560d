"""Adversarial inputs: each gives a normal result or a clear one-line error, never a crash or a hang."""

from __future__ import annotations

import os

import pytest

from conftest import run_cli
from purdah_lint.run.checker import check_file
from purdah_lint.run.config import Config
from purdah_lint.run.preparation import Options, prepare

import datetime as dt

GOOD = "Our consultation opens today.\n"
DEEP = 10_000


def beside_a_good_file(tmp_path, name: str, content: bytes | str, *options: str):
    path = tmp_path / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    (tmp_path / "good.md").write_text(GOOD, encoding="utf-8")
    result = run_cli("check", "--in-window", "--format", "json", *options, name, "good.md", cwd=tmp_path, timeout=300)
    assert "Traceback" not in result.stderr
    report = result.json()
    assert [f["code"] for f in report["findings"] if f["path"] == "good.md"] == ["PE301"]  # still checked
    return result, next(f for f in report["files"] if f["path"] == name)


@pytest.mark.parametrize("name, content", [
    ("deep.html", "<div>" * DEEP + "Our consultation opens today." + "</div>" * DEEP),
    ("unclosed.html", "<main><p>Our consultation opens today.<b><i><span>" * 2000),
    ("deep.md", "> " * DEEP + "Our consultation opens today.\n"),
    ("deep-list.md", "".join("  " * level + "- item\n" for level in range(2000)) + "\nOur consultation opens today.\n"),
    ("deep.rst", "".join(" " * level + "text\n\n" for level in range(0, 3000, 3)) + "Our consultation opens today.\n"),
    ("deep.txt", "(" * DEEP + "Our consultation opens today." + ")" * DEEP),
])
def test_deep_nesting(tmp_path, name, content):
    result, entry = beside_a_good_file(tmp_path, name, content)
    if entry["error"]:
        assert result.code == 2 and "\n" not in entry["error"]
    else:
        assert result.code == 1


def test_hundred_megabyte_single_line_is_bounded_by_the_time_limit(tmp_path):
    (tmp_path / ".purdah-lint.toml").write_text("max_seconds_per_file = 2\n", encoding="utf-8")
    with open(tmp_path / "huge.txt", "w", encoding="utf-8") as handle:
        for _ in range(100):
            handle.write("word " * 200_000)  # 1 MB at a time, no line break anywhere
    result, entry = beside_a_good_file(tmp_path, "huge.txt", (tmp_path / "huge.txt").read_bytes())
    assert result.code == 2 and "took longer than 2 seconds to check" in entry["error"]


def test_time_limit_must_be_positive(tmp_path):
    (tmp_path / ".purdah-lint.toml").write_text("max_seconds_per_file = 0\n", encoding="utf-8")
    (tmp_path / "a.md").write_text(GOOD, encoding="utf-8")
    result = run_cli("check", "a.md", cwd=tmp_path)
    assert result.code == 2 and "'max_seconds_per_file' is 0; it must be a number of seconds above 0" in result.stderr


def test_symlink_loops_and_links_in_a_walked_folder(tmp_path):
    drafts = tmp_path / "drafts"
    (drafts / "inner").mkdir(parents=True)
    (drafts / "inner" / "a.md").write_text(GOOD, encoding="utf-8")
    os.symlink(drafts, drafts / "inner" / "loop")  # a folder that contains itself
    os.symlink(tmp_path / "missing.md", drafts / "broken.md")
    result = run_cli("check", "--in-window", "--format", "json", "drafts", cwd=tmp_path, timeout=60)
    report = result.json()
    assert [f["path"] for f in report["files"]] == ["drafts/broken.md", "drafts/inner/a.md"]
    assert "no such file" in report["files"][0]["error"] and result.code == 2


def test_unreadable_file(tmp_path, monkeypatch):
    path = tmp_path / "secret.md"
    path.write_text(GOOD, encoding="utf-8")
    if os.geteuid() != 0:  # as root every file is readable, so the refusal is simulated below as well
        path.chmod(0)
        result = run_cli("check", "--in-window", "secret.md", cwd=tmp_path)
        assert result.code == 2 and "secret.md: error: cannot read file: Permission denied" in result.stderr
        path.chmod(0o644)
    real_open = os.open

    def refusing_open(file, *args, **kwargs):
        if str(file) == str(path):
            raise PermissionError(13, "Permission denied")
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr(os, "open", refusing_open)
    settings = prepare(Config(), Options(as_of=dt.date(2024, 4, 15), as_of_source="option", in_window=True)).settings
    result = check_file(str(path), settings)
    assert result.error == "cannot read file: Permission denied"


@pytest.mark.parametrize("content", [b"", b" \t \n\r\n  \n", "\u200b\u202e\u2066\ufeff".encode("utf-8")])
def test_empty_and_invisible_only_files(tmp_path, content):
    for suffix in (".md", ".txt", ".rst", ".html"):
        result, entry = beside_a_good_file(tmp_path, f"blank{suffix}", content)
        assert entry["error"] is None and result.code == 1
