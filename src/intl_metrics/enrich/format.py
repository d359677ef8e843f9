"""Format of an event: in-person, virtual or hybrid (rules in ``data/rules/format.csv``)."""

from __future__ import annotations

import re
from functools import cache, lru_cache

from intl_metrics.enrich._cues import Doc, RuleTable, analyse, rows_for

_SENTENCE_END = re.compile(r"[.;!?](?=\s|$)|\n")


@cache
def _rules(language: str) -> RuleTable:
    """The rules of each kind (mixed, broadcast, remote, venue, home) for a language."""
    return RuleTable((r["rule"], r["cue"], r["needs"]) for r in rows_for("format", language))


def _sentence(text: str, pos: int) -> str:
    """The sentence around ``pos``."""
    start = 0
    for m in _SENTENCE_END.finditer(text, max(0, pos - 400), pos):
        start = m.end()
    end = _SENTENCE_END.search(text, pos)
    return text[start : end.start() if end else len(text)]


def _others_remote(doc: Doc, text: str, rules: RuleTable) -> bool:
    """The event met at a named venue and only others (not Torino) followed it remotely."""
    if not rules.search("venue", doc.plain, doc):
        return False
    return not any(
        rules.search("home", _sentence(text, m.start()).strip(), doc)
        for m in rules.finditer("remote", text, doc)
    )


@lru_cache(maxsize=256)
def event_format(title: str, description: str, language: str) -> str:
    """``hybrid``, ``virtual`` or ``in-person``, by the rules of events.md.

    A venue and remote attendance said together (in presence and online) is hybrid;
    the City taking part remotely or an online event is virtual, but a meeting at a
    named venue that other partners followed remotely is hybrid; an event with a venue
    that was also streamed or followed from elsewhere is hybrid; otherwise in-person.
    """
    rules = _rules(language)
    doc = analyse(title, description)
    text = doc.folded
    if rules.search("mixed", text, doc):
        return "hybrid"
    # "streamed online", "broadcast online" speak of the audience, not of the City taking
    # part remotely: blank them out before looking for remote participation.
    broadcast = False
    for regex in rules.regexes("broadcast", doc):
        if regex.search(text):
            broadcast = True
            text = regex.sub(" ", text)
    if rules.search("remote", text, doc):
        return "hybrid" if _others_remote(doc, text, rules) else "virtual"
    return "hybrid" if broadcast else "in-person"
