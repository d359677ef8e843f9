"""The vocabularies and the event record: the one place a label is spelled.

See ``shared/spec/events.md`` for the rules behind each field.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from typing import Any, NamedTuple

LANGUAGES: tuple[str, ...] = ("en", "fr", "it")

FORMATS: tuple[str, ...] = ("in-person", "virtual", "hybrid")

# Order is the precedence of the activity rules: the first that matches wins.
ACTIVITIES: tuple[str, ...] = (
    "agreement",
    "diplomatic",
    "delegation",
    "project",
    "network",
    "mission",
    "event",
)

THEMES: tuple[str, ...] = (
    "migration",
    "energy",
    "culture",
    "design",
    "economy",
    "urban",
    "education",
    "social",
    "cooperation",
    "sport",
    "institutional",
)

# The four themes the Mayor's cabinet follows most closely.
FOCUS_THEMES: tuple[str, ...] = ("migration", "energy", "culture", "design")

PLACE_KINDS: tuple[str, ...] = ("city", "region", "country")

# One colour per theme everywhere. Paul Tol's "muted" qualitative scheme
# (colour-blind safe) for the first nine, plus two neutral greys from his
# scheme for the catch-all labels.
THEME_COLOURS: dict[str, str] = {
    "migration": "#CC6677",
    "energy": "#DDCC77",
    "culture": "#882255",
    "design": "#332288",
    "economy": "#117733",
    "urban": "#44AA99",
    "education": "#88CCEE",
    "social": "#AA4499",
    "cooperation": "#999933",
    "sport": "#6699CC",
    "institutional": "#BBBBBB",
}

FORMAT_COLOURS: dict[str, str] = {
    "in-person": "#004488",
    "virtual": "#DDAA33",
    "hybrid": "#BB5566",
}

ACTIVITY_COLOURS: dict[str, str] = {
    "agreement": "#EE7733",
    "diplomatic": "#0077BB",
    "delegation": "#33BBEE",
    "project": "#EE3377",
    "network": "#CC3311",
    "mission": "#009988",
    "event": "#BBBBBB",
}

# Field names of the event record, in output order.
EVENT_FIELDS: tuple[str, ...] = (
    "id",
    "start_date",
    "end_date",
    "title",
    "description",
    "language",
    "format",
    "activity",
    "themes",
    "partners",
    "countries",
    "organisations",
    "projects",
    "source",
)

# What the labellers add to each event besides events.md's fields, in output order.
EVIDENCE_COLUMNS: tuple[str, ...] = ("evidence", "needs_review")

# The fields a piece of evidence can support.
EVIDENCE_FIELDS: tuple[str, ...] = ("format", "activity", "theme", "partner", "country")

# The rule of a label that no rule decided: in-person, event, institutional.
DEFAULT_RULE = "default"


@dataclass(frozen=True)
class Source:
    """Where an entry was read: file name and 1-based line of its first line."""

    file: str
    line: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}"


@dataclass(frozen=True)
class ParseWarning:
    """A fragment that looked like an entry but could not be parsed."""

    source: Source
    reason: str

    def __str__(self) -> str:
        return f"{self.source}: {self.reason}"


@dataclass(frozen=True)
class Entry:
    """One dated agenda entry as read from the page, before labelling."""

    start_date: date
    end_date: date
    title: str
    description: str
    language: str
    source: Source


@dataclass(frozen=True)
class Place:
    """A partner place resolved in the gazetteer."""

    name: str
    kind: str
    country: str
    lat: float
    lon: float

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "kind": self.kind,
            "country": self.country,
            "lat": self.lat,
            "lon": self.lon,
        }


class Evidence(NamedTuple):
    """Why a label was given: the rule that decided it and the words of the text it read.

    ``field`` is one of EVIDENCE_FIELDS; ``label`` the label it supports (a format,
    activity or theme, a partner's name, a country's ISO code); ``rule`` a stable rule id
    (``activity.csv:delegation_of``, ``themes.csv:migration/migrant*``) or ``default``;
    ``where`` the text read ("title", "description", or "" when no words were read) and
    ``start``/``end`` the character offsets of ``text`` in it.

    A named tuple, not a dataclass: every event carries five or six of them, and a tuple
    is made at a third of the cost of a frozen dataclass.
    """

    field: str
    label: str
    rule: str
    where: str = ""
    start: int | None = None
    end: int | None = None
    text: str = ""

    @property
    def is_default(self) -> bool:
        return self.rule == DEFAULT_RULE

    def to_dict(self) -> dict[str, Any]:
        return {
            "field": self.field,
            "label": self.label,
            "rule": self.rule,
            "where": self.where,
            "start": self.start,
            "end": self.end,
            "text": self.text,
        }

    @classmethod
    def from_dict(cls, row: dict[str, Any]) -> Evidence:
        """The inverse of ``to_dict`` (a stored row); unknown keys are ignored."""
        start, end = row.get("start"), row.get("end")
        return cls(
            str(row["field"]),
            str(row["label"]),
            str(row["rule"]),
            str(row.get("where") or ""),
            None if start is None else int(start),
            None if end is None else int(end),
            str(row.get("text") or ""),
        )


@dataclass(frozen=True)
class Event:
    """One labelled event: the record of events.md."""

    id: str
    start_date: date
    end_date: date
    title: str
    description: str
    language: str
    format: str
    activity: str
    themes: tuple[str, ...]
    partners: tuple[Place, ...] = field(default_factory=tuple)
    countries: tuple[str, ...] = field(default_factory=tuple)
    organisations: tuple[str, ...] = field(default_factory=tuple)
    projects: tuple[str, ...] = field(default_factory=tuple)
    source: Source = Source("", 0)
    # Why each label was given (see Evidence), and whether a person should look at it: a
    # label is a default, two rules disagreed or a place name was ambiguous.
    evidence: tuple[Evidence, ...] = ()
    needs_review: bool = False

    def to_dict(self) -> dict[str, Any]:
        """The record as plain JSON types: events.md's fields first, then the evidence."""
        return {
            "id": self.id,
            "start_date": self.start_date.isoformat(),
            "end_date": self.end_date.isoformat(),
            "title": self.title,
            "description": self.description,
            "language": self.language,
            "format": self.format,
            "activity": self.activity,
            "themes": list(self.themes),
            "partners": [p.to_dict() for p in self.partners],
            "countries": list(self.countries),
            "organisations": list(self.organisations),
            "projects": list(self.projects),
            "source": {"file": self.source.file, "line": self.source.line},
            "evidence": [e.to_dict() for e in self.evidence],
            "needs_review": self.needs_review,
        }


# The combining marks of the Latin accents (U+0300-U+036F): once NFKD has split an accented
# letter, removing them in one regex pass leaves plain ASCII for most European names.
_LATIN_MARKS = re.compile(
    "[" + "".join(chr(c) for c in range(0x300, 0x370) if unicodedata.combining(chr(c))) + "]+"
)


def fold(text: str) -> str:
    """Lower-case, accent-free, whitespace-collapsed form used to compare names."""
    if text.isascii():  # most names and titles: skip the per-character accent pass
        if text.isprintable() and "  " not in text and text[:1] != " " and text[-1:] != " ":
            return text.casefold()  # no white space but single spaces: nothing to collapse
        return " ".join(text.split()).casefold()
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = _LATIN_MARKS.sub("", decomposed)
    if not stripped.isascii():  # other marks or letters: test every character
        stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return re.sub(r"\s+", " ", stripped).strip().casefold()


def event_id(start: date, title: str) -> str:
    """Stable id: the same entry gets the same id whatever file or order it came from."""
    key = f"{start.isoformat()}|{fold(title)}"
    return hashlib.sha1(key.encode("utf-8")).hexdigest()[:12]
