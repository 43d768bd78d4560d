"""The rule language's matching constructs: vocabularies, inflected words, sense guards, negation.

Each construct is exercised through a user pack loaded by the installed console script, on
drafts the tests write, so the whole path (validation, expansion, cache, matching) is covered.
"""

from __future__ import annotations

import re
import textwrap

import pytest

from conftest import pack_findings, run_cli
from purdah_lint.ruleset.packs import builtin_pack_dirs, load_packs
from purdah_lint.ruleset.packfiles import builtin_rules_dir
from purdah_lint.ruleset.vocabularies import expand, load_vocabularies

RULE = """\
code: ORG101
category: policy-announcement
extends: existence
level: warning
message: "Announcement ('%s')"
guidance: Ask the comms lead first.
signoff: Comms lead
{keys}
examples:
  fail: ["{fail}"]
  pass: ["{passes}"]
"""


def pack(tmp_path, keys: str, fail: str, passes: str, vocabularies: dict[str, str] | None = None):
    folder = tmp_path / "pack"
    (folder / "vocabularies").mkdir(parents=True, exist_ok=True)
    (folder / "announce.yml").write_text(RULE.format(keys=textwrap.dedent(keys).strip(), fail=fail, passes=passes),
                                         encoding="utf-8")
    for name, text in (vocabularies or {}).items():
        (folder / "vocabularies" / f"{name}.yml").write_text(textwrap.dedent(text), encoding="utf-8")
    return folder


def findings(tmp_path, folder, *sentences: str) -> list[str]:
    """The matched text of each ORG finding on a draft holding ``sentences`` as paragraphs."""
    return [finding["match"] for finding in pack_findings(tmp_path, folder, *sentences)]


def test_an_inflected_word_matches_every_form(tmp_path):
    folder = pack(tmp_path, "tokens: ['~unveil (?:a|our) new plan']", "We unveiled a new plan.", "We unveil nothing.")
    found = findings(tmp_path, folder, "We unveil our new plan.", "The board unveiled a new plan.",
                     "She is unveiling our new plan.", "He unveils a new plan.", "An unveiler of a new plan.")
    assert found == ["unveil our new plan", "unveiled a new plan", "unveiling our new plan", "unveils a new plan"]


def test_a_vocabulary_is_defined_once_and_used_by_name(tmp_path):
    folder = pack(tmp_path, "tokens: ['new {plan-word} for']", "A new roadmap for care.", "A new bus for the town.",
                  {"plan-word": "inflect: noun\nwords: [roadmap, action plan]\n"})
    found = findings(tmp_path, folder, "A new roadmap for care.", "Two new roadmaps for care.",
                     "A new action plans for care.", "A new road for care.", "We roadmapped it.")
    assert found == ["new roadmap for", "new roadmaps for", "new action plans for"]


def test_a_vocabulary_can_build_on_another_and_on_the_core_pack(tmp_path):
    vocabularies = {"blue-party": "words: [Conservative, Tory]\n",
                    "any-party": "patterns: ['{blue-party}|{party-names}']\n"}
    folder = pack(tmp_path, "ignorecase: false\ntokens: ['{any-party} administration']",
                  "This Labour administration delivers.", "The administration delivers.", vocabularies)
    found = findings(tmp_path, folder, "What this Labour administration is delivering.",
                     "The Tory administration did it.", "The council administration did it.")
    assert found == ["Labour administration", "Tory administration"]


def test_requires_keeps_a_word_to_one_sense(tmp_path):
    folder = pack(tmp_path, """\
        tokens: ['candidates?']
        requires: ['~election|polling day|~ward|constituency|~stand (?:for|in)|{party-names}']""",
                  "The Green Party candidate for Eastfield ward visited.", "Release candidates are tagged weekly.")
    found = findings(tmp_path, folder, "The Green Party candidate for Eastfield ward visited the clinic.",
                     "Release candidates are tagged every week.",
                     "The garbage collector picks candidates for collection.",
                     "Candidates standing in the May elections were invited.")
    assert found == ["candidate", "Candidates"]


