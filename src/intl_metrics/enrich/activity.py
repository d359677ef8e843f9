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
from intl_metrics.schema import DEFAULT_RULE, Evidence, Place

_SENTENCE_END = re.compile(r"[.;!?](?=\s|$)|\n")
_WORD = re.compile(r"[\w'’-]+|[,()]")
_NON_SPACE = re.compile(r"\S+")
_CASED = frozenset(
    {"went_to_place", "took_part"}
)  # rules that read capitals: matched on the plain text


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


# A rule that matched: its id and the characters it read in the Doc's text.
_Hit = tuple[str, int, int]


def _whose(text: str, pos: int, rules: _Rules) -> str:
    """Whose delegation or official the name at ``pos`` is: ``home``, ``foreign`` or ``unknown``.

    Generic words are skipped ("the City of", "la Municipalite de"); the first other
    word decides: a capitalised name is Torino's own (home_word) or foreign; a
    lower-case word means no name was given ("a delegation of the City led by ...").
    """
    return _whose_name(text, pos, rules)[0]


def _whose_name(text: str, pos: int, rules: _Rules) -> tuple[str, int]:
    """``_whose`` and the end of the word that decided it."""
    for m in _WORD.finditer(text, pos, min(len(text), pos + 120)):
        word = m.group()
        if word in ",()":
            return "unknown", pos
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
            return "unknown", pos
        return ("home" if key in rules.home else "foreign"), m.end()
    return "unknown", pos


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


def _is_agreement(doc: Doc, found: Sequence[Mention], act: _Active) -> _Hit | None:
    """An agreement, pact, memorandum or twinning is signed or renewed.

    Organisation names are blanked first: the Covenant of Mayors ("Patto dei Sindaci")
    is a network, not a pact between cities.
    """
    title, verbs = act.get("agreement_title"), act.get("agreement_verb")
    if title is None and verbs is None:
        return None
    masked = _masked(doc, found)
    if title is not None:
        m = title.search(masked, 0, doc.title_end)
        if m is not None:
            return ("activity.csv:agreement_title", *m.span())
    nouns = act.get("agreement_noun")
    if nouns is None or verbs is None:
        return None
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
                span = min(noun.start(), verb.start()), max(noun.end(), verb.end())
                return ("activity.csv:agreement_verb", *span)
    return None


def _is_diplomatic(doc: Doc, act: _Active) -> _Hit | None:
    """A consul, ambassador or envoy of a foreign state (Italy's own consul abroad is not)."""
    diplomatic = act.get("diplomatic")
    if diplomatic is None:
        return None
    text = doc.folded
    found = list(diplomatic.finditer(text))
    if not found:
        return None
    regex = act.get("diplomatic_home")
    home = [] if regex is None else [m.span() for m in regex.finditer(text)]
    for m in found:
        if not any(a <= m.start() < b for a, b in home):
            return ("activity.csv:diplomatic", *m.span())
    return None


_ARTICLES = frozenset(
    ["the", "a", "an", "la", "le", "les", "l'", "il", "lo", "i", "gli", "una", "une", "un"]
)
_OF_WORDS = frozenset(["of", "from", "de", "du", "des", "d'", "di", "del", "della", "dello", "dei"])
# "a delegation of the City" with no name after it: the City is Torino.
_CITY_WORDS = frozenset(["city", "ville", "citta", "municipality", "comune", "municipalite"])
# Words right before a place name that make it where someone went, not where they came from.
_DESTINATION = frozenset(["to", "towards", "toward", "a", "au", "aux", "vers", "verso", "ad"])

# A place name read by the partner labeller, at its characters in the Doc's text.
_Name = tuple[int, int, str]


def _names_in_doc(doc: Doc, names: Sequence[tuple[str, int, int, str, str]]) -> list[_Name]:
    """The place names of the entry (see PlaceReading.names) at their Doc offsets."""
    base = doc.title_end + 1
    return [
        (start, end, code) if where == "title" else (base + start, base + end, code)
        for where, start, end, code, _ in names
    ]


