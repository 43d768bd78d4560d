"""Benchmarks against baselines measured in the same run, interleaved.

Measures whole processes (start-up included), so the figures are what a writer or a CI job
feels. Not a test: machines are shared and noisy, so only ratios from one run are compared.

    python benchmarks/run.py cold-start [--runs 15]
    python benchmarks/run.py start-up-instructions   # the same, counted in instructions (needs valgrind)
    python benchmarks/run.py all [--runs 3]
    python benchmarks/run.py pdf [--runs 3]     # PDF pages per second (needs fpdf2, in the test extra)
    python benchmarks/run.py html-report [--runs 3]
    python benchmarks/run.py audit [--runs 3]   # pages per second against a local site, 1 and 2 Dask workers
    python benchmarks/run.py hostile [--runs 3]   # hostile shapes at 1x/2x/4x: time and memory linear

Inputs come from the shared generator (../shared/bench/make_corpus.py): a 2000-document mixed
corpus (also at 2x and 4x for scaling), one 50 MB text file and one ~1 KB Markdown file.
Baselines: ``python -c pass``, a naive Python baseline (benchmarks/naive_baseline.py: the
patterns of ../shared/bench/patterns.tsv one at a time over lower-cased text) and, when it is
installed, proselint on the Markdown and text files.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import importlib.util
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT.parent / "shared" / "bench"
GENERATOR = BENCH / "make_corpus.py"
PATTERNS = BENCH / "patterns.tsv"
BIN = Path(sys.executable).parent
SCRIPT = BIN / "purdah-lint"
NAIVE = ROOT / "benchmarks" / "naive_baseline.py"


# Runs the command from a small process that forks (not vforks) it and prints its time and peak:
# measured straight from this process, a child's peak would include this process's own (Linux
# carries the parent's high-water mark across vfork and exec), and the hostile benchmark holds
# 100 MB inputs here. Timed inside, so the go-between's own start-up is not counted. The CPU time
# (user + system) is the command's and its waited-for children's (pool workers), which load on a
# shared machine barely changes, unlike wall time.
PEAK = ("import resource, subprocess, sys, time; start = time.perf_counter(); "
        "subprocess.call(sys.argv[1:], preexec_fn=lambda: None, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL); "
        "used = resource.getrusage(resource.RUSAGE_CHILDREN); "
        "print(time.perf_counter() - start, used.ru_maxrss, used.ru_utime + used.ru_stime)")


def measured(command: list[str], cwd: Path, cpu: bool = False) -> tuple:
    """Wall-clock seconds and peak resident memory (KiB) of one run of ``command``; with ``cpu``, CPU seconds too."""
    seconds, peak, cpu_seconds = subprocess.run([sys.executable, "-c", PEAK, *command], cwd=cwd, stdout=subprocess.PIPE,
                                                check=True, text=True).stdout.split()
    return (float(seconds), int(peak), float(cpu_seconds)) if cpu else (float(seconds), int(peak))


def interleaved(commands: dict[str, list[str]], runs: int, cwd: Path, warm_up: bool = True,
                cpu: bool = False) -> dict[str, tuple]:
    """Median seconds and peak memory per command (and median CPU seconds, with ``cpu``), taking turns."""
    samples: dict[str, list[tuple]] = {name: [] for name in commands}
    if warm_up:
        for command in commands.values():  # file cache, rule-pack and window caches
            measured(command, cwd)
    for _ in range(runs):
        for name, command in commands.items():
            samples[name].append(measured(command, cwd, cpu=True))
    return {name: (statistics.median(s[0] for s in values), max(s[1] for s in values),
                   *([statistics.median(s[2] for s in values)] if cpu else []))
            for name, values in samples.items()}


def generate(work: Path, documents: int = 2000, **extra: str) -> Path:
    """A generated corpus (or single file) under ``work``."""
    command = [sys.executable, str(GENERATOR)]
    if documents:
        command += ["--out", str(work), "-n", str(documents)]
    for option, value in extra.items():
        command += [f"--{option.replace('_', '-')}", value]
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    return work


def size_of(paths) -> int:
    """Total bytes of the files under ``paths``."""
    total = 0
    for path in map(Path, paths):
        total += path.stat().st_size if path.is_file() else sum(f.stat().st_size for f in path.rglob("*") if f.is_file())
    return total


def header(title: str) -> None:
    print(f"\n{title}, {dt.date.today()}, {platform.python_implementation()} {platform.python_version()}, "
          f"{os.cpu_count()} CPUs")


def cold_start(runs: int, work: Path) -> None:
    """Checking one ~1 KB Markdown file against ``python -c pass``."""
    small = generate(work, 0, small_file=str(work / "small.md")) / "small.md"
    medians = interleaved({
        "python -c pass": [sys.executable, "-c", "pass"],
        # The floor for any Python tool using the parsers the design names: importing them only.
        "import argparse, markdown_it, yaml": [sys.executable, "-c", "import argparse, markdown_it, yaml"],
        "purdah-lint check (1 KB .md)": [str(SCRIPT), "check", "--in-window", str(small)],
    }, runs, work)
    base = medians["python -c pass"][0]
    header(f"Cold start, median of {runs} interleaved runs")
    for name, (seconds, _) in medians.items():
        print(f"  {name:34} {seconds * 1000:8.1f} ms  {seconds / base:6.1f}x python -c pass")
    floor = medians["import argparse, markdown_it, yaml"][0]
    above = medians["purdah-lint check (1 KB .md)"][0] - floor
    print(f"  purdah-lint above the import floor: {above * 1000:.1f} ms ({above / floor:.2f}x the floor; "
          "budget 25 ms, issue 15)")


def start_up_instructions(runs: int, work: Path) -> None:
    """Cold start counted in CPU instructions (valgrind), which other load on the machine cannot skew."""
    valgrind = shutil.which("valgrind")
    if not valgrind:
        print("start-up-instructions needs valgrind (apt install valgrind)")
        return
    small = generate(work, 0, small_file=str(work / "small.md")) / "small.md"
    commands = {
        "python -c pass": [sys.executable, "-c", "pass"],
        "import argparse, markdown_it, yaml": [sys.executable, "-c", "import argparse, markdown_it, yaml"],
        "purdah-lint check (1 KB .md)": [str(SCRIPT), "check", "--in-window", str(small)],
    }
    subprocess.run(commands["purdah-lint check (1 KB .md)"], cwd=work, stdout=subprocess.DEVNULL)  # fill the caches
    counts = {name: _instructions(valgrind, command, work) for name, command in commands.items()}
    floor_seconds = min(measured(commands["import argparse, markdown_it, yaml"], work)[0] for _ in range(max(runs, 5)))
    rate = counts["import argparse, markdown_it, yaml"] / floor_seconds
    header("Cold start in instructions (callgrind)")
    for name, count in counts.items():
        print(f"  {name:34} {count / 1e6:8.1f} M instructions")
    above = counts["purdah-lint check (1 KB .md)"] - counts["import argparse, markdown_it, yaml"]
    print(f"  purdah-lint above the import floor: {above / 1e6:.1f} M instructions, about {above / rate * 1000:.1f} ms "
          f"at this machine's {rate / 1e9:.2f} G instructions/s (the floor's fastest run; budget 25 ms, issue 15)")


def _instructions(valgrind: str, command: list[str], cwd: Path) -> int:
    """Instructions ``command`` executes, as callgrind counts them."""
    finished = subprocess.run([valgrind, "--tool=callgrind", "--callgrind-out-file=/dev/null", *command], cwd=cwd,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, check=True)
    collected = [line for line in finished.stderr.splitlines() if "Collected" in line]
    return int(collected[-1].split()[-1])


def throughput(runs: int, work: Path) -> None:
    """Corpus throughput with one and two processes, against the baselines; memory; scaling."""
    corpus = generate(work / "corpus")
    prose = [str(p) for p in sorted(corpus.rglob("*")) if p.suffix in (".md", ".txt")]
    big = generate(work, 0, big_file=str(work / "big.txt"), big_mb="50") / "big.txt"
    check = [str(SCRIPT), "check", "--in-window", "--format", "json", "--output", os.devnull]
    commands = {
        "naive Python baseline": [sys.executable, str(NAIVE), str(PATTERNS), str(corpus)],
        "purdah-lint --jobs 1": [*check, "--jobs", "1", str(corpus)],
        "purdah-lint --jobs 2": [*check, "--jobs", "2", str(corpus)],
    }
    proselint = shutil.which("proselint", path=str(BIN)) or shutil.which("proselint")
    if proselint:
        commands["proselint (.md, .txt)"] = [proselint, "check", *prose]
        commands["purdah-lint (.md, .txt)"] = [*check, "--jobs", "1", *prose]
    # The caches (packs, syllables, compiled patterns) are filled once from a small sample, as
    # any earlier run would have; the whole corpus is not warmed, so each run reads it afresh.
    sample = generate(work / "sample", 100, seed="7")
    subprocess.run([*check, str(sample)], check=False, stdout=subprocess.DEVNULL)
    results = interleaved(commands, runs, work, warm_up=False, cpu=True)
    corpus_mb, prose_mb = size_of([corpus]) / 1e6, size_of(prose) / 1e6
    header(f"Throughput on the generated corpus ({corpus_mb:.1f} MB), median of {runs} interleaved runs")
    rates = {}
    for name, (seconds, rss, cpu) in results.items():
        megabytes = prose_mb if "(.md, .txt)" in name else corpus_mb
        rates[name] = megabytes / seconds
        print(f"  {name:30} {seconds:7.2f} s  {rates[name]:6.2f} MB/s  peak {rss / 1024:7.1f} MiB  "
              f"CPU {cpu:7.2f} s")
    naive, one, two = (results[name] for name in ("naive Python baseline", "purdah-lint --jobs 1", "purdah-lint --jobs 2"))
    print(f"  --jobs 1 vs naive baseline: {rates['purdah-lint --jobs 1'] / rates['naive Python baseline']:.2f}x "
          f"throughput ({naive[2] / one[2]:.2f}x in CPU time), {one[1] / naive[1]:.1f}x peak memory")
    print(f"  --jobs 2 vs --jobs 1: {rates['purdah-lint --jobs 2'] / rates['purdah-lint --jobs 1']:.2f}x "
          f"(CPU time {two[2] / one[2]:.2f}x that of --jobs 1)")
    if proselint:
        print(f"  .md/.txt vs proselint: {rates['purdah-lint (.md, .txt)'] / rates['proselint (.md, .txt)']:.2f}x")
    seconds, rss = measured([*check, str(big)], work)
    print(f"  50 MB text file: {seconds:.1f} s, peak {rss / 1024:.0f} MiB ({rss * 1024 / big.stat().st_size:.1f}x its size)")
    scaling = {}
    for factor in (1, 2, 4):
        folder = corpus if factor == 1 else generate(work / f"corpus{factor}", 2000 * factor)
        scaling[factor] = interleaved({"x": [*check, "--jobs", "1", str(folder)]}, 1, work, warm_up=False)["x"][0]
    print("  scaling: " + ", ".join(f"{k}x corpus {v:.1f} s ({v / scaling[1]:.2f}x time)" for k, v in scaling.items()))


PDF_DOCUMENTS, PDF_PAGES = 10, 20
PDFMINER_ONLY = ("import sys; from pdfminer.high_level import extract_text; from pdfminer.layout import LAParams\n"
                 "for path in sys.argv[1:]: extract_text(path, laparams=LAParams(all_texts=True))")


def make_pdfs(folder: Path, texts: list[str]) -> list[str]:
    """Two-column A4 reports with a running header and footer, from the generated corpus's prose."""
    from fpdf import FPDF

    folder.mkdir()
    words = " ".join(texts).encode("latin-1", "replace").decode("latin-1").split()
    paths = []
    for number in range(PDF_DOCUMENTS):
        pdf = FPDF()
        pdf.set_auto_page_break(False)
        for page in range(PDF_PAGES):
            pdf.add_page()
            pdf.set_font("Helvetica", size=8)
            pdf.cell(0, 6, f"Report {number}: draft for review", align="C")
            for column, x in enumerate((10, 110)):
                start = (number * PDF_PAGES + page) * 700 + column * 350
                chunk = " ".join(words[(start + i) % len(words)] for i in range(350))
                pdf.set_font("Helvetica", size=10)
                pdf.set_xy(x, 20)
                pdf.multi_cell(90, 4.6, chunk, max_line_height=4.6)
            pdf.set_xy(10, 285)
            pdf.cell(0, 6, f"Page {page + 1} of {PDF_PAGES}", align="C")
        path = folder / f"report{number:02}.pdf"
        pdf.output(str(path))
        paths.append(str(path))
    return paths


