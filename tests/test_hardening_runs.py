"""Every traceback the hostile-input review found becomes a clear error; nothing is skipped silently."""

from __future__ import annotations

import io
import json
import os
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from conftest import SCRIPT
from hardening_support import GOOD, assert_no_traceback, beside_good, error_line, run_bounded, run_error, single_rule_pack_error


@pytest.mark.parametrize("name, content, words", [
    (".purdah-lint.toml", "max_file_bytes = 0\n", "max_file_bytes"),
    (".purdah-lint.toml", "waivers = 5\n", "waivers"),
    (".purdah-lint.toml", 'waivers = ""\n', "waivers"),
    (".purdah-lint.toml", "lead_in_days = 100000000\n", "lead_in_days"),
    (".purdah-lint.toml", "fail_level = []\n", "fail_level"),
    (".purdah-lint.toml", "organisation_type = {a = 1}\n", "organisation_type"),
    (".purdah-lint.toml", "windows = [1]\n", "windows"),
    (".purdah-lint.toml", '[[windows]]\nid = "x"\nname = 5\n', "name"),
    (".purdah-lint.toml", '[[windows]]\nid = "x"\nstart = 5\n', "start"),
    (".purdah-lint.toml", "as_of = 2024-01-01T10:00:00+99:00\n", "invalid TOML"),
    ("pyproject.toml", "tool = 1\n", "tool"),
    ("pyproject.toml", "[tool]\npurdah-lint = 1\n", "purdah-lint"),
    (".purdah-lint.toml", b"region = '\xff\xfe'\n", "UTF-8"),
])
def test_config_type_errors_are_one_line(tmp_path, name, content, words):
    path = tmp_path / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    (tmp_path / "a.md").write_text(GOOD, encoding="utf-8")
    line = run_error(run_bounded("check", "--config", name, "a.md", cwd=tmp_path), name)
    assert words in line


@pytest.mark.parametrize("content", [
    '{"schema": "purdah-lint-baseline/1", "findings": [{"fingerprint": [1]}]}',
    '{"schema": "purdah-lint-baseline/1", "findings": [{"fingerprint": {"a": 1}}]}',
    '{"schema": "purdah-lint-baseline/1", "findings": [1, 2]}',
    '{"schema": "purdah-lint-baseline/1", "findings": {}}',
    '[1, 2]',
    '{"schema": "purdah-lint-baseline/1", "findings": [' + "[" * 100_000 + "]" * 100_000 + "]}",
    '\xff\xfe',
    '{"schema": "purdah-lint-baseline/1", "findings": [{"fingerprint": NaN}]}',
])
def test_malformed_baselines_are_one_line(tmp_path, content):
    (tmp_path / "base.json").write_bytes(content.encode("latin-1") if content == "\xff\xfe" else content.encode())
    (tmp_path / "a.md").write_text(GOOD, encoding="utf-8")
    run_error(run_bounded("check", "--in-window", "--baseline", "base.json", "a.md", cwd=tmp_path), "base.json")


@pytest.mark.parametrize("jobs", ["100000", "0", "-1", "1e3", "999999999999999999999"])
def test_jobs_out_of_range(tmp_path, jobs):
    (tmp_path / "a.md").write_text(GOOD, encoding="utf-8")
    result = run_bounded("check", "--in-window", "--jobs", jobs, "a.md", cwd=tmp_path)
    assert_no_traceback(result)
    if jobs in ("100000", "999999999999999999999"):  # capped at a multiple of the CPUs, with a note
        assert result.code == 1 and "--jobs" in result.stderr
    else:
        assert result.code == 2 and "--jobs" in result.stderr


def _docx_member_bytes(mutate) -> bytes:
    import docx

    buffer = io.BytesIO()
    document = docx.Document()
    document.add_paragraph("Our consultation opens today.")
    document.save(buffer)
    source = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            target.writestr(info, source.read(info.filename))
    data = bytearray(out.getvalue())
    return mutate(data)


def _encrypted(data: bytearray) -> bytes:
    # Set the 'encrypted' flag bit on every local and central header.
    for signature, flag_offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        start = 0
        while (found := data.find(signature, start)) != -1:
            data[found + flag_offset] |= 1
            start = found + 4
    return bytes(data)


def _unknown_compression(data: bytearray) -> bytes:
    for signature, method_offset in ((b"PK\x03\x04", 8), (b"PK\x01\x02", 10)):
        start = 0
        while (found := data.find(signature, start)) != -1:
            data[found + method_offset:found + method_offset + 2] = (99).to_bytes(2, "little")
            start = found + 4
    return bytes(data)


@pytest.mark.parametrize("mutate, words", [(_encrypted, "encrypted"), (_unknown_compression, "compression")])
def test_docx_members_that_cannot_be_unpacked(tmp_path, mutate, words):
    result, entry = beside_good(tmp_path, "odd.docx", _docx_member_bytes(mutate))
    assert result.code == 2 and words in entry["error"]


