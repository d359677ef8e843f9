"""Staff corrections of an event's labels: correct, undo, and what an event is now.

A correction is one field of one event set by an editor: ``format``, ``activity``,
``themes``, ``partners``, ``countries``, ``start_date``, ``end_date``, ``title``, or the
entry's standing: ``not_event`` (true: the entry is not an event) and ``duplicate_of``
(the id of the event it repeats). The current correction of a field overrides what the
machine says, whatever the machine says later: corrections are rows of their own, keyed
by the event's stable id, so re-ingesting a page or relabelling leaves them as they are.
Each correction remembers the entry version it was made on; when a re-ingested page
changes that entry, the correction stays and the event joins the review queue.

Correcting and undoing are writes like any other: one transaction that checks its author
(``access.check_write``: an editor's session, or the command line), bumps the revision
of the event so every process reads it again, and writes one audit row per field (who,
when, event, field, old value, new value, note). An undo is audited the same way.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from intl_metrics.schema import ACTIVITIES, FORMATS, PLACE_KINDS, THEMES
from intl_metrics.store.access import Actor
from intl_metrics.store.db import Store, Writer, utc
from intl_metrics.store.ingestion import dumps
from intl_metrics.store.models import Correction, Entry, Event, Label, Review

__all__ = [
    "FIELDS",
    "LABEL_FIELDS",
    "CorrectionError",
    "CorrectionInfo",
    "EventRecord",
    "correct",
    "corrected_label_count",
    "current_corrections",
    "event_record",
    "undo",
]

# The fields an editor can correct, in the order a form shows them.
LABEL_FIELDS: tuple[str, ...] = (
    "title",
    "start_date",
    "end_date",
    "format",
    "activity",
    "themes",
    "partners",
    "countries",
)
FIELDS: tuple[str, ...] = (*LABEL_FIELDS, "not_event", "duplicate_of")
MAX_TITLE = 500
MAX_NOTE = 2000


class CorrectionError(ValueError):
    """A correction that cannot be made (an unknown event, a value outside the vocabulary,
    an end before the start, ...); nothing was written."""


@dataclass(frozen=True)
class CorrectionInfo:
    """A correction in force: its value, and who made it, when, on which entry version."""

    id: int
    field: str
    value: Any
    machine: Any  # the machine's value when it was made
    entry_id: int
    note: str | None
    by: str
    at: datetime
    replaces: int | None


@dataclass
class EventRecord:
    """One event as the store holds it: the machine's labels, the corrections, the result."""

    id: str
    status: str  # 'active' | 'withdrawn'
    source_name: str
    line: int
    entry_id: int
    label_id: int
    description: str
    language: str
    text: str
    needs_review: bool
    machine: dict[str, Any]  # FIELDS -> the machine's (parser's) value
    corrections: dict[str, CorrectionInfo] = field(default_factory=dict)

    @property
    def effective(self) -> dict[str, Any]:
        """FIELDS -> the value every page shows: the correction's, else the machine's."""
        return {f: (self.corrections[f].value if f in self.corrections else self.machine[f])
                for f in FIELDS}  # fmt: skip

    @property
    def hidden(self) -> bool:
        """Marked not an event, or a duplicate: no page counts it."""
        eff = self.effective
        return bool(eff["not_event"]) or bool(eff["duplicate_of"])

    @property
    def text_changed(self) -> bool:
        """A correction in force was made on an older version of the entry."""
        return any(c.entry_id != self.entry_id for c in self.corrections.values())


# ------------------------------------------------------------------------------ reading


def _iso(value: Any) -> str:
    return value.isoformat() if isinstance(value, date) else str(value)