def pdf_throughput(runs: int, work: Path) -> None:
    """Pages per second through purdah-lint, against pdfminer.six extracting the same text alone."""
    corpus = generate(work / "pdfsource", 200)
    texts = [p.read_text(encoding="utf-8", errors="replace") for p in sorted(corpus.rglob("*.txt"))]
    paths = make_pdfs(work / "pdfs", texts)
    pages = PDF_DOCUMENTS * PDF_PAGES
    check = [str(SCRIPT), "check", "--in-window", "--format", "json", "--output", os.devnull]
    commands = {
        "pdfminer.six extract_text": [sys.executable, "-c", PDFMINER_ONLY, *paths],
        "purdah-lint --jobs 1": [*check, "--jobs", "1", *paths],
        "purdah-lint --jobs 2": [*check, "--jobs", "2", *paths],
    }
    results = interleaved(commands, runs, work, warm_up=False)
    header(f"PDF throughput ({PDF_DOCUMENTS} two-column reports of {PDF_PAGES} pages), median of {runs} runs")
    for name, (seconds, rss) in results.items():
        print(f"  {name:30} {seconds:7.2f} s  {pages / seconds:6.1f} pages/s  peak {rss / 1024:7.1f} MiB")
    ratio = results["pdfminer.six extract_text"][0] / results["purdah-lint --jobs 1"][0]
    print(f"  purdah-lint --jobs 1 vs pdfminer.six alone: {ratio:.2f}x the pages per second")


