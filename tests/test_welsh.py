"""The Welsh pack: mutations and inflections in the rule language, twins of the English rules, Welsh messages."""

from __future__ import annotations

import shutil
import textwrap
from pathlib import Path

import pytest

from conftest import ROOT, run_cli
from purdah_lint.model import PackError
from purdah_lint.ruleset.packs import load_packs
from purdah_lint.ruleset.vocabularies import expand
from purdah_lint.ruleset.welsh import mutations

RULES = load_packs()
WELSH_RULES = [rule for rule in RULES if rule.language == "cy"]
ENGLISH = {rule.code: rule for rule in RULES if rule.language == "en"}
# English rules that cannot read Welsh, and why (docs/welsh.rst gives the same reason).
CUES_REASON = "their cue weights are fitted to English pages"
NO_WELSH_TWIN = {"PE901": "the Flesch reading-ease score is calibrated on English words and syllables",
                 **{code: CUES_REASON for code in ("PE190", "PE290", "PE390", "PE490", "PE590")}}
CONTENT = ("policy-announcement", "procurement", "consultation", "campaign", "politician", "logo-use", "resources")

BILINGUAL = """\
# Ymgynghoriad ar fysiau

Mae'r cyngor wedi lansio ymgynghoriad newydd heddiw ar ddyfodol gwasanaethau bysiau yn y sir.

# Bus consultation

The council has launched a new consultation today on the future of bus services in the county.
"""


@pytest.mark.parametrize("radical, forms", [
    ("pen", ["pen", "ben", "mhen", "phen"]),
    ("tad", ["tad", "dad", "nhad", "thad"]),
    ("cyngor", ["cyngor", "gyngor", "nghyngor", "chyngor"]),
    ("bara", ["bara", "fara", "mara"]),
    ("dinas", ["dinas", "ddinas", "ninas"]),
    ("gardd", ["gardd", "ardd", "ngardd"]),
    ("mam", ["mam", "fam"]),
    ("llyfr", ["llyfr", "lyfr"]),
    ("rhaglen", ["rhaglen", "raglen"]),
    ("ymgynghoriad", ["ymgynghoriad", "hymgynghoriad"]),
    ("Cynghorydd", ["Cynghorydd", "Gynghorydd", "Nghynghorydd", "Chynghorydd"]),
    ("chwarae", ["chwarae"]),
    ("ffordd", ["ffordd"]),
])
def test_mutations_follow_the_standard_table(radical, forms):
    assert mutations(radical) == forms


def test_inflected_and_mutated_forms_come_from_one_marker():
    pattern = expand("%~strategaeth", {}, "cy")
    for form in ("strategaeth", "strategaethau"):
        assert form in pattern
    assert "gynlluniau" in expand("%~cynllun", {}, "cy") and "nghynllun" in expand("%~cynllun", {}, "cy")
    assert "hymgynghoriadau" in expand("%~ymgynghoriad", {}, "cy")
    assert expand("~launch", {}, "en") == "(?:launching|launched|launches|launch)"


WELSH_USER_RULE = """\
code: ORG301
category: consultation
extends: existence
level: warning
language: cy
message: "Welsh consultation ('%s')"
guidance: Ask the comms lead.
signoff: Comms lead
tokens: ["{token}"]
examples:
  fail: ["Mae ein hymgynghoriad ar agor."]
  pass: ["Mae'r parc ar agor."]
"""


def write_pack(tmp_path: Path, text: str, name: str = "welsh-consultation.yml") -> Path:
    pack = tmp_path / "pack"
    pack.mkdir(exist_ok=True)
    (pack / name).write_text(textwrap.dedent(text), encoding="utf-8")
    return pack


def test_a_user_pack_in_welsh_matches_mutated_forms_on_welsh_text_only(tmp_path):
    pack = write_pack(tmp_path, WELSH_USER_RULE.format(token="%~ymgynghoriad (?:\\\\w+ ){0,2}ar agor"))
    (tmp_path / "page.md").write_text(
        "Mae ein hymgynghoriad ni ar agor tan ddiwedd y mis ar gyfer pawb yn y sir.\n\n"
        "Our ymgynghoriad is open until the end of the month for everyone in the county.\n", encoding="utf-8")
    result = run_cli("check", "--in-window", "--pack", str(pack), "--select", "ORG301", "--format", "json",
                     "page.md", cwd=tmp_path)
    assert [(f["line"], f["match"]) for f in result.json()["findings"]] == [(1, "hymgynghoriad ni ar agor")]