def _record(conn: Connection, event_id: str) -> EventRecord:
    row = conn.execute(
        sa.select(
            Event.status, Event.source_name, Event.line, Entry.id, Entry.start_date,
            Entry.end_date, Entry.title, Entry.description, Entry.language, Entry.text,
            Label.id, Label.format, Label.activity, Label.themes, Label.partners,
            Label.countries, Label.needs_review,
        )
        .join(Entry, (Entry.event_id == Event.id) & Entry.current)
        .join(Label, (Label.event_id == Event.id) & Label.current)
        .where(Event.id == event_id)
    ).first()  # fmt: skip
    if row is None:
        raise CorrectionError(f"there is no event {event_id!r} in the store")
    machine = {
        "title": row[6],
        "start_date": _iso(row[4]),
        "end_date": _iso(row[5]),
        "format": row[11],
        "activity": row[12],
        "themes": json.loads(row[13]),
        "partners": json.loads(row[14]),
        "countries": json.loads(row[15]),
        "not_event": False,
        "duplicate_of": None,
    }
    rec = EventRecord(
        event_id, row[0], row[1], row[2], row[3], row[10], row[7], row[8], row[9],
        bool(row[16]), machine,
    )  # fmt: skip
    for c in conn.execute(
        sa.select(_CORRECTIONS).where(Correction.event_id == event_id, Correction.current)
    ):
        rec.corrections[c.field] = _info(c)
    return rec


_CORRECTIONS = Correction.__table__  # rows with a named attribute per column


def _info(c: Any) -> CorrectionInfo:
    return CorrectionInfo(
        c.id, c.field, json.loads(c.value), json.loads(c.machine) if c.machine else None,
        c.entry_id, c.note, c.created_by, utc(c.created_at), c.replaces_id,
    )  # fmt: skip


def event_record(store: Store, event_id: str) -> EventRecord:
    """The event as stored, with its corrections; CorrectionError if there is no such event."""
    with store.read() as conn:
        return _record(conn, event_id)


def current_corrections(conn: Connection, *, since: int | None = None) -> dict[str, dict[str, str]]:
    """Event id -> field -> the correction in force (its value as stored JSON).

    ``since``: only of the events changed after that store revision (a correction bumps
    its event's revision).
    """
    stmt = sa.select(Correction.event_id, Correction.field, Correction.value).where(
        Correction.current
    )
    if since is not None:
        stmt = stmt.join(Event, Event.id == Correction.event_id).where(Event.revision > since)
    out: dict[str, dict[str, str]] = {}
    for eid, fld, value in conn.execute(stmt):
        out.setdefault(eid, {})[fld] = value
    return out


def corrected_label_count(corrected: Sequence[Sequence[str]]) -> int:
    """How many labels staff corrected, from the frames' ``corrected`` column."""
    return sum(len(c) for c in corrected)


# ----------------------------------------------------------------------------- values


def _text(value: Any, what: str, limit: int) -> str:
    text = " ".join(str(value or "").split())
    if not text:
        raise CorrectionError(f"the {what} cannot be empty")
    if len(text) > limit:
        raise CorrectionError(f"the {what} has at most {limit} characters")
    return text


def _one_of(value: Any, vocabulary: Sequence[str], what: str) -> str:
    if value not in vocabulary:
        raise CorrectionError(f"{value!r} is not a {what} (one of {', '.join(vocabulary)})")
    return str(value)


def _country(code: Any) -> str:
    from intl_metrics.enrich.gazetteer import Gazetteer

    code = str(code or "").strip().upper()
    if code not in Gazetteer.default().country_codes():
        raise CorrectionError(f"{code!r} is not an ISO 3166-1 alpha-2 country code")
    return code


def _place(value: Any) -> dict[str, Any]:
    if not isinstance(value, Mapping):
        raise CorrectionError(
            f"a partner is a place (name, kind, country, lat, lon), not {value!r}"
        )
    try:
        lat, lon = float(value["lat"]), float(value["lon"])
        place = {
            "name": _text(value["name"], "partner's name", 200),
            "kind": _one_of(value["kind"], PLACE_KINDS, "kind of place"),
            "country": _country(value["country"]),
            "lat": lat,
            "lon": lon,
        }
    except (KeyError, TypeError, ValueError) as exc:
        if isinstance(exc, CorrectionError):
            raise
        raise CorrectionError(
            f"a partner is a place (name, kind, country, lat, lon): {exc}"
        ) from exc
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise CorrectionError(f"{place['name']}: latitude and longitude out of range")
    return place


