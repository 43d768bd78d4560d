"""The prefilter must never change a finding: any text, every rule, with and without it."""

from __future__ import annotations

import sys
import threading

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from purdah_lint.ruleset.matching.anchors import anchors, literal_ways, required_sets
from purdah_lint.ruleset.matching.patterns import alternation
from purdah_lint.ruleset.matching.prefilter import AnchorIndex, Literals, anchor_index, built_parts, candidate_starts, index_data
from purdah_lint.ruleset.matching.rarity import rates_for
from purdah_lint.ruleset.matching.start_anchors import SPACE, start_anchors
from purdah_lint.run.engine import Activation, lint_segments
from purdah_lint.ruleset.ruletypes.base import FoldedPage, PageContext
from purdah_lint.model import LineIndex, Segment, Severity
from purdah_lint.ruleset.packs import load_packs
from purdah_lint.elections.windows import IN_WINDOW

RULES = load_packs()
EXISTENCE_DEFAULTS = {"exceptions": [], "exceptions_within": "sentence", "exceptions_before": [], "exceptions_before_words": 6,
                      "paragraph_exceptions": [], "page_exceptions": [], "requires": [], "requires_within": "sentence",
                      "ignorecase": True}
ALL_TOPICS = Activation((IN_WINDOW.replace(topics=("policing",)),))
# Every word the rules' examples use, so random text often comes close to a match.
WORDS = sorted({word for rule in RULES for kind in ("fail", "pass")
                for example in rule.examples.get(kind, ()) for word in example.split()})
# Characters that fold, space or count in awkward ways: each has tripped a prefilter somewhere.
AWKWARD = ["\u0131", "\u0130", "\u017f", "\u212a", "\u00df", "\ufb05", "\u0307", "\u0663", "\uff11", "\u00a0",
           "\u2003", "\t", "\n", "\n\n", "  ", "\u2019", "'", "£", "-", ",", ".", ":", "İ", "ẞ", "Σ", "\u1e9e"]
