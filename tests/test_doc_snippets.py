"""Every configuration snippet in the docs works when copied as written.

Each snippet is marked in its page (``.. snippet: NAME`` before an rST code block,
``<!-- snippet: NAME -->`` before a Markdown fence), taken from there, and run for real in a
fresh repository: pre-commit against a local clone tagged as this release, the CI jobs' steps
in order, and a Sphinx build with the ``conf.py``. The one change a reader makes, the address
where their organisation keeps purdah-lint, is the one change made here.
"""

from __future__ import annotations

import json
import os
import re
import sys
import textwrap
import tomllib
from pathlib import Path

import pytest
import yaml

from conftest import ROOT, WINDOW_CONFIG
from purdah_lint.inputs.formats import SUPPORTED_SUFFIXES
from repos import RELEASE_TAG, git, new_repo, run

PLACEHOLDER = "https://example.org/your-mirror/purdah-lint"
BIN = Path(sys.executable).parent
FLAGGED = "# Parking\n\nOur consultation opens today and runs for twelve weeks.\n"
NEUTRAL = "# Parking\n\nBins are collected on Tuesdays.\n"
PRE_COMMIT_PAGES = ["docs/pre-commit.rst", "README.md"]  # both show the hook config


def snippet(page: str, name: str) -> str:
    """The code block marked ``name`` in ``page``, dedented."""
    text = (ROOT / page).read_text(encoding="utf-8")
    if page.endswith(".md"):
        found = re.search(rf"<!-- snippet: {name} -->\n\s*```\w*\n(.*?)\n\s*```", text, re.DOTALL)
        assert found, f"{page}: no snippet {name!r}"
        return textwrap.dedent(found.group(1)) + "\n"
    found = re.search(rf"^\.\. snippet: {name}\n\n\.\. code-block:: \w+\n\n((?:(?:   .*)?\n)+)", text, re.MULTILINE)
    assert found, f"{page}: no snippet {name!r}"
    return textwrap.dedent(found.group(1)).strip("\n") + "\n"


def as_copied(text: str, clone: Path) -> str:
    """The snippet with the placeholder address pointed at the local clone, as a reader would."""
    assert text.count(PLACEHOLDER) >= 1, "the snippet should name the placeholder address to change"
    # pip wants a host in a direct reference, so the file URL names localhost.
    pip_url = f"git+file://localhost{clone.as_posix()}"
    return text.replace(f"git+{PLACEHOLDER}", pip_url).replace(PLACEHOLDER, str(clone))


@pytest.fixture
def release(hook_release):
    """A clone of this repository tagged as the release the docs name."""
    return hook_release.clone


@pytest.fixture
def environment(hook_release):
    return hook_release.environment


def test_every_configuration_block_of_these_pages_is_a_tested_snippet():
    for page, language in (("docs/pre-commit.rst", "yaml"), ("docs/ci.rst", "yaml"), ("docs/ci.rst", "sh"),
                           ("docs/sphinx.rst", "python")):
        text = (ROOT / page).read_text(encoding="utf-8")
        blocks = len(re.findall(rf"^\.\. code-block:: {language}$", text, re.MULTILINE))
        marked = len(re.findall(rf"^\.\. snippet: [\w-]+\n\n\.\. code-block:: {language}$", text, re.MULTILINE))
        assert blocks and blocks == marked, (page, language, blocks, marked)


def test_docs_name_this_release_and_the_tag_convention():
    version_tags = set()
    for page in ["README.md", *(str(p.relative_to(ROOT)) for p in (ROOT / "docs").glob("*.rst"))]:
        text = (ROOT / page).read_text(encoding="utf-8")
        version_tags |= set(re.findall(r"(?:rev: |@)(v\d+\.\d+[\w.]*)", text))
    assert version_tags == {RELEASE_TAG}, version_tags
    assert "tagged ``v`` followed by its version" in (ROOT / "docs" / "pre-commit.rst").read_text(encoding="utf-8")


def test_pre_commit_docs_list_every_suffix_the_hook_checks():
    import yaml as yaml_module

    hook = yaml_module.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))[0]
    page = (ROOT / "docs" / "pre-commit.rst").read_text(encoding="utf-8")
    for suffix in SUPPORTED_SUFFIXES:
        if re.search(hook["files"], f"draft{suffix}"):
            assert f"``{suffix}``" in page, suffix


@pytest.mark.parametrize("page", PRE_COMMIT_PAGES)
def test_pre_commit_config_works_as_copied(page, release, environment, tmp_path):
    drafts = new_repo(tmp_path / "drafts")
    (drafts / "news").mkdir()
    (drafts / "news" / "parking.md").write_text(FLAGGED, encoding="utf-8")
    (drafts / "pyproject.toml").write_text(WINDOW_CONFIG, encoding="utf-8")
    (drafts / ".pre-commit-config.yaml").write_text(as_copied(snippet(page, "pre-commit-config"), release),
                                                    encoding="utf-8")
    git(drafts, "add", ".")
    pre_commit = str(BIN / "pre-commit")
    failed = run([pre_commit, "run", "--all-files"], drafts, environment)
    assert failed.returncode == 1, failed.stdout + failed.stderr
    assert "news/parking.md:3:5: PE301 warning [consultation]" in failed.stdout
    (drafts / "news" / "parking.md").write_text(NEUTRAL, encoding="utf-8")
    git(drafts, "add", ".")
    passed = run([pre_commit, "run", "--all-files"], drafts, environment)
    assert passed.returncode == 0, passed.stdout + passed.stderr


