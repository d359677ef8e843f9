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
from dataclasses import dataclass
from functools import cache

from intl_metrics.enrich._cues import (
    Doc,
    GatedRegex,
    PhraseTable,
    RuleSet,
    analyse,
    phrase_words,
    rows_for,
)
from intl_metrics.enrich.names import mentions
from intl_metrics.schema import THEMES

_WEIGHT = {"strong": 1.0, "weak": 0.5}
# A weak cue counts in full when a subject construction ends at most this many words before.
_SUBJECT_REACH = 5

# A run of capitalised words with small joining words between them: the name after a
# "passing" phrase ("organized by the City of Torino, the Torino Chamber of Commerce and
# ASSAIF"). Read token by token from the end of the phrase, at most 30 tokens.
_TOKEN = re.compile(
    r"\s*(?:(?P<join>(?:(?:of|the|for|and|&|di|del|della|dello|dei|degli|delle|e|ed|de|du|des|"
    r"la|le|les|et|per|al|alla|ai|agli|a|à|aux|y|en)(?=\s))|(?:l|dell|all|d|nell|sull)['’])"
    r"|(?P<name>[A-ZÀ-ÖØ-Þ][\w'’.&-]*)|(?P<comma>,))"
)


@dataclass(frozen=True)
class _Rules:
    cues: PhraseTable
    regex_cues: tuple[tuple[GatedRegex, str, float], ...]
    passing: RuleSet
    # subject constructions by their last word: [(the words before it, last is a prefix)]
    subject: dict[str, list[tuple[str, ...]]]
    subject_stems: tuple[tuple[str, tuple[str, ...]], ...]


@cache
def _rules(language: str) -> _Rules:
    pairs: list[tuple[str, object, bool]] = []
    regex_cues: list[tuple[GatedRegex, str, float]] = []
    for row in rows_for("themes", language):
        theme, weight = row["theme"], _WEIGHT.get(row["strength"], 0.0)  # mask rows weigh 0
        if row["cue"].startswith("re:"):
            regex_cues.append((GatedRegex(r"\b" + row["cue"][3:]), theme, weight))
        else:
            pairs.append((row["cue"], (theme, weight), False))
    passing: list[str] = []
    subject: dict[str, list[tuple[str, ...]]] = {}
    stems: list[tuple[str, tuple[str, ...]]] = []
    for row in rows_for("theme_context", language):
        if row["kind"] == "passing":
            passing.append(row["cue"])
            continue
        for phrase in row["cue"].split("|"):
            words, prefix = phrase_words(phrase)
            if words and prefix:
                stems.append((words[-1], words[:-1]))
            elif words:
                subject.setdefault(words[-1], []).append(words[:-1])
    return _Rules(PhraseTable(pairs), tuple(regex_cues), RuleSet(passing), subject, tuple(stems))


def _passing_words(doc: Doc, rules: _Rules) -> list[tuple[int, int]]:
    """Word ranges [first, last) of the names that follow a passing phrase."""
    ranges: list[tuple[int, int]] = []
    text = doc.text
    # The phrase is looked for in the folded text (chargée = chargee), the name after it in
    # the original, where capitals show; folding keeps the indices.
    for m in rules.passing.finditer(doc.folded, doc):
        if m.start() < doc.title_end:
            continue
        pos, end, found = m.end(), m.end(), False
        for _ in range(30):
            t = _TOKEN.match(text, pos)
            if t is None:
                break
            if t.group("name"):
                found, end = True, t.end()
            elif t.group("comma") and not _TOKEN.match(text, t.end()):
                break
            pos = t.end()
        if found:
            ranges.append((doc.word_at(m.end()), doc.word_at(end - 1) + 1))
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
    return False


def event_themes(title: str, description: str, language: str) -> tuple[str, ...]:
    """The themes an event is about, in ``schema.THEMES`` order; never empty."""
    rules = _rules(language)
    doc = analyse(title, description)
    hits: list[tuple[int, str, float]] = []
    for match in rules.cues.find(doc):
        theme, weight = match.value  # type: ignore[misc]
        hits.append((match.first, theme, weight))
    for gated, theme, weight in rules.regex_cues:
        if gated.may_match(doc):
            hits.extend(
                (doc.word_at(m.start()), theme, weight) for m in gated.regex.finditer(doc.folded)
            )
    scores: dict[str, float] = {}
    if hits:
        passing = _passing_words(doc, rules)
        for i, theme, weight in hits:
            if weight <= 0 or any(a <= i < b for a, b in passing):
                continue
            if weight < 1 and (i < doc.title_words or _after_subject(doc.words, i, rules)):
                weight = 1.0
            scores[theme] = scores.get(theme, 0.0) + weight
    for mention in mentions(title, description):
        for theme in mention.themes:
            scores[theme] = scores.get(theme, 0.0) + 1.0
    chosen = tuple(t for t in THEMES if scores.get(t, 0.0) >= 1.0)
    return chosen or ("institutional",)
