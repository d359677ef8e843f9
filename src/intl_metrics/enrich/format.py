"""Format of an event: in-person, virtual or hybrid (rules in ``data/rules/format.csv``)."""

from __future__ import annotations

import re
from functools import cache

from intl_metrics.enrich._cues import Doc, RuleTable, analyse, rows_for
from intl_metrics.schema import DEFAULT_RULE, Evidence

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


def _others_remote(doc: Doc, text: str, rules: dict[str, re.Pattern[str]]) -> re.Match[str] | None:
    """The event met at a named venue (its match) and only others, not Torino, followed
    it remotely."""
    venue = rules.get("venue")
    found = None if venue is None else venue.search(doc.plain)
    if found is None:
        return None
    home = rules.get("home")
    if home is not None and any(
        home.search(_sentence(text, m.start()).strip()) for m in rules["remote"].finditer(text)
    ):
        return None
    return found


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
    return doc_format_evidence(doc, language).label


_IN_PERSON = Evidence("format", "in-person", DEFAULT_RULE)


def doc_format_evidence(doc: Doc, language: str) -> Evidence:
    """The format of the Doc's event with the rule and the words that decided it."""
    key = ("format", language)
    found = doc.memo.get(key)
    if found is None:
        found = doc.memo[key] = _format(doc, _rules(language).active(doc))
    return found  # type: ignore[return-value]


def _format(doc: Doc, rules: dict[str, re.Pattern[str]]) -> Evidence:
    """The format by the rules that may match the Doc (``RuleTable.active``)."""
    if not rules:  # no word any rule needs: most entries
        return _IN_PERSON
    text = doc.folded
    mixed = rules.get("mixed")
    found = None if mixed is None else mixed.search(text)
    if found is not None:
        return doc.evidence("format", "hybrid", "format.csv:mixed", *found.span())
    # "streamed online", "broadcast online" speak of the audience, not of the City taking
    # part remotely: blank them out before looking for remote participation.
    regex = rules.get("broadcast")
    broadcast = None if regex is None else regex.search(text)
    blanked: list[tuple[int, int]] = []
    if broadcast is not None:
        blanked = [m.span() for m in regex.finditer(text)]  # type: ignore[union-attr]
        text = regex.sub(" ", text)  # type: ignore[union-attr]
    remote = rules.get("remote")
    found = None if remote is None else remote.search(text)
    if found is not None:
        venue = _others_remote(doc, text, rules)
        if venue is not None:
            return doc.evidence("format", "hybrid", "format.csv:venue", *venue.span())
        start, end = _unblanked(found.span(), blanked)
        return doc.evidence("format", "virtual", "format.csv:remote", start, end)
    if broadcast is not None:
        return doc.evidence("format", "hybrid", "format.csv:broadcast", *broadcast.span())
    presence = rules.get("presence")
    found = None if presence is None else presence.search(text)
    if found is not None:
        return doc.evidence("format", "in-person", "format.csv:presence", *found.span())
    return _IN_PERSON


def _unblanked(span: tuple[int, int], blanked: list[tuple[int, int]]) -> tuple[int, int]:
    """A span of the text whose broadcast phrases became one space each, in the Doc's text."""
    out = []
    for pos in span:
        shift = 0
        for a, b in blanked:  # in order; the phrase [a, b) stands at a - shift now
            if a - shift >= pos:
                break
            shift += b - a - 1
        out.append(pos + shift)
    return out[0], out[1]