def _origin(doc: Doc, pos: int, names: Sequence[_Name], rules: _Rules) -> tuple[str, int]:
    """Whose people the words after ``pos`` are: the first place name read in the rest of
    the sentence decides, ``foreign`` (a foreign city, region, country or demonym, not one
    they go to) or ``home`` (Torino's own); ``unknown`` without one. With the end of the
    name that decided."""
    text = doc.folded
    s_start, s_end = _sentence(text, pos)
    # "the Torino delegation", "the City's delegation"; "a delegation of the City led by"
    before = [w for w in text[max(s_start, pos - 60) : pos].split()[-3:-1] if w not in _ARTICLES]
    if before and (before[-1] in rules.home or before[-1].rstrip("'s") in rules.home):
        return "home", pos
    after = _WORD.findall(text, pos, min(s_end, pos + 60))
    k = next((i for i, w in enumerate(after) if w not in _ARTICLES and w not in _OF_WORDS), -1)
    if k >= 0 and (
        after[k] in rules.home  # "la delegazione torinese"
        or (after[k] in _CITY_WORDS and (k + 1 == len(after) or after[k + 1] not in _OF_WORDS))
    ):
        return "home", pos
    home_at = home_end = -1
    for m in _WORD.finditer(doc.plain, pos, s_end):
        word = m.group()
        if word[:1].isupper() and fold_same_length(word) in rules.home:
            home_at, home_end = m.start(), m.end()
            break
    for start, end, code in names:
        if start < pos or start >= s_end or code in ("IT", ""):
            continue
        if home_at >= 0 and start > home_at:
            break
        before = text[max(pos, start - 12) : start].split()
        if before and before[-1] in _DESTINATION:
            continue
        return "foreign", end
    return ("home", home_end) if home_at >= 0 else ("unknown", pos)


def _travelled(doc: Doc, act: _Active) -> bool:
    """Torino's people went abroad: the title names a mission, or the text says they
    travelled."""
    if _mission_title(doc, act):
        return True
    travel = act.get("travel")
    return travel is not None and travel.search(doc.folded) is not None


def _is_delegation(
    doc: Doc, act: _Active, rules: _Rules, names: Sequence[_Name], foreign: set[str]
) -> _Hit | None:
    """A foreign delegation, mayor or official visits Torino (not when the entry says
    Torino's people went abroad: then the delegation met is there, or is Torino's)."""
    hit = _visit(doc, act, rules, names)
    if hit is not None and _went_to_foreign_place(doc, rules, foreign, names) is not None:
        return None
    return hit


def _visit(doc: Doc, act: _Active, rules: _Rules, names: Sequence[_Name]) -> _Hit | None:
    """A foreign delegation, mayor or official in Torino, by the words of the rules."""
    text = doc.folded
    delegation, official = act.get("delegation_of"), act.get("official_of")
    visitors, weak = act.get("visitors"), act.get("visitors_weak")
    if delegation is None and official is None and visitors is None and weak is None:
        return None
    if _travelled(doc, act):
        return None
    plain = doc.plain
    if delegation is not None:
        for m in delegation.finditer(text):
            whose, end = _whose_name(plain, m.end(), rules)
            if whose == "foreign":
                return ("activity.csv:delegation_of", m.start(), end)
    if names and visitors is not None:
        for m in visitors.finditer(text):
            whose, end = _origin(doc, m.end(), names, rules)
            if whose == "foreign":
                return ("activity.csv:visitors", m.start(), end)
    arrival = act.get("arrival")
    if names and weak is not None and arrival is not None:
        for m in weak.finditer(text):
            start, stop = _sentence(text, m.start())
            if arrival.search(text, start, stop) is None:
                continue
            whose, end = _origin(doc, m.end(), names, rules)
            if whose == "foreign":
                return ("activity.csv:visitors_weak", m.start(), end)
    if official is None:
        return None
    welcome = act.get("welcome")
    for m in official.finditer(text):
        whose, end = _whose_name(plain, m.end(), rules)
        if whose != "foreign":
            continue
        start, stop = _sentence(text, m.start())
        if welcome is not None and welcome.search(text, start, stop):
            return ("activity.csv:official_of", m.start(), end)
    return None


def _home_delegation(doc: Doc, act: _Active, rules: _Rules) -> _Hit | None:
    """Torino's own delegation ("a delegation of the City of Torino")."""
    delegation = act.get("delegation_of")
    if delegation is not None:
        for m in delegation.finditer(doc.folded):
            whose, end = _whose_name(doc.plain, m.end(), rules)
            if whose == "home":
                return ("activity.csv:delegation_of+home_word", m.start(), end)
    return None


