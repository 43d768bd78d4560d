"""The package's layout, read afresh from its imports: stages as subpackages, no cycles, a thin CLI."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

from conftest import ROOT

PACKAGE = ROOT / "purdah_lint"
STAGES = ("inputs", "inputs.readers", "ruleset", "ruleset.matching", "ruleset.ruletypes", "elections", "governance",
          "run", "reporters", "sphinxext", "safety")


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def imports_of(name: str) -> set[str]:
    """Every purdah_lint module ``name`` imports, at the top or inside functions."""
    path = MODULES[name]
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                source = ".".join(base + ([node.module] if node.module else []))
            else:
                source = node.module or ""
            # "from . import x" names a module when x is one; otherwise it imports from the package
            targets = [f"{source}.{alias.name}" if f"{source}.{alias.name}" in MODULES else source
                       for alias in node.names]
        else:
            continue
        found.update(target for target in targets if target in MODULES)
    found.discard(name)
    return found


GRAPH = {name: imports_of(name) for name in MODULES}


def test_each_stage_is_a_subpackage():
    for stage in STAGES:
        assert (PACKAGE / stage.replace(".", "/") / "__init__.py").is_file(), stage
    assert sorted((PACKAGE / "elections" / "data").glob("*.yaml")), "election data belongs beside its code"
    assert not (ROOT / "rules" / "calendar").exists()  # rules/ holds rule packs only


def test_top_level_is_short_and_shadows_no_standard_module():
    top = {path.stem for path in PACKAGE.iterdir() if path.suffix == ".py" or (path / "__init__.py").is_file()}
    assert not top & set(sys.stdlib_module_names), top & set(sys.stdlib_module_names)
    modules = {name for name in top if (PACKAGE / f"{name}.py").is_file()}
    assert modules <= {"__init__", "__main__", "cli", "model", "structured"}, modules


def test_no_import_cycle_among_purdah_lint_modules():
    state: dict[str, str] = {}

    def visit(name: str, trail: list[str]) -> None:
        state[name] = "open"
        for target in sorted(GRAPH[name]):
            assert state.get(target) != "open", "import cycle: " + " -> ".join(trail[trail.index(target):] + [target])
            if target not in state:
                visit(target, trail + [target])
        state[name] = "done"

    for name in sorted(GRAPH):
        if name not in state:
            visit(name, [name])


def test_cli_only_parses_arguments_and_prints():
    imported = GRAPH["purdah_lint.cli"]
    assert not {name for name in imported if name.startswith("purdah_lint.governance")}  # diff lines, baselines
    assert {"purdah_lint.run.session", "purdah_lint.run.report"} <= imported  # the check and the exit code
    source = MODULES["purdah_lint.cli"].read_text(encoding="utf-8")
    tree = ast.parse(source)
    standard = {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
    assert "json" not in standard and "difflib" not in standard  # listings and look-ups live elsewhere
    assert ".ljust(" not in source and "Severity" not in source  # no table layout, no fail-level logic


def test_structure_test_sees_lazy_imports():
    """The graph includes imports inside functions: the old packs <-> rulefile cycle was one."""
    assert "purdah_lint.ruleset.rulefile" in GRAPH["purdah_lint.ruleset.packs"]
    assert "purdah_lint.ruleset.packs" not in GRAPH["purdah_lint.ruleset.rulefile"]
