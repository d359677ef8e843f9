"""Agenda text -> the store: read once, diff against what is stored, write in one transaction.

A *document* is one version of a source: a file, an upload or a pasted text, read once
into memory. Its bytes are hashed and what is parsed is exactly those bytes, so a file
rewritten while it is read never gives a mixed result. The diff compares the document's
entries with the store:

* **new**: an event id the store does not hold;
* **changed**: a stored event whose dates, title, description or language differ; the
  old version stays in ``entries`` as history;
* **unchanged**: stored as it is (only its line may have moved);
* **withdrawn**: an event the previous version of the same source held, that this
  version no longer holds and no other current source holds either; marked, never deleted;
* **restored**: a withdrawn event that is back.

Ingesting the same bytes under the same name again writes nothing. Labels are computed
outside the write transaction (the costly part) and the diff is checked again inside it,
so two writers at once still give a consistent store.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from intl_metrics.parse.sources import (
    ENCODING_NAMES,
    SYNTHETIC_MARK,
    SourceText,
    decode_agenda,
    source_notes,
)
from intl_metrics.schema import Entry, Event, ParseWarning, Source, event_id
from intl_metrics.store.db import Store, Writer
from intl_metrics.store.html import looks_like_html, visible_text
from intl_metrics.store.models import Entry as EntryRow
from intl_metrics.store.models import Event as EventRow
from intl_metrics.store.models import Label, Occurrence
from intl_metrics.store.models import Source as SourceRow

__all__ = [
    "ENTRY_FIELDS",
    "Document",
    "EventChange",
    "IngestReport",
    "Parsed",
    "document_from_bytes",
    "document_from_text",
    "ingest",
    "label_row",
    "parse_document",
    "read_document",
]

Progress = Callable[[float, str], None]

# What makes an entry "changed": the fields the parser reads from its text.
ENTRY_FIELDS: tuple[str, ...] = ("start_date", "end_date", "title", "description", "language")
HTML_TYPES = ("text/html", "application/xhtml+xml")
_BATCH = 2_000  # ids per IN (...) query: well under every backend's parameter limit


_JSON = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))


def dumps(value: Any) -> str:
    """The store's JSON: compact, UTF-8 as written, so equal labels are equal strings."""
    return _JSON.encode(value)


@lru_cache(maxsize=65_536)
def _json_list(values: tuple[Any, ...]) -> str:
    """A label tuple as JSON, once per distinct tuple (most events share a few)."""
    return _JSON.encode([v.to_dict() if hasattr(v, "to_dict") else v for v in values])


def reserve_ids(conn: Connection, table: sa.Table, n: int) -> int:
    """The first of ``n`` new ids for ``table``, taken inside a write transaction.

    Inserting many rows with RETURNING of their ids goes one row at a time on SQLite;
    ids reserved up front let them go in batches. On PostgreSQL the id sequence hands
    them out (and stays right for later inserts); on SQLite the write lock that every
    write transaction holds makes max(id) + 1 safe.
    """
    if conn.dialect.name == "postgresql":
        seq = conn.execute(sa.select(sa.func.pg_get_serial_sequence(table.name, "id"))).scalar_one()
        ids = (
            conn.execute(
                sa.text("SELECT nextval(:seq) FROM generate_series(1, :n)"), {"seq": seq, "n": n}
            )
            .scalars()
            .all()
        )
        if ids != list(range(ids[0], ids[0] + n)):  # a sequence with gaps (caching): fall back
            raise AssertionError(f"{table.name}: id sequence gave non-consecutive ids")
        return int(ids[0])
    return (
        int(conn.execute(sa.select(sa.func.coalesce(sa.func.max(table.c.id), 0))).scalar_one()) + 1
    )


# ------------------------------------------------------------------------- documents


