"""``purdah-lint eval``: splits, micro scores and the negative-corpus rate, on corpora the tests write."""

from __future__ import annotations

import yaml

from conftest import run_cli

LAUNCH = "We are today launching our new five-year clinical strategy for the county.\n"
HISTORY = "The strategy was launched in 2019 and has been reviewed every year since.\n"
HAVE_YOUR_SAY = "Our consultation on library opening hours opens today: have your say by 30 June.\n"


def write_corpus(folder, documents):
    (folder / "docs").mkdir(parents=True)
    entries = []
    for name, text, categories, split in documents:
        (folder / "docs" / name).write_text(text, encoding="utf-8")
        entries.append({"file": f"docs/{name}", "kind": "press-release", "categories": categories,
                        "evidence": {}, "hard_negative": not categories, "split": split})
    (folder / "labels.yaml").write_text(yaml.safe_dump({"schema": "purdah-corpus/1", "documents": entries}),
                                        encoding="utf-8")


def table(stdout: str, title: str) -> dict[str, dict[str, str]]:
    """The rows of the table printed under ``title``, by category, each cell under its column's heading."""
    lines = stdout.splitlines()
    start = next(index for index, line in enumerate(lines) if line.startswith(title))
    headings = lines[start + 1].split()[1:]
    rows = {}
    for line in lines[start + 2:]:
        if not line.strip() or line.startswith("hard negatives"):
            break
        cells = line.rsplit(None, len(headings))
        rows[cells[0]] = dict(zip(headings, cells[1:]))
    return rows


def counts(row: dict[str, str]) -> list[str]:
    """A row's true positives, false positives and false negatives."""
    return [row["tp"], row["fp"], row["fn"]]


def test_eval_prints_the_whole_corpus_then_each_split(tmp_path):
    write_corpus(tmp_path, [("a.md", LAUNCH, ["policy-announcement"], "tune"),
                            ("b.md", HISTORY, [], "tune"),
                            ("c.md", HAVE_YOUR_SAY, ["policy-announcement"], "check")])
    result = run_cli("eval", tmp_path)
    assert result.code == 0, result.stderr
    assert "all documents (3 documents)" in result.stdout
    whole, tune, check = (table(result.stdout, title) for title in ("all documents", "split: tune", "split: check"))
    # precision recall F1 tp fp fn: the launch is found; the consultation was labelled policy and is missed
    assert counts(whole["policy-announcement"]) == ["1", "0", "1"]
    assert counts(tune["policy-announcement"]) == ["1", "0", "0"]
    assert counts(check["policy-announcement"]) == ["0", "0", "1"]
    assert counts(check["consultation"]) == ["0", "1", "0"]
    assert counts(check["micro (content)"]) == ["0", "1", "1"]
    assert whole["policy-announcement"]["evidence"] == "-"  # no quotes were given, so there is no rate


def test_eval_scores_one_split_and_names_an_unknown_one(tmp_path):
    write_corpus(tmp_path, [("a.md", LAUNCH, ["policy-announcement"], "tune"),
                            ("b.md", HISTORY, [], "check")])
    only = run_cli("eval", tmp_path, "--split", "check")
    assert only.code == 0
    assert "split: check (1 documents)" in only.stdout and "split: tune" not in only.stdout
    assert only.stdout.count("precision") == 1
    unknown = run_cli("eval", tmp_path, "--split", "held-out")
    assert unknown.code == 2
    assert "no document has split 'held-out'" in unknown.stderr and "Traceback" not in unknown.stderr


def test_negative_corpus_reports_findings_per_100k_words(tmp_path):
    (tmp_path / "guide.md").write_text("# Caching\n\nThe cache keeps rendered pages in memory. " * 20 + "\n",
                                       encoding="utf-8")
    (tmp_path / "oops.txt").write_text(LAUNCH, encoding="utf-8")
    result = run_cli("eval", tmp_path, "--negative", "--misses")
    assert result.code == 0, result.stderr
    first, second = result.stdout.splitlines()[:2]
    assert first.startswith("negative corpus: 2 documents, ")
    words = int(first.split(", ")[1].split()[0])
    assert 150 < words < 200
    found = int(second.split(": ")[1].split()[0])
    assert found >= 1
    assert f"({found * 100_000 / words:.2f} per 100k words)" in second
    assert "oops.txt:1:" in result.stdout and "guide.md" not in result.stdout.split("findings:")[-1]


BAD_DATE = "---\ndate: the day after tomorrow\n---\n\n" + LAUNCH


def test_an_unreadable_document_is_named_and_left_out_while_the_rest_is_scored(tmp_path):
    labelled = tmp_path / "labelled"
    write_corpus(labelled, [("a.md", LAUNCH, ["policy-announcement"], "tune"),
                            ("bad.md", BAD_DATE, ["policy-announcement"], "tune")])
    result = run_cli("eval", labelled)
    assert result.code == 2 and "Traceback" not in result.stderr
    assert "all documents (1 documents)" in result.stdout  # the bad one is left out, not counted as a miss
    assert counts(table(result.stdout, "all documents")["policy-announcement"]) == ["1", "0", "0"]
    assert result.stderr.count("docs/bad.md: document metadata 'date'") == 1, result.stderr
    negative = tmp_path / "negative"
    negative.mkdir()
    (negative / "guide.md").write_text("The cache keeps rendered pages in memory.\n", encoding="utf-8")
    (negative / "bad.md").write_text(BAD_DATE, encoding="utf-8")
    result = run_cli("eval", negative, "--negative")
    assert result.code == 2 and "Traceback" not in result.stderr
    assert result.stdout.startswith("negative corpus: 1 documents, ")
    assert "bad.md: document metadata 'date'" in result.stderr and "left out of the figures" in result.stderr


def test_a_quote_over_a_blank_line_is_pointed_at_by_a_finding_on_either_part(tmp_path):
    from pathlib import Path

    from purdah_lint.run.evaluate import evaluate

    # The third block must stay unflagged whatever the rules learn: a sentence of routine business.
    text = ("The board met on Tuesday.\n\n" + LAUNCH + "\nThe meeting ran late in the town hall.\n\n"
            "The chair thanked the staff.\n")
    write_corpus(tmp_path, [("a.txt", text, ["policy-announcement"], "tune")])
    labels = yaml.safe_load((tmp_path / "labels.yaml").read_text(encoding="utf-8"))
    quotes = ["clinical strategy for the county. The meeting ran late",  # finding on the first part
              "The board met on Tuesday. We are today launching",  # finding on the second part
              "in the town hall. The chair thanked the staff",  # neither part has a finding: still a miss
              "The board met on Tuesday. The chair thanked"]  # not in the text as read: a miss
    labels["documents"][0]["evidence"] = {"policy-announcement": quotes}
    (tmp_path / "labels.yaml").write_text(yaml.safe_dump(labels), encoding="utf-8")
    evaluation = evaluate(Path(tmp_path))
    assert evaluation.scores["policy-announcement"].true_positives == 1
    assert (evaluation.evidence_hit, evaluation.evidence) == (2, 4)
    policy = evaluation.scores["policy-announcement"]
    assert (policy.evidence_hit, policy.evidence) == (2, 4)  # the category's own share, printed in its row
    assert [miss.split("] ")[1] for miss in evaluation.misses] == [repr(quote) for quote in quotes[2:]]
    printed = table(run_cli("eval", tmp_path).stdout, "all documents")
    assert printed["policy-announcement"]["evidence"] == "0.50" and printed["micro (content)"]["evidence"] == "0.50"
    assert printed["consultation"]["evidence"] == "-"
