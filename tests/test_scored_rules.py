"""The ``scored`` rule type (weighted cues per sentence) and the fitting of its weights to a labelled corpus.

Rules are loaded from user packs by the installed console script, on drafts the tests write; the
fit runs on a small labelled corpus written here, as a maintainer would run it on the real one.
"""

from __future__ import annotations

import os
import re
import shutil
import textwrap
from pathlib import Path

import pytest
import yaml

from conftest import ROOT, pack_findings, run_cli
from purdah_lint.inputs.formats import read_document
from purdah_lint.model import PurdahError
from purdah_lint.ruleset.packs import load_packs
from purdah_lint.run import fitting

RULE = """\
code: ORG190
category: consultation
extends: scored
level: warning
message: "Reads like a consultation (cues: %s)."
guidance: Ask the comms lead first.
signoff: Comms lead
{keys}
examples:
  fail: ["{fail}"]
  pass: ["The bins are emptied on Tuesdays."]
threshold: {threshold}
cues:
{cues}
"""
CUES = {"have your": 1.5, "survey": 1.0, "say": 0.5, "closes": 1.0, "bins": -2.0}


INVITATION = "Residents are invited to share their views in the questionnaire, which closes next month."


def pack(tmp_path, keys: str = "", threshold: float = 2.0, cues: dict | None = None, raw_cues: str | None = None,
         fail: str = "Have your say in our survey on bin collections."):
    folder = tmp_path / "pack"
    folder.mkdir(exist_ok=True)
    listed = raw_cues if raw_cues is not None else "\n".join(f'  "{cue}": {weight}' for cue, weight in (cues or CUES).items())
    (folder / "consult.yml").write_text(RULE.format(keys=textwrap.dedent(keys).strip(), threshold=threshold,
                                                    cues=listed, fail=fail), encoding="utf-8")
    return folder


def test_a_sentence_is_flagged_when_its_cues_reach_the_threshold(tmp_path):
    found = pack_findings(tmp_path, pack(tmp_path),
                     "Have your say in our survey. It closes on Friday.",  # 1.5 + 1.0 + 0.5 = 3.0, then 1.0
                     "The survey of bins is done.",  # 1.0 - 2.0
                     "We say the survey closes soon.")  # 0.5 + 1.0 + 1.0 = 2.5
    assert [finding["match"] for finding in found] == ["Have your say in our survey.", "We say the survey closes soon."]
    # The message names the strongest cues the sentence holds, so a reviewer sees why.
    assert found[0]["message"] == "Reads like a consultation (cues: 'have your', 'survey', 'say')."


def test_requires_and_negation_apply_as_they_do_to_token_rules(tmp_path):
    keys = """
        requires: ['consult\\w*']
        requires_within: paragraph
        exceptions: ['do not']
    """
    folder = pack(tmp_path, keys)
    found = pack_findings(tmp_path, folder, "Have your say in our survey.",
                     "We consult widely. Have your say in our survey.",
                     "We consult widely. Please do not have your say in our survey yet.")
    assert [finding["match"] for finding in found] == ["Have your say in our survey."]
    assert found[0]["line"] == 3


def test_on_a_page_already_flagged_a_lower_threshold_points_at_more_sentences(tmp_path):
    folder = pack(tmp_path, "flagged_page_threshold: 1.0")
    (folder / "meeting.yml").write_text(textwrap.dedent("""\
        code: ORG191
        category: consultation
        extends: existence
        level: warning
        message: "A public meeting on proposals."
        guidance: Ask the comms lead first.
        signoff: Comms lead
        tokens: ['public meeting']
        examples:
          fail: ["Come to the public meeting."]
          pass: ["Come to the library."]
        """), encoding="utf-8")
    closes = "It closes on Friday."  # 1.0: below the threshold of 2.0, at the flagged page's 1.0
    # Flagged by the scored rule itself, or by another rule of its category: the quieter sentence is found too.
    for flagging in ("Have your say in our survey.", "Come to the public meeting."):
        found = pack_findings(tmp_path, folder, flagging, closes)
        assert closes in [finding["match"] for finding in found], found
    # On a page nothing else flags, the same sentence stays quiet.
    assert pack_findings(tmp_path, folder, "Bins are emptied weekly.", closes) == []


def test_bad_weights_are_errors_at_their_place(tmp_path):
    for cues, problem in (('  "Survey": 1.0', "cue 'Survey' must be one or two lower-case words"),
                          ('  "have your say": 1.0', "cue 'have your say' must be one or two lower-case words"),
                          ('  "survey": high', "cue 'survey' must have a number as its weight"),
                          ("  []", "'cues' must be a non-empty mapping of cues to weights")):
        folder = pack(tmp_path, raw_cues=cues)
        result = run_cli("check", "--in-window", "--pack", folder, tmp_path)
        assert result.code == 2, result.stderr
        assert "consult.yml:" in result.stderr and problem in result.stderr, result.stderr
        assert "Traceback" not in result.stderr


