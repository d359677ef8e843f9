"""Themes of an event: the subjects it is about (rules in ``data/rules/themes.csv``).

A theme is given when it is a stated subject, not when a word appears in passing:

* each cue word scores 1 (``strong``) or 0.5 (``weak``: words often used in passing,
  such as "schools" or "environment"); a weak cue scores 1 in the title or right after a
  subject construction ("on", "devoted to", "consacré à", "dedicato a" ...);
* names said in passing (who organised or supported the event, the office a speaker
  holds: ``theme_context.csv``) are not read for cues;
* known networks and programmes add the theme their name states (organisations.csv);
* a theme scoring 1 or more is given; with none, the entry is ``institutional``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

from intl_metrics.enrich._cues import (
    Doc,
    PhraseTable,
    RuleTable,
    analyse,
    phrase_words,
    rows_for,
)
from intl_metrics.enrich.names import found_in
from intl_metrics.schema import DEFAULT_RULE, THEMES, Evidence

_WEIGHT = {"strong": 1.0, "weak": 0.5}
_FIRST_WORD = re.compile(r"[a-z]+(?=[ '])")
# A weak cue counts in full when a subject construction ends at most this many words before.
_SUBJECT_REACH = 5
# A name said in passing is read over at most this many characters.
_RUN_CHARS = 300

# A run of capitalised words with small joining words between them: the name after a
# "passing" phrase ("organized by the City of Torino, the Torino Chamber of Commerce and
# ASSAIF"; "organised by the City with the University of Torino": a co-organiser is named
# in passing too), read from the end of the phrase.
_JOIN = (
    r"(?:(?:of|the|for|and|with|&|di|del|della|dello|dei|degli|delle|e|ed|con|de|du|des|avec|"
    r"la|le|les|et|per|al|alla|ai|agli|a|à|aux|y|en)(?=\s)|(?:l|dell|all|d|nell|sull)['’])"
)
_NAME = r"[A-ZÀ-ÖØ-Þ][\w'’.&-]*"
# The whole run in one match, ending with its last name: joining words and commas (a
# comma only when another token follows it) lead to each name.
_RUN = re.compile(rf"(?:(?:\s*(?:{_JOIN}|,(?=\s*(?:{_JOIN}|{_NAME}|,))))*\s*{_NAME})+")


@dataclass(frozen=True)
class _Rules:
    cues: PhraseTable  # value: (theme, weight, rule id)
    # "re:" cues, kind = row number: (its theme, its weight, its rule id) by kind
    regex_cues: RuleTable
    regex_values: dict[str, tuple[str, float, str]]
    passing: RuleTable
    # subject constructions by their last word: [(the words before it, last is a prefix)]
    subject: dict[str, list[tuple[str, ...]]]
    subject_stems: tuple[tuple[str, tuple[str, ...]], ...]
    # bare prepositions, and the topic words (exact, prefixes) one must follow
    prepositions: frozenset[str]
    topics: frozenset[str]
    topic_stems: tuple[str, ...]
    # a people's community: a demonym next to one of these names migrants
    community: frozenset[str]


@cache
def _rules(language: str) -> _Rules:
    pairs: list[tuple[str, object, bool]] = []
    regex_cues: list[tuple[str, str, str]] = []
    regex_values: dict[str, tuple[str, float, str]] = {}
    for row in rows_for("themes", language):
        theme, weight = row["theme"], _WEIGHT.get(row["strength"], 0.0)  # mask rows weigh 0
        rule = f"themes.csv:{theme}/{row['cue']}"
        if row["cue"].startswith("re:"):
            # A regular-expression cue starts with a whole word: the word it needs.
            pattern = row["cue"][3:]
            first = _FIRST_WORD.match(pattern)
            kind = str(len(regex_cues))
            regex_cues.append((kind, r"\b" + pattern, first.group() if first else ""))
            regex_values[kind] = (theme, weight, rule)
        else:
            pairs.append((row["cue"], (theme, weight, rule), False))
    passing: list[tuple[str, str, str]] = []
    subject: dict[str, list[tuple[str, ...]]] = {}
    stems: list[tuple[str, tuple[str, ...]]] = []
    words_of: dict[str, set[str]] = {
        "preposition": set(),
        "topic": set(),
        "topic*": set(),
        "community": set(),
    }
    for row in rows_for("theme_context", language):
        if row["kind"] == "passing":
            passing.append(("passing", row["cue"], row["needs"]))
            continue
        if row["kind"] in ("preposition", "topic", "community"):
            for phrase in row["cue"].split("|"):
                words, prefix = phrase_words(phrase)
                if len(words) == 1:
                    words_of[row["kind"] + ("*" if prefix else "")].add(words[0])
            continue
        for phrase in row["cue"].split("|"):
            words, prefix = phrase_words(phrase)
            if words and prefix:
                stems.append((words[-1], words[:-1]))
            elif words:
                subject.setdefault(words[-1], []).append(words[:-1])
    return _Rules(
        PhraseTable(pairs),
        RuleTable(regex_cues),
        regex_values,
        RuleTable(passing),
        subject,
        tuple(stems),
        frozenset(words_of["preposition"]),
        frozenset(words_of["topic"]),
        tuple(sorted(words_of["topic*"])),
        frozenset(words_of["community"]),
    )


def _passing_words(doc: Doc, rules: _Rules) -> list[tuple[int, int]]:
    """Word ranges [first, last) of the names that follow a passing phrase."""
    passing = rules.passing.active(doc).get("passing")
    if passing is None:
        return []
    ranges: list[tuple[int, int]] = []
    text = doc.text
    # The phrase is looked for in the folded text (chargée = chargee), the name after it in
    # the original, where capitals show; folding keeps the indices.
    for m in passing.finditer(doc.folded):
        if m.start() < doc.title_end:
            continue
        run = _RUN.match(text, m.end(), m.end() + _RUN_CHARS)
        if run:
            ranges.append((doc.word_at(m.end()), doc.word_at(run.end() - 1) + 1))
    return ranges


def _after_subject(words: tuple[str, ...], i: int, rules: _Rules) -> bool:
    """Whether a subject construction ends within the few words before word ``i``."""
    for j in range(max(0, i - _SUBJECT_REACH), i):
        w = words[j]
        for before in rules.subject.get(w, ()):
            if not before or words[max(0, j - len(before)) : j] == before:
                return True
        for stem, before in rules.subject_stems:
            if w.startswith(stem) and (not before or words[max(0, j - len(before)) : j] == before):
                return True
        if w in rules.prepositions and any(
            t in rules.topics or t.startswith(rules.topic_stems) for t in words[max(0, j - 2) : j]
        ):
            return True
    return False


def event_themes(title: str, description: str, language: str) -> tuple[str, ...]:
    """The themes an event is about, in ``schema.THEMES`` order; never empty."""
    return doc_themes(analyse(title, description), language)


_ORDER = {theme: n for n, theme in enumerate(THEMES)}
_NO_THEME = ("institutional",)


def doc_themes(doc: Doc, language: str) -> tuple[str, ...]:
    """The themes of the Doc's event (see ``event_themes``)."""
    return tuple(dict.fromkeys(e.label for e in doc_theme_evidence(doc, language)))


