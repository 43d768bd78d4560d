"""Bad input: one clear line naming the file, exit code 2, other files still checked, nothing written."""

from __future__ import annotations

import os

import pytest

from conftest import run_cli, snapshot

GOOD = "Our consultation opens today.\n"


@pytest.fixture
def folder(tmp_path):
    (tmp_path / "good.md").write_text(GOOD, encoding="utf-8")
    return tmp_path


def check_with_good_file(folder, bad_name):
    """Check a bad file beside a good one; return the run and the JSON report."""
    before = snapshot([folder])
    text = run_cli("check", "--in-window", bad_name, "good.md", cwd=folder)
    report = run_cli("check", "--in-window", "--format", "json", bad_name, "good.md", cwd=folder)
    assert snapshot([folder]) == before
    assert "Traceback" not in text.stderr + report.stderr
    assert [f["code"] for f in report.json()["findings"]] == ["PE301"]  # the good file is still checked
    return text, report.json()


def error_line(result, name) -> str:
    lines = [line for line in result.stderr.splitlines() if line.startswith(f"{name}: error: ")]
    assert len(lines) == 1, result.stderr
    return lines[0]


@pytest.mark.parametrize("name, content, words", [
    ("binary.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), "binary file"),
    ("bad.md", b"Hello caf\xc3( \x81\x8d", "not valid UTF-8 text (byte 0xc3 at offset 9) and not Windows-1252"),
    ("front.md", b"---\ntitle: [unclosed\n---\nHello\n", "invalid YAML front matter at line 2"),
    ("list.md", b"---\n- a\n- b\n---\nHello\n", "front matter at line 2 is not a mapping"),
    ("notes.pdf", b"%PDF-1.4", "truncated PDF (no end-of-file marker)"),
    ("notes.odt", b"PK\x03\x04", "unsupported file type"),
])
def test_unreadable_files(folder, name, content, words):
    (folder / name).write_bytes(content)
    text, report = check_with_good_file(folder, name)
    assert text.code == 2
    assert words in error_line(text, name)
    bad = next(f for f in report["files"] if f["path"] == name)
    assert words in bad["error"] and "\n" not in bad["error"]


def test_missing_path(folder):
    text, report = check_with_good_file(folder, "nowhere.md")
    assert text.code == 2 and "no such file or directory" in error_line(text, "nowhere.md")


def test_directory_with_nothing_to_check(folder):
    (folder / "empty").mkdir()
    text, _ = check_with_good_file(folder, "empty")
    assert text.code == 2 and "no files to check" in error_line(text, "empty")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs POSIX named pipes")
def test_fifo_is_refused_without_blocking(folder):
    os.mkfifo(folder / "pipe.md")
    text, _ = check_with_good_file(folder, "pipe.md")
    assert text.code == 2 and "not a regular file" in error_line(text, "pipe.md")


def test_windows_1252_is_read_with_a_notice(folder):
    (folder / "smart.txt").write_bytes("Tenants\u2019 \u201cconsultation opens\u201d today.\n".encode("cp1252"))
    result = run_cli("check", "--in-window", "--format", "json", "smart.txt", cwd=folder)
    assert result.code == 1
    assert "smart.txt: note: not valid UTF-8" in result.stderr and "Windows-1252" in result.stderr
    finding = result.json()["findings"][0]
    assert (finding["line"], finding["column"], finding["match"]) == (1, 11, "consultation opens")


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16", "utf-16-le"])
def test_other_unicode_encodings(folder, encoding):
    (folder / "enc.txt").write_bytes("Hello.\nOur consultation opens today.\n".encode(encoding))
    finding = run_cli("check", "--in-window", "--format", "json", "enc.txt", cwd=folder).json()["findings"][0]
    assert (finding["line"], finding["column"]) == (2, 5)


def test_crlf_and_cr_line_endings_keep_positions(folder):
    (folder / "crlf.md").write_bytes(b"# Title\r\n\r\nHello.\r\nOur consultation opens today.\r\n")
    (folder / "cr.txt").write_bytes(b"Title\r\rHello.\rOur consultation opens today.\r")
    report = run_cli("check", "--in-window", "--format", "json", "crlf.md", "cr.txt", cwd=folder).json()
    assert {(f["path"], f["line"], f["column"]) for f in report["findings"]} == {("crlf.md", 4, 5), ("cr.txt", 4, 5)}


@pytest.mark.parametrize("content", [b"", b"   \n\n\t \n"])
def test_empty_and_blank_files_are_fine(folder, content):
    for name in ("empty.md", "empty.txt", "empty.rst", "empty.html"):
        (folder / name).write_bytes(content)
    result = run_cli("check", "--in-window", "--format", "json", ".", cwd=folder)
    assert result.code == 1  # only good.md has a finding
    assert all(f["error"] is None for f in result.json()["files"])


def test_fifty_megabyte_file(tmp_path):
    big = tmp_path / "big.txt"
    paragraph = "Bins are collected on Tuesdays and the library opens at nine. " * 20
    with open(big, "w", encoding="utf-8") as handle:
        for _ in range(40_000):
            handle.write(paragraph + "\n\n")
        handle.write("Our consultation opens today.\n")
    assert big.stat().st_size > 49_000_000
    report = run_cli("check", "--in-window", "--format", "json", big, timeout=600).json()
    assert [(f["line"], f["column"], f["code"]) for f in report["findings"]] == [(80_001, 5, "PE301")]


def test_size_limit_from_config(tmp_path):
    (tmp_path / ".purdah-lint.toml").write_text("max_file_bytes = 100\n", encoding="utf-8")
    (tmp_path / "long.txt").write_text("x" * 200, encoding="utf-8")
    result = run_cli("check", "--in-window", "long.txt", cwd=tmp_path)
    assert result.code == 2 and "long.txt: error: file is 200 bytes, over the 100-byte limit" in result.stderr


def test_markup_that_confuses_parsers_is_not_a_crash(folder):
    (folder / "broken.html").write_text("<html><body><main><p>Our consultation opens <b><i>today" + "<div>" * 5000,
                                        encoding="utf-8")
    (folder / "odd.rst").write_text(".. unknown-directive:: x\n\n   body\n\n:unknown-role:`x` and `unclosed\n\n"
                                    "Our consultation opens today.\n", encoding="utf-8")
    result = run_cli("check", "--in-window", "--format", "json", "broken.html", "odd.rst", cwd=folder)
    assert result.code == 1 and result.stderr == ""
    assert {(f["path"], f["line"]) for f in result.json()["findings"]} == {("broken.html", 1), ("odd.rst", 7)}