@dataclass(frozen=True)
class Document:
    """One version of a source, read once: its agenda text and where it came from."""

    name: str
    text: str  # the agenda text that is parsed (a saved page's visible text)
    media_type: str  # text/plain or text/html
    encoding: str
    sha256: str  # of the bytes as read
    size: int
    raw: bytes | None = None  # the bytes, kept when they are not the text (a saved page)
    problem: str | None = None  # why the bytes may not be agenda text
    origin: str | None = None  # the path it was read from; None for uploads and pastes
    mtime_ns: int | None = None
    page_lines: tuple[int, ...] | None = None  # a saved page's line of each text line

    @property
    def synthetic(self) -> bool:
        """Written by `intl-metrics synth` (its first line says so): not the City's agenda."""
        return self.text.startswith(SYNTHETIC_MARK)

    @property
    def encoding_name(self) -> str:
        """'UTF-8', 'Windows-1252 (Latin-1)', ... as people call it."""
        return ENCODING_NAMES.get(self.encoding, self.encoding)

    def notes(self, entries: int) -> list[str]:
        """What a reader should know about the whole document (encoding, not text, empty)."""
        src = SourceText(self.text, self.encoding, self.sha256, self.size, self.problem)
        return source_notes(src, entries)


def document_from_bytes(
    data: bytes,
    name: str,
    *,
    origin: str | None = None,
    mtime_ns: int | None = None,
    media_type: str | None = None,
) -> Document:
    """A document from bytes: decoded, and a saved HTML page turned into its visible text."""
    name = (os.path.basename(name) or "upload.txt")[:255]
    src: SourceText = decode_agenda(data, name)
    if "\x00" in src.text:  # PostgreSQL text cannot hold NUL; the parser reads it as a space
        src = SourceText(src.text.replace("\x00", " "), src.encoding, src.sha256, src.size,
                         src.problem)  # fmt: skip
    is_html = (
        media_type in HTML_TYPES
        if media_type
        else Path(name).suffix.lower() in (".html", ".htm", ".xhtml") or looks_like_html(src.text)
    )
    if not is_html:
        return Document(
            name,
            src.text,
            "text/plain",
            src.encoding,
            src.sha256,
            src.size,
            problem=src.problem,
            origin=origin,
            mtime_ns=mtime_ns,
        )
    page = visible_text(src.text)
    return Document(
        name,
        page.text,
        "text/html",
        src.encoding,
        src.sha256,
        src.size,
        raw=data,
        problem=src.problem,
        origin=origin,
        mtime_ns=mtime_ns,
        page_lines=page.page_lines,
    )


def document_from_text(text: str, name: str = "pasted.txt") -> Document:
    """A document from pasted text (stored as its UTF-8 bytes)."""
    return document_from_bytes(text.encode("utf-8"), name, media_type="text/plain")


def read_document(path: str | os.PathLike[str]) -> Document:
    """Read a file once into a document; raises OSError (IsADirectoryError, ...)."""
    p = Path(path)
    data, mtime_ns = read_whole(p, Path.read_bytes)
    return document_from_bytes(data, p.name, origin=str(p.resolve()), mtime_ns=mtime_ns)


def read_whole(path: Path, read: Callable[[Path], bytes]) -> tuple[bytes, int]:
    """A file's bytes in one version, and its mtime from just before they were read.

    A file rewritten while it is read can give a torn read: it is read again (a few
    times at most) until its stat holds still around the read. Whatever was read is
    what is hashed and parsed; a change during the read shows as a change next time.
    """
    for _ in range(3):
        before = path.stat()
        data = read(path)
        after = path.stat()
        if (before.st_mtime_ns, before.st_size) == (after.st_mtime_ns, len(data)):
            break
    return data, before.st_mtime_ns


# ---------------------------------------------------------------------------- parsing


@dataclass
class Parsed:
    """A document's entries (one per event id, in page order), their texts, its warnings."""

    document: Document
    entries: list[Entry]
    ids: list[str]
    texts: list[str]
    warnings: list[ParseWarning]
    notes: list[str] = field(default_factory=list)  # about the whole document


def _entry_text(lines: list[str], start: int, stop: int, description: str) -> str:
    """The entry's own lines: from its first line to the next entry's, blank tail dropped."""
    chunk = lines[start:stop]
    tail = description.strip()[-24:]
    if tail:  # stop at the line that ends the description (not a page footer after it)
        joined = ""
        for i, line in enumerate(chunk):
            joined = (joined + " " + line.strip()).strip() if joined else line.strip()
            if " ".join(joined.split()).endswith(" ".join(tail.split())):
                chunk = chunk[: i + 1]
                break
    while chunk and not chunk[-1].strip():
        chunk.pop()
    return "\n".join(chunk)