def test_a_headline_line_is_its_own_sentence(tmp_path):
    """Pages copied to text put a headline or date on a line of its own with no full stop."""
    folder = pack(tmp_path, """\
        tokens: ['candidates?']
        requires: ['~election']""",
                  "Candidates in the election spoke.", "Candidates for the post were shortlisted.")
    found = findings(tmp_path, folder,
                     "Election results archive\nCandidates for the apprentice posts were shortlisted.",
                     "Candidates for the\nelection were named on the notice.",
                     "Thursday 2 May\nCandidates in the election were named.")
    assert found == ["Candidates", "Candidates"]


def test_a_long_headline_above_a_one_line_paragraph_is_its_own_sentence(tmp_path):
    """A page with one paragraph a line ends its long headline at the line break; wrapped prose stays one sentence."""
    folder = pack(tmp_path, """\
        tokens: ['candidates?']
        requires: ['~election']""",
                  "Candidates in the election spoke.", "Candidates for the post were shortlisted.")
    story = ("Candidates for the apprentice posts were shortlisted after a careful process that ran over the "
             "spring and the summer, with interviews held at every one of the district's libraries.")
    assert len(story) > 150
    found = findings(tmp_path, folder,
                     "Results of the election for the two rural wards are out and posted at the hall\n" + story,
                     "The returning officer has published the names of all of the Candidates for the\n"
                     "Election of a councillor in the two wards on the notice.")
    assert found == ["Candidates"]


def test_exceptions_before_leave_negated_statements_alone(tmp_path):
    folder = pack(tmp_path, """\
        tokens: ['will ~introduce']
        exceptions_before: ['{negation}']
        exceptions_before_words: 4""",
                  "We will introduce a charge.", "We will not introduce a charge.")
    found = findings(tmp_path, folder, "From May we will introduce a new charge.",
                     "There are no plans that will introduce a charge.",
                     "We have decided we will never introduce charges.",
                     "It was not easy, but after two years of careful work with every partner we will introduce it.")
    assert found == ["will introduce", "will introduce"]


def test_page_exceptions_quieten_a_rule_on_the_whole_page(tmp_path):
    """A closed consultation's page keeps its old invitations; a closure anywhere on it cancels them all."""
    folder = pack(tmp_path, """\
        tokens: ['have your say', 'we want your views']
        exceptions: ['closed']
        page_exceptions: ['(?:this|the) consultation (?:has )?(?:now )?closed|status: closed']""",
                  "Have your say on the library.", "Have your say.\\n\\nThis consultation has now closed.")
    open_page = ["# Library plans", "Have your say on the library.", "We want your views by May."]
    assert findings(tmp_path, folder, *open_page) == ["Have your say", "We want your views"]
    assert findings(tmp_path, folder, *open_page, "Status: closed") == []
    assert findings(tmp_path, folder, "# The consultation has now closed", *open_page[1:]) == []
    # The sentence exception still reads one sentence only; other pages are untouched.
    assert findings(tmp_path, folder, "Have your say. The old survey closed.", "We want your views.") == [
        "Have your say", "We want your views"]


def test_a_group_of_vocabularies_stands_for_each_member_in_a_list(tmp_path, monkeypatch):
    """'{quieter-pages}' in page_exceptions is three page exceptions, one per member, as if each were listed."""
    vocabularies = {"closed-page": "patterns: ['(?:this|the) consultation has closed']\n",
                    "record-page": "words: [archived page]\n",
                    "quiet-pages": "vocabularies: [closed-page, record-page]\n",
                    "quieter-pages": "summary: A group of a group and a core vocabulary\n"
                                     "vocabularies: [quiet-pages, software-page]\n"}
    folder = pack(tmp_path, """\
        tokens: ['have your say']
        page_exceptions: ['{quieter-pages}']""",
                  "Have your say on the library.", "Have your say.\\n\\nThis consultation has closed.", vocabularies)
    asked = "Have your say on the library."
    assert findings(tmp_path, folder, asked) == ["Have your say"]
    for marker in ("The consultation has closed.", "This is an archived page.", "Run pip install to try it."):
        assert findings(tmp_path, folder, asked, marker) == [], marker

    monkeypatch.setenv("PURDAH_LINT_CACHE_DIR", str(tmp_path / "cache"))
    (rule,) = [rule for rule in load_packs([str(folder)]) if rule.code == "ORG101"]
    listed = pack(tmp_path / "listed", """\
        tokens: ['have your say']
        page_exceptions: ['{closed-page}', '{record-page}', '{software-page}']""", "Have your say.", "Say.", vocabularies)
    (each,) = [rule for rule in load_packs([str(listed)]) if rule.code == "ORG101"]
    assert rule.options["page_exceptions"] == each.options["page_exceptions"]
    assert len(rule._page_exception_searches) == 3 and all(ways for _, ways in rule._page_exception_searches)
    # Inside a longer pattern a group is the alternation of its members.
    known = load_vocabularies(folder, load_vocabularies(builtin_rules_dir() / "core"))
    grouped = re.compile(expand("{quiet-pages} says", known), re.IGNORECASE)
    assert grouped.fullmatch("archived page says") and grouped.fullmatch("the consultation has closed says")
    assert not grouped.fullmatch("page says")