def _corpus(tmp_path) -> Path:
    """A labelled corpus of six sites: invitations to have a say are consultations, service news is not."""
    corpus = tmp_path / "corpus"
    (corpus / "docs").mkdir(parents=True)
    invitations = ["Residents are invited to share their views in the online questionnaire before it closes.",
                   "Share their views on the plans in the questionnaire, which closes next month.",
                   "Everyone is invited to share their views in a questionnaire that closes in June."]
    news = ["The recycling centre opens at eight on Saturdays and closes at four.",
            "Bins are emptied every week and the depot closes on bank holidays.",
            "Parking permits are renewed online and the office closes at five."]
    documents = []
    for site in range(6):
        for number, (positive, text) in enumerate([(True, invitations[site % 3]), (False, news[site % 3])]):
            name = f"docs/site{site}-{number}.txt"
            (corpus / name).write_text(f"Update from the team.\n\n{text}\n", encoding="utf-8")
            documents.append({"file": name, "url": f"https://site{site}.example.gov.uk/page{number}",
                              "categories": ["consultation"] if positive else [],
                              "evidence": {"consultation": [text]} if positive else {},
                              "hard_negative": False, "split": "tune"})
    # A document of the check split: its words must never reach the fit.
    (corpus / "docs" / "held.txt").write_text("Zebras questionnaire.\n", encoding="utf-8")
    documents.append({"file": "docs/held.txt", "url": "https://held.example.gov.uk/", "categories": ["consultation"],
                      "evidence": {"consultation": ["Zebras questionnaire."]}, "hard_negative": False, "split": "check"})
    (corpus / "labels.yaml").write_text(yaml.safe_dump({"schema": "purdah-corpus/1", "documents": documents}),
                                        encoding="utf-8")
    return corpus


def test_fitting_writes_cues_and_threshold_that_flag_the_labelled_kind(tmp_path):
    folder = pack(tmp_path, "# kept as written", threshold=1, cues={"survey": 1}, fail=INVITATION)
    rule_file = folder / "consult.yml"
    header = rule_file.read_text(encoding="utf-8").split("threshold:")[0]
    summary = fitting.fit_rule(rule_file, [_corpus(tmp_path)], split="tune", precision=0.9, min_sources=2)
    assert "cues from" in summary and "held-out documents: precision 1.00" in summary, summary
    written = rule_file.read_text(encoding="utf-8")
    assert written.startswith(header)  # everything above the fitted keys stays as the maintainer wrote it
    fitted = yaml.safe_load(written)
    assert fitted["cues"]["views"] > 0 and fitted["cues"]["questionnaire"] > 0
    assert "zebras" not in fitted["cues"]  # only in a check document
    assert fitted["cues"].get("update", 0) <= 0  # heads every page, never in a quoted sentence
    # The fitted rule loads and flags an invitation worded as the labelled ones were, not service news.
    found = pack_findings(tmp_path, folder, INVITATION, "The recycling centre closes at four on Saturdays.")
    assert [finding["match"] for finding in found] == [INVITATION]


def test_fits_in_one_process_read_each_document_once_until_it_changes(tmp_path, monkeypatch):
    """Five fits of a test run read the same corpora: the second reads nothing, and gives the same examples."""
    corpus = _corpus(tmp_path)
    read = []
    monkeypatch.setattr(fitting, "read_document", lambda path: read.append(path) or read_document(path))
    first = fitting.examples([corpus], "consultation", "tune")
    assert len(read) == 12  # the tune documents; the check one is never read
    again = fitting.examples([corpus], "campaign", "tune")
    relative = fitting.examples([Path(os.path.relpath(corpus))], "consultation", "tune")  # the same files, named otherwise
    assert len(read) == 12
    assert [(example.cues, example.label) for example in relative[0]] == [(example.cues, example.label) for example in first[0]]
    assert {example.label for example in again[0]} == {0} and len(again[0]) == len(first[0])
    changed = corpus / "docs" / "site0-0.txt"
    changed.write_text(changed.read_text(encoding="utf-8") + "\nShare your views today.\n", encoding="utf-8")
    fitting.examples([corpus], "consultation", "tune")
    assert read[12:] == [str(changed)]  # an edited file is read again


def test_the_lower_threshold_keeps_the_share_of_quoted_sentences_asked_for():
    below = [(5.0, True), (4.0, False), (3.0, True), (2.0, False), (1.0, False)]  # (held-out score, quoted)
    # Scores are above the fit's intercept; the rule file's thresholds are not.
    assert fitting._flagged_page_threshold(below, 0.5, intercept=-1.0)[0] == 3.0  # 2 of the top 4 are quoted
    assert fitting._flagged_page_threshold(below, 0.7, intercept=-1.0)[0] == 6.0  # only the top one
    assert fitting._flagged_page_threshold([(2.0, False)], 0.5, intercept=0.0) == (None, "")
    assert fitting._flagged_page_threshold(below, None, intercept=0.0) == (None, "")


