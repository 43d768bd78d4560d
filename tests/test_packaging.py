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
    assert count == len([name for name in in_repo if "/vocabularies/" not in name])
    assert elections_file == str(tmp_path / "site" / "purdah_lint" / "elections" / "data" / "elections.yaml")
    assert elections > 0


def test_checking_markdown_and_text_imports_no_heavy_libraries(tmp_path):
    draft = tmp_path / "draft.md"
    draft.write_text("# News\n\nOur consultation opens today.\n", encoding="utf-8")
    (tmp_path / "note.txt").write_text("Council awards £12m leisure contract\n", encoding="utf-8")
    probe = ("import sys; from purdah_lint.cli import main; code = main(['check', '--in-window', '--format', 'json', "
             "'--output', 'out.json', 'draft.md', 'note.txt']); "
             "print(sorted(m for m in ('sphinx', 'docutils', 'textstat', 'docx') if m in sys.modules), code)")
    output = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=tmp_path,
                            check=True).stdout
    assert output.strip() == "[] 1"
