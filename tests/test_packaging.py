"""Installing from a built wheel finds the built-in rules; light paths stay light."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile

from conftest import ROOT


def test_wheel_ships_the_rule_packs(tmp_path):
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
                    "-w", str(tmp_path / "dist"), str(ROOT)], check=True, capture_output=True)
    wheel = next((tmp_path / "dist").glob("purdah_lint-*.whl"))
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        archive.extractall(tmp_path / "site")
    shipped = sorted(name for name in names if name.startswith("purdah_lint/rules/") and name.endswith((".yml", ".yaml")))
    in_repo = sorted(f"purdah_lint/{path.relative_to(ROOT).as_posix()}" for path in (ROOT / "rules").rglob("*.y*ml"))
    assert shipped == in_repo
    data = sorted(path.relative_to(ROOT).as_posix() for path in (ROOT / "purdah_lint" / "elections" / "data").glob("*.yaml"))
    assert {"purdah_lint/elections/data/bank-holidays.yaml", "purdah_lint/elections/data/elections.yaml",
            "purdah_lint/elections/data/organisations.yaml"} <= set(data)
    assert set(data) <= set(names)  # election data ships beside the code that reads it
    probe = ("import json, purdah_lint, purdah_lint.ruleset.packs as p, purdah_lint.elections.uk_calendar as c; "
             "print(json.dumps([purdah_lint.__file__, str(p.builtin_rules_dir()), len(p.load_packs()), "
             "str(c.calendar_files()[0]), len(c.load_elections())]))")
    env = {**os.environ, "PYTHONPATH": str(tmp_path / "site")}
    output = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True,
                            cwd=tmp_path, env=env).stdout
    module_file, rules_dir, count, elections_file, elections = json.loads(output)
    assert module_file.startswith(str(tmp_path / "site"))
    assert rules_dir == str(tmp_path / "site" / "purdah_lint" / "rules")
    assert count == len([name for name in in_repo if "/vocabularies/" not in name and "/messages/" not in name])
    assert elections_file == str(tmp_path / "site" / "purdah_lint" / "elections" / "data" / "elections.yaml")
    assert elections > 0


def test_checking_markdown_and_text_imports_no_heavy_libraries(tmp_path):
    draft = tmp_path / "draft.md"
    draft.write_text("# News\n\nOur consultation opens today.\n", encoding="utf-8")
    (tmp_path / "note.txt").write_text("Council awards £12m leisure contract\n", encoding="utf-8")
    probe = ("import sys; from purdah_lint.cli import main; code = main(['check', '--in-window', '--format', 'json', "
             "'--output', 'out.json', 'draft.md', 'note.txt']); "
             "print(sorted(m for m in ('sphinx', 'docutils', 'textstat', 'docx') if m in sys.modules), code); "
             "print(sorted(m for m in sys.modules if m.startswith('purdah_lint.')))")
    output = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=tmp_path,
                            check=True).stdout
    heavy, loaded = output.strip().split("\n")
    assert heavy == "[] 1"
    # Start-up: without a calendar or waivers, their code is never imported.
    skipped = ("purdah_lint.elections.uk_calendar", "purdah_lint.governance.waivers")
    assert not set(skipped) & set(eval(loaded))


def test_sphinx_is_an_extra_and_the_cli_needs_none_of_it(tmp_path):
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
                    "-w", str(tmp_path / "dist"), str(ROOT)], check=True, capture_output=True)
    wheel = next((tmp_path / "dist").glob("purdah_lint-*.whl"))
    with zipfile.ZipFile(wheel) as archive:
        metadata = next(archive.read(n).decode() for n in archive.namelist() if n.endswith(".dist-info/METADATA"))
        entry_points = next(archive.read(n).decode() for n in archive.namelist() if n.endswith("entry_points.txt"))
    from packaging.requirements import Requirement

    requires = [Requirement(line.split(":", 1)[1].strip()) for line in metadata.splitlines()
                if line.startswith("Requires-Dist:")]
    sphinx = [req for req in requires if req.name.lower() == "sphinx"]
    assert sphinx and all(req.marker and req.marker.evaluate({"extra": "sphinx"})
                          and not req.marker.evaluate({"extra": ""}) for req in sphinx), sphinx
    assert "Provides-Extra: sphinx" in metadata
    assert "purdah = purdah_lint.sphinxext" in entry_points  # sphinx-build -b purdah, once Sphinx is there
    # Every reader and the readability rule run with Sphinx made unimportable, as in a writer's install.
    import docx

    (tmp_path / "a.rst").write_text("News\n====\n\nOur consultation opens today.\n", encoding="utf-8")
    (tmp_path / "b.html").write_text("<main><p>Council awards £12m leisure contract.</p></main>", encoding="utf-8")
    word = docx.Document()
    word.add_paragraph("There is still time to have your say.")
    word.save(tmp_path / "c.docx")
    probe = ("import sys; sys.modules['sphinx'] = None; from purdah_lint.cli import main; "
             "code = main(['check', '--in-window', '--format', 'json', '--output', 'out.json', 'a.rst', 'b.html', "
             "'c.docx']); print(code, 'sphinx' in sys.modules and sys.modules['sphinx'] is not None)")
    output = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=tmp_path)
    assert output.stdout.split() == ["1", "False"], output.stderr
    report = json.loads((tmp_path / "out.json").read_text(encoding="utf-8"))
    assert {f["path"] for f in report["findings"]} == {"a.rst", "b.html", "c.docx"}
    assert all(f["error"] is None for f in report["files"])


def test_readme_test_command_installs_the_sphinx_extra_and_ci_runs_it():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    command = "pip install -e '.[test,sphinx]'"
    assert command in readme
    assert command in (ROOT / ".ci" / "run").read_text(encoding="utf-8")