def html_report(runs: int, work: Path) -> None:
    """The HTML report of the corpus against the JSON one: time, size, and opening it in Chromium."""
    corpus = generate(work / "corpus")
    check = [str(SCRIPT), "check", "--in-window", "--jobs", "2", str(corpus)]
    page = work / "report.html"
    results = interleaved({"--format json": [*check, "--format", "json", "--output", os.devnull],
                           "--format html": [*check, "--format", "html", "--output", str(page)]}, runs, work)
    header(f"HTML report of the generated corpus ({size_of([corpus]) / 1e6:.1f} MB), median of {runs} runs")
    for name, (seconds, rss) in results.items():
        print(f"  {name:14} {seconds:7.2f} s  peak {rss / 1024:7.1f} MiB")
    print(f"  report size: {page.stat().st_size / 1e6:.1f} MB")
    chromium, driver = shutil.which("chromium"), shutil.which("chromedriver")
    if not (chromium and driver and importlib.util.find_spec("selenium")):
        print("  (opening it: needs chromium, chromium-driver and selenium)")
        return
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    options.page_load_strategy = "none"
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
                 f"--user-data-dir={work / 'profile'}"):
        options.add_argument(flag)
    browser = webdriver.Chrome(service=Service(driver), options=options)
    try:
        start = time.perf_counter()
        browser.get(page.as_uri())
        while not browser.execute_script("return document.documentElement.classList.contains('scripted')"):
            time.sleep(0.02)
        usable = time.perf_counter() - start
        while browser.execute_script("return document.readyState") != "complete":
            time.sleep(0.02)
        loaded = time.perf_counter() - start
        browser.set_script_timeout(60)
        opened = browser.execute_async_script("""
            var done = arguments[arguments.length - 1];
            var row = document.querySelector('#document-table tbody tr[data-findings*="open"]');
            var started = performance.now();
            location.hash = row.querySelector('a').getAttribute('href');
            (function built() {  // the document is unpacked and built asynchronously, then focused
              var title = document.querySelector('#reader-body h3');
              if (title && document.activeElement === title) { done(performance.now() - started); }
              else { setTimeout(built, 2); }
            }());""")
        filtered = browser.execute_script("""
            var select = document.getElementById('filter-category'), started = performance.now();
            select.value = select.options[1].value;
            select.dispatchEvent(new Event('change'));
            return performance.now() - started;""")
    finally:
        browser.quit()
    print(f"  Chromium: table and filters usable after {usable:.1f} s, page loaded after {loaded:.1f} s; "
          f"a document built in {opened:.0f} ms; a filter over every row in {filtered:.0f} ms")