def parse_document(doc: Document) -> Parsed:
    """Parse a document's text: entries, one per event id (the first kept), and warnings."""
    from intl_metrics.parse import parse_text

    result = parse_text(doc.text, doc.name)
    lines = doc.text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    page = doc.page_lines

    def where(line: int) -> int:
        if not page:
            return line
        return page[min(max(line, 1), len(page)) - 1]

    entries: list[Entry] = []
    ids: list[str] = []
    texts: list[str] = []
    warnings = [
        ParseWarning(Source(w.source.file, where(w.source.line)), w.reason) for w in result.warnings
    ]
    seen: dict[str, int] = {}
    starts = [e.source.line for e in result.entries]
    for i, e in enumerate(result.entries):
        eid = event_id(e.start_date, e.title)
        line = where(e.source.line)
        if eid in seen:
            warnings.append(
                ParseWarning(
                    Source(doc.name, line),
                    f"the same date and title as the entry on line {seen[eid]}: "
                    "one event, the first one kept",
                )
            )
            continue
        seen[eid] = line
        stop = starts[i + 1] - 1 if i + 1 < len(starts) else len(lines)
        texts.append(_entry_text(lines, e.source.line - 1, stop, e.description))
        if page:
            e = Entry(
                e.start_date, e.end_date, e.title, e.description, e.language, Source(doc.name, line)
            )
        entries.append(e)
        ids.append(eid)
    warnings.sort(key=lambda w: w.source.line)
    return Parsed(doc, entries, ids, texts, warnings, doc.notes(len(entries)))


# ------------------------------------------------------------------------------- diff


@dataclass(frozen=True)
class EventChange:
    """One event of a diff: its id, date and title, and for a change the fields that differ."""

    id: str
    start_date: date
    title: str
    fields: tuple[str, ...] = ()


@dataclass
class IngestReport:
    """What an ingest did (or, in a dry run, would do) with one document."""

    name: str
    sha256: str
    size: int
    media_type: str
    encoding: str
    new: list[EventChange] = field(default_factory=list)
    changed: list[EventChange] = field(default_factory=list)
    unchanged: int = 0
    withdrawn: list[EventChange] = field(default_factory=list)
    restored: list[EventChange] = field(default_factory=list)
    warnings: list[ParseWarning] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # about the whole document
    problem: str | None = None  # why it is not agenda text: then nothing is written
    entries: int = 0
    same_as_stored: bool = False  # the current version of this name has these very bytes
    written: bool = False
    dry_run: bool = False
    revision: int | None = None
    source_id: int | None = None
    seconds: float = 0.0

    @property
    def changes(self) -> int:
        return len(self.new) + len(self.changed) + len(self.withdrawn) + len(self.restored)

    def summary(self) -> str:
        """One line: the counts, as the CLI and the pages say them."""
        parts = [
            f"{len(self.new):,} new",
            f"{len(self.changed):,} changed",
            f"{self.unchanged:,} unchanged",
            f"{len(self.withdrawn):,} withdrawn",
        ]
        if self.restored:
            parts.append(f"{len(self.restored):,} restored")
        tail = " (the same text as stored: nothing to write)" if self.same_as_stored else ""
        if self.problem:
            tail = " (not agenda text: nothing to write)"
        head = f"{self.name} (dry run)" if self.dry_run else self.name
        return f"{head}: {', '.join(parts)}{tail}"


@dataclass
class _Stored:
    status: str
    source_name: str
    line: int
    fields: tuple[Any, ...]  # ENTRY_FIELDS of the current entry


@dataclass
class _Diff:
    stored: dict[str, _Stored]
    new: list[int]  # positions in Parsed
    changed: list[tuple[int, tuple[str, ...]]]
    unchanged: list[int]
    restored: list[int]
    withdrawn: list[str]  # ids
    gone_elsewhere: list[str]  # ids no longer in this source but still in another
    old_lines: dict[str, int]  # this source name's occurrences before: id -> line


