"""The shared machinery of the labellers: one analysis per text, tables of needed words."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from intl_metrics.enrich._cues import (
    Doc,
    PhraseTable,
    PrefixIndex,
    RuleTable,
    fold_same_length,
    need_words,
    plain_same_length,
    read_table,
)
from intl_metrics.parse import parse_file

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "data" / "raw" / "agenda-2021-09-10.txt"
DEV = ROOT.parent / "shared" / "data" / "dev"
QUOTE = re.compile(r"(?<![\w])'(.+?)'(?=[,;:.)]|\s|$)")
WORD = re.compile(r"[^\W_]+")


# --- the analysis of a text -------------------------------------------------------------------

TEXTS = [
    "Hello, world! l'Europe  -- a b",
    "",
    "  a",
    "abc def.",
    "Città d'Italia über Straße",
    "A--B c_d 2021-2022",
    "Ελληνικά και ąę naïve",
]


@pytest.mark.parametrize("text", TEXTS)
def test_words_spans_and_positions_are_those_of_the_folded_text(text: str) -> None:
    """Words are the letter-and-digit runs of the folded text, wherever they come from."""
    doc = Doc("Title x", text)
    expected = [m.span() for m in WORD.finditer(doc.folded)]
    assert list(doc.words) == [doc.folded[a:b] for a, b in expected]
    assert doc.wordset == frozenset(doc.words)
    fresh = Doc("Title x", text)  # word_at before and after the spans are worked out
    for pos in range(len(doc.folded) + 1):
        # the word holding pos, or the first one after it
        assert fresh.word_at(pos) == sum(1 for _, end in expected if end <= pos)
    assert [doc.span(i, i + 1) for i in range(len(doc.words))] == expected
    for pos in range(len(doc.folded) + 1):
        assert doc.word_at(pos) == sum(1 for _, end in expected if end <= pos)


def test_the_title_words_come_first() -> None:
    doc = Doc("Delegation  from Wallonia", "The City of Torino welcomed a delegation.")
    assert doc.title == "Delegation from Wallonia"
    assert doc.words[: doc.title_words] == ("delegation", "from", "wallonia")


def test_hostile_input_is_clipped() -> None:
    doc = Doc("x" * 1_000_000, "online " * 500_000)
    assert len(doc.text) < 20_000


# --- words a rule needs -------------------------------------------------------------------------


def test_needs_are_words_or_prefixes() -> None:
    assert need_words("consul | consuls | video*") == (
        frozenset({"consul", "consuls"}),
        frozenset({"video"}),
    )
    with pytest.raises(ValueError):
        need_words("vid*")  # a prefix of fewer than four letters would let everything in
    with pytest.raises(ValueError):
        need_words("in person")  # one word per need


def test_a_rule_runs_only_on_an_entry_with_a_word_it_needs() -> None:
    table = RuleTable([("diplomatic", r"\bconsul general\b", "consul")])
    met = Doc("Meeting", "The Mayor met the consul general of Japan.")
    other = Doc("Meeting", "The Mayor met the general manager.")
    assert table.search("diplomatic", met.folded, met)
    assert table.regexes("diplomatic", other) == []


def test_a_prefix_need_lets_every_ending_in() -> None:
    table = RuleTable([("remote", r"\bvideo ?conferenc\w*", "video*")])
    doc = Doc("Call", "They met by videoconference.")
    assert table.search("remote", doc.folded, doc)


def test_several_rules_of_a_kind_run_as_one_alternation() -> None:
    table = RuleTable([("k", r"\bmet\b", "met"), ("k", r"\bgathered\b", "gathered")])
    doc = Doc("", "They met and gathered.")
    assert len(table.regexes("k", doc)) == 1
    assert [m.group() for m in table.finditer("k", doc.folded, doc)] == ["met", "gathered"]


def test_a_need_written_with_capitals_must_appear_so() -> None:
    table = RuleTable([("network", r"\b[A-Z]\w+ Cities Network\b", "Cities")])
    named = Doc("", "Torino joined the Resilient Cities Network.")
    plain = Doc("", "Torino and other cities network a lot.")
    assert table.regexes("network", named)
    assert table.regexes("network", plain) == []


def test_the_prefix_index_sorts_each_word_out_once() -> None:
    index = PrefixIndex([("migrant", 1), ("migra", 2)])
    assert index.words(frozenset({"migrants", "lyon", "mig"})) == {"migrants"}
    assert index.values["migrants"] == frozenset({1, 2})
    assert index.words(frozenset({"migration", "migrants"})) == {"migration", "migrants"}


# --- phrase tables ------------------------------------------------------------------------------


def test_phrases_are_found_longest_first_whatever_their_first_word() -> None:
    table = PhraseTable(
        [
            ("city of design", "design", False),
            ("city of literature", "culture", False),
            ("migrant*", "migration", False),
            ("urban regeneration", "urban", False),
            ("energy", "energy", False),
            ("energy transition", "energy+", False),
        ]
    )
    doc = Doc(
        "Torino, City of Design",
        "The City of Torino met the City of Literature on migrants, energy and energy "
        "transition; no urban plan.",
    )
    found = [(doc.words[m.first : m.last], m.value) for m in table.find(doc)]
    assert found == [
        (("city", "of", "design"), "design"),
        (("city", "of", "literature"), "culture"),
        (("migrants",), "migration"),
        (("energy",), "energy"),
        (("energy", "transition"), "energy+"),
    ]


def test_a_table_made_after_a_text_was_read_still_finds_its_phrases() -> None:
    doc = Doc("Meeting", "A seminar on zorblex fabrication in Lyon.")
    assert PhraseTable([("lyon", "l", False)]).find(doc) == [(7, 8, "l")]
    # the words of the text were sorted out before these tables were made
    assert PhraseTable([("zorblex", "z", False)]).find(doc) == [(4, 5, "z")]
    rules = RuleTable([("k", r"\bfabrication\b", "fabrication")])
    assert rules.search("k", doc.folded, doc)


# --- every rule table: its needs never hide a match ------------------------------------------


def _rule_rows() -> list[pytest.param]:
    """(table, row, text variant, flags) of every regex rule, as the labellers read them."""
    params = []
    for table in ("format", "activity", "theme_context", "network_names"):
        for n, row in enumerate(read_table(table)):
            kind = row.get("rule") or row.get("kind") or "network"
            if table == "activity" and kind in ("generic_word", "home_word"):
                continue
            if table == "theme_context" and kind != "passing":
                continue
            if table == "activity" and kind == "went_to_place":
                variant, flags = "plain", re.IGNORECASE
            elif table == "network_names" or (table == "format" and kind == "venue"):
                variant, flags = "plain", 0
            else:
                variant, flags = "folded", 0
            params.append(pytest.param(table, row, variant, flags, id=f"{table}:row{n + 1}"))
    return params


def _corpus() -> list[tuple[str, str]]:
    paths = [SEED, *sorted(DEV.glob("dev*.txt"))] if DEV.is_dir() else [SEED]
    return [(e.title, e.description) for p in paths for e in parse_file(p).entries]


CORPUS = _corpus()


@pytest.mark.parametrize(("table", "row", "variant", "flags"), _rule_rows())
def test_needs_never_hide_a_match(
    table: str, row: dict[str, str], variant: str, flags: int
) -> None:
    """Wherever a rule matches (its examples, every entry of the corpus), its needs let it run."""
    regex = re.compile(row["cue"], flags)
    rules = RuleTable([("k", row["cue"], row["needs"])], flags)
    examples = [("", m.group(1)) for m in QUOTE.finditer(row["notes"])]
    if "$" in row["cue"] or "^" in row["cue"]:  # read at the edge of a window: every stretch
        examples = [("", stretch) for _, text in examples for stretch in _stretches(text)]
    matched = 0
    for title, description in [*examples, *CORPUS]:
        doc = Doc(title, description)
        text = doc.plain if variant == "plain" else doc.folded
        if regex.search(text):
            matched += 1
            assert rules.regexes("k", doc), (row["cue"], title, description)
    assert matched or not examples


def _stretches(text: str) -> list[str]:
    starts = [0, *(m.end() for m in re.finditer(r"\s+", text))]
    ends = [len(text), *(m.start() for m in re.finditer(r"\s+", text))]
    return [text[a:b] + " " for a in starts for b in ends if a < b]


def test_every_rule_has_needs() -> None:
    for table in ("format", "activity", "network_names"):
        for row in read_table(table):
            if row.get("rule") not in ("generic_word", "home_word"):
                assert row["needs"], row
    assert all(r["needs"] for r in read_table("theme_context") if r["kind"] == "passing")


def test_folding_keeps_every_index() -> None:
    text = "Città, Straße – «Genève» İstanbul"
    assert len(fold_same_length(text)) == len(text)
    assert len(plain_same_length(text)) == len(text)