@pytest.fixture(scope="module")
def site_checkout(tmp_path_factory):
    """A CI checkout: ``origin`` has main with an old flagged page; the branch adds a new one."""
    base = tmp_path_factory.mktemp("ci")
    origin = new_repo(base / "upstream")
    (origin / "site").mkdir()
    (origin / "site" / "old.md").write_text(FLAGGED, encoding="utf-8")
    (origin / ".purdah-lint.toml").write_text(WINDOW_CONFIG, encoding="utf-8")
    git(origin, "add", ".")
    git(origin, "commit", "-q", "-m", "site")
    checkout = base / "checkout"
    git(base, "clone", "-q", str(origin), str(checkout))  # fetch-depth 0: every ref of origin
    git(checkout, "config", "user.email", "writer@example.org")
    git(checkout, "config", "user.name", "Writer")
    git(checkout, "checkout", "-q", "-b", "new-page")
    (checkout / "site" / "new.md").write_text(FLAGGED.replace("Parking", "Libraries"), encoding="utf-8")
    git(checkout, "add", ".")
    git(checkout, "commit", "-q", "-m", "new page")
    return checkout


def run_steps(commands: list[tuple[str, bool]], cwd: Path, env: dict) -> list[int | None]:
    """Run each step's shell script as a CI runner does: a failed step skips the rest but ``always`` ones."""
    codes: list[int | None] = []
    failed = False
    for script, always in commands:
        if failed and not always:
            codes.append(None)
            continue
        result = run(["bash", "-e", "-c", script], cwd, env)
        codes.append(result.returncode)
        failed = failed or result.returncode != 0
        print(f"$ {script}\n{result.stdout}{result.stderr}")
    return codes


def ci_environment(venv: Path, **variables: str) -> dict[str, str]:
    return {**os.environ, "PATH": f"{venv / 'bin'}{os.pathsep}{os.environ['PATH']}", **variables}


@pytest.fixture(scope="module")
def ci_venv(tmp_path_factory):
    """A fresh virtual environment, as a CI job starts with."""
    venv = tmp_path_factory.mktemp("ci-venv") / "venv"
    result = run([sys.executable, "-m", "venv", str(venv)], venv.parent)
    assert result.returncode == 0, result.stderr
    return venv


def test_github_actions_workflow_works_as_copied(release, site_checkout, ci_venv, tmp_path):
    workflow = yaml.safe_load(as_copied(snippet("docs/ci.rst", "github-actions"), release))
    steps = workflow["jobs"]["purdah-lint"]["steps"]
    uses = [step["uses"].split("@")[0] for step in steps if "uses" in step]
    assert uses == ["actions/checkout", "actions/setup-python", "github/codeql-action/upload-sarif"]
    assert next(step for step in steps if "checkout" in step.get("uses", ""))["with"]["fetch-depth"] == 0
    commands = [(step["run"].replace("${{ github.base_ref }}", "main"), step.get("if") == "always()")
                for step in steps if "run" in step]
    summary = tmp_path / "summary.md"
    codes = run_steps(commands, site_checkout, ci_environment(ci_venv, GITHUB_STEP_SUMMARY=str(summary)))
    install, annotate, sarif = codes
    assert install == 0
    assert annotate == 1  # the new page needs sign-off: the job fails
    assert sarif == 0
    log = json.loads((site_checkout / "purdah.sarif").read_text(encoding="utf-8"))  # what upload-sarif sends
    assert log["version"] == "2.1.0"
    flagged = {result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for result in log["runs"][0]["results"]}
    assert flagged == {"site/old.md", "site/new.md"}
    assert "PE301" in summary.read_text(encoding="utf-8")


def test_gitlab_job_works_as_copied(release, site_checkout, ci_venv):
    job = yaml.safe_load(as_copied(snippet("docs/ci.rst", "gitlab-ci"), release))["purdah-lint"]
    assert job["artifacts"]["paths"] == ["purdah.json"]
    env = ci_environment(ci_venv, CI_MERGE_REQUEST_TARGET_BRANCH_NAME="main")
    codes = run_steps([(line, False) for line in job["script"]], site_checkout, env)
    assert codes == [0, 0, 1]
    report = json.loads((site_checkout / "purdah.json").read_text(encoding="utf-8"))
    assert {f["path"] for f in report["findings"]} == {"site/old.md", "site/new.md"}


def test_shell_gate_works_as_copied(site_checkout, tmp_path):
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}"}
    result = run(["bash", "-c", snippet("docs/ci.rst", "shell-gate")], site_checkout, env)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Some text needs sign-off: see purdah.json" in result.stdout


def test_sphinx_conf_works_as_copied(tmp_path):
    source = tmp_path / "src"
    source.mkdir()
    (source / "conf.py").write_text(snippet("docs/sphinx.rst", "sphinx-conf"), encoding="utf-8")
    (source / "index.rst").write_text(
        "Parking\n=======\n\n.. purdah-page::\n   :window: local.2024-05-02\n\n"
        "Our consultation opens today and runs for twelve weeks.\n", encoding="utf-8")
    result = run([str(BIN / "sphinx-build"), "--no-color", "-b", "html", "-E", str(source), str(tmp_path / "out")],
                 tmp_path)
    assert result.returncode == 0, result.stderr
    assert re.search(r"index.rst:7: WARNING: PE301 warning \[consultation\].*\[purdah\.PE301\]", result.stderr), \
        result.stderr


def test_sphinx_install_line_names_the_sphinx_extra():
    from packaging.requirements import Requirement

    page = (ROOT / "docs" / "sphinx.rst").read_text(encoding="utf-8")
    line = re.search(r'pip install "(purdah-lint\[sphinx\] @ [^"]+)"', page).group(1)
    requirement = Requirement(line)
    extras = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["optional-dependencies"]
    assert requirement.extras == {"sphinx"} and any(dep.startswith("sphinx") for dep in extras["sphinx"])
    assert requirement.url.endswith(f"@{RELEASE_TAG}")
