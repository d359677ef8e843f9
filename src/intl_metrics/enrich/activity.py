"""Activity of an event: what kind of international activity it was (``data/rules/activity.csv``).

The rules of events.md are tried in their literal order and the first that matches wins:
agreement > diplomatic > delegation > project > network > mission > event.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

from intl_metrics.enrich._cues import Doc, RuleSet, analyse, fold_same_length, rows_for
from intl_metrics.enrich.format import event_format
from intl_metrics.enrich.names import Mention, mentions, organisation_kind
from intl_metrics.schema import Place

_SENTENCE_END = re.compile(r"[.;!?](?=\s|$)|\n")
_WORD = re.compile(r"[\w'’-]+|[,()]")
_NO_RULES = RuleSet(())


@dataclass(frozen=True)
class _Rules:
    sets: dict[str, RuleSet]
    generic: frozenset[str]
    home: frozenset[str]

    def __getitem__(self, name: str) -> RuleSet:
        return self.sets.get(name, _NO_RULES)


@cache
def _rules(language: str) -> _Rules:
    parts: dict[str, list[str]] = {}
    words: dict[str, set[str]] = {"generic_word": set(), "home_word": set()}
    for row in rows_for("activity", language):
        if row["rule"] in words:
            words[row["rule"]].update(w.strip() for w in row["cue"].split("|") if w.strip())
        else:
            parts.setdefault(row["rule"], []).append(row["cue"])
    sets = {rule: RuleSet(cues, re.IGNORECASE) for rule, cues in parts.items()}
    return _Rules(sets, frozenset(words["generic_word"]), frozenset(words["home_word"]))


def _sentence(text: str, pos: int) -> tuple[int, int]:
    """Bounds of the sentence around ``pos``."""
    start = max(0, pos - 400)
    for m in _SENTENCE_END.finditer(text, start, pos):
        start = m.end()
    end_m = _SENTENCE_END.search(text, pos)
    return start, end_m.start() if end_m else len(text)


def _whose(text: str, pos: int, rules: _Rules) -> str:
    """Whose delegation or official the name at ``pos`` is: ``home``, ``foreign`` or ``unknown``.

    Generic words are skipped ("the City of", "la Municipalite de"); the first other
    word decides: a capitalised name is Torino's own (home_word) or foreign; a
    lower-case word means no name was given ("a delegation of the City led by ...").
    """
    for m in _WORD.finditer(text, pos, min(len(text), pos + 120)):
        word = m.group()
        if word in ",()":
            return "unknown"
        # Elisions: "d'Alexandrie", "l'Hotel" -> the word after the apostrophe;
        # possessives: "Torino's" -> Torino.
        head, _, tail = word.replace("’", "'").partition("'")
        if tail and len(head) <= 4:
            word = tail
        elif tail in ("s", ""):
            word = head
        key = fold_same_length(word)
        if key in rules.generic or key in ("of", "de", "di", "du", "del", "della", "des", "d"):
            continue
        if not word[:1].isupper():
            return "unknown"
        return "home" if key in rules.home else "foreign"
    return "unknown"


def _is_agreement(doc: Doc, masked: str, rules: _Rules) -> bool:
    """An agreement, pact, memorandum or twinning is signed or renewed.

    ``masked`` is the Doc's plain text with organisation names blanked: the Covenant of
    Mayors ("Patto dei Sindaci") is a network, not a pact between cities.
    """
    if rules["agreement_title"].search(masked, doc, 0, doc.title_end):
        return True
    nouns = rules["agreement_noun"].regexes(doc)
    if not nouns:
        return False
    not_before, past_after = rules["agreement_not"], rules["agreement_past"]
    for verb in rules["agreement_verb"].finditer(masked, doc):
        if verb.start() < doc.title_end:
            continue
        if not_before.search(masked, doc, max(0, verb.start() - 40), verb.start()):
            continue
        if past_after.search(masked[verb.end() : verb.end() + 12], doc):
            continue
        start, end = _sentence(masked, verb.start())
        for noun_re in nouns:
            for noun in noun_re.finditer(masked, start, end):
                lo, hi = sorted((noun.start(), verb.start()))
                if len(masked[lo:hi].split()) <= 8:
                    return True
    return False


def _is_delegation(doc: Doc, rules: _Rules) -> bool:
    """A foreign delegation, mayor or official visits Torino."""
    text = doc.plain
    if rules["mission_title"].search(text, doc, 0, doc.title_end):
        return False
    for m in rules["delegation_of"].finditer(text, doc):
        if _whose(text, m.end(), rules) == "foreign":
            return True
    welcome = rules["welcome"]
    for m in rules["official_of"].finditer(text, doc):
        if _whose(text, m.end(), rules) != "foreign":
            continue
        start, end = _sentence(text, m.start())
        if welcome.search(text, doc, start, end):
            return True
    return False


def _names_meeting(doc: Doc, spans: list[tuple[int, int]], rules: _Rules) -> bool:
    """A meeting noun shortly before a name, or a gathering word right after it."""
    text = doc.plain
    meeting, gathering = rules["meeting"], rules["gathering"]
    for start, end in spans:
        s_start, s_end = _sentence(text, start)
        before = " ".join(text[s_start:start].split()[-8:])
        if meeting.search(before, doc):
            return True
        if gathering.search(text[end : min(s_end, end + 60)], doc):
            return True
    return False


def _is_project(doc: Doc, projects: Sequence[str], rules: _Rules) -> bool:
    """A meeting or event of a named project."""
    if not projects:
        return False
    title = fold_same_length(doc.title)
    if any(fold_same_length(p) in title for p in projects):
        return True
    if re.search(r"\b(?:project|projet|progetto)\b", title):
        return True
    spans: list[tuple[int, int]] = []
    for name in projects:
        spans.extend(m.span() for m in re.finditer(re.escape(name), doc.text))
    return _names_meeting(doc, spans, rules)


def _is_network(
    doc: Doc, found: Sequence[Mention], organisations: Sequence[str], rules: _Rules
) -> bool:
    """A meeting of an international network of cities or organisations."""
    networks = {o for o in organisations if organisation_kind(o) == "network"}
    named = [m for m in found if m.canonical in networks]
    if not named:
        return False
    if any(m.first < doc.title_words for m in named):
        return True
    return _names_meeting(doc, [doc.span(m.first, m.last) for m in named], rules)


def _is_mission(
    doc: Doc,
    entry: tuple[str, str, str],
    partners: Sequence[Place],
    countries: Sequence[str],
    rules: _Rules,
) -> bool:
    """Torino's representatives travel abroad and the text names the place."""
    title, description, language = entry
    text = doc.plain
    if rules["mission_title"].search(text, doc, 0, doc.title_end):
        return True
    abroad = any(p.country != "IT" for p in partners) or any(c != "IT" for c in countries)
    if not abroad or event_format(title, description, language) == "virtual":
        return False
    if rules["travel"].search(text, doc):
        return True
    for m in rules["went_to_place"].finditer(text, doc):
        place = _WORD.match(text, m.end() - 1)
        if place and fold_same_length(place.group()) not in rules.home:
            return True
    return False


def event_activity(
    title: str,
    description: str,
    language: str,
    *,
    partners: Sequence[Place],
    countries: Sequence[str],
    organisations: Sequence[str],
    projects: Sequence[str],
) -> str:
    """The activity label of events.md: the first of its rules that matches."""
    rules = _rules(language)
    doc = analyse(title, description)
    found = mentions(title, description)
    masked = doc.plain
    if found:
        chars = list(masked)
        for m in found:
            start, end = doc.span(m.first, m.last)
            chars[start:end] = " " * (end - start)
        masked = "".join(chars)
    if _is_agreement(doc, masked, rules):
        return "agreement"
    if rules["diplomatic"].search(doc.plain, doc):
        return "diplomatic"
    if _is_delegation(doc, rules):
        return "delegation"
    if _is_project(doc, projects, rules):
        return "project"
    if _is_network(doc, found, organisations, rules):
        return "network"
    if _is_mission(doc, (title, description, language), partners, countries, rules):
        return "mission"
    return "event"
