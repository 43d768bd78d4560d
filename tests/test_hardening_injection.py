"""No workflow-command injection: whatever a user controls is printed neutralised, in every format."""

from __future__ import annotations

import re

import pytest

from hardening_support import GOOD, assert_no_traceback, run_bounded

# GitHub Actions runs a line as a command when it starts with '::' after leading spaces, and
# (the old syntax) when '##[' appears anywhere in it.
COMMAND_LINE = re.compile(r"^\s*::(?!(?:notice|warning|error) file=)|##\[")
EVIL = "::error file=x::pwned"


def _injected(stream: str, allow_annotations: bool = False) -> list[str]:
    bad = []
    for line in stream.split("\n"):
        if re.search(r"[\x00-\x08\x0b-\x1f\x7f\x9b\u202e]", line):
            bad.append(line)
        elif "##[" in line:
            bad.append(line)
        elif line.lstrip().startswith("::") and not (allow_annotations and re.match(r"^::(notice|warning|error) ", line)):
            bad.append(line)
        elif allow_annotations and line.startswith("::") and not _only_known_properties(line):
            bad.append(line)  # the hostile text must not become an annotation's properties
    return bad


def _only_known_properties(line: str) -> bool:
    properties = line[2:].split("::", 1)[0].split(" ", 1)[1]
    return all(item.split("=", 1)[0] in {"file", "line", "col", "endLine", "endColumn", "title"}
               for item in properties.split(","))


def assert_clean(result, annotations: bool = False) -> None:
    assert_no_traceback(result)
    assert not _injected(result.stdout, annotations), _injected(result.stdout, annotations)
    assert not _injected(result.stderr), _injected(result.stderr)


@pytest.fixture
def hostile(tmp_path):
    """A folder whose file names, waiver fields and window names carry workflow commands."""
    names = [f"{EVIL}.md", "\n::warning::x\r\n.md", "tab\there\x1b[31m.md", "##[set-env name=X]y.md",
             "   ::debug::z.md", "c1-\x9b31m-\u202e.md"]
    for name in names:
        (tmp_path / name).write_text(GOOD, encoding="utf-8")
    (tmp_path / "unreadable-::error::x.md").write_bytes(b"\x00\x01binary")
    (tmp_path / "waived.md").write_text(
        f'<!-- purdah-lint: allow PE301 reason="\n{EVIL}" approved-by="##[add-path]/tmp" expires=2030-01-01 -->\n'
        f"{GOOD}\n<!-- purdah-lint: allow {EVIL} reason=r approved-by=a expires=2030-01-01 -->\nBins.\n",
        encoding="utf-8")
    (tmp_path / ".purdah-lint.toml").write_text(
        '[[windows]]\nid = "local.2024-05-02"\nname = "::error::window\\n::error::name"\nstart = 2024-04-01\n'
        'end = 2024-05-02\n',
        encoding="utf-8")
    return tmp_path


@pytest.mark.parametrize("output_format", ["text", "github", "json", "sarif", "html"])
def test_every_format_neutralises_user_text(hostile, output_format):
    result = run_bounded("check", "--as-of", "2024-04-15", "--show-waived", "--format", output_format, ".",
                         cwd=hostile)
    assert result.code == 2
    assert_clean(result, annotations=output_format == "github")
    assert "unreadable-\\x3a:error::x.md: error: binary file" in result.stderr or \
        "unreadable-::error::x.md: error: binary file" in result.stderr


def test_text_format_shows_the_names_escaped(hostile):
    result = run_bounded("check", "--as-of", "2024-04-15", "--show-waived", ".", cwd=hostile)
    assert_clean(result)
    assert "\\x3a:error file=x::pwned.md:1:5: PE301" in result.stdout
    assert "\\x0a::warning::x\\x0d\\x0a.md:1:5: PE301" in result.stdout
    assert "   \\x3a:debug::z.md:1:5: PE301" in result.stdout
    assert "tab\\x09here\\x1b[31m.md:1:5" in result.stdout
    assert "#\\x23[set-env name=X]y.md:1:5" in result.stdout
    assert "\\x3a:error::window" in result.stdout or "::error::window" not in result.stdout


def test_windows_rules_and_explain_neutralise_user_text(tmp_path):
    (tmp_path / ".purdah-lint.toml").write_text(
        '[[windows]]\nid = "local.2024-05-02"\nname = "  ::error::n\\n::x"\nstart = 2024-04-01\nend = 2024-05-02\n',
        encoding="utf-8")
    pack = tmp_path / "pack"
    pack.mkdir()
    (pack / "evil.yml").write_text(
        'code: ORG101\ncategory: consultation\nextends: existence\nlevel: warning\n'
        'message: "::error::m %s"\nguidance: "\\n::error::g"\nsignoff: "##[x]"\nsummary: "::error::s"\n'
        'tokens: [survey]\nexamples:\n  fail: ["\\n::error::survey"]\n  pass: ["::error::nothing"]\n',
        encoding="utf-8")
    for args in (["windows", "--as-of", "2024-04-15"], ["rules", "--pack", "pack"], ["explain", "ORG101", "--pack", "pack"]):
        result = run_bounded(*args, cwd=tmp_path)
        assert result.code == 0, result.stderr
        assert_clean(result)


def test_error_lines_on_stderr_are_neutralised(tmp_path):
    (tmp_path / "a.md").write_text(GOOD, encoding="utf-8")
    for args in (["check", "--config", "\n::error::c.toml", "a.md"], ["explain", "\n::error::code"],
                 ["check", "--window", "::error::w\n::x", "a.md"], ["check", "\x1b]0;title\x07.md"]):
        result = run_bounded(*args, cwd=tmp_path)
        assert result.code == 2
        assert_clean(result)
