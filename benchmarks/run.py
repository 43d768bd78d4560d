"""Benchmarks against baselines measured in the same run, interleaved.

Measures whole processes (start-up included), so the figures are what a writer or a CI job
feels. Not a test: machines are shared and noisy, so only ratios from one run are compared.

    python benchmarks/run.py cold-start [--runs 15]

Inputs come from the shared generator (../shared/bench/make_corpus.py).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GENERATOR = ROOT.parent / "shared" / "bench" / "make_corpus.py"
SCRIPT = Path(sys.executable).parent / "purdah-lint"


def timed(command: list[str], cwd: Path) -> float:
    """Wall-clock seconds for one run of ``command``."""
    start = time.perf_counter()
    subprocess.run(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    return time.perf_counter() - start


def interleaved(commands: dict[str, list[str]], runs: int, cwd: Path) -> dict[str, float]:
    """Median seconds per command, running them in turn so noise hits each alike."""
    samples: dict[str, list[float]] = {name: [] for name in commands}
    for name, command in commands.items():  # one warm-up each (file cache, rule-pack cache)
        timed(command, cwd)
    for _ in range(runs):
        for name, command in commands.items():
            samples[name].append(timed(command, cwd))
    return {name: statistics.median(values) for name, values in samples.items()}


def cold_start(runs: int) -> None:
    """Checking one ~1 KB Markdown file against ``python -c pass``."""
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        small = work / "small.md"
        subprocess.run([sys.executable, str(GENERATOR), "--small-file", str(small)], check=True,
                       stdout=subprocess.DEVNULL)
        commands = {
            "python -c pass": [sys.executable, "-c", "pass"],
            "purdah-lint check (1 KB .md)": [str(SCRIPT), "check", "--in-window", str(small)],
        }
        medians = interleaved(commands, runs, work)
    base = medians["python -c pass"]
    print(f"cold start, median of {runs} interleaved runs, {dt.date.today()}, "
          f"{platform.python_implementation()} {platform.python_version()}, {os.cpu_count()} CPUs")
    for name, seconds in medians.items():
        print(f"  {name:32} {seconds * 1000:7.1f} ms  {seconds / base:5.1f}x python -c pass")


def main() -> None:
    """Parse arguments and run the chosen benchmark."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("benchmark", choices=["cold-start"])
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    if not GENERATOR.is_file():
        sys.exit(f"benchmark input generator not found at {GENERATOR}")
    cold_start(args.runs)


if __name__ == "__main__":
    main()