def _unique(items: list[Any], key: Any = None) -> list[Any]:
    seen, out = set(), []
    for item in items:
        k = key(item) if key else item
        if k not in seen:
            seen.add(k)
            out.append(item)
    return out


def normalise(fld: str, value: Any) -> Any:
    """A field's value as stored, checked against its vocabulary; CorrectionError if wrong."""
    if fld == "title":
        return _text(value, "title", MAX_TITLE)
    if fld in ("start_date", "end_date"):
        try:
            return (
                value if isinstance(value, date) else date.fromisoformat(str(value))
            ).isoformat()
        except ValueError as exc:
            raise CorrectionError(f"{value!r} is not a date (YYYY-MM-DD)") from exc
    if fld == "format":
        return _one_of(value, FORMATS, "format")
    if fld == "activity":
        return _one_of(value, ACTIVITIES, "activity")
    if fld == "themes":
        themes = _unique([_one_of(v, THEMES, "theme") for v in value or ()])
        if not themes:
            raise CorrectionError("an event has at least one theme (institutional when none)")
        return themes
    if fld == "partners":
        return _unique([_place(p) for p in value or ()], lambda p: (p["name"], p["country"]))
    if fld == "countries":
        codes = _unique([_country(c) for c in value or ()])
        if "IT" in codes:
            raise CorrectionError("countries are the foreign ones: never IT")
        return codes
    if fld == "not_event":
        return bool(value)
    if fld == "duplicate_of":
        return str(value).strip() or None if value else None
    raise CorrectionError(f"{fld!r} is not a field that can be corrected")


# ------------------------------------------------------------------------------ writing


@dataclass
class CorrectReport:
    """What a correction wrote: the fields changed and the store revision it made."""

    event_id: str
    fields: list[str]
    revision: int
    reviewed: bool = False


def _check_duplicate(conn: Connection, event_id: str, target: str | None) -> None:
    if target is None:
        return
    if target == event_id:
        raise CorrectionError("an event cannot be a duplicate of itself")
    try:
        other = _record(conn, target)
    except CorrectionError:
        raise CorrectionError(f"there is no event {target!r} to be a duplicate of") from None
    eff = other.effective
    if eff["duplicate_of"]:
        raise CorrectionError(
            f"{target} is itself a duplicate of {eff['duplicate_of']}: choose that one"
        )
    if eff["not_event"] or other.status != "active":
        raise CorrectionError(f"{target} is not a standing event")


def _set(w: Writer, rec: EventRecord, fld: str, value: Any, note: str | None) -> None:
    """Make ``value`` the correction in force of one field, and audit it."""
    conn = w.conn
    old = rec.corrections.get(fld)
    if old is not None:
        conn.execute(sa.update(Correction).where(Correction.id == old.id).values(current=False))
    conn.execute(
        sa.insert(Correction).values(
            event_id=rec.id,
            field=fld,
            value=dumps(value),
            machine=dumps(rec.machine[fld]),
            entry_id=rec.entry_id,
            note=note,
            created_by=w.who,
            created_at=w.now,
            revision=w.revision,
            current=True,
            replaces_id=old.id if old else None,
            undone_at=None,
            undone_by=None,
        )
    )
    w.audit(
        "correct",
        event_id=rec.id,
        field=fld,
        old=dumps(rec.effective[fld]),
        new=dumps(value),
        note=note,
    )


def _touch(w: Writer, event_id: str) -> None:
    """What load shows of the event changed at this revision: every process reads it again."""
    w.conn.execute(
        sa.update(Event).where(Event.id == event_id).values(revision=w.revision, updated_at=w.now)
    )