@pytest.mark.parametrize("keys, words", [
    ("tokens: ['new {plan-wrod}']", "unknown vocabulary '{plan-wrod}'; this pack can use:"),
    ("tokens: ['fine']\nrequires: ['{nothing-here}']", "unknown vocabulary '{nothing-here}'"),
    ("tokens: ['fine']\nexceptions_before_words: many", "'exceptions_before_words' must be a number"),
    ("tokens: ['fine']\nrequires_within: document", "'requires_within' is 'document'; allowed: sentence, paragraph, page"),
    ("tokens: ['fine']\nexceptions_within: page", "'exceptions_within' is 'page'; allowed: sentence, paragraph"),
    ("tokens: ['fine']\npage_exceptions: ['(closed']", "'page_exceptions'"),
    ("tokens: ['fine']\npage_exceptions: ['{no-such-list}']", "unknown vocabulary '{no-such-list}'"),
    ("tokens: ['fine']\npage_exceptions: ['{pages-announcing-nothing}', '{foi-response}']",
     "repeats a vocabulary the list already holds"),
])
def test_bad_constructs_are_errors_at_their_place(tmp_path, keys, words):
    folder = pack(tmp_path, keys, "fine", "ok")
    result = run_cli("rules", "--pack", folder)
    assert result.code == 2
    line = result.stderr.strip()
    assert "\n" not in line and words in line, line
    assert re.search(r"announce\.yml:\d+:\d+: ", line), line


@pytest.mark.parametrize("name, text, words", [
    ("Bad_Name", "words: [a]\n", "must be lower-case words joined by hyphens"),
    ("empty", "words: []\n", "needs at least one entry"),
    ("typo", "wrds: [a]\n", "unknown key 'wrds'"),
    ("loose", "inflect: maybe\nwords: [a]\n", "'inflect' must be true (every form), noun, verb or false"),
    ("broken", "patterns: ['(a']\n", "does not compile"),
    ("circle", "patterns: ['{circle-two}']\n", "refer to each other in a circle"),
    ("yaml", "words: [a\n", "invalid YAML"),
    ("group-typo", "vocabularies: [negation, no-such-list]\n", "group member 'no-such-list' is not a vocabulary"),
    ("group-mixed", "vocabularies: [negation]\nwords: [not]\n", "takes only 'summary' beside it, not 'words'"),
    ("group-empty", "vocabularies: []\n", "'vocabularies' must be a non-empty list of vocabulary names"),
    ("group-twice", "vocabularies: [negation, pages-announcing-nothing, software-page]\n",
     "holds a vocabulary twice"),
    ("group-circle", "vocabularies: [negation, circle-three]\n", "refer to each other in a circle"),
])
def test_bad_vocabulary_files_are_one_line_errors(tmp_path, name, text, words):
    vocabularies = {name: text}
    if name == "circle":
        vocabularies["circle-two"] = "patterns: ['{circle}']\n"
    if name == "group-circle":
        vocabularies["circle-three"] = "vocabularies: [group-circle]\n"
    folder = pack(tmp_path, "tokens: ['fine']", "fine", "ok", vocabularies)
    result = run_cli("rules", "--pack", folder)
    assert result.code == 2
    line = result.stderr.strip()
    assert "\n" not in line and words in line and "vocabularies" in line, line