_INSTITUTIONAL = (Evidence("theme", "institutional", DEFAULT_RULE),)


def doc_theme_evidence(
    doc: Doc, language: str, names: Sequence[tuple[str, int, int, str, str]] = ()
) -> tuple[Evidence, ...]:
    """The themes of the Doc's event, each with the cues that gave it, in THEMES order.

    A theme given by one cue of full weight has that cue; one given by weak cues alone
    has the cues that together reached a full score. ``institutional`` by default.
    ``names``: the place names the partner labeller read (PlaceReading.names); a demonym
    next to a community word ("Moroccan families") states migration.
    """
    rules = _rules(language)
    # (first word, theme, weight, rule, last word); a regex cue: its characters as words
    hits = [(m.first, *m.value, m.last) for m in rules.cues.find(doc)]  # type: ignore[misc]
    for kind, regex in rules.regex_cues.active(doc).items():
        theme, weight, rule = rules.regex_values[kind]
        for m in regex.finditer(doc.folded):
            first = doc.word_at(m.start())
            hits.append((first, theme, weight, rule, max(first + 1, doc.word_at(m.end()))))
    if names and rules.community and not rules.community.isdisjoint(doc.wordset):
        hits.extend(_communities(doc, names, rules.community))
    scores: dict[str, float] = {}
    why: dict[str, list[tuple[int, int, str, float]]] = {}  # theme -> (first, last, rule, weight)
    named = found_in(doc)
    if hits:
        # A known name states its subject through its row of organisations.csv, not through
        # its words ("Commissione economica delle Nazioni Unite" is no economy cue).
        passing = [(m.first, m.last) for m in named]
        if max(hits)[0] >= doc.title_words:  # names said in passing are never in the title
            passing = _passing_words(doc, rules) + passing
        for i, theme, weight, rule, last in hits:
            if weight <= 0 or (passing and any(a <= i < b for a, b in passing)):
                continue
            if weight < 1 and (i < doc.title_words or _after_subject(doc.words, i, rules)):
                weight = 1.0
            scores[theme] = scores.get(theme, 0.0) + weight
            why.setdefault(theme, []).append((i, last, rule, weight))
    for mention in named:
        for theme in mention.themes:
            scores[theme] = scores.get(theme, 0.0) + 1.0
            rule = f"organisations.csv:{mention.canonical}"
            why.setdefault(theme, []).append((mention.first, mention.last, rule, 1.0))
    chosen = [t for t, score in scores.items() if score >= 1.0 and t in _ORDER]
    if not chosen:
        return _INSTITUTIONAL
    chosen.sort(key=_ORDER.__getitem__)
    found: list[Evidence] = []
    for theme in chosen:
        reasons = why[theme]
        full = next((r for r in reasons if r[3] >= 1.0), None)
        picked = [full] if full is not None else _enough(reasons)
        for first, last, rule, _ in picked:
            found.append(doc.evidence("theme", theme, rule, *doc.span(first, last)))
    return tuple(found)


def _communities(
    doc: Doc, names: Sequence[tuple[str, int, int, str, str]], community: frozenset[str]
) -> list[tuple[int, str, float, str, int]]:
    """A demonym right before or after a community word: migration."""
    found = []
    base = doc.title_end + 1
    words = doc.words
    for where, start, end, _code, kind in names:
        if kind != "demonym":
            continue
        if where == "description":
            start, end = start + base, end + base
        first, last = doc.word_at(start), doc.word_at(end - 1) + 1
        if last < len(words) and words[last] in community:
            found.append((first, "migration", 1.0, _COMMUNITY_RULE, last + 1))
        elif first > 0 and words[first - 1] in community:
            found.append((first - 1, "migration", 1.0, _COMMUNITY_RULE, last))
    return found


_COMMUNITY_RULE = "theme_context.csv:community"


def _enough(
    reasons: list[tuple[int, int, str, float]],
) -> list[tuple[int, int, str, float]]:
    """The first weak cues whose weights reach a full score."""
    picked, total = [], 0.0
    for reason in reasons:
        picked.append(reason)
        total += reason[3]
        if total >= 1.0:
            break
    return picked
