"""Memory and work stay in proportion to the input on hostile shapes: long lines, many waivers."""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter

from conftest import SCRIPT
from hardening_support import assert_no_traceback, run_bounded
from purdah_lint.model import LineIndex, Segment
from purdah_lint.ruleset.matching.sentences import PIECE, pieces
from purdah_lint.run.engine import Activation, lint_document
from purdah_lint.elections.windows import IN_WINDOW
from purdah_lint.ruleset.packs import load_packs
from purdah_lint.model import Document

TRIGGER = "Our consultation opens today. "
QUIET = "The weather was fine and the bins were collected on time. "
FIELDS = "reason=r approved-by=a expires=2030-01-01"


# A small go-between that forks (not vforks) the command and reports its peak: a child started
# straight from pytest would count pytest's own resident memory in its peak (Linux carries the
# parent's high-water mark across vfork and exec).
PEAK = ("import resource, subprocess, sys; code = subprocess.call(sys.argv[1:], preexec_fn=lambda: None, "
        "stdout=subprocess.DEVNULL); print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss); sys.exit(code)")


def peak_memory(tmp_path, name: str) -> tuple[int, str]:
    """Peak resident memory (bytes) of one ``purdah-lint check`` of ``name``, and its stderr."""
    completed = subprocess.run([sys.executable, "-c", PEAK, str(SCRIPT), "check", "--in-window", "--fail-level",
                                "never", "--format", "json", name], cwd=tmp_path, capture_output=True, text=True,
                               timeout=300)
    assert completed.returncode == 0 and "Traceback" not in completed.stderr, completed.stderr[-2000:]
    return int(completed.stdout) * 1024, completed.stderr


def test_a_long_single_line_costs_a_few_bytes_of_memory_per_byte(tmp_path):
    """8 MB on one line of trigger sentences: before, about 60 MiB per MB (480 MB); now a few bytes per byte."""
    size = 8_000_000
    (tmp_path / "tiny.txt").write_text(TRIGGER, encoding="utf-8")
    (tmp_path / "line.txt").write_text(TRIGGER * (size // len(TRIGGER)), encoding="utf-8")
    start_up, _ = peak_memory(tmp_path, "tiny.txt")
    peak, stderr = peak_memory(tmp_path, "line.txt")
    assert peak - start_up < 5 * size, f"{(peak - start_up) / size:.1f} bytes of memory per byte of input"
    assert "line.txt: note: more than 1,000 findings" in stderr


def test_a_long_block_is_linted_in_pieces_without_losing_or_moving_a_finding():
    """Every trigger sentence of a block many pieces long is found, at its own column, across every cut."""
    filler = QUIET * (PIECE // len(QUIET) // 3)
    text = (filler + TRIGGER) * 9 + filler
    assert len(text) > 3 * PIECE
    lines = LineIndex("\n" + text)
    document = Document("long.txt", "text", [Segment(text, "paragraph", [(0, 1)], lines)])
    findings = [f for f in lint_document(document, load_packs(), Activation((IN_WINDOW,))) if f.code == "PE301"]
    expected = [index + len("Our ") + 1 for index in range(len(text)) if text.startswith(TRIGGER, index)]
    assert [(f.line, f.column) for f in findings] == [(2, column) for column in expected]


def test_pieces_cover_the_text_and_are_cut_at_sentence_ends():
    text = QUIET * 5_000 + "x" * (3 * PIECE)  # sentences, then a run with no sentence end and no space
    cuts = list(pieces(text))
    assert cuts[0][0] == 0 and cuts[-1][1] == len(text)
    assert all(end == next_start for (_, end), (next_start, _) in zip(cuts, cuts[1:]))
    assert all(0 < end - start <= PIECE for start, end in cuts)
    sentence_cuts = [end for _, end in cuts if end <= len(QUIET) * 5_000]
    assert sentence_cuts and all(text.startswith("The weather", end) for end in sentence_cuts)


def test_twenty_thousand_inline_waivers_are_bounded_and_none_is_called_unused_after_the_cap(tmp_path):
    """Each waiver covers its own trigger; the cap cuts the findings, so no waiver may be called unused."""
    text = "".join(f"<!-- purdah-lint: allow PE301 {FIELDS} -->\n{TRIGGER}\n\n" for _ in range(20_000))
    (tmp_path / "waivers.md").write_text(text, encoding="utf-8")
    result = run_bounded("check", "--in-window", "--format", "json", "--show-waived", "waivers.md", cwd=tmp_path,
                         timeout=300)
    assert_no_traceback(result)
    report = result.json()
    codes = Counter(f["code"] for f in report["findings"])
    assert codes == {"PE301": 1000}, codes
    assert all(f["waived"] for f in report["findings"])
    assert "no waiver is called unused" in report["files"][0]["notices"][0]
    assert result.code == 0


def test_twenty_thousand_waivers_of_unknown_codes_give_one_pe004_each(tmp_path):
    """One PE004 per waiver line, each naming only its own codes: linear in the input, never code by code."""
    text = "".join(f"<!-- purdah-lint: allow XX{n:05d},YY{n:05d} {FIELDS} -->\nThe bins were collected.\n\n"
                   for n in range(20_000))
    (tmp_path / "unknown.md").write_text(text, encoding="utf-8")
    result = run_bounded("check", "--in-window", "--format", "json", "unknown.md", cwd=tmp_path, timeout=300)
    assert_no_traceback(result)
    pe004 = [f for f in result.json()["findings"] if f["code"] == "PE004"]
    assert len(pe004) == 20_000
    assert len({f["line"] for f in pe004}) == 20_000
    assert all("XX" in f["message"] and "2 names" in f["message"] for f in pe004)
    assert max(len(json.dumps(f)) for f in pe004) < 2_000
