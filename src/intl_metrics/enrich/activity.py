"""Activity of an event: what kind of international activity it was (``data/rules/activity.csv``).

The rules of events.md are tried in their literal order and the first that matches wins:
agreement > diplomatic > delegation > project > network > mission > event.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

from intl_metrics.enrich._cues import Doc, RuleTable, analyse, fold_same_length, rows_for
from intl_metrics.enrich.format import doc_format
from intl_metrics.enrich.gazetteer import Gazetteer
from intl_metrics.enrich.names import Mention, found_in
from intl_metrics.schema import Place

_SENTENCE_END = re.compile(r"[.;!?](?=\s|$)|\n")
_WORD = re.compile(r"[\w'’-]+|[,()]")
_CASED = frozenset({"went_to_place"})  # rules that read capitals: matched on the plain text


@dataclass(frozen=True)
class _Rules:
    table: RuleTable  # the rules read on the folded text
    cased: RuleTable  # those read on the plain text (_CASED)
    generic: frozenset[str]
    home: frozenset[str]


# The regex of each rule kind that may match an entry (RuleTable.active): a kind missing
# has no rule that can match.
_Active = dict[str, re.Pattern[str]]


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
    return _Rules(
        RuleTable(rows),
        RuleTable(cased, re.IGNORECASE),
        frozenset(words["generic_word"]),
        frozenset(words["home_word"]),
    )


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


def _is_agreement(doc: Doc, found: Sequence[Mention], act: _Active) -> bool:
    """An agreement, pact, memorandum or twinning is signed or renewed.

    Organisation names are blanked first: the Covenant of Mayors ("Patto dei Sindaci")
    is a network, not a pact between cities.
    """
    title, verbs = act.get("agreement_title"), act.get("agreement_verb")
    if title is None and verbs is None:
        return False
    masked = _masked(doc, found)
    if title is not None and title.search(masked, 0, doc.title_end):
        return True
    nouns = act.get("agreement_noun")
    if nouns is None or verbs is None:
        return False
    not_before, past_after = act.get("agreement_not"), act.get("agreement_past")
    for verb in verbs.finditer(masked):
        if verb.start() < doc.title_end:
            continue
        if not_before is not None and not_before.search(
            masked, max(0, verb.start() - 40), verb.start()
        ):
            continue
        if past_after is not None and past_after.search(masked[verb.end() : verb.end() + 12]):
            continue
        start, end = _sentence(masked, verb.start())
        for noun in nouns.finditer(masked, start, end):
            lo, hi = sorted((noun.start(), verb.start()))
            if len(masked[lo:hi].split()) <= 8:
                return True
    return False


def _is_diplomatic(doc: Doc, act: _Active) -> bool:
    """A consul, ambassador or envoy of a foreign state (Italy's own consul abroad is not)."""
    diplomatic = act.get("diplomatic")
    if diplomatic is None:
        return False
    text = doc.folded
    found = list(diplomatic.finditer(text))
    if not found:
        return False
    regex = act.get("diplomatic_home")
    home = [] if regex is None else [m.span() for m in regex.finditer(text)]
    return any(not any(a <= m.start() < b for a, b in home) for m in found)


def _is_delegation(doc: Doc, act: _Active, rules: _Rules) -> bool:
    """A foreign delegation, mayor or official visits Torino."""
    text = doc.folded
    delegation, official = act.get("delegation_of"), act.get("official_of")
    if delegation is None and official is None:
        return False
    if _mission_title(doc, act):
        return False
    plain = doc.plain
    if delegation is not None:
        for m in delegation.finditer(text):
            if _whose(plain, m.end(), rules) == "foreign":
                return True
    if official is None:
        return False
    welcome = act.get("welcome")
    for m in official.finditer(text):
        if _whose(plain, m.end(), rules) != "foreign":
            continue
        start, end = _sentence(text, m.start())
        if welcome is not None and welcome.search(text, start, end):
            return True
    return False


def _mission_title(doc: Doc, act: _Active) -> bool:
    """The title names a mission abroad ("Mission to Cordoba")."""
    regex = act.get("mission_title")
    return regex is not None and regex.search(doc.folded, 0, doc.title_end) is not None


def _names_meeting(doc: Doc, spans: list[tuple[int, int]], act: _Active) -> bool:
    """A meeting noun shortly before a name, or a gathering word right after it."""
    text = doc.folded
    meeting, gathering = act.get("meeting"), act.get("gathering")
    if meeting is None and gathering is None:
        return False
    for start, end in spans:
        s_start, s_end = _sentence(text, start)
        if meeting is not None:
            before = " ".join(text[s_start:start].split()[-8:])
            if meeting.search(before):
                return True
        if gathering is not None and gathering.search(text[end : min(s_end, end + 60)]):
            return True
    return False


def _is_project(doc: Doc, projects: Sequence[str], act: _Active) -> bool:
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
    return _names_meeting(doc, spans, act)


def _is_network(
    doc: Doc, found: Sequence[Mention], organisations: Sequence[str], act: _Active
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
    return _names_meeting(doc, [doc.span(m.first, m.last) for m in named], act)


def _is_mission(
    doc: Doc,
    language: str,
    partners: Sequence[Place],
    countries: Sequence[str],
    act: _Active,
    rules: _Rules,
) -> bool:
    """Torino's representatives travel abroad and the text names the place."""
    if _mission_title(doc, act):
        return True
    foreign = {p.country for p in partners} | set(countries)
    foreign.discard("IT")
    if not foreign or doc_format(doc, language) == "virtual":
        return False
    text = doc.folded
    travel = act.get("travel")
    if travel is not None and travel.search(text):
        return True
    # Torino's own delegation in an entry with a foreign place went there.
    delegation = act.get("delegation_of")
    if delegation is not None:
        for m in delegation.finditer(text):
            if _whose(doc.plain, m.end(), rules) == "home":
                return True
    went = rules.cased.active(doc).get("went_to_place")
    if went is None:
        return False
    plain = doc.plain
    return any(_names_foreign_place(plain, m.end() - 1, foreign) for m in went.finditer(plain))


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
    return doc_activity(
        analyse(title, description),
        language,
        partners=partners,
        countries=countries,
        organisations=organisations,
        projects=projects,
    )


def doc_activity(
    doc: Doc,
    language: str,
    *,
    partners: Sequence[Place],
    countries: Sequence[str],
    organisations: Sequence[str],
    projects: Sequence[str],
) -> str:
    """The activity label of the Doc's event (see ``event_activity``)."""
    rules = _rules(language)
    act = rules.table.active(doc)
    found = found_in(doc)
    if _is_agreement(doc, found, act):
        return "agreement"
    if _is_diplomatic(doc, act):
        return "diplomatic"
    if _is_delegation(doc, act, rules):
        return "delegation"
    if _is_project(doc, projects, act):
        return "project"
    if _is_network(doc, found, organisations, act):
        return "network"
    if _is_mission(doc, language, partners, countries, act, rules):
        return "mission"
    return "event"
