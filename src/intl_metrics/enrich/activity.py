"""Activity of an event: what kind of international activity it was (``data/rules/activity.csv``).

The rules of events.md are tried in their literal order and the first that matches wins:
agreement > diplomatic > delegation > project > network > mission > event.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

from intl_metrics.enrich._cues import Doc, RuleKind, RuleTable, analyse, fold_same_length, rows_for
from intl_metrics.enrich.format import event_format
from intl_metrics.enrich.names import Mention, mentions
from intl_metrics.enrich.places import Gazetteer
from intl_metrics.schema import Place

_SENTENCE_END = re.compile(r"[.;!?](?=\s|$)|\n")
_WORD = re.compile(r"[\w'’-]+|[,()]")
_KINDS = (
    "agreement_title",
    "agreement_noun",
    "agreement_verb",
    "agreement_not",
    "agreement_past",
    "diplomatic",
    "diplomatic_home",
    "delegation_of",
    "official_of",
    "welcome",
    "meeting",
    "gathering",
    "mission_title",
    "travel",
    "went_to_place",
)
_CASED = frozenset({"went_to_place"})  # rules that read capitals: matched on the plain text


@dataclass(frozen=True)
class _Rules:
    kinds: dict[str, RuleKind]
    generic: frozenset[str]
    home: frozenset[str]

    def __getitem__(self, name: str) -> RuleKind:
        return self.kinds[name]


@cache
def _rules(language: str) -> _Rules:
    rows: list[tuple[str, str, str]] = []
    cased: list[tuple[str, str, str]] = []
    words: dict[str, set[str]] = {"generic_word": set(), "home_word": set()}
    for row in rows_for("activity", language):
        if row["rule"] in words:
            words[row["rule"]].update(w.strip() for w in row["cue"].split("|") if w.strip())
        elif row["rule"] in _CASED:
            cased.append((row["rule"], row["cue"], row["needs"]))
        else:
            rows.append((row["rule"], row["cue"], row["needs"]))
    # Most rules read the folded (lower-case) text: case-blind matching is slower. Those
    # that look at capitals read the plain text, case aside but where they say (?-i:...).
    table, cased_table = RuleTable(rows), RuleTable(cased, re.IGNORECASE)
    kinds = {kind: (cased_table if kind in _CASED else table).kind(kind) for kind in _KINDS}
    return _Rules(kinds, frozenset(words["generic_word"]), frozenset(words["home_word"]))


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


def _masked(doc: Doc, found: Sequence[Mention]) -> str:
    """The Doc's folded text with the organisation names blanked."""
    masked = doc.folded
    if found:
        parts: list[str] = []
        last = 0
        for m in found:
            start, end = doc.span(m.first, m.last)
            start = max(start, last)  # names may overlap ("OECD" in "OECD Champion ...")
            if end > start:
                parts += (masked[last:start], " " * (end - start))
                last = end
        masked = "".join((*parts, masked[last:]))
    return masked


def _is_agreement(doc: Doc, found: Sequence[Mention], rules: _Rules) -> bool:
    """An agreement, pact, memorandum or twinning is signed or renewed.

    Organisation names are blanked first: the Covenant of Mayors ("Patto dei Sindaci")
    is a network, not a pact between cities.
    """
    title, verbs = rules["agreement_title"], rules["agreement_verb"]
    if not title.regexes(doc) and not verbs.regexes(doc):
        return False
    masked = _masked(doc, found)
    if title.search(masked, doc, 0, doc.title_end):
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


def _is_diplomatic(doc: Doc, rules: _Rules) -> bool:
    """A consul, ambassador or envoy of a foreign state (Italy's own consul abroad is not)."""
    text = doc.folded
    found = list(rules["diplomatic"].finditer(text, doc))
    if not found:
        return False
    home = [m.span() for m in rules["diplomatic_home"].finditer(text, doc)]
    return any(not any(a <= m.start() < b for a, b in home) for m in found)


def _is_delegation(doc: Doc, rules: _Rules) -> bool:
    """A foreign delegation, mayor or official visits Torino."""
    text, plain = doc.folded, doc.plain
    if rules["mission_title"].search(text, doc, 0, doc.title_end):
        return False
    for m in rules["delegation_of"].finditer(text, doc):
        if _whose(plain, m.end(), rules) == "foreign":
            return True
    welcome = rules["welcome"]
    for m in rules["official_of"].finditer(text, doc):
        if _whose(plain, m.end(), rules) != "foreign":
            continue
        start, end = _sentence(text, m.start())
        if welcome.search(text, doc, start, end):
            return True
    return False


def _names_meeting(doc: Doc, spans: list[tuple[int, int]], rules: _Rules) -> bool:
    """A meeting noun shortly before a name, or a gathering word right after it."""
    text = doc.folded
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
    """A meeting of an international network of cities or organisations.

    A city's title ("the French UNESCO Creative City of Design") names a member city,
    not a meeting of the network.
    """
    named = [m for m in found if m.kind == "network" and m.canonical in organisations]
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
    text = doc.folded
    if rules["mission_title"].search(text, doc, 0, doc.title_end):
        return True
    foreign = {p.country for p in partners} | set(countries)
    foreign.discard("IT")
    if not foreign or event_format(title, description, language) == "virtual":
        return False
    if rules["travel"].search(text, doc):
        return True
    # Torino's own delegation in an entry with a foreign place went there.
    for m in rules["delegation_of"].finditer(text, doc):
        if _whose(doc.plain, m.end(), rules) == "home":
            return True
    plain = doc.plain
    return any(
        _names_foreign_place(plain, m.end() - 1, foreign)
        for m in rules["went_to_place"].finditer(plain, doc)
    )


# The name after "in/at": capitalised words (or numbers: "Expo 2020 Dubai"), a few joiners.
_NAME = re.compile(r"([A-Z][\w'’-]*|\d+|de|del|di|da|la|le|of|sur|am)(\s+)?")


def _names_foreign_place(text: str, pos: int, foreign: set[str]) -> bool:
    """Whether the capitalised name at ``pos`` holds a place of one of the foreign countries."""
    words: list[str] = []
    while len(words) < 5:
        m = _NAME.match(text, pos)
        if m is None:
            break
        words.append(m.group(1))
        if m.group(2) is None:  # punctuation ends the name
            break
        pos = m.end()
    if not words:
        return False
    lookup = Gazetteer.default().lookup
    for size in range(len(words), 0, -1):
        for first in range(len(words) - size + 1):
            span = words[first : first + size]
            if not span[0][:1].isupper() or not span[-1][:1].isupper():
                continue
            place = lookup(" ".join(span))
            if place is not None and place.country in foreign:
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
    if _is_agreement(doc, found, rules):
        return "agreement"
    if _is_diplomatic(doc, rules):
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
