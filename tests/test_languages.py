"""Each block's language: detected between English and Welsh, or set by markup, front matter or config."""

from __future__ import annotations

import re
import textwrap

import pytest
import yaml

from conftest import ROOT, run_cli
from purdah_lint.inputs.formats import read_document
from purdah_lint.inputs.languages import assign_languages, detect

WELSH = ROOT / "tests" / "corpus" / "welsh"
ENGLISH = ROOT / "tests" / "corpus" / "real"

# A Welsh paragraph that carries an English rule's trigger words ("Have your say", the English name of a
# web page it links to), and an English paragraph with the same trigger.
BILINGUAL = """\
# Gwasanaethau bysiau

Mae'r cyngor yn gofyn i bobl fynd i dudalen Have your say ar ein gwefan cyn diwedd y mis er mwyn
rhannu eu barn am wasanaethau bysiau'r sir.

# Bus services

Have your say on the county's bus services before the end of the month.
"""


def tune_blocks() -> list[tuple[str, str]]:
    """Blocks of ten words or more from the Welsh corpus's tune halves and the English real corpus."""
    labels = yaml.safe_load((WELSH / "labels.yaml").read_text(encoding="utf-8"))["documents"]
    blocks = []
    for entry in labels:
        if entry["split"] != "tune":
            continue  # check documents are for scoring the rules, never for tuning anything
        text = (WELSH / entry["file"]).read_text(encoding="utf-8")
        blocks += [(line, entry["language"]) for line in text.splitlines() if len(line.split()) >= 10]
    for path in sorted((ENGLISH / "docs").rglob("*.txt"))[:60]:
        text = path.read_text(encoding="utf-8")
        blocks += [(part, "en") for part in re.split(r"\n\s*\n", text) if len(part.split()) >= 10]
    return blocks


def test_detection_is_at_least_97_percent_right_on_real_blocks_of_ten_words():
    blocks = tune_blocks()
    assert sum(language == "cy" for _, language in blocks) >= 50
    assert sum(language == "en" for _, language in blocks) >= 200
    right = sum(detect(text) == language for text, language in blocks)
    # The corpus labels a whole page: a Welsh line in an English half's page furniture counts as wrong here.
    assert right / len(blocks) >= 0.97


def languages_of(tmp_path, name: str, text: str, configured: str | None = None) -> list[tuple[str, str]]:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    document = read_document(str(path))
    assign_languages(document, configured)
    return [(segment.text.split()[0], segment.language) for segment in document.segments]


def test_each_block_gets_its_language_and_a_heading_takes_the_language_of_the_text_after_it(tmp_path):
    assert languages_of(tmp_path, "page.md", BILINGUAL) == [
        ("Gwasanaethau", "cy"), ("Mae'r", "cy"), ("Bus", "en"), ("Have", "en")]


def test_short_list_items_take_the_language_of_the_paragraph_before_them(tmp_path):
    text = """\
    Mae'r cynllun yn cynnwys y pethau canlynol i deuluoedd a phlant ledled Cymru:

    - Parciau
    - Llyfrgelloedd
    """
    assert [language for _, language in languages_of(tmp_path, "list.md", text)] == ["cy", "cy", "cy"]


def test_html_lang_attributes_override_detection_and_nest(tmp_path):
    text = """\
    <html lang="en-GB"><body>
    <p>Mae Llywodraeth Cymru wedi cyhoeddi heddiw bod y gwaith ar y ffordd newydd wedi dechrau.</p>
    <div lang="cy"><p>Our consultation opens today and runs for twelve weeks across the county.</p>
    <p lang="en">Short</p></div>
    <p>The council has published its annual report on roads and bridges in the county.</p>
    </body></html>
    """
    assert languages_of(tmp_path, "page.html", text) == [("Mae", "en"), ("Our", "cy"), ("Short", "en"),
                                                         ("The", "en")]


def test_front_matter_language_wins_over_the_configured_language(tmp_path):
    text = """\
    ---
    language: cy-GB
    ---
    Our consultation opens today and runs for twelve weeks across the county.
    """
    assert languages_of(tmp_path, "fm.md", text, configured="en") == [("Our", "cy")]


def test_configured_language_overrides_detection(tmp_path):
    assert {language for _, language in languages_of(tmp_path, "page.md", BILINGUAL, configured="cy")} == {"cy"}


def test_english_rules_are_silent_on_the_welsh_paragraph_of_a_bilingual_page(tmp_path):
    (tmp_path / "page.md").write_text(BILINGUAL, encoding="utf-8")
    result = run_cli("check", "--in-window", "--format", "json", "page.md", cwd=tmp_path)
    # PE301 twice: the Welsh rule on the Welsh paragraph's own words, the English rule on the English one.
    found = [(f["line"], f["match"]) for f in result.json()["findings"] if f["code"] == "PE301"]
    assert found == [(4, "rhannu eu barn"), (8, "Have your say")]


def test_lang_en_makes_every_block_english(tmp_path):
    (tmp_path / "page.md").write_text(BILINGUAL, encoding="utf-8")
    result = run_cli("check", "--in-window", "--lang", "en", "--format", "json", "page.md", cwd=tmp_path)
    assert sorted(f["line"] for f in result.json()["findings"] if f["code"] == "PE301") == [3, 8]


def test_language_in_the_config_file(tmp_path):
    (tmp_path / "page.md").write_text(BILINGUAL, encoding="utf-8")
    (tmp_path / ".purdah-lint.toml").write_text('language = "en"\n', encoding="utf-8")
    result = run_cli("check", "--in-window", "--format", "json", "page.md", cwd=tmp_path)
    assert sorted(f["line"] for f in result.json()["findings"] if f["code"] == "PE301") == [3, 8]


def test_an_unknown_configured_language_is_a_one_line_error(tmp_path):
    (tmp_path / "page.md").write_text(BILINGUAL, encoding="utf-8")
    (tmp_path / ".purdah-lint.toml").write_text('language = "fr"\n', encoding="utf-8")
    result = run_cli("check", "--in-window", "page.md", cwd=tmp_path)
    assert result.code == 2
    assert "'language' is 'fr'; allowed: en, cy" in result.stderr and "Traceback" not in result.stderr


def test_a_bad_front_matter_language_names_the_file_and_others_are_still_checked(tmp_path):
    (tmp_path / "bad.md").write_text("---\nlanguage: [1, 2]\n---\nOur consultation opens today.\n",
                                     encoding="utf-8")
    (tmp_path / "good.md").write_text("Our consultation opens today.\n", encoding="utf-8")
    result = run_cli("check", "--in-window", "--format", "json", "bad.md", "good.md", cwd=tmp_path)
    assert result.code == 2
    files = {entry["path"]: entry["error"] for entry in result.json()["files"]}
    assert "front matter 'language'" in files["bad.md"] and files["good.md"] is None
    assert [f["path"] for f in result.json()["findings"]] == ["good.md"]


@pytest.mark.parametrize("text", ["", "12345 67890", "\ud800 broken surrogate text here and there again now"])
def test_detection_copes_with_text_that_has_no_language(text):
    assert detect(text) in (None, "en", "cy")