def _chunks(items: Sequence[Any], n: int = _BATCH) -> Iterable[Sequence[Any]]:
    for i in range(0, len(items), n):
        yield items[i : i + n]


def _as_date(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def _entry_fields(e: Entry) -> tuple[Any, ...]:
    return (e.start_date, e.end_date, e.title, e.description, e.language)


def _diff(conn: Connection, parsed: Parsed) -> _Diff:
    name = parsed.document.name
    stored: dict[str, _Stored] = {}
    for ids in _chunks(parsed.ids):
        rows = conn.execute(
            sa.select(
                EventRow.id,
                EventRow.status,
                EventRow.source_name,
                EventRow.line,
                EntryRow.start_date,
                EntryRow.end_date,
                EntryRow.title,
                EntryRow.description,
                EntryRow.language,
            )
            .join(EntryRow, (EntryRow.event_id == EventRow.id) & EntryRow.current)
            .where(EventRow.id.in_(ids))
        )
        for r in rows:
            fields = (_as_date(r[4]), _as_date(r[5]), r[6], r[7], r[8])
            stored[r[0]] = _Stored(r[1], r[2], r[3], fields)
    old_lines = dict(
        conn.execute(
            sa.select(Occurrence.event_id, Occurrence.line).where(Occurrence.source_name == name)
        ).all()
    )
    d = _Diff(stored, [], [], [], [], [], [], old_lines)
    for i, (eid, entry) in enumerate(zip(parsed.ids, parsed.entries, strict=True)):
        s = stored.get(eid)
        if s is None:
            d.new.append(i)
            continue
        differ = tuple(
            f
            for f, a, b in zip(ENTRY_FIELDS, _entry_fields(entry), s.fields, strict=True)
            if a != b
        )
        if differ:
            d.changed.append((i, differ))
        if s.status == "withdrawn":
            d.restored.append(i)
        elif not differ:
            d.unchanged.append(i)
    present = set(parsed.ids)
    gone = [eid for eid in old_lines if eid not in present]
    elsewhere: set[str] = set()
    for ids in _chunks(gone):
        elsewhere.update(
            conn.execute(
                sa.select(Occurrence.event_id)
                .where(Occurrence.event_id.in_(ids), Occurrence.source_name != name)
                .distinct()
            ).scalars()
        )
    status: dict[str, str] = {}
    for ids in _chunks(gone):
        status.update(
            conn.execute(sa.select(EventRow.id, EventRow.status).where(EventRow.id.in_(ids))).all()
        )
    for eid in gone:
        if eid in elsewhere:
            d.gone_elsewhere.append(eid)
        elif status.get(eid) == "active":
            d.withdrawn.append(eid)
        else:  # withdrawn already: only its occurrence goes
            d.gone_elsewhere.append(eid)
    return d


def _current_sha(conn: Connection, name: str) -> str | None:
    return conn.execute(
        sa.select(SourceRow.sha256).where(SourceRow.name == name, SourceRow.current)
    ).scalar()


def _change(parsed: Parsed, i: int, fields: tuple[str, ...] = ()) -> EventChange:
    e = parsed.entries[i]
    return EventChange(parsed.ids[i], e.start_date, e.title, fields)


def _report(
    parsed: Parsed, d: _Diff, titles: dict[str, tuple[date, str]], report: IngestReport
) -> None:
    report.new = [_change(parsed, i) for i in d.new]
    report.changed = [_change(parsed, i, f) for i, f in d.changed]
    report.unchanged = len(d.unchanged)
    report.restored = [_change(parsed, i) for i in d.restored]
    report.withdrawn = [EventChange(eid, *titles.get(eid, (date.min, ""))) for eid in d.withdrawn]


def _withdrawn_titles(conn: Connection, ids: Sequence[str]) -> dict[str, tuple[date, str]]:
    out: dict[str, tuple[date, str]] = {}
    for chunk in _chunks(ids):
        for eid, start, title in conn.execute(
            sa.select(EntryRow.event_id, EntryRow.start_date, EntryRow.title).where(
                EntryRow.event_id.in_(chunk), EntryRow.current
            )
        ):
            out[eid] = (_as_date(start), title)
    return out


# ------------------------------------------------------------------------------ write


def label_row(ev: Event) -> dict[str, Any]:
    """The stored form of an event's machine labels (evidence and review flag if it has them)."""
    evidence = getattr(ev, "evidence", ())
    return {
        "format": ev.format,
        "activity": ev.activity,
        "themes": _json_list(tuple(ev.themes)),
        "partners": _json_list(tuple(ev.partners)),
        "countries": _json_list(tuple(ev.countries)),
        "organisations": _json_list(tuple(ev.organisations)),
        "projects": _json_list(tuple(ev.projects)),
        "evidence": dumps([e.to_dict() for e in evidence]) if evidence else "[]",
        "needs_review": bool(getattr(ev, "needs_review", False)),
    }


def _json_value(value: Any) -> str:
    return dumps(value.isoformat() if isinstance(value, date) else value)


def _write(
    w: Writer,
    parsed: Parsed,
    d: _Diff,
    labelled: dict[str, Event],
    rules: str,
) -> int:
    """Write a document and its diff; returns the new source's id."""
    conn, now, rev = w.conn, w.now, w.revision
    doc = parsed.document
    conn.execute(
        sa.update(SourceRow)
        .where(SourceRow.name == doc.name, SourceRow.current)
        .values(current=False)
    )
    source_id = conn.execute(
        sa.insert(SourceRow)
        .values(
            name=doc.name,
            origin=doc.origin,
            origin_mtime_ns=doc.mtime_ns,
            media_type=doc.media_type,
            encoding=doc.encoding,
            sha256=doc.sha256,
            size=doc.size,
            text=doc.text,
            raw=doc.raw,
            warnings=dumps([[x.source.line, x.reason] for x in parsed.warnings]),
            notes=dumps(parsed.notes),
            synthetic=doc.synthetic,
            problem=doc.problem,
            entries=len(parsed.entries),
            current=True,
            revision=rev,
            ingested_at=now,
            ingested_by=w.who,
        )
        .returning(SourceRow.id)
    ).scalar_one()

    new = [parsed.ids[i] for i in d.new]
    changed = [parsed.ids[i] for i, _ in d.changed]
    if new:
        for chunk in _chunks(d.new, 10_000):
            conn.execute(
                sa.insert(EventRow),
                [
                    {
                        "id": parsed.ids[i],
                        "status": "active",
                        "source_name": doc.name,
                        "line": parsed.entries[i].source.line,
                        "created_at": now,
                        "updated_at": now,
                        "withdrawn_at": None,
                        "revision": rev,
                    }
                    for i in chunk
                ],
            )
    for ids in _chunks(changed):
        conn.execute(
            sa.update(EntryRow)
            .where(EntryRow.event_id.in_(ids), EntryRow.current)
            .values(current=False)
        )
        conn.execute(
            sa.update(Label).where(Label.event_id.in_(ids), Label.current).values(current=False)
        )
    # New versions of entries, then their labels (which point at them).
    fresh = d.new + [i for i, _ in d.changed]
    first_id = reserve_ids(conn, EntryRow.__table__, len(fresh)) if fresh else 0
    for c, chunk in enumerate(_chunks(fresh, 10_000)):
        entry_ids = range(first_id + c * 10_000, first_id + c * 10_000 + len(chunk))
        conn.execute(
            sa.insert(EntryRow),
            [
                {
                    "id": entry_id,
                    "event_id": parsed.ids[i],
                    "source_id": source_id,
                    "line": parsed.entries[i].source.line,
                    "text": parsed.texts[i],
                    "start_date": parsed.entries[i].start_date,
                    "end_date": parsed.entries[i].end_date,
                    "title": parsed.entries[i].title,
                    "description": parsed.entries[i].description,
                    "language": parsed.entries[i].language,
                    "current": True,
                    "revision": rev,
                    "recorded_at": now,
                }
                for i, entry_id in zip(chunk, entry_ids, strict=True)
            ],
        )
        conn.execute(
            sa.insert(Label),
            [
                {
                    "event_id": parsed.ids[i],
                    "entry_id": entry_id,
                    "rules_version": rules,
                    **label_row(labelled[parsed.ids[i]]),
                    "current": True,
                    "revision": rev,
                    "labelled_at": now,
                }
                for i, entry_id in zip(chunk, entry_ids, strict=True)
            ],
        )
    # Where each event stands now, and whether it stands: only rows that change.
    restored = set(d.restored)
    moves = []
    for i in sorted({i for i, _ in d.changed} | set(d.unchanged) | restored):
        eid, line = parsed.ids[i], parsed.entries[i].source.line
        s = d.stored[eid]
        if i in restored or (s.source_name, s.line) != (doc.name, line) or eid in changed:
            moves.append({"b_id": eid, "b_line": line})
    restored_ids = {parsed.ids[i] for i in restored}
    touched = set(changed) | restored_ids
    for chunk in _chunks(moves, 10_000):
        touched_rows = [m for m in chunk if m["b_id"] in touched]
        plain_rows = [m for m in chunk if m["b_id"] not in touched]
        if plain_rows:  # a line moved: not a change of the event
            conn.execute(
                sa.update(EventRow)
                .where(EventRow.id == sa.bindparam("b_id"))
                .values(source_name=doc.name, line=sa.bindparam("b_line"), revision=rev),
                plain_rows,
            )
        if touched_rows:
            conn.execute(
                sa.update(EventRow)
                .where(EventRow.id == sa.bindparam("b_id"))
                .values(
                    source_name=doc.name,
                    line=sa.bindparam("b_line"),
                    status="active",
                    withdrawn_at=None,
                    updated_at=now,
                    revision=rev,
                ),
                touched_rows,
            )
    for ids in _chunks(d.withdrawn):
        conn.execute(
            sa.update(EventRow)
            .where(EventRow.id.in_(ids))
            .values(status="withdrawn", withdrawn_at=now, updated_at=now, revision=rev)
        )
    # This name's occurrences: gone ones out, new ones in, moved lines updated.
    gone = d.withdrawn + d.gone_elsewhere
    for ids in _chunks(gone):
        conn.execute(
            sa.delete(Occurrence).where(
                Occurrence.source_name == doc.name, Occurrence.event_id.in_(ids)
            )
        )
    conn.execute(
        sa.update(Occurrence).where(Occurrence.source_name == doc.name).values(source_id=source_id)
    )
    added, moved = [], []
    for eid, e in zip(parsed.ids, parsed.entries, strict=True):
        old = d.old_lines.get(eid)
        if old is None:
            added.append(
                {
                    "source_name": doc.name,
                    "event_id": eid,
                    "source_id": source_id,
                    "line": e.source.line,
                }
            )
        elif old != e.source.line:
            moved.append({"b_id": eid, "b_line": e.source.line})
    for chunk in _chunks(added, 10_000):
        conn.execute(sa.insert(Occurrence), chunk)
    for chunk in _chunks(moved, 10_000):
        conn.execute(
            sa.update(Occurrence)
            .where(Occurrence.source_name == doc.name, Occurrence.event_id == sa.bindparam("b_id"))
            .values(line=sa.bindparam("b_line")),
            chunk,
        )

    # The audit: the ingest itself, then each stored event that changed or left or came back.
    w.audit(
        "ingest",
        source_id=source_id,
        new=dumps(
            {
                "name": doc.name,
                "sha256": doc.sha256,
                "size": doc.size,
                "new": len(d.new),
                "changed": len(d.changed),
                "unchanged": len(d.unchanged),
                "withdrawn": len(d.withdrawn),
                "restored": len(d.restored),
                "warnings": len(parsed.warnings),
            }
        ),
        note=f"{doc.media_type} from {doc.origin or 'an upload'}",
    )
    for i, differ in d.changed:
        eid = parsed.ids[i]
        now_fields = dict(zip(ENTRY_FIELDS, _entry_fields(parsed.entries[i]), strict=True))
        was_fields = dict(zip(ENTRY_FIELDS, d.stored[eid].fields, strict=True))
        for f in differ:
            w.audit(
                "ingest",
                source_id=source_id,
                event_id=eid,
                field=f,
                old=_json_value(was_fields[f]),
                new=_json_value(now_fields[f]),
                note="the entry changed in a new version of its source",
            )
    for i in d.restored:
        w.audit(
            "ingest",
            source_id=source_id,
            event_id=parsed.ids[i],
            field="status",
            old=dumps("withdrawn"),
            new=dumps("active"),
            note="back in a new version of its source",
        )
    for eid in d.withdrawn:
        w.audit(
            "ingest",
            source_id=source_id,
            event_id=eid,
            field="status",
            old=dumps("active"),
            new=dumps("withdrawn"),
            note="missing from a new version of its source",
        )
    return source_id


def _label_needed(
    parsed: Parsed,
    positions: Iterable[int],
    done: dict[str, Event],
    progress: Progress | None,
) -> None:
    from intl_metrics.labelling import label_entries

    todo = [i for i in positions if parsed.ids[i] not in done]
    if not todo:
        return
    name = parsed.document.name

    def step(fraction: float) -> None:
        if progress:
            progress(0.1 + 0.8 * fraction, f"Labelling {name}: {fraction:.0%}")

    events = label_entries([parsed.entries[i] for i in todo], progress=step)
    for i, ev in zip(todo, events, strict=True):
        done[parsed.ids[i]] = ev


def ingest(
    store: Store,
    doc: Document,
    who: str,
    *,
    dry_run: bool = False,
    progress: Progress | None = None,
    parsed: Parsed | None = None,
    labelled: dict[str, Event] | None = None,
) -> IngestReport:
    """Ingest one document: diff it with the store and, unless ``dry_run``, write it.

    The write is one transaction with its audit rows; anything that fails rolls it all
    back. ``parsed`` and ``labelled`` let a caller that already parsed (a preview) pass
    its work in; the diff is computed again inside the transaction whatever it passes.
    """
    t0 = time.perf_counter()
    report = IngestReport(
        doc.name, doc.sha256, doc.size, doc.media_type, doc.encoding, dry_run=dry_run
    )
    if progress:
        progress(0.0, f"Reading {doc.name}")
    parsed = parsed or parse_document(doc)
    report.warnings = parsed.warnings
    report.notes = parsed.notes
    report.entries = len(parsed.entries)
    if doc.problem:  # not text: there is nothing to keep, and nothing is withdrawn for it
        report.problem = doc.problem
        report.seconds = time.perf_counter() - t0
        return report
    labelled = dict(labelled or {})
    with store.read() as conn:
        report.same_as_stored = _current_sha(conn, doc.name) == doc.sha256
        d = _diff(conn, parsed)
        _report(parsed, d, _withdrawn_titles(conn, d.withdrawn), report)
    if report.same_as_stored:  # nothing moves: the stored version is these very bytes
        _nothing_moves(report)
    if dry_run or report.same_as_stored:
        report.seconds = time.perf_counter() - t0
        return report
    _label_needed(parsed, d.new + [i for i, _ in d.changed], labelled, progress)

    from intl_metrics.enrich import rules_version

    rules = rules_version()
    if progress:
        progress(0.9, f"Writing {doc.name}")
    try:
        with store.write(who, "ingest") as w:
            if _current_sha(w.conn, doc.name) == doc.sha256:  # another writer was first
                raise _NothingToWrite
            d = _diff(w.conn, parsed)  # the state as this transaction sees it
            _report(parsed, d, _withdrawn_titles(w.conn, d.withdrawn), report)
            _label_needed(parsed, d.new + [i for i, _ in d.changed], labelled, None)
            report.source_id = _write(w, parsed, d, labelled, rules)
            report.revision = w.revision
        report.written = True
    except _NothingToWrite:
        report.same_as_stored = True
        _nothing_moves(report)
    if progress:
        progress(1.0, report.summary())
    report.seconds = time.perf_counter() - t0
    return report


class _NothingToWrite(Exception):
    """Rolls back a write transaction that found nothing to do."""


def _nothing_moves(report: IngestReport) -> None:
    report.new, report.changed, report.withdrawn, report.restored = [], [], [], []
    report.unchanged = report.entries