def test_non_utf8_file_names_in_every_output(tmp_path):
    name = b"caf\xe9-\xff.md"
    with open(os.path.join(os.fsencode(tmp_path), name), "w", encoding="utf-8") as handle:
        handle.write(GOOD)
    for output_format in ("text", "json", "sarif", "github"):
        result = run_bounded("check", "--in-window", "--format", output_format, "--output", "report.out", ".",
                             cwd=tmp_path)
        assert_no_traceback(result)
        assert result.code == 1, result.stderr
        written = (tmp_path / "report.out").read_bytes().decode("utf-8")  # valid UTF-8
        assert "caf" in written
        if output_format in ("json", "sarif"):
            json.loads(written)
        result = run_bounded("check", "--in-window", "--format", output_format, ".", cwd=tmp_path)
        assert result.code == 1 and "caf" in result.stdout


def _git(cwd, *args):
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True,
                   env={**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.invalid",
                        "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.invalid"})


@pytest.mark.parametrize("name", ['caf"é.md', "tab\there.md", "back\\slash.md", "new\nline.md", "sp ace.md"])
def test_diff_base_keeps_findings_of_odd_file_names(tmp_path, name):
    _git(tmp_path, "init", "-q", "-b", "main")
    (tmp_path / name).write_text("Bins.\n", encoding="utf-8")
    _git(tmp_path, "add", "-A")
    _git(tmp_path, "commit", "-q", "-m", "start")
    (tmp_path / name).write_text("Bins.\n" + GOOD, encoding="utf-8")
    result = run_bounded("check", "--in-window", "--format", "json", "--diff-base", "HEAD", name, cwd=tmp_path)
    assert_no_traceback(result)
    assert [(f["line"], f["code"]) for f in result.json()["findings"]] == [(2, "PE301")], result.stderr


def test_broken_pipe_and_full_disk(tmp_path):
    for number in range(300):
        (tmp_path / f"d{number}.md").write_text(GOOD, encoding="utf-8")
    process = subprocess.Popen([str(SCRIPT), "check", "--in-window", "."], cwd=tmp_path, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE)
    process.stdout.readline()
    process.stdout.close()  # like 'purdah-lint check . | head -1'
    stderr = process.stderr.read().decode()
    process.wait(timeout=60)
    assert "Traceback" not in stderr and process.returncode in (1, 2, 141)
    with open("/dev/full", "w") as full:
        result = subprocess.run([str(SCRIPT), "check", "--in-window", "."], cwd=tmp_path, stdout=full,
                                stderr=subprocess.PIPE, timeout=60, text=True)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "No space left on device" in result.stderr and len(result.stderr.strip().splitlines()) == 1
    result = subprocess.run(f"exec 1>&-; {SCRIPT} check --in-window d1.md", shell=True, cwd=tmp_path,
                            stderr=subprocess.PIPE, timeout=60, text=True)
    assert result.returncode == 2 and "Traceback" not in result.stderr and "standard output" in result.stderr


def _many_slow_files(folder, count=80):
    paragraph = "Our consultation opens today and runs for twelve weeks. " * 400 + "\n\n"
    for number in range(count):
        (folder / f"doc{number:03d}.md").write_text(paragraph * 40, encoding="utf-8")


def _signal_state(pid: int) -> str:
    """The blocked, ignored and caught signal masks of a process, for a failure message."""
    with open(f"/proc/{pid}/status", encoding="ascii") as status:
        return " ".join(line.strip() for line in status if line.startswith(("SigBlk", "SigIgn", "SigCgt")))


def _workers_started(pid: int) -> bool:
    children = Path(f"/proc/{pid}/task/{pid}/children")
    return children.exists() and len(children.read_text().split()) >= 2


def _as_a_shell_starts_it() -> None:
    # A test runner's process may ignore or block SIGINT (pytest-xdist's workers, some libraries
    # a test imported); a child inherits both, whereas a user's shell starts it with neither.
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})


def test_interrupt_under_jobs_exits_130_without_worker_tracebacks(tmp_path):
    _many_slow_files(tmp_path)
    # Its own session and process group, so that the Ctrl-C below reaches it and its workers only.
    process = subprocess.Popen([str(SCRIPT), "check", "--in-window", "--jobs", "2", "."], cwd=tmp_path,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True,
                               preexec_fn=_as_a_shell_starts_it)
    deadline = time.monotonic() + 120  # past start-up, however busy the machine: both workers are running
    while not _workers_started(process.pid) and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.1)
    time.sleep(1)  # the workers have their files
    assert process.poll() is None, "the run ended before it could be interrupted"
    state = _signal_state(process.pid)
    os.killpg(process.pid, signal.SIGINT)  # as Ctrl-C does: the whole process group
    stdout, stderr = process.communicate(timeout=60)
    assert process.returncode == 130, (state, stderr.decode()[-2000:])
    assert b"Traceback" not in stderr and b"KeyboardInterrupt" not in stderr
    assert stderr.decode().strip().splitlines()[-1] == "purdah-lint: interrupted"