@pytest.mark.parametrize("language, token, words", [
    ("en", "%cyngor", "only a Welsh rule or vocabulary (language: cy) can use"),
    ("cy", "%[Cc]yngor", "'%' must be followed by a word"),
    ("fr", "cyngor", "'language' is 'fr'; allowed: en, cy"),
])
def test_bad_uses_of_the_welsh_constructs_are_errors_with_positions(tmp_path, language, token, words):
    pack = write_pack(tmp_path, WELSH_USER_RULE.replace("language: cy", f"language: {language}").format(token=token))
    with pytest.raises(PackError) as error:
        load_packs([str(pack)])
    message = str(error.value)
    assert message.startswith(str(pack / "welsh-consultation.yml") + ":") and words in message


def test_a_welsh_rule_without_messages_needs_an_english_twin(tmp_path):
    text = "\n".join(line for line in WELSH_USER_RULE.splitlines()
                     if not line.startswith(("message", "guidance", "signoff")))
    pack = write_pack(tmp_path, text.format(token="ymgynghoriad"))
    with pytest.raises(PackError, match="takes it from the English rule with its code, and there is no English ORG301"):
        load_packs([str(pack)])


@pytest.mark.parametrize("rule", WELSH_RULES, ids=lambda rule: rule.code)
def test_each_welsh_rule_mirrors_an_english_rule_with_the_same_code_name_and_category(rule):
    twin = ENGLISH[rule.code]
    assert (rule.name, rule.category, rule.topic) == (twin.name, twin.category, twin.topic)
    assert rule.level <= twin.level, "a Welsh rule is never more severe than its English twin"


def test_every_english_rule_has_a_welsh_twin_or_a_documented_reason():
    welsh = {rule.code for rule in WELSH_RULES}
    assert {code for code in ENGLISH if code not in welsh} == set(NO_WELSH_TWIN)
    page = " ".join((ROOT / "docs" / "welsh.rst").read_text(encoding="utf-8").split())
    for code, reason in NO_WELSH_TWIN.items():
        assert code in page and reason in page, f"docs/welsh.rst should say why {code} has no Welsh twin"


def test_the_welsh_pack_covers_every_content_category():
    assert {rule.category for rule in WELSH_RULES} >= set(CONTENT)


@pytest.mark.parametrize("rule", RULES, ids=lambda rule: f"{rule.code}-{rule.language}")
def test_every_rule_has_a_welsh_message_guidance_summary_and_signoff(rule):
    welsh = rule.translations.get("cy")
    assert welsh is not None, f"{rule.code} {rule.name} has no entry in a messages/cy.yml"
    assert set(welsh) == {"message", "summary", "guidance", "signoff"}
    assert ("%s" in welsh["message"]) == ("%s" in rule.message)
    assert welsh["message"] != rule.message and welsh["guidance"] != rule.guidance


def test_findings_on_both_halves_of_a_bilingual_page_share_code_and_category(tmp_path):
    (tmp_path / "page.md").write_text(BILINGUAL, encoding="utf-8")
    findings = run_cli("check", "--in-window", "--format", "json", "page.md", cwd=tmp_path).json()["findings"]
    by_line = {(f["line"], f["code"], f["category"], f["rule"]) for f in findings}
    assert (3, "PE301", "consultation", "consultation-launch") in by_line
    assert (7, "PE301", "consultation", "consultation-launch") in by_line


def test_welsh_rules_are_silent_when_the_text_is_set_to_english(tmp_path):
    (tmp_path / "page.md").write_text(BILINGUAL, encoding="utf-8")
    findings = run_cli("check", "--in-window", "--lang", "en", "--format", "json", "page.md",
                       cwd=tmp_path).json()["findings"]
    assert [f["line"] for f in findings if f["code"] == "PE301"] == [7]


def test_lang_cy_gives_welsh_messages_and_english_stays_the_default(tmp_path):
    (tmp_path / "page.md").write_text("Mae'r cyngor wedi lansio ymgynghoriad newydd heddiw ar fysiau'r sir.\n",
                                      encoding="utf-8")
    english = run_cli("check", "--in-window", "page.md", cwd=tmp_path)
    welsh = run_cli("check", "--in-window", "--lang", "cy", "page.md", cwd=tmp_path)
    assert "A consultation appears to open or invite views" in english.stdout
    assert "Mae'n ymddangos bod ymgynghoriad yn agor" in welsh.stdout
    assert "PE301" in english.stdout and "PE301" in welsh.stdout