AUDIT_PAGES = (1000, 2000, 4000)
AUDIT_CONFIG = """[tool.purdah-lint]
as_of = 2024-04-15

[[tool.purdah-lint.windows]]
id = "local.2024-05-02"
start = 2024-03-21
end = 2024-05-02
"""


def audit(runs: int, work: Path) -> None:
    """Audit throughput against the tests' generated site on 127.0.0.1, on Dask clusters of 1 and 2 workers.

    The site is served by a process of its own with every page rendered beforehand, the clusters are
    started here and the audit client runs as its own process (``--scheduler``), so the time and
    CPU of each part are measured apart: the client's peak memory is its own, the server's work
    does not slow the schedulers (which run in this process). Budgets: 2 workers at least 1.6x
    one; 4x the pages at most 4.4x the time; client peak memory at 4,000 pages at most 1.5x that at 1,000.
    """
    import psutil
    from distributed import Client

    from purdah_lint.audit.runner import local_cluster

    sys.path.insert(0, str(ROOT / "tests"))
    from website import page_url, served_apart

    (work / ".purdah-lint.toml").write_text(AUDIT_CONFIG, encoding="utf-8")
    header(f"audit: pages per second, median of {runs} (client peak memory), load average {os.getloadavg()[0]:.1f}")
    samples: dict[tuple[int, int], list[tuple[float, int]]] = {}
    cpu: dict[tuple[int, int], Counter] = {}
    with served_apart(max(AUDIT_PAGES)) as (server, base), contextlib.ExitStack() as stack:
        for pages in (50, *AUDIT_PAGES):
            (work / f"urls-{pages}.txt").write_text("\n".join(page_url(base, n) for n in range(pages)) + "\n",
                                                   encoding="utf-8")
        clusters = {workers: stack.enter_context(local_cluster(workers)) for workers in (1, 2)}
        parts = {"server": [psutil.Process(server.pid)], "schedulers": [psutil.Process()]}
        for workers, cluster in clusters.items():
            with Client(cluster) as client:
                parts[f"workers{workers}"] = [psutil.Process(pid) for pid in client.run(os.getpid).values()]

        def cpu_now(workers: int) -> Counter:
            used = Counter({part: sum(_cpu_seconds(process) for process in processes)
                            for part, processes in parts.items() if part in ("server", "schedulers")})
            used["workers"] = sum(_cpu_seconds(process) for process in parts[f"workers{workers}"])
            children = resource.getrusage(resource.RUSAGE_CHILDREN)  # the audit clients, once they have ended
            used["client"] = children.ru_utime + children.ru_stime
            return used

        def run_audit(workers: int, pages: int, name: str) -> tuple[float, int]:
            before = cpu_now(workers)
            sample = measured([str(SCRIPT), "audit", str(work / f"urls-{pages}.txt"), "--scheduler",
                               clusters[workers].scheduler_address, "--store", str(work / f"audit-{name}.sqlite"),
                               "--no-cache", "--per-host", "16", "--format", "json",
                               "--output", str(work / "audit.json")], work)
            used = cpu_now(workers)
            used.subtract(before)
            cpu.setdefault((workers, pages), Counter()).update(used)
            return sample

        for workers in clusters:  # warm-up: the rule-pack cache, and each worker's imports
            run_audit(workers, 50, f"warm-{workers}")
        cpu.clear()
        for run in range(runs):
            for pages in AUDIT_PAGES:
                for workers in clusters:  # taking turns, so a change in the machine's load hits both alike
                    samples.setdefault((workers, pages), []).append(
                        run_audit(workers, pages, f"{workers}-{pages}-{run}"))
    figures = {key: (statistics.median(s for s, _ in values), max(m for _, m in values))
               for key, values in samples.items()}
    for (workers, pages), (seconds, peak) in sorted(figures.items(), key=lambda item: item[0][::-1]):
        times = ", ".join(f"{s:.1f}" for s, _ in samples[workers, pages])
        used = cpu[workers, pages]
        per_page = "  ".join(f"{part} {used[part] * 1000 / (pages * runs):.2f}"
                             for part in ("client", "schedulers", "workers", "server"))
        print(f"{workers} worker(s), {pages:>5} pages: {seconds:7.1f} s ({times})  {pages / seconds:6.1f} pages/s  "
              f"client peak {peak / 1024:.0f} MiB  CPU ms per page: {per_page}")
    speed_up = figures[1, 2000][0] / figures[2, 2000][0]
    scaling = figures[2, 4000][0] / figures[2, 1000][0]
    memory = figures[2, 4000][1] / figures[2, 1000][1]
    print(f"2 workers vs 1 at 2,000 pages: {speed_up:.2f}x (budget >= 1.6x); at 4,000: "
          f"{figures[1, 4000][0] / figures[2, 4000][0]:.2f}x")
    print(f"4,000 vs 1,000 pages, 2 workers: {scaling:.2f}x the time (budget <= 4.4x)")
    print(f"client peak memory, 4,000 vs 1,000 pages: {memory:.2f}x (budget <= 1.5x)")
    used = cpu[2, 4000]
    total = sum(used[part] for part in ("client", "schedulers", "workers", "server"))
    # One worker process runs its two threads under one interpreter lock: at best one core's worth of auditing.
    # Two can use every core, but the client, schedulers and server need theirs too.
    cores = os.cpu_count()
    ceiling = max(used["workers"], total / cores) / max(used["workers"] / 2, total / cores)
    print(f"CPU at 4,000 pages with 2 workers: workers {used['workers'] / total:.0%} of the total; on "
          f"{cores} free cores 2 workers could be at most {ceiling:.2f}x one")
    print(f"load average at the end: {os.getloadavg()[0]:.1f}")


