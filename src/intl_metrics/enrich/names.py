"""Named organisations (networks, programmes) and named projects of an entry.

Organisations come from the curated list ``data/rules/organisations.csv`` (their names
in English, French and Italian). Projects are found by general patterns
(``data/rules/projects.csv``), because real pages name projects nobody has seen yet.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import NamedTuple

from intl_metrics.enrich._cues import (
    Doc,
    PhraseTable,
    RuleTable,
    analyse,
    fold_same_length,
    read_table,
)


class Mention(NamedTuple):
    """An organisation named in a Doc: its words [first, last), which, the subject it states."""

    first: int
    last: int
    canonical: str
    kind: str
    themes: tuple[str, ...]


@dataclass(frozen=True)
class _OrgIndex:
    names: PhraseTable
    kinds: dict[str, str]
    keys: frozenset[str]


@cache
def _orgs() -> _OrgIndex:
    rows: list[tuple[str, object, bool]] = []
    kinds: dict[str, str] = {}
    keys: set[str] = set()
    for row in read_table("organisations"):
        themes = tuple(t.strip() for t in row["themes"].split(";") if t.strip())
        info = (row["canonical"], row["kind"], themes)
        if row["kind"] != "city_title":  # the canonical name's own kind (network)
            kinds.setdefault(row["canonical"], row["kind"])
        keys.update((fold_same_length(row["alias"]), fold_same_length(row["canonical"])))
        rows.append((row["alias"], info, row.get("case") == "exact"))
    return _OrgIndex(PhraseTable(rows), kinds, frozenset(keys))


_ARTICLE = re.compile(r"(?:(?:the|The|THE|la|La|le|Le|les|Les|l'|L'|il|Il|lo|Lo)\s+|[lL]')")


@cache
def _network_names() -> RuleTable:
    # Every language's patterns: pages mix languages, and each pattern needs its own words.
    # The kind of a rule is the number of capitalised words it needs before its match.
    return RuleTable((r["before"], r["cue"], r["needs"]) for r in read_table("network_names"))


# Up to three capitalised words right before a network word: the start of its name.
_NAME_BEFORE = re.compile(r"(?<![\w'-])(?:[A-Z][\w'-]*\s+){1,3}$")


def doc_mentions(doc: Doc) -> list[Mention]:
    """Every organisation named in the Doc, left to right, the longest name at a place.

    Known names come from organisations.csv; unlisted networks of cities are found by the
    patterns of network_names.csv ("the European Coalition of Cities Against ..."), where
    no known name stands.
    """
    found = [Mention(m.first, m.last, *m.value) for m in _orgs().names.find(doc)]  # type: ignore[misc]
    patterns = _network_names().active(doc)
    if not patterns:  # no word a pattern needs
        return found
    text = doc.plain
    extra: list[Mention] = []
    matches = []
    for needed, kind in ((0, "0"), (1, "1")):
        if kind in patterns:
            matches += [(needed, m) for m in patterns[kind].finditer(text)]
    if "apposition" in patterns:
        extra += _appositions(doc, text, patterns["apposition"], found)
    for needed, m in sorted(matches, key=lambda nm: nm[1].start()):
        if m.start() and (text[m.start() - 1].isalnum() or text[m.start() - 1] in "'-"):
            continue  # inside a word
        before = _NAME_BEFORE.search(text, max(0, m.start() - 120), m.start())
        if needed and before is None:
            continue
        start = before.start() if before else m.start()
        article = _ARTICLE.match(text, start)
        if article and article.end() < m.start():
            start = article.end()
        elif article and needed:
            continue  # "the Mayors for ...": no name before
        first, last = doc.word_at(start), doc.word_at(m.end() - 1) + 1
        # A known network there wins ("Covenant of Mayors for Climate ..."); a known
        # organisation inside the name stays named too ("OECD Champion Mayors for ...").
        if any(
            f.first < last
            and first < f.last
            and (f.kind in ("network", "city_title") or f.first < first or f.last > last)
            for f in found
        ):
            continue
        if any(f.first < last and first < f.last for f in extra):
            continue  # the same name found by two patterns
        name = " ".join(text[start : m.end()].split())
        extra.append(Mention(first, last, name, "network", ()))
    if extra:
        found = sorted([*found, *extra], key=lambda f: f.first)
    return found


# A name written before an apposition: capitalised words, small joining words between them
# ("LUCI", "European Route of Industrial Heritage"), ending at the comma.
_APPOSED = re.compile(
    r"(?<![\w'-])[A-Z][\w'&-]*(?:\s+(?:(?:of|for|de|des|du|di|del|della|and|et|e)\s+)?"
    r"[A-Z][\w'&-]*){0,5}$"
)
_APPOSITION_START = re.compile(r",\s+(?:the|le|la|l'|il)\s+$")


def _appositions(
    doc: Doc, text: str, pattern: re.Pattern[str], found: list[Mention]
) -> list[Mention]:
    """Networks named by an apposition: "LUCI, the international network of cities on
    urban lighting"; "ERIH, the European Route of Industrial Heritage, the network of the
    sites and cities" (a chain: the first name is the network's)."""
    out: list[Mention] = []
    for m in pattern.finditer(text):
        name = _APPOSED.search(text, max(0, m.start() - 80), m.start())
        if name is None:
            continue
        start = name.start()
        # a chain of appositions: go back to the first name
        lead = _APPOSITION_START.search(text, max(0, start - 12), start)
        if lead is not None:
            earlier = _APPOSED.search(text, max(0, lead.start() - 80), lead.start())
            if earlier is not None:
                name, start = earlier, earlier.start()
        first, last = doc.word_at(start), doc.word_at(name.end() - 1) + 1
        if any(f.first < last and first < f.last for f in [*found, *out]):
            continue  # a known name stands there
        out.append(Mention(first, last, " ".join(name.group().split()), "network", ()))
    return out