# Whole examples too, so that most texts hold matches, cut and joined in awkward places.
EXAMPLES = sorted({example for rule in RULES for example in rule.examples.get("fail", ())})
PIECE = st.one_of(st.sampled_from(WORDS), st.sampled_from(WORDS).map(str.upper), st.sampled_from(AWKWARD),
                  st.sampled_from(EXAMPLES), st.sampled_from(EXAMPLES).map(lambda text: text[len(text) // 3:]),
                  st.text(max_size=4))
GAPS = [" ", "  ", "\t", "\n", " \n ", "\u00a0", "\u2003 ", "", "-", "\u0131"]


@st.composite
def respaced_example(draw) -> str:
    """A rule example with its word gaps replaced: runs of white space, or none, or a letter."""
    words = draw(st.sampled_from(EXAMPLES)).split(" ")
    gaps = draw(st.lists(st.sampled_from(GAPS), min_size=len(words) - 1, max_size=len(words) - 1))
    return "".join(word + gap for word, gap in zip(words, gaps + [""]))


TEXT = st.lists(st.one_of(respaced_example(), PIECE, st.just(" ")), max_size=12).map("".join)


def matches(text: str, prefilter: bool) -> set:
    segments = [Segment(text, scope, [(0, 0)], LineIndex(text), language=language)
                for scope in ("paragraph", "list", "heading") for language in ("en", "cy")]
    return {(rule.code, segment.scope, start, end)
            for rule, segment, start, end in lint_segments(segments, RULES, prefilter)}


BY_LANGUAGE = {language: tuple(rule for rule in RULES if rule.language == language) for language in ("en", "cy")}


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(TEXT, st.sampled_from(["en", "cy"]), st.integers(min_value=1, max_value=2 ** 16 - 1))
def test_the_index_from_the_pack_cache_plans_as_one_built_from_the_rules(text, language, choice):
    # Any subset of one language's rules (as --select and topics give) reads the whole pack's stored data.
    rules = tuple(rule for number, rule in enumerate(BY_LANGUAGE[language]) if choice >> (number % 16) & 1)
    assert rules and all(rule.pack_index is rules[0].pack_index for rule in rules)
    built = AnchorIndex(built_parts(index_data(enumerate(rule.derived for rule in rules))), rules, range(len(rules)))
    assert anchor_index(rules).plan(text) == built.plan(text)


def test_rules_from_the_pack_cache_decode_their_options_only_when_read():
    fresh = load_packs()
    untouched = [rule for rule in fresh if "_detail" in rule.__dict__]
    assert len(untouched) == len(fresh)  # loading decoded no rule's options, derived facts or examples
    rule = untouched[0]
    twin = next(other for other in RULES if (other.code, other.language) == (rule.code, rule.language))
    assert rule.options == twin.options and rule.examples == twin.examples and "_detail" not in rule.__dict__


def test_threads_reading_rules_from_the_pack_cache_at_once_all_get_their_options():
    # An audit's Dask worker runs several threads over the same rules; switch threads as often as possible.
    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    try:
        fresh = load_packs()
        start = threading.Barrier(8)
        errors: list[BaseException] = []

        def read_every_rule():
            start.wait()
            for rule in fresh:
                try:
                    rule.options
                except Exception as error:  # noqa: BLE001 - collected for the assertion below
                    errors.append(error)

        threads = [threading.Thread(target=read_every_rule) for _ in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        sys.setswitchinterval(interval)
    assert not errors
    assert [rule.options for rule in fresh] == [rule.options for rule in RULES]


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(TEXT)
def test_prefilter_finds_exactly_what_a_full_scan_finds(text):
    assert matches(text, True) == matches(text, False)


@pytest.mark.parametrize("gap", GAPS)
def test_examples_with_other_gaps_between_words_give_the_same_matches(gap):
    for example in EXAMPLES:
        # Upper case, and a dotless 'ı' (which re's IGNORECASE matches to 'i') in every word.
        for text in (example.replace(" ", gap), example.upper().replace(" ", gap),
                     example.replace("i", "\u0131").replace(" ", gap)):
            assert matches(text, True) == matches(text, False), text


def test_every_rule_example_is_found_through_the_prefilter():
    for rule in RULES:
        for example in rule.examples.get("fail", ()):
            if rule.consultations_only:
                continue
            assert any(code == rule.code for code, *_ in matches(example, True)), (rule.code, example)


def test_most_rules_are_tried_only_where_an_anchor_puts_a_match():
    # Scored rules read every sentence by design (their cues are weights, not required words).
    for language in ("en", "cy"):  # in each language, one rule opens on a name before a title ("Jane Smith MP")
        token_rules = [rule for rule in RULES if "tokens" in rule.options and rule.language == language]
        assert sum(rule.start_anchors is not None for rule in token_rules) >= len(token_rules) - 1
    english = [rule for rule in RULES if "tokens" in rule.options and rule.language == "en"]
    assert all(rule.start_anchors or rule.anchors for rule in english)  # no English token rule runs on every block
    assert sum(rule.gates is not None for rule in english) >= len(english) // 2


def test_rates_follow_how_common_a_literal_is_in_running_text():
    rate = rates_for("en")
    assert rate("the") > rate("will") > rate("council") > rate("consultation")
    assert rate("announc") >= rate("announced")  # a stem counts every word it begins
    assert rate("the") > rate("them")  # and a word counts the longer words holding it
    assert rate(",") > rate("£")  # punctuation is everywhere, a currency sign is not
    assert rate("re-elected") <= rate("elected")  # no more common than its rarest part
    assert rate("5") == rate("7") and 10 * rate("5") > rate("council")
    welsh = rates_for("cy")  # wordfreq has no Welsh: rarer as literals grow longer
    assert welsh("yn") > welsh("cyngor") > welsh("ymgynghoriad")


def test_tokens_match_whole_words_and_a_final_currency_sign_touches_its_sum():
    import re

    pattern = re.compile(alternation(["will rise from £", "fare"]), re.IGNORECASE)
    assert pattern.search("The penalty will rise from £80 to £150.").group() == "will rise from £"
    assert pattern.search("a £2 flat fare.").group() == "fare"
    assert pattern.search("welfare and fares") is None
    assert pattern.search("it will rise from £") is not None  # nothing after the sign at all


def test_anchors_are_the_rarest_literals_every_match_holds_anywhere():
    rate = rates_for("en")
    pattern = alternation(["(?:we|I) will (?:now )?(?:fund|invest) (?:the|a) new scheme"])
    assert anchors(pattern, rate) == frozenset({"scheme"})  # at the end of the match, not 'will' at its start
    sets = required_sets(pattern, rate)
    assert sets[0] == frozenset({"scheme"}) and frozenset({"fund", "invest"}) in sets and frozenset({"will"}) in sets
    assert "now" not in set().union(*sets)  # optional words are never required


def test_a_gated_token_is_tried_only_in_blocks_holding_its_gates():
    from purdah_lint.ruleset.ruletypes.existence import ExistenceRule

    options = {**EXISTENCE_DEFAULTS, "tokens": ["(?:we|I) will (?:fund|invest) (?:the|a) new scheme"]}
    rule = ExistenceRule(name="gated", code="PE990", category="policy-announcement", level=Severity.WARNING,
                         message="m", guidance="g", signoff="s", summary="s", options=options)
    assert {literal for literal, _, _ in rule.start_anchors} == {"fund", "invest"}  # a known distance from the start
    assert "scheme" in {literal for literal, _, _ in rule.gates}  # rarer, but any distance away
    index = anchor_index((rule,))
    assert index.plan("We will invest the money.") == {}  # a start anchor, but no gate
    text = "We will fund a new scheme. I will invest a new scheme."
    starts = index.plan(text)[rule]  # where 'we' or 'I' would begin before each anchor
    assert {0, 27} <= {start for start, _ in starts} and len(starts) <= 4
    assert [match.start() for match in rule.token_matches(text, starts)] == [0, 27]


def test_start_anchors_walk_back_over_optional_words_and_white_space():
    found = set(start_anchors(r"(?<!\w)(?:(?:the\s+)?annual\s+report)(?!\w)"))
    assert found == {("annual", ()), ("annual", (SPACE, (3, 3)))}  # without 'the', and after it
    text = "See the \n  annual report."
    assert candidate_starts(text, text.index("annual"), (SPACE, (3, 3))) == [text.index("the")]
    (literal, steps), = start_anchors(r"(?<!\w)(?:[Aa]\s+new\s+plan)(?!\w)")
    assert literal == "plan" and steps == (SPACE, (3, 3), SPACE, (1, 1))
    text = "a \t new  plan"
    assert candidate_starts(text, text.index("plan"), steps) == [0]
    assert candidate_starts("anew plan", 5, steps) == []  # no white space before 'new': no match can start


def test_patterns_without_a_usable_anchor_have_none():
    assert start_anchors(r"(?<!\w)(?:[A-Z][a-z]+\s+MP)(?!\w)") is None  # the name before 'MP' has no bound
    assert start_anchors(r"x*") is None  # an empty match could start anywhere


def test_tokens_with_back_references_are_not_tried_one_by_one():
    from purdah_lint.ruleset.ruletypes.existence import ExistenceRule

    options = {"tokens": ["(new) plan", r"(bold) \1 claim"], "exceptions": [], "paragraph_exceptions": []}
    assert ExistenceRule.analyse(options)["start_anchors"] is None  # '\1' means group 1 of the whole alternation
    assert ExistenceRule.analyse({**options, "tokens": ["(new) plan", "bold claim"]})["start_anchors"]


PAGE_RULES = [rule for rule in RULES if rule.options.get("page_exceptions")]
# Pass examples hold the pages the page exceptions are for ("This page has been archived").
PASSES = sorted({example for rule in PAGE_RULES for example in rule.examples.get("pass", ())})


def test_every_built_in_page_exception_is_searched_on_its_own_behind_its_literals():
    for rule in PAGE_RULES:
        searches = rule._page_exception_searches
        assert len(searches) == len(rule.options["page_exceptions"]), rule.code
        assert all(ways for _, ways in searches), rule.code


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(TEXT, st.sampled_from(PASSES), st.sampled_from(PASSES).map(str.upper)), min_size=1, max_size=4))
def test_page_exceptions_split_and_filtered_by_literals_hold_exactly_where_the_whole_alternation_does(blocks):
    segments = [Segment(text, "paragraph", [(0, 0)], LineIndex(text)) for text in blocks]
    page = PageContext(segments)  # one page for every rule, as the engine shares it; each literal looked for alone
    # As the engine makes it: the prefilter's automaton finds every page-exception literal in one pass.
    scanned = PageContext(segments, anchor_index(tuple(PAGE_RULES)).page_literals)
    for rule in PAGE_RULES:
        whole = any(rule._page_exceptions.search(text) for text in blocks)
        assert any(page.holds(pattern, ways) for pattern, ways in rule._page_exception_searches) == whole, rule.code
        assert any(scanned.holds(pattern, ways) for pattern, ways in rule._page_exception_searches) == whole, rule.code


def test_a_page_literal_counts_only_inside_one_block():
    page = FoldedPage(["an archived", "page", "page two"])  # joined: "an archived\npage\npage two"
    assert page.blocks_holding("page") == {1, 2} and page.blocks_holding("archived") == {0}
    assert page.blocks_holding("archived\npage") == set()  # across a join: in no block
    literals = Literals.build(tuple((literal, literal) for literal in ("page", "archived\npage", "missing")))
    assert page.holding(literals) == {"page": {1, 2}}  # the same in one pass over the page


def test_literal_ways_open_branches_so_each_needs_only_its_own_literals():
    ways = literal_ways([alternation(["heatwave|major incident|boil water notice"])])
    words = [{"heatwave"}, {"major", "incident"}, {"boil", "water", "notice"}]
    assert len(ways) == 3 and (("heatwave",),) in ways
    for way in ways:  # each way: one or two of its own branch's words, each a set of its own
        assert 1 <= len(way) <= 2 and all(len(literals) == 1 for literals in way)
        assert any({literals[0] for literals in way} <= branch for branch in words), way
    assert literal_ways([alternation(["(?:new|old) \\w+"])]) == ((("new",),), (("old",),))  # a word class adds no literal
    assert literal_ways([alternation(["\\d+ \\w+"])]) is None  # some way holds no literal: only the pattern tells