def correct(
    store: Store,
    who: str | Actor,
    event_id: str,
    changes: Mapping[str, Any],
    note: str = "",
    *,
    review: bool = False,
) -> CorrectReport:
    """Set fields of an event (``changes``: field -> value) in one audited transaction.

    A value equal to what the event shows now is no change. ``note`` goes with every
    audit row (alone, with no change, it is recorded as a note on the event).
    ``review``: also confirm the event in the review queue (an edit made from it).
    Raises CorrectionError (nothing written) for a bad value, WriteRefused for a writer
    who may not correct.
    """
    note_text = " ".join(str(note or "").split())[:MAX_NOTE] or None
    values = {f: normalise(f, v) for f, v in changes.items()}
    with store.write(who, "correct") as w:
        rec = _record(w.conn, event_id)
        if rec.status != "active":
            raise CorrectionError(f"the event {event_id} was withdrawn from its source")
        now = rec.effective
        changed = [f for f in FIELDS if f in values and values[f] != now[f]]
        after = {**now, **{f: values[f] for f in changed}}
        if after["end_date"] < after["start_date"]:
            raise CorrectionError("the end date is before the start date")
        if "duplicate_of" in changed:
            _check_duplicate(w.conn, event_id, after["duplicate_of"])
        if not changed and not note_text and not review:
            raise CorrectionError("nothing to change: every value is as it stands")
        for f in changed:
            _set(w, rec, f, values[f], note_text)
        if changed:
            _touch(w, event_id)
        elif note_text and not review:
            w.audit("note", event_id=event_id, note=note_text)
        if review:
            from intl_metrics.store.review import record_review

            record_review(w, event_id, "corrected" if changed else "confirmed", note_text)
        return CorrectReport(event_id, changed, w.revision, review)


def undo(store: Store, who: str | Actor, correction_id: int, note: str = "") -> CorrectReport:
    """Undo a correction in force: the field goes back to the correction it replaced (if
    that one was not undone itself) or to the machine's label. Audited as an ``undo``."""
    note_text = " ".join(str(note or "").split())[:MAX_NOTE] or None
    with store.write(who, "undo") as w:
        c = w.conn.execute(sa.select(_CORRECTIONS).where(Correction.id == correction_id)).first()
        if c is None:
            raise CorrectionError(f"there is no correction {correction_id}")
        if not c.current:
            raise CorrectionError(
                "this correction is no longer in force (undone, or replaced by a later one)"
            )
        rec = _record(w.conn, c.event_id)
        w.conn.execute(
            sa.update(Correction)
            .where(Correction.id == c.id)
            .values(current=False, undone_at=w.now, undone_by=w.who)
        )
        restored: Any = rec.machine[c.field]
        if c.replaces_id is not None:
            prev = w.conn.execute(
                sa.select(_CORRECTIONS).where(Correction.id == c.replaces_id)
            ).first()
            if prev is not None and prev.undone_at is None:
                w.conn.execute(
                    sa.update(Correction).where(Correction.id == prev.id).values(current=True)
                )
                restored = json.loads(prev.value)
        _touch(w, c.event_id)
        w.audit(
            "undo",
            event_id=c.event_id,
            field=c.field,
            old=c.value,
            new=dumps(restored),
            note=note_text
            or f"undid the correction of {utc(c.created_at):%Y-%m-%d %H:%M} by {c.created_by}",
        )
        return CorrectReport(c.event_id, [c.field], w.revision)


def reviews_of(conn: Connection, event_id: str) -> list[tuple[str, datetime, str]]:
    """(who, when, outcome) of each review of an event, latest first."""
    rows = conn.execute(
        sa.select(Review.reviewed_by, Review.reviewed_at, Review.outcome)
        .where(Review.event_id == event_id)
        .order_by(Review.id.desc())
    )
    return [(r[0], utc(r[1]), r[2]) for r in rows]