def test_a_killed_worker_is_that_files_error_and_the_rest_are_reported(tmp_path):
    for number in range(12):
        (tmp_path / f"doc{number:03d}.md").write_text(GOOD, encoding="utf-8")
    killer = tmp_path / "sitecustomize.py"
    # A worker that checks doc005.md dies as if killed by the kernel's out-of-memory killer.
    killer.write_text("import os, signal, purdah_lint.run.pool as c\n"
                      "real = c.check_file\n"
                      "def check_file(path, settings):\n"
                      "    if path.endswith('doc005.md') and os.getpid() != int(os.environ['MAIN_PID'] or 0):\n"
                      "        os.kill(os.getpid(), signal.SIGKILL)\n"
                      "    return real(path, settings)\n"
                      "c.check_file = check_file\n", encoding="utf-8")
    code = ("import os, sys; os.environ['MAIN_PID'] = str(os.getpid()); sys.path.insert(0, '.'); "
            "import sitecustomize; from purdah_lint.cli import main; sys.exit(main())")
    result = subprocess.run([sys.executable, "-c", code, "check", "--in-window", "--format", "json", "--jobs", "2",
                             "."], cwd=tmp_path, capture_output=True, text=True, timeout=300,
                            env={**os.environ, "MAIN_PID": ""})
    assert "Traceback" not in result.stderr, result.stderr[-3000:]
    assert result.returncode == 2
    files = {entry["path"]: entry["error"] for entry in json.loads(result.stdout)["files"]}
    assert len(files) == 12 and "stopped" in files["doc005.md"]
    assert all(error is None for path, error in files.items() if path != "doc005.md")
    assert "doc005.md: error:" in result.stderr


def test_unreadable_sub_folder_is_reported(tmp_path, monkeypatch):
    (tmp_path / "drafts" / "locked").mkdir(parents=True)
    (tmp_path / "drafts" / "a.md").write_text(GOOD, encoding="utf-8")
    (tmp_path / "drafts" / "locked" / "b.md").write_text(GOOD, encoding="utf-8")
    if os.geteuid() != 0:
        (tmp_path / "drafts" / "locked").chmod(0)
        try:
            result = run_bounded("check", "--in-window", "drafts", cwd=tmp_path)
        finally:
            (tmp_path / "drafts" / "locked").chmod(0o755)
        assert result.code == 2 and "drafts/locked: error: cannot read folder" in result.stderr
    from purdah_lint.inputs import paths

    real_scandir = os.scandir

    def refusing(path="."):
        if str(path).endswith("locked"):
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", refusing)
    monkeypatch.chdir(tmp_path)
    collected = paths.collect_paths(["drafts"])
    assert collected == [("drafts/a.md", None), ("drafts/locked", "cannot read folder: Permission denied")]


@pytest.mark.parametrize("size", [20_000, 1_000_000])
def test_very_long_literal_tokens_are_refused_by_pack_validation(tmp_path, size):
    line = single_rule_pack_error(tmp_path, "long", 'x' * size, "x")
    assert "characters" in line


def test_any_exception_in_one_file_is_that_files_error(tmp_path):
    """An unexpected failure in a reader (simulated) is reported for that file; the others are checked."""
    (tmp_path / "a.md").write_text(GOOD, encoding="utf-8")
    (tmp_path / "boom.txt").write_text(GOOD, encoding="utf-8")
    (tmp_path / "sitecustomize.py").write_text(
        "import purdah_lint.inputs.readers.text as t\nreal = t.parse\n"
        "def parse(text, path):\n    if path.endswith('boom.txt'):\n        raise ZeroDivisionError('simulated')\n"
        "    return real(text, path)\nt.parse = parse\n", encoding="utf-8")
    for jobs in ([], ["--jobs", "2"]):
        result = run_bounded("check", "--in-window", *jobs, "a.md", "boom.txt", cwd=tmp_path,
                             env={"PYTHONPATH": str(tmp_path)})
        assert_no_traceback(result)
        assert result.code == 2 and "a.md:1:5: PE301" in result.stdout
        assert "internal error" in error_line(result, "boom.txt") and "ZeroDivisionError" in result.stderr


def test_deeply_nested_unclosed_html_is_checked_within_the_default_time_limit(tmp_path):
    """200,000 unclosed tags then 200,000 unknown end tags: linear work, so no time-limit error."""
    content = "<main><p>Our consultation opens today." + "<i>" * 200_000 + "</x>" * 200_000 + "</p></main>"
    result, entry = beside_good(tmp_path, "nested.html", content, timeout=300)
    assert entry["error"] is None and result.code == 1


def test_findings_are_capped_with_a_note_on_a_long_single_line(tmp_path):
    """A one-line paragraph of trigger sentences: the first 1,000 findings and a note, the rest not kept."""
    (tmp_path / "line.txt").write_text("Our consultation opens today. " * 7_000, encoding="utf-8")
    result = run_bounded("check", "--in-window", "--format", "json", "line.txt", cwd=tmp_path)
    assert_no_traceback(result)
    report = result.json()
    assert result.code == 1 and report["files"][0]["error"] is None
    assert len(report["findings"]) == 1000
    assert "line.txt: note: more than 1,000 findings; only the first 1,000 are reported" in result.stderr