_MENTIONS = "mentions"  # the key of a Doc's mentions in its memo


def found_in(doc: Doc) -> tuple[Mention, ...]:
    """Organisations named in the Doc (remembered in it: themes and activity read them too)."""
    found = doc.memo.get(_MENTIONS)
    if found is None:
        found = doc.memo[_MENTIONS] = tuple(doc_mentions(doc))
    return found  # type: ignore[return-value]


def mentions(title: str, description: str) -> tuple[Mention, ...]:
    """Organisations named in an entry."""
    return found_in(analyse(title, description))


def organisation_kind(canonical: str) -> str | None:
    """``network``, ``organisation`` or ``programme`` for a canonical name of the list."""
    return _orgs().kinds.get(canonical)


def doc_organisations(doc: Doc) -> tuple[str, ...]:
    """Canonical names of the organisations named in the Doc, in order of first mention."""
    found = found_in(doc)
    if not found:
        return ()
    return tuple(dict.fromkeys(m.canonical for m in found))


def organisations(title: str, description: str) -> tuple[str, ...]:
    """Canonical names of the networks and organisations named, in order of first mention."""
    return doc_organisations(analyse(title, description))


# --- projects -------------------------------------------------------------------------------

# An acronym-like token with two capitals or a capital and a digit at least:
# NUR, MOLOC, CO4CITIES, HERITAGE-NEXT, MENTOR-UP, Co-City.
_UP = "A-ZÀ-ÖØ-Þ"
# (The character before is checked apart: a leading look-behind would slow the scan.)
_CANDIDATE = re.compile(rf"[{_UP}](?:[^\W_]|-(?=[^\W_]))*?[{_UP}0-9](?:[^\W_]|-(?=[^\W_]))*\+?")
_ROMAN = re.compile(r"[IVXLCDM]+")
# "the Automotive Project": a capitalised phrase that ends in "Project".
_PHRASE = re.compile(r"\b((?:[A-Z][a-z]+\s+){1,3})Project\b")
# Leading words of such a phrase that belong to the sentence, not to the name.
_LEADING = re.compile(
    r"^(?:(?:The|This|That|These|Its|Their|Our|A|An|EU|European|Interreg|Pilot|New|Final|"
    r"Each|Every|Project)\s+)+"
)


def _words(kind: str) -> str:
    rows = sorted((r["word"] for r in read_table("projects") if r["kind"] == kind), key=len)
    return "|".join(re.escape(w).replace(r"\ ", r"\s+").replace(r"\-", "[- ]?") for w in rows[::-1])


@dataclass(frozen=True)
class _ProjectRules:
    after: tuple[re.Pattern[str], ...]
    before: tuple[re.Pattern[str], ...]
    quoted: re.Pattern[str]
    not_project: frozenset[str]
    adjective_endings: tuple[str, ...]
    # the first words of the project, meeting and owner words ("kick-off": kick, kickoff)
    gate: frozenset[str]


