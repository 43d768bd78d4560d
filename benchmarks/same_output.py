"""Prove a refactor left behaviour alone: the JSON reports before and after must be identical.

    python benchmarks/same_output.py record before/   # on the old commit
    python benchmarks/same_output.py compare before/  # on the new one: exit 1 on any difference

Runs the installed ``purdah-lint check --format json`` on the development corpus
(../shared/corpus/docs), the committed real, Welsh and off-domain corpora (tests/corpus/) and on a generated benchmark corpus (../shared/bench/make_corpus.py,
300 documents, fixed seed), with ``--in-window``, with ``--as-of 2024-04-15`` and with each
document's own date (else today), so the rules, the calendar and the date fallback are covered. Only the fields that depend on
the day the script runs or the package version are normalised.
"""

from __future__ import annotations

import argparse
import difflib
import json
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
CORPUS = SHARED / "corpus" / "docs"
COMMITTED = ROOT / "tests" / "corpus"
GENERATOR = SHARED / "bench" / "make_corpus.py"
SCRIPT = Path(sys.executable).parent / "purdah-lint"
RUNS = {
    "in-window": ["--in-window"],
    "as-of": ["--as-of", "2024-04-15"],
    "own-dates": [],
}
# The dated runs need the built-in UK calendar; police bodies have elections in May 2024.
CONFIG = 'organisation_type = "police"\nregion = "england"\nlead_in_days = 28\n'



def normalised(report: str, today: str) -> str:
    """The report with the version and the run date replaced by placeholders."""
    data = json.loads(report)
    data["version"] = "<version>"
    text = json.dumps(data, indent=1, sort_keys=True)
    return re.sub(re.escape(today), "<today>", text)


def reports(bench: Path, config: Path) -> dict[str, str]:
    """Normalised JSON reports by run name."""
    import datetime as dt

    today = dt.date.today().isoformat()
    found = {}
    corpora = [("corpus", CORPUS), ("bench", bench)]
    corpora += [(name, COMMITTED / name / "docs") for name in ("real", "welsh", "offdomain")
                if (COMMITTED / name / "docs").is_dir()]
    for corpus_name, corpus in corpora:
        for run_name, extra in RUNS.items():
            command = [str(SCRIPT), "check", "--format", "json", "--jobs", "1", "--config", str(config),
                       *extra, str(corpus)]
            result = subprocess.run(command, capture_output=True, text=True, cwd=corpus.parent)
            if result.returncode not in (0, 1):
                sys.exit(f"{' '.join(command)} failed ({result.returncode}): {result.stderr}")
            report = result.stdout.replace(str(corpus.parent), "<root>")
            found[f"{corpus_name}-{run_name}.json"] = f"exit {result.returncode}\n" + normalised(report, today)
    return found


def main() -> int:
    """Record or compare the reports."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("mode", choices=["record", "compare"])
    parser.add_argument("folder", type=Path)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as work:
        bench = Path(work) / "bench"
        subprocess.run([sys.executable, str(GENERATOR), "--out", str(bench), "-n", "300", "--seed", "15"],
                       check=True, stdout=subprocess.DEVNULL)
        config = Path(work) / ".purdah-lint.toml"
        config.write_text(CONFIG, encoding="utf-8")
        found = reports(bench, config)
    if args.mode == "record":
        args.folder.mkdir(parents=True, exist_ok=True)
        for name, text in found.items():
            (args.folder / name).write_text(text, encoding="utf-8")
        print(f"recorded {len(found)} reports in {args.folder}")
        return 0
    differing = 0
    for name, text in found.items():
        recorded = (args.folder / name).read_text(encoding="utf-8")
        findings = len(json.loads(text.split("\n", 1)[1])["findings"])
        if recorded == text:
            print(f"identical: {name} ({findings} findings, {len(text)} characters)")
            continue
        differing += 1
        print(f"DIFFERENT: {name}")
        sys.stdout.writelines(list(difflib.unified_diff(recorded.splitlines(True), text.splitlines(True)))[:40])
    return 1 if differing else 0


if __name__ == "__main__":
    raise SystemExit(main())
