"""The staff's decisions as gold labels: what ``intl-metrics export-gold`` writes.

``intl-metrics evaluate`` scores the labellers against gold lines (the format of
``shared/data/dev/gold.jsonl``, spec ``events.md``). The store holds the staff's
decisions, so it can write them in that format and the machine is measured against
the people who know the facts.

What counts as a decision, event by event (standing events of a current source only):

* an event with at least one **correction in force**: the staff looked at it in the
  editor and set what was wrong; its line holds what every page shows (corrected fields
  from the corrections, the others as the machine labelled them and the editor left them);
* an event **reviewed as it stands** (confirmed or corrected from the review queue, on
  its current entry and labels): every label was looked at;
* an entry marked **not an event**: a line ``{"file", "line", "not_event": true}``; the
  machine's event there counts as an entry it should not have made (entry precision);
* an entry marked **duplicate of** another event: a line ``{"file", "line",
  "duplicate_of": ID}``; it is neither scored nor counted against the machine (the entry
  is real text, and its labels are decided on the event it repeats).

An event appears once per current source that holds it (file name and line: what
``evaluate`` matches on). Every line says ``"partial": true``: staff decide on some
entries of a page, not all, so ``evaluate`` scores no prediction at a line the gold does
not name. For a saved page (HTML) the line is that of the page's visible text, which
the store keeps and ``--sources`` writes. Each line also carries ``event_id``,
``corrected`` (the fields staff set) and ``reviewed``, which ``evaluate`` does not read.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import sqlalchemy as sa

from intl_metrics.store.corrections import current_corrections
from intl_metrics.store.db import Store
from intl_metrics.store.models import Entry, Event, Label, Occurrence, Review, Source

__all__ = ["GoldReport", "gold_labels", "source_texts"]


@dataclass
class GoldReport:
    """The gold lines, and how many events of each kind they hold."""

    lines: list[dict[str, Any]] = field(default_factory=list)
    corrected: int = 0  # events with a correction in force (scored)
    confirmed: int = 0  # events reviewed as they stand without a correction (scored)
    not_events: int = 0
    duplicates: int = 0
    unplaced: int = 0  # decided events no current source holds (not written)

    @property
    def sources(self) -> list[str]:
        """The file names the lines refer to, sorted."""
        return sorted({line["file"] for line in self.lines})

    def summary(self) -> str:
        scored = self.corrected + self.confirmed
        parts = [
            f"{scored:,} event{'s' if scored != 1 else ''} scored "
            f"({self.corrected:,} corrected, {self.confirmed:,} confirmed in review)",
            f"{self.not_events:,} not an event",
            f"{self.duplicates:,} duplicate{'s' if self.duplicates != 1 else ''}",
        ]
        text = f"{len(self.lines):,} gold lines: " + ", ".join(parts)
        n = len(self.sources)
        text += f"; from {n:,} source file{'s' if n != 1 else ''}"
        if self.unplaced:
            text += f"; {self.unplaced:,} decided events are in no current source (left out)"
        return text


def _iso(value: Any) -> str:
    return value.isoformat() if isinstance(value, date) else str(value)


def _reviewed_as_they_stand(conn: sa.Connection) -> set[str]:
    """The events with a review of their current entry and labels."""
    stmt = (
        sa.select(Review.event_id)
        .join(Entry, (Entry.id == Review.entry_id) & Entry.current)
        .join(Label, (Label.id == Review.label_id) & Label.current)
        .distinct()
    )
    return set(conn.execute(stmt).scalars())


def _chunks(items: list[str], size: int = 1_000) -> Iterable[list[str]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def gold_labels(store: Store, *, reviewed_only: bool = False) -> GoldReport:
    """The staff's decisions as gold lines, sorted by file and line (one read transaction).

    ``reviewed_only``: score only the events reviewed as they stand (every label looked
    at), not those with a correction alone; 'not an event' and 'duplicate of' marks are
    decisions on the entry itself and are always written.
    """
    report = GoldReport()
    with store.read() as conn:
        fixes = {
            eid: {f: json.loads(v) for f, v in fields.items()}
            for eid, fields in current_corrections(conn).items()
        }
        reviewed = _reviewed_as_they_stand(conn)
        hidden = {e for e, f in fixes.items() if f.get("not_event") or f.get("duplicate_of")}
        chosen = (reviewed | hidden) if reviewed_only else (reviewed | set(fixes))
        placed: set[str] = set()
        for ids in _chunks(sorted(chosen)):
            rows = conn.execute(
                sa.select(
                    Event.id, Occurrence.source_name, Occurrence.line, Entry.start_date,
                    Entry.end_date, Entry.title, Entry.language, Label.format, Label.activity,
                    Label.themes, Label.partners, Label.countries,
                )
                .join(Occurrence, Occurrence.event_id == Event.id)
                .join(Source, (Source.id == Occurrence.source_id) & Source.current)
                .join(Entry, (Entry.event_id == Event.id) & Entry.current)
                .join(Label, (Label.event_id == Event.id) & Label.current)
                .where(Event.id.in_(ids), Event.status == "active")
            )  # fmt: skip
            for r in rows:
                placed.add(r[0])
                report.lines.append(_line(r, fixes.get(r[0], {}), r[0] in reviewed))
        pages = _saved_pages(conn, {line["file"] for line in report.lines})
    if pages:
        _to_text_lines(report.lines, pages)
        report.lines = [g for g in report.lines if g["line"] > 0]
        placed = {g["event_id"] for g in report.lines}
    report.lines.sort(key=lambda g: (g["file"], g["line"]))
    for eid in placed:
        f = fixes.get(eid, {})
        if f.get("not_event"):
            report.not_events += 1
        elif f.get("duplicate_of"):
            report.duplicates += 1
        elif any(k not in ("not_event", "duplicate_of") for k in f):
            report.corrected += 1
        else:
            report.confirmed += 1
    report.unplaced = len(chosen - placed)
    return report


def _saved_pages(conn: sa.Connection, names: set[str]) -> dict[str, str]:
    """The saved pages (HTML) among these current sources: name -> the text read from it."""
    out: dict[str, str] = {}
    for chunk in _chunks(sorted(names)):
        rows = conn.execute(
            sa.select(Source.name, Source.text).where(
                Source.current, Source.name.in_(chunk), Source.media_type == "text/html"
            )
        )
        out.update(dict(rows.all()))
    return out


def _to_text_lines(lines: list[dict[str, Any]], pages: dict[str, str]) -> None:
    """Give the lines of saved pages the line of the page's text, not of its HTML.

    The store places an event of a saved page on the line of the HTML that holds it (what
    a reader of the page source finds); ``evaluate`` parses text, the page's visible text
    as ``--sources`` writes it, so its line numbers are the text's. Found by parsing that
    text again: an event the parse no longer finds gets line 0 (the caller drops it).
    The ids of the events dropped.
    """
    from intl_metrics.parse import parse_text
    from intl_metrics.schema import event_id

    text_line: dict[str, dict[str, int]] = {}
    for name, text in pages.items():
        found: dict[str, int] = {}
        for e in parse_text(text, name).entries:
            found.setdefault(event_id(e.start_date, e.title), e.source.line)
        text_line[name] = found
    for g in lines:
        if g["file"] in text_line:
            g["line"] = text_line[g["file"]].get(g["event_id"], 0)


def _line(r: Any, fix: dict[str, Any], reviewed: bool) -> dict[str, Any]:
    """One gold line: what the pages show of the event (corrections over the machine)."""
    # partial: the staff decided on some entries of the file, not all of them
    where = {"file": r[1], "line": int(r[2]), "partial": True}
    if fix.get("not_event"):
        return {**where, "not_event": True, "event_id": r[0], "title": r[5]}
    if fix.get("duplicate_of"):
        return {**where, "duplicate_of": fix["duplicate_of"], "event_id": r[0], "title": r[5]}
    machine = {
        "start_date": _iso(r[3]),
        "end_date": _iso(r[4]),
        "title": r[5],
        "format": r[7],
        "activity": r[8],
        "themes": json.loads(r[9]),
        "partners": json.loads(r[10]),
        "countries": json.loads(r[11]),
    }
    shown = {k: fix.get(k, v) for k, v in machine.items()}
    return {
        **where,
        "start_date": shown["start_date"],
        "end_date": shown["end_date"],
        "title": shown["title"],
        "language": r[6],
        "format": shown["format"],
        "activity": shown["activity"],
        "themes": sorted(shown["themes"]),
        "partner_cities": [
            {"name": p["name"], "country": p["country"]}
            for p in shown["partners"]
            if p.get("kind") == "city"
        ],
        "countries": sorted(shown["countries"]),
        "truncated": False,
        "event_id": r[0],
        "corrected": sorted(k for k in fix if k in machine),
        "reviewed": reviewed,
    }


def source_texts(store: Store, names: Iterable[str]) -> dict[str, str]:
    """The text of the current version of each source name, as the store parsed it."""
    wanted = sorted(set(names))
    out: dict[str, str] = {}
    with store.read() as conn:
        for chunk in _chunks(wanted):
            for name, text in conn.execute(
                sa.select(Source.name, Source.text).where(Source.current, Source.name.in_(chunk))
            ):
                out[name] = text
    return out