def _mission_title(doc: Doc, act: _Active) -> _Hit | None:
    """The title names a mission abroad ("Mission to Cordoba")."""
    regex = act.get("mission_title")
    m = None if regex is None else regex.search(doc.folded, 0, doc.title_end)
    return None if m is None else ("activity.csv:mission_title", *m.span())


def _names_meeting(doc: Doc, spans: list[tuple[int, int]], act: _Active) -> _Hit | None:
    """A meeting noun shortly before a name, or a gathering word right after it."""
    text = doc.folded
    meeting, gathering = act.get("meeting"), act.get("gathering")
    if meeting is None and gathering is None:
        return None
    for start, end in spans:
        s_start, s_end = _sentence(text, start)
        if meeting is not None:
            words = list(_NON_SPACE.finditer(text, s_start, start))[-8:]
            m = meeting.search(" ".join(w.group() for w in words))
            if m is not None:
                # The words were joined one space apart: find the one the match starts in.
                at = 0
                for w in words:
                    if at + len(w.group()) >= m.start():
                        return ("activity.csv:meeting", w.start() + m.start() - at, end)
                    at += len(w.group()) + 1
        if gathering is not None:
            m = gathering.search(text[end : min(s_end, end + 60)])
            if m is not None:
                return ("activity.csv:gathering", start, end + m.end())
    return None


def _is_project(doc: Doc, projects: Sequence[str], act: _Active) -> _Hit | None:
    """A meeting or event of a named project."""
    if not projects:
        return None
    title = fold_same_length(doc.title)
    for p in projects:
        at = title.find(fold_same_length(p))
        if at >= 0:
            return ("activity:project-in-title", at, at + len(p))
    m = re.search(r"\b(?:project|projet|progetto)\b", title)
    if m is not None:
        return ("activity:project-in-title", *m.span())
    spans: list[tuple[int, int]] = []
    for name in projects:
        spans.extend(m.span() for m in re.finditer(re.escape(name), doc.text))
    return _names_meeting(doc, spans, act)


def _is_network(
    doc: Doc, found: Sequence[Mention], organisations: Sequence[str], act: _Active
) -> _Hit | None:
    """A meeting of an international network of cities or organisations.

    A city's title ("the French UNESCO Creative City of Design") names a member city,
    not a meeting of the network.
    """
    named = [m for m in found if m.kind == "network" and m.canonical in organisations]
    if not named:
        return None
    for m in named:
        if m.first < doc.title_words:
            return ("activity:network-in-title", *doc.span(m.first, m.last))
    return _names_meeting(doc, [doc.span(m.first, m.last) for m in named], act)


def _is_mission(
    doc: Doc,
    language: str,
    partners: Sequence[Place],
    countries: Sequence[str],
    act: _Active,
    rules: _Rules,
    names: Sequence[_Name] = (),
) -> _Hit | None:
    """Torino's representatives travel abroad and the text names the place."""
    hit = _mission_title(doc, act)
    if hit is not None:
        return hit
    foreign = {p.country for p in partners} | set(countries)
    foreign.discard("IT")
    if not foreign or doc_format(doc, language) == "virtual":
        return None
    text = doc.folded
    # "Torino at the Book Fair in Gothenburg": the title says where Torino went.
    regex = act.get("home_abroad_title")
    m = None if regex is None else regex.search(text, 0, doc.title_end)
    if m is not None:
        for start, end, code in names:
            if start < doc.title_end and code in foreign:
                return ("activity.csv:home_abroad_title", m.start(), end)
    travel = act.get("travel")
    m = None if travel is None else travel.search(text)
    if m is not None:
        return ("activity.csv:travel", *m.span())
    # Torino's own delegation in an entry with a foreign place went there.
    hit = _home_delegation(doc, act, rules)
    if hit is not None:
        return hit
    return _went_to_foreign_place(doc, rules, foreign, names if names else None)