@cache
def _project_rules() -> _ProjectRules:
    project = f"(?:{_words('project_word')})"
    meeting = f"(?:{_words('meeting_word')})"
    owner = f"(?:{_words('owner_word')})"
    article = r"(?:the|an?|il|lo|la|le|l'|l’|un|una|uno|une)"
    of = r"(?:of|du|de|des|del|della|dello|dei|di|d'|d’)"
    adjective = r"(?:european|européen|europeo|eu|ue|interreg|pilot|pilote|pilota)"
    after = (
        # "CO4CITIES project", "the UIA Co-City project"
        rf"\s+{project}\b",
        # "CONNECTION, the EU project funded by ...", "HERITAGE-NEXT, il progetto europeo"
        rf",\s+{article}\s*(?:[\w'’+-]+\s+){{0,5}}?{project}\b",
        # "MOLOC final conference", "MENTOR-UP partners' video conference"
        rf"\s+{meeting}\b",
    )
    before = (
        # "projet WARMHOMES", "the Italian-Palestinian project NUR", "progetto europeo X"
        rf"\b{project}\s+(?:{adjective}\s+)?$",
        # "the partners of MOLOC", "the kick-off meeting of SUNRISE", "partenaires du projet X"
        rf"\b{owner}\s+{of}\s*(?:{article}\s+)?(?:{project}\s+)?$",
    )
    rows = read_table("projects")
    return _ProjectRules(
        after=tuple(re.compile(p, re.IGNORECASE) for p in after),
        before=tuple(re.compile(p, re.IGNORECASE) for p in before),
        # project "Torino Social Impact", progetto «X»
        quoted=re.compile(rf"(?i:\b{project})\s+[\"“«]\s*([^\"”»\n]{{2,60}}?)\s*[\"”»]"),
        not_project=frozenset(r["word"].lower() for r in rows if r["kind"] == "not_project"),
        adjective_endings=tuple(r["word"] for r in rows if r["kind"] == "adjective_ending"),
        gate=frozenset(
            first
            for r in rows
            if r["kind"] in ("project_word", "meeting_word", "owner_word")
            for first in (
                re.split(r"[\s-]+", fold_same_length(r["word"]))[0],
                re.split(r"\s+", fold_same_length(r["word"]).replace("-", ""))[0],
            )
        ),
    )


def _is_adjective_pair(name: str, endings: tuple[str, ...]) -> bool:
    """Italian-Palestinian, Franco-German: capitalised lower-case parts, the last an adjective."""
    parts = name.split("-")
    return (
        len(parts) > 1
        and all(p[:1].isupper() and p[1:].islower() for p in parts)
        and parts[-1].endswith(endings)
    )


def projects(title: str, description: str) -> tuple[str, ...]:
    """Named projects (CONNECTION, NUR, MOLOC, ...) in order of first mention.

    Found by general patterns: an acronym-like name next to "project"/"projet"/"progetto",
    "NAME, the ... project", "the partners of NAME", "NAME kick-off meeting" and the like;
    names of known organisations and programmes (EUROCITIES, URBACT, AMIF) are not projects.
    """
    return doc_projects(analyse(title, description))


def doc_projects(doc: Doc) -> tuple[str, ...]:
    """Named projects of the Doc, in order of first mention (see ``projects``)."""
    rules = _project_rules()
    if rules.gate.isdisjoint(doc.wordset):
        return ()  # every pattern needs a project, meeting or owner word
    text = doc.text
    org_keys = _orgs().keys
    hits: list[tuple[int, str]] = []
    for m in _CANDIDATE.finditer(text):
        if m.start() and (text[m.start() - 1].isalnum() or text[m.start() - 1] in "-_"):
            continue  # not the start of a word
        name = m.group()
        key = name.lower() if name.isascii() else fold_same_length(name)
        if key in org_keys or key in rules.not_project or _ROMAN.fullmatch(name):
            continue
        if _is_adjective_pair(name, rules.adjective_endings):
            continue
        after = text[m.end() : m.end() + 80]
        before = text[max(0, m.start() - 60) : m.start()]
        if any(r.match(after) for r in rules.after) or any(r.search(before) for r in rules.before):
            hits.append((m.start(), name))
    if "Project" in text:
        for m in _PHRASE.finditer(text):
            name = _LEADING.sub("", m.group(1)).strip()
            if name:
                hits.append((m.start(1), f"{name} Project"))
    if '"' in text or "“" in text or "«" in text:
        for m in rules.quoted.finditer(text):
            hits.append((m.start(1), " ".join(m.group(1).split())))
    hits.sort()
    return tuple(dict.fromkeys(name for _, name in hits if fold_same_length(name) not in org_keys))
