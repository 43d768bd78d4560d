"""The hostile-input review (tests/hostile_review.py): its representative cases hold, and it sees failures."""

from __future__ import annotations

from pathlib import Path

import hostile_review
from hostile_review import Case, review, run_case


def test_representative_hostile_cases_hold():
    cases = [case for case in hostile_review.all_cases() if case.quick]
    assert len({case.category for case in cases}) >= 8 and len(cases) >= 20
    assert review(cases, parallel=2, verbose=False) == {}


def test_the_review_covers_every_category_of_the_issue_with_more_cases_than_it_had():
    cases = hostile_review.all_cases()
    categories = {case.category for case in cases}
    assert {"files", "yaml", "waivers", "packs", "labels", "config", "sphinx", "concurrency", "outputs",
            "injection"} <= categories
    names = " ".join(case.name for case in cases)
    assert all(f"{suffix}:" in names for suffix in ("md", "rst", "html", "txt", "docx", "pdf"))
    assert all(f"as {output}" in names for output in hostile_review.FORMATS)
    assert len(cases) > 433


def _shell_case(script: str, **options) -> Case:
    return Case("self-test", script, {"draft.md": b"text\n"}, ("-c", script), command=Path("/bin/sh"), **options)


def test_the_review_reports_each_kind_of_failure(tmp_path):
    assert run_case(_shell_case("cat draft.md"), tmp_path) == []
    assert run_case(_shell_case("echo more >> draft.md"), tmp_path) == ["input changed or removed: draft.md"]
    assert run_case(_shell_case("exit 3"), tmp_path) == ["exit code 3"]
    assert run_case(_shell_case("kill -SEGV $$"), tmp_path) == ["killed by signal 11"]
    assert run_case(_shell_case("sleep 30", timeout=1), tmp_path) == ["hang: still running after 1 s"]
    problems = run_case(_shell_case("printf 'a\\n  ::error::x\\n'"), tmp_path)
    assert len(problems) == 1 and problems[0].startswith("stdout: workflow command")
    problems = run_case(_shell_case("printf 'x\\033[31m' >&2"), tmp_path)
    assert len(problems) == 1 and problems[0].startswith("stderr: raw control character")
    problems = run_case(_shell_case("echo 'Traceback (most recent call last):' >&2; exit 1"), tmp_path)
    assert len(problems) == 1 and "Traceback" in problems[0]
    problems = run_case(_shell_case("python3 -c 'x = bytearray(2500 * 1024 ** 2); x[::4096] = b\"a\" * len(x[::4096])'"),
                        tmp_path)
    assert any(problem.startswith("memory: peak") for problem in problems), problems


def test_the_github_formats_own_annotations_are_not_injections(tmp_path):
    own = "::warning file=a%3A%3Ab.md,line=1,col=5::PE301 message :: with colons"
    assert run_case(_shell_case(f"echo '{own}'"), tmp_path) == []
    problems = run_case(_shell_case("echo 'a'; echo '::error::owned'"), tmp_path)
    assert len(problems) == 1 and "workflow command" in problems[0]