def test_folds_keep_each_site_whole_and_about_the_same_size():
    documents = [f"doc{number}" for number in range(40)]
    sites = {document: ("big" if number < 12 else f"site{number % 9}") for number, document in enumerate(documents)}
    fold_of = fitting._folds_by_site(documents, sites)
    for site in set(sites.values()):
        assert len({fold_of[d] for d in documents if sites[d] == site}) == 1, site  # a site is never split
    sizes = [list(fold_of.values()).count(fold) for fold in range(fitting.FOLDS)]
    assert max(sizes) == 12 and sorted(sizes)[0] >= 6, sizes  # the big site fills one fold; the rest are dealt evenly


def test_a_refit_without_a_lower_threshold_drops_the_old_one(tmp_path):
    folder = pack(tmp_path, threshold=1, cues={"survey": 1}, fail=INVITATION)
    rule_file = folder / "consult.yml"
    written = rule_file.read_text(encoding="utf-8")
    rule_file.write_text(written.replace("threshold: 1\n", "threshold: 1\nflagged_page_threshold: 0.5\n"), encoding="utf-8")
    assert yaml.safe_load(rule_file.read_text(encoding="utf-8"))["flagged_page_threshold"] == 0.5
    summary = fitting.fit_rule(rule_file, [_corpus(tmp_path)], split="tune", precision=0.9, min_sources=2,
                               flagged_precision=None)
    assert "no lower threshold on a flagged page" in summary
    fitted = yaml.safe_load(rule_file.read_text(encoding="utf-8"))
    assert "flagged_page_threshold" not in fitted and fitted["cues"] and fitted["examples"]


def test_a_fit_that_would_leave_a_fail_example_unflagged_is_refused_and_writes_nothing(tmp_path):
    folder = pack(tmp_path, threshold=1, cues={"survey": 1}, fail="Bins are emptied on Tuesdays.")
    rule_file = folder / "consult.yml"
    before = rule_file.read_text(encoding="utf-8")
    with pytest.raises(PurdahError, match="leaves the fail example 'Bins are emptied on Tuesdays.' unflagged"):
        fitting.fit_rule(rule_file, [_corpus(tmp_path)], split="tune", precision=0.9, min_sources=2)
    assert rule_file.read_text(encoding="utf-8") == before


def test_fitting_a_rule_that_is_not_scored_is_a_clear_error(tmp_path):
    rule_file = ROOT / "rules" / "core" / "tender.yml"
    assert fitting.main([str(rule_file), str(_corpus(tmp_path))]) == 2


def test_shipped_cues_hold_no_word_the_corpora_write_as_a_name():
    """Cues describe kinds of text: no cue word is one the real and development corpora mostly capitalise."""
    corpora = [ROOT / "tests" / "corpus" / "real", ROOT.parent / "shared" / "corpus"]
    _, _, names, _ = fitting.examples(corpora, "campaign", "tune")
    scored = [rule for rule in load_packs() if type(rule).__name__ == "ScoredRule"]
    assert {rule.category for rule in scored} >= {"procurement", "consultation", "campaign", "politician"}
    offenders = {(rule.code, word) for rule in scored for cue in rule.options["cues"] for word in cue.split()
                 if word in names}
    assert not offenders, sorted(offenders)


FIT_COMMAND = re.compile(r"^# Fitted by `python -m purdah_lint\.run\.fitting (?P<args>[^`]+)`", re.MULTILINE)


@pytest.mark.parametrize("rule_file", sorted((ROOT / "rules" / "core").glob("*-cues.yml")), ids=lambda path: path.stem)
def test_shipped_weights_are_what_the_fitting_command_in_the_rule_file_writes(rule_file, tmp_path, monkeypatch):
    """Each shipped scored rule names the command that fitted it; rerun on a copy, it writes the same threshold and cues.

    Weights fitted by hand-tuned or forgotten arguments cannot be refitted by the next maintainer:
    this keeps the rule files reproducible from the committed corpora. A different scikit-learn
    release may move weights in the last digit, hence the small tolerances.
    """
    command = FIT_COMMAND.search(rule_file.read_text(encoding="utf-8"))
    assert command, f"{rule_file.name}: no '# Fitted by `python -m purdah_lint.run.fitting ...`' line"
    args = command["args"].split()
    assert args[0] == f"rules/core/{rule_file.name}"
    copy = tmp_path / "core"  # the whole pack, for its vocabularies
    shutil.copytree(rule_file.parent, copy)
    monkeypatch.chdir(ROOT)  # the command's corpora are named from the repository root
    assert fitting.main([str(copy / rule_file.name), *args[1:]]) == 0
    shipped = yaml.safe_load(rule_file.read_text(encoding="utf-8"))
    refitted = yaml.safe_load((copy / rule_file.name).read_text(encoding="utf-8"))
    for key in ("threshold", "flagged_page_threshold"):
        assert refitted.get(key) == pytest.approx(shipped.get(key), abs=0.02), key
    common = shipped["cues"].keys() & refitted["cues"].keys()
    assert len(common) >= 0.99 * len(shipped["cues"])
    moved = {cue for cue in common if abs(shipped["cues"][cue] - refitted["cues"][cue]) > 0.01}
    assert not moved, sorted(moved)[:10]
