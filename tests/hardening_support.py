"""Running the console script on hostile input: bounded memory, a timeout, inputs proven untouched."""

from __future__ import annotations

import os
import resource
import subprocess

from conftest import SCRIPT, Result, input_paths, snapshot, unchanged

MEMORY_LIMIT = 1536 * 1024 * 1024  # a blow-up fails the test rather than the machine
GOOD = "Our consultation opens today.\n"


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def run_bounded(*args, cwd, timeout: float = 120, env: dict | None = None, stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE) -> Result:
    """Run ``purdah-lint`` under a 1.5 GB address-space limit; prove it changed no input."""
    inputs = input_paths(args, cwd)
    before = snapshot(inputs)
    completed = subprocess.run([str(SCRIPT), *map(str, args)], stdout=stdout, stderr=subprocess.PIPE, stdin=stdin,
                               cwd=cwd, timeout=timeout, preexec_fn=_limit_memory,
                               env={**os.environ, **(env or {})})
    assert unchanged(before, inputs), f"purdah-lint changed an input: {args}"
    out = completed.stdout.decode("utf-8", "replace") if completed.stdout else ""
    return Result(completed.returncode, out, completed.stderr.decode("utf-8", "replace"))


def assert_no_traceback(result: Result) -> None:
    """Neither stream carries a Python traceback or a crash report."""
    for stream in (result.stdout, result.stderr):
        assert "Traceback" not in stream and "Fatal Python error" not in stream, stream[-3000:]


def error_line(result: Result, name: str) -> str:
    """The one stderr line ``name: error: …``."""
    lines = [line for line in result.stderr.splitlines() if line.startswith(f"{name}: error: ")]
    assert len(lines) == 1, result.stderr[-3000:]
    return lines[0]


def run_error(result: Result, words: str) -> str:
    """The single ``purdah-lint: error: …`` line of a run refused as a whole (exit 2)."""
    assert_no_traceback(result)
    assert result.code == 2, (result.code, result.stderr[-2000:])
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and words in lines[0], result.stderr[-2000:]
    return lines[0]


def beside_good(folder, name: str, content: bytes | str, *options: str, timeout: float = 120, also=()):
    """Check a hostile file beside a good one (JSON); the good one is still reported; return run and entry."""
    path = folder / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    (folder / "good.md").write_text(GOOD, encoding="utf-8")
    result = run_bounded("check", "--in-window", "--format", "json", *options, name, "good.md", *also, cwd=folder,
                         timeout=timeout)
    assert_no_traceback(result)
    report = result.json()
    assert [f["code"] for f in report["findings"] if f["path"] == "good.md"] == ["PE301"]
    return result, next(f for f in report["files"] if f["path"] == name)


def single_rule_pack_error(folder, name: str, token: str, fail_example: str) -> str:
    """The one-line error for a user pack holding one rule with ``token``, checked beside a good draft."""
    pack = folder / "pack"
    pack.mkdir()
    (pack / f"{name}.yml").write_text(
        "code: ORG101\ncategory: consultation\nextends: existence\nlevel: warning\nmessage: \"m '%s'\"\n"
        f"guidance: g\nsignoff: s\ntokens: ['{token}']\nexamples:\n  fail: [\"{fail_example}\"]\n  pass: [\"b\"]\n",
        encoding="utf-8")
    (folder / "a.md").write_text(GOOD, encoding="utf-8")
    return run_error(run_bounded("check", "--pack", "pack", "a.md", cwd=folder), f"pack/{name}.yml:8:")