def _went_to_foreign_place(
    doc: Doc, rules: _Rules, foreign: set[str], names: Sequence[_Name] | None = None
) -> _Hit | None:
    """A verb of taking part, then a place of one of the foreign countries: "attended in
    Dubai the summit", "a participe au Web Summit a Lisbonne"."""
    cased = rules.cased.active(doc)
    if not foreign or ("went_to_place" not in cased and "took_part" not in cased):
        return None
    went = cased.get("went_to_place")
    plain = doc.plain
    for m in () if went is None else went.finditer(plain):
        end = _names_foreign_place(plain, m.end() - 1, foreign, names)
        # "a participe au Web Summit a Lisbonne": the place may come after an event's name
        stop = min(_sentence(plain, m.start())[1], m.end() + 120)
        for prep in _PLACE_PREP.finditer(plain, m.end(), stop):
            if end:
                break
            end = _names_foreign_place(plain, prep.end(), foreign, names)
        if end:
            return ("activity.csv:went_to_place", m.start(), end)
    took = cased.get("took_part")
    for m in () if took is None else took.finditer(plain):
        stop = min(_sentence(plain, m.start())[1], m.end() + 200)
        for prep in _PLACE_PREP.finditer(plain, m.end(), stop):
            end = _names_foreign_place(plain, prep.end(), foreign, names)
            if end:
                return ("activity.csv:took_part", m.start(), end)
    return None


# A preposition of place before a capitalised name, in the accent-free text.
_PLACE_PREP = re.compile(
    r"\s(?:in|at|a|au|aux|en|ad|al|alla|nel|nella)\s+(?:the\s+|la\s+|le\s+|l'|l’)?(?=[A-Z])"
)


# The name after "in/at": capitalised words (or numbers: "Expo 2020 Dubai"), a few joiners.
_NAME = re.compile(r"([A-Z][\w'’-]*|\d+|de|del|di|da|la|le|of|sur|am)(\s+)?")


def _names_foreign_place(
    text: str, pos: int, foreign: set[str], names: Sequence[_Name] | None = None
) -> int:
    """The end of the capitalised name at ``pos`` when it holds a place of one of the
    foreign countries, else 0. With the place names the partner labeller read
    (``names``), one of them standing there decides; else the gazetteer is asked."""
    start = pos
    words: list[str] = []
    ends: list[int] = []
    while len(words) < 5:
        m = _NAME.match(text, pos)
        if m is None:
            break
        words.append(m.group(1))
        ends.append(m.end(1))
        if m.group(2) is None:  # punctuation ends the name
            break
        pos = m.end()
    if not words:
        return 0
    if names is not None:
        stop = ends[-1]
        for first, end, code in names:
            if start <= first < stop and code in foreign:
                return end
        return 0
    lookup = Gazetteer.default().lookup
    for size in range(len(words), 0, -1):
        for first in range(len(words) - size + 1):
            span = words[first : first + size]
            if not span[0][:1].isupper() or not span[-1][:1].isupper():
                continue
            place = lookup(" ".join(span))
            if place is not None and place.country in foreign:
                return ends[first + size - 1]
    return 0


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
    return doc_activity_reading(
        doc,
        language,
        partners=partners,
        countries=countries,
        organisations=organisations,
        projects=projects,
    )[0].label


_EVENT = Evidence("activity", "event", DEFAULT_RULE)


def doc_activity_reading(
    doc: Doc,
    language: str,
    *,
    partners: Sequence[Place],
    countries: Sequence[str],
    organisations: Sequence[str],
    projects: Sequence[str],
    names: Sequence[tuple[str, int, int, str, str]] = (),
) -> tuple[Evidence, bool]:
    """The activity with the rule and words that decided it, and whether two rules
    disagreed: a foreign delegation (it came to Torino) in an entry that also names
    Torino's own delegation (it went abroad).

    ``names``: the place names the partner labeller read (PlaceReading.names).
    """
    rules = _rules(language)
    act = rules.table.active(doc)
    found = found_in(doc)
    places = _names_in_doc(doc, names) if names else []
    foreign = {p.country for p in partners}.union(countries)
    foreign.discard("IT")
    hit = _is_agreement(doc, found, act)
    if hit is not None:
        return doc.evidence("activity", "agreement", *hit), False
    hit = _is_diplomatic(doc, act)
    if hit is not None:
        return doc.evidence("activity", "diplomatic", *hit), False
    hit = _is_delegation(doc, act, rules, places, foreign)
    if hit is not None:
        conflict = _home_delegation(doc, act, rules) is not None
        return doc.evidence("activity", "delegation", *hit), conflict
    hit = _is_project(doc, projects, act)
    if hit is not None:
        return doc.evidence("activity", "project", *hit), False
    hit = _is_network(doc, found, organisations, act)
    if hit is not None:
        return doc.evidence("activity", "network", *hit), False
    hit = _is_mission(doc, language, partners, countries, act, rules, places)
    if hit is not None:
        return doc.evidence("activity", "mission", *hit), False
    return _EVENT, False