def _cpu_seconds(process) -> float:
    times = process.cpu_times()
    return times.user + times.system


TRIGGER = "Our consultation opens today. "
QUIET = "The consultation closed in 2019 and the results were published. "
HOSTILE_SHAPES = {
    # name: (file name, builder of the text for a scale of 1, 2 or 4)
    "nested unclosed HTML": ("nested.html", lambda scale: "<i>" * 50_000 * scale + "Bins." + "</x>" * 50_000 * scale),
    "many inline waivers": ("waivers.md", lambda scale: "".join(
        f"<!-- purdah-lint: allow PE301 reason=r approved-by=a expires=2030-01-01 -->\n{TRIGGER}\n\n"
        for _ in range(5_000 * scale))),
    "long single line": ("line.txt", lambda scale: TRIGGER * (25_000_000 * scale // len(TRIGGER))),
    # The same with nothing to find: every piece of the line is linted, none stops at the cap.
    "long quiet line": ("quiet.txt", lambda scale: QUIET * (500_000 * scale // len(QUIET))),
    # reST: unmatched inline start-strings (docutils searched the rest of the paragraph for each
    # end: 72 KB took 140 s), one paragraph of references, and one line past docutils' old limit.
    "reST unmatched marks": ("stars.rst", lambda scale: "\n".join(["*a " * 600] * 40 * scale) + "\n"),
    "reST references": ("refs.rst", lambda scale: "\n".join(["a_ `b`_ c__ [#]_ " * 100] * 40 * scale) + "\n"),
    "reST long line": ("line.rst", lambda scale: TRIGGER * (2_000_000 * scale // len(TRIGGER)) + "\n"),
}


def hostile(runs: int, work: Path) -> None:
    """Shapes that were super-linear (issue 23) at 1x, 2x and 4x: time and peak memory should scale by 2 and 4."""
    commands = {}
    sizes = {}
    for name, (file_name, build) in HOSTILE_SHAPES.items():
        for scale in (1, 2, 4):
            path = work / f"{scale}x-{file_name}"
            path.write_text(build(scale), encoding="utf-8")
            sizes[(name, scale)] = path.stat().st_size
            commands[(name, scale)] = [str(SCRIPT), "check", "--in-window", "--fail-level", "never",
                                       "--format", "json", str(path)]
    labelled = {f"{name} {scale}x": command for (name, scale), command in commands.items()}
    subprocess.run([str(SCRIPT), "rules"], check=True, stdout=subprocess.DEVNULL)  # the rule-pack cache, once
    medians = interleaved(labelled, runs, work, warm_up=False)
    header(f"Hostile input shapes, median of {runs} interleaved runs (time and memory against 1x)")
    for name in HOSTILE_SHAPES:
        base_seconds, base_memory = medians[f"{name} 1x"]
        for scale in (1, 2, 4):
            seconds, memory = medians[f"{name} {scale}x"]
            print(f"  {name:22} {scale}x {sizes[(name, scale)] / 1e6:6.2f} MB {seconds:7.2f} s "
                  f"({seconds / base_seconds:4.1f}x) {memory / 1024:7.0f} MiB ({memory / base_memory:4.1f}x)")


def byte_compile() -> None:
    """Byte-compile the installed package, as pip does when it installs a wheel.

    An editable install under PYTHONDONTWRITEBYTECODE would otherwise compile the linter's
    sources in every run (about 30 ms of a cold start), which no installed copy does.
    """
    spec = importlib.util.find_spec("purdah_lint")
    if spec is not None and spec.origin:
        subprocess.run([sys.executable, "-m", "compileall", "-q", str(Path(spec.origin).parent)], check=True)


def main() -> None:
    """Parse arguments and run the chosen benchmarks."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("benchmark", choices=list(BENCHMARKS))
    parser.add_argument("--runs", type=int, default=None, help="interleaved runs per measurement")
    args = parser.parse_args()
    if not GENERATOR.is_file():
        sys.exit(f"benchmark input generator not found at {GENERATOR}")
    byte_compile()
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        # A cache of its own, filled by the warm-up run: the user's cache holds one pack at a time,
        # and another checkout's run would empty it between samples.
        os.environ["PURDAH_LINT_CACHE_DIR"] = str(work / "cache")
        for measure, default_runs in BENCHMARKS[args.benchmark]:
            measure(args.runs or default_runs, work)


# Each benchmark name runs these measurements in turn, with their default number of runs.
BENCHMARKS = {
    "cold-start": [(cold_start, 15)],
    "start-up-instructions": [(start_up_instructions, 5)],
    "all": [(cold_start, 15), (throughput, 3), (pdf_throughput, 3)],
    "throughput": [(throughput, 3)],
    "pdf": [(pdf_throughput, 3)],
    "html-report": [(html_report, 3)],
    "audit": [(audit, 3)],
    "hostile": [(hostile, 3)],
}

if __name__ == "__main__":
    main()
