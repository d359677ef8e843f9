"""Format of an event: in-person, virtual or hybrid (rules in ``data/rules/format.csv``)."""

from __future__ import annotations

import re
from functools import cache

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


def _others_remote(doc: Doc, text: str, rules: dict[str, re.Pattern[str]]) -> bool:
    """The event met at a named venue and only others (not Torino) followed it remotely."""
    venue = rules.get("venue")
    if venue is None or not venue.search(doc.plain):
        return False
    home = rules.get("home")
    return home is None or not any(
        home.search(_sentence(text, m.start()).strip()) for m in rules["remote"].finditer(text)
    )


def event_format(title: str, description: str, language: str) -> str:
    """``hybrid``, ``virtual`` or ``in-person``, by the rules of events.md.

    A venue and remote attendance said together (in presence and online) is hybrid;
    the City taking part remotely or an online event is virtual, but a meeting at a
    named venue that other partners followed remotely is hybrid; an event with a venue
    that was also streamed or followed from elsewhere is hybrid; otherwise in-person.
    """
    return doc_format(analyse(title, description), language)


def doc_format(doc: Doc, language: str) -> str:
    """The format of the Doc's event (see ``event_format``), remembered in the Doc."""
    key = ("format", language)
    found = doc.memo.get(key)
    if found is None:
        found = doc.memo[key] = _format(doc, _rules(language).active(doc))
    return found  # type: ignore[return-value]


def _format(doc: Doc, rules: dict[str, re.Pattern[str]]) -> str:
    """The format by the rules that may match the Doc (``RuleTable.active``)."""
    if not rules:  # no word any rule needs: most entries
        return "in-person"
    text = doc.folded
    mixed = rules.get("mixed")
    if mixed is not None and mixed.search(text):
        return "hybrid"
    # "streamed online", "broadcast online" speak of the audience, not of the City taking
    # part remotely: blank them out before looking for remote participation.
    broadcast = False
    regex = rules.get("broadcast")
    if regex is not None and regex.search(text):
        broadcast = True
        text = regex.sub(" ", text)
    remote = rules.get("remote")
    if remote is not None and remote.search(text):
        return "hybrid" if _others_remote(doc, text, rules) else "virtual"
    return "hybrid" if broadcast else "in-person"