def test_language_in_the_config_gives_welsh_guidance_in_json(tmp_path):
    (tmp_path / "page.md").write_text("Mae'r cyngor wedi lansio ymgynghoriad newydd heddiw ar fysiau'r sir.\n",
                                      encoding="utf-8")
    (tmp_path / ".purdah-lint.toml").write_text('language = "cy"\n', encoding="utf-8")
    finding = run_cli("check", "--in-window", "--format", "json", "page.md", cwd=tmp_path).json()["findings"][0]
    assert finding["guidance"].startswith("Ni chaiff ymgynghoriadau cyhoeddus newydd eu lansio")
    assert finding["signoff"].startswith("Pennaeth Cyfathrebu")


def test_explain_in_welsh(tmp_path):
    welsh = run_cli("explain", "PE301", "--lang", "cy", cwd=tmp_path)
    english = run_cli("explain", "PE301", cwd=tmp_path)
    assert welsh.code == 0 and "Ni chaiff ymgynghoriadau cyhoeddus newydd" in welsh.stdout
    assert "Pwy sy'n cymeradwyo" in welsh.stdout and "Who signs it off" in english.stdout


def test_rules_listing_shows_each_rule_once_per_language(tmp_path):
    listing = run_cli("rules", "--format", "json", cwd=tmp_path).json()
    pe301 = [entry for entry in listing if entry["code"] == "PE301"]
    assert sorted(entry["language"] for entry in pe301) == ["cy", "en"]


@pytest.mark.parametrize("overrides", [{"purdah_language": "cy"}, {"language": "cy"}])
def test_a_sphinx_project_in_welsh_is_checked_with_the_welsh_pack_and_welsh_messages(make_app, rootdir, tmp_path,
                                                                                      overrides):
    import json

    srcdir = tmp_path / "src"
    shutil.copytree(rootdir / "test-basic", srcdir)
    (srcdir / "cymraeg.rst").write_text("Bysiau\n======\n\nMae'r cyngor wedi lansio ymgynghoriad newydd heddiw.\n",
                                        encoding="utf-8")
    app = make_app("purdah", srcdir=srcdir, confoverrides=overrides, freshenv=True)
    app.build()
    data = json.loads((Path(app.outdir) / "purdah.json").read_text(encoding="utf-8"))
    welsh = [f for f in data["findings"] if f["path"] == "cymraeg.rst"]
    assert [(f["line"], f["code"]) for f in welsh] == [(4, "PE301")]
    assert welsh[0]["message"].startswith("Mae'n ymddangos bod ymgynghoriad yn agor")


def test_eval_prints_figures_for_each_language_on_each_split():
    result = run_cli("eval", str(ROOT / "tests" / "corpus" / "welsh"))
    assert result.code == 0, result.stderr
    sections = result.stdout.split("content categories by language (micro):")
    assert len(sections) == 4  # all documents, tune, check
    for section in sections[1:]:
        rows = [line.split()[0] for line in section.strip().splitlines()[1:3]]
        assert rows == ["en", "cy"]


def test_the_lead_in_note_is_in_welsh_too(tmp_path):
    from conftest import WINDOW_CONFIG

    (tmp_path / "page.md").write_text("Mae'r cyngor wedi lansio ymgynghoriad newydd heddiw ar fysiau'r sir.\n",
                                      encoding="utf-8")
    (tmp_path / "pyproject.toml").write_text(WINDOW_CONFIG, encoding="utf-8")
    welsh = run_cli("check", "--as-of", "2024-03-10", "--lang", "cy", "page.md", cwd=tmp_path)
    assert "(mae'r cyfnod cyn etholiad yn dechrau ar 21 Mawrth 2024)" in welsh.stdout


@pytest.fixture(scope="module")
def check_split_by_language():
    from purdah_lint.run.evaluate import evaluate

    corpus = ROOT / "tests" / "corpus" / "welsh"
    return {language: evaluate(corpus, split="check", language=language).micro for language in ("en", "cy")}


def test_welsh_recall_is_within_a_tenth_of_english_recall_on_the_check_split(check_split_by_language):
    english, welsh = check_split_by_language["en"], check_split_by_language["cy"]
    assert welsh.true_positives + welsh.false_negatives >= 20  # enough labelled positives to mean something
    assert welsh.recall >= english.recall - 0.10, (english, welsh)


def test_welsh_precision_is_at_least_085_on_the_check_split(check_split_by_language):
    assert check_split_by_language["cy"].precision >= 0.85, check_split_by_language["cy"]