GENERIC_CAPITALISED = {
    # titles and offices, days and months, and words that open a sentence
    "Cllr", "Councillor", "Councillors", "Mayor", "Metro", "Elected", "Regional", "Commissioner", "Council", "Leader",
    "Cabinet", "Member", "Minister", "Secretary", "State", "Chief", "Constable", "Police", "Crime", "MP", "MPs",
    "MS", "MSP", "MLA", "PCC", "Lord", "Deputy", "Prime", "First", "Civic", "Ceremonial", "Provost", "Assembly",
    "Parliament", "Senedd", "Government", "Trust", "Board", "Foundation", "Authority", "Combined", "County",
    "City", "Borough", "District", "Parish", "Town", "Fire", "Rescue", "Service", "Health", "Care", "Integrated",
    "NHS", "England", "Wales", "Scotland", "Northern", "Ireland", "UK", "British", "Welsh", "Scottish", "Information",
    "Children", "Older", "People", "Future", "Generations", "Victims", "Biometrics", "Do", "Don", "Use", "Write",
    "Avoid", "Never", "Don't", "The", "This", "It", "In", "For", "When", "If", "Only", "Save", "Foreword", "Introduction",
    "London", "Labour", "Conservative", "Green", "Party", "Liberal", "Democrat", "Reform", "Plaid", "Cymru", "SNP",
    "Independent", "Code", "Conduct", "Enquiries", "Surgeries", "Surgery", "Mayoral", "Office", "Ombudsman",
    "Parliamentary", "Assistant", "House", "Commons", "Crimestoppers",
    "Mr", "Mrs", "Ms", "Miss", "Dr",  # honorifics before a surname
}


# The same in Welsh: Welsh rules match these in every initial mutation.
WELSH_TITLES = {
    "Cynghorydd", "Cyng", "Aelod", "Cabinet", "Arweinydd", "Cyngor", "Comisiynydd", "Heddlu", "Throseddu", "Maer",
    "Prif", "Gweinidog", "Dirprwy", "Ysgrifennydd", "Gwladol", "Senedd", "Seneddol", "Cymru", "Y", "Yr",
}


# How a pattern's capitalised words are read: "PyPI" is the word "Py" (then "PI", with no lower case), so a
# vocabulary's words are also taken this way, besides whole (a vocabulary's "\\bWomen" is "Women").
CAPITALISED_WORD = r"(?<![\w\\])[A-Z][a-z'’]+(?:[A-Z][a-z]+)*"


def test_no_rule_names_a_person_building_or_place():
    """Rules describe kinds of text: a capitalised word in a pattern must be a title, office, party or UK body."""
    import calendar

    from purdah_lint.ruleset.welsh import mutations

    allowed = set(GENERIC_CAPITALISED) | set(calendar.month_name[1:]) | set(calendar.day_name)
    allowed |= {form for title in WELSH_TITLES for form in mutations(title)}  # Gynghorydd, Weinidog
    for directory in builtin_pack_dirs():
        for path in (directory / "vocabularies").glob("*.yml") if (directory / "vocabularies").is_dir() else ():
            text = path.read_text(encoding="utf-8")
            allowed.update(re.findall(r"\b[A-Z][\w]*", text), re.findall(CAPITALISED_WORD, text))
    offenders = []
    for rule in load_packs():
        for key in ("tokens", "exceptions", "paragraph_exceptions", "page_exceptions", "exceptions_before", "requires",
                    "with"):
            for pattern in rule.options.get(key) or []:
                literal = re.sub(r"\\[A-Za-z]|\[[^\]]*\]|\(\?[<P]?[=!<]?", " ", pattern)
                for word in re.findall(CAPITALISED_WORD, literal):
                    word = re.sub(r"(?<=[a-z])['’]s?$", "", word)  # possessive: the Mayor's, Victims'
                    if word not in allowed:
                        offenders.append((rule.code, word))
    assert not offenders, sorted(set(offenders))
