"""Format of an event: in-person, virtual or hybrid (rules in ``data/rules/format.csv``)."""

from __future__ import annotations

from functools import cache, lru_cache

from intl_metrics.enrich._cues import RuleSet, analyse, rows_for


@cache
def _rules(language: str) -> dict[str, RuleSet]:
    """The rules of each kind (mixed, broadcast, remote) for a language."""
    parts: dict[str, list[str]] = {"mixed": [], "broadcast": [], "remote": []}
    for row in rows_for("format", language):
        parts[row["rule"]].append(row["cue"])
    return {kind: RuleSet(cues) for kind, cues in parts.items()}


@lru_cache(maxsize=256)
def event_format(title: str, description: str, language: str) -> str:
    """``hybrid``, ``virtual`` or ``in-person``, by the rules of events.md.

    A venue and remote attendance said together (in presence and online) is hybrid;
    the City taking part remotely or an online event is virtual; an event with a venue
    that was also streamed or followed from elsewhere is hybrid; otherwise in-person.
    """
    rules = _rules(language)
    doc = analyse(title, description)
    text = doc.folded
    if rules["mixed"].search(text, doc):
        return "hybrid"
    # "streamed online", "broadcast online" speak of the audience, not of the City taking
    # part remotely: blank them out before looking for remote participation.
    broadcast = False
    for regex in rules["broadcast"].regexes(doc):
        if regex.search(text):
            broadcast = True
            text = regex.sub(" ", text)
    if rules["remote"].search(text, doc):
        return "virtual"
    return "hybrid" if broadcast else "in-person"
