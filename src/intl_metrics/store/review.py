"""The review queue: the events an editor should look at, and their confirmations.

An event is in the queue for any of three reasons, read from the store as it stands:

* ``needs_review``: the labellers flagged its labels (a default, two rules that
  disagreed, a place that fits several countries);
* ``relabelled``: its labels changed at the last ``relabel``;
* ``text_changed``: a correction in force was made on an older version of its entry
  (a re-ingested page changed the text under it; the correction was kept).

An editor *confirms* an event (or corrects it from the queue): a ``reviews`` row records
the entry and label versions it saw. The event counts as reviewed while those are still
its current versions; a new entry or new labels bring it back. A review also keeps the
reasons it was made for, so the queue's count holds still once a correction made from it
settles the reason ("37 of 120 reviewed").
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from intl_metrics.store.access import Actor
from intl_metrics.store.db import Store, Writer, utc
from intl_metrics.store.ingestion import dumps
from intl_metrics.store.models import Audit, Correction, Entry, Event, Label, Review

__all__ = [
    "REASONS",
    "QueueItem",
    "QueuePage",
    "confirm",
    "last_relabel",
    "queue",
    "reasons_of",
    "record_review",
]

REASONS: tuple[str, ...] = ("needs_review", "relabelled", "text_changed")
STATUSES: tuple[str, ...] = ("to_review", "reviewed", "all")


@dataclass(frozen=True)
class QueueItem:
    """One event of the queue, as its row in the Review page."""

    event_id: str
    start_date: date
    title: str
    reasons: tuple[str, ...]
    reviewed_by: str | None
    reviewed_at: datetime | None


@dataclass(frozen=True)
class QueuePage:
    """A page of the queue, and the counts of the whole queue."""

    items: list[QueueItem]
    total: int  # events in the queue (with the reasons asked for)
    reviewed: int  # of those, reviewed as they stand
    matching: int  # events of the status asked for


def last_relabel(conn: Connection) -> int | None:
    """The store revision of the last relabel, None if there was none."""
    return conn.execute(
        sa.select(sa.func.max(Audit.revision)).where(Audit.action == "relabel")
    ).scalar()


def _reviewed_now():
    """A review of the event as it stands: its current entry and labels."""
    return (
        (Review.event_id == Event.id)
        & (Review.entry_id == Entry.id)
        & (Review.label_id == Label.id)
    )


def _conditions(conn: Connection, reasons: tuple[str, ...]) -> dict[str, sa.ColumnElement]:
    relabel = last_relabel(conn)
    text_changed = (
        sa.select(Correction.id)
        .where(Correction.event_id == Event.id, Correction.current, Correction.entry_id != Entry.id)
        .exists()
    )
    recorded = {
        # the reason a review of the event as it stands was made for
        r: sa.select(Review.id).where(_reviewed_now(), Review.reasons.contains(f'"{r}"')).exists()
        for r in REASONS
    }
    live = {
        "needs_review": Label.needs_review.is_(True),
        "relabelled": (Label.revision == relabel) if relabel is not None else sa.false(),
        "text_changed": text_changed,
    }
    return {r: sa.or_(live[r], recorded[r]) for r in reasons}


def _base(conn: Connection, reasons: tuple[str, ...]):
    conds = _conditions(conn, reasons)
    return (
        sa.select(Event.id)
        .join(Entry, (Entry.event_id == Event.id) & Entry.current)
        .join(Label, (Label.event_id == Event.id) & Label.current)
        .where(Event.status == "active", sa.or_(*conds.values()) if conds else sa.false())
    ), conds


def queue(
    store: Store,
    *,
    reasons: tuple[str, ...] = REASONS,
    status: str = "to_review",
    limit: int = 20,
    offset: int = 0,
) -> QueuePage:
    """A page of the queue (events with any of ``reasons``), newest first, and its counts.

    ``status``: ``to_review`` (not reviewed as they stand), ``reviewed``, or ``all``.
    """
    reasons = tuple(r for r in REASONS if r in reasons)
    reviewed = sa.select(Review.id).where(_reviewed_now()).exists()
    with store.read() as conn:
        base, conds = _base(conn, reasons)
        total = conn.execute(sa.select(sa.func.count()).select_from(base.subquery())).scalar_one()
        done = conn.execute(
            sa.select(sa.func.count()).select_from(base.where(reviewed).subquery())
        ).scalar_one()
        chosen = base
        if status == "to_review":
            chosen = base.where(~reviewed)
        elif status == "reviewed":
            chosen = base.where(reviewed)
        matching = (
            total - done if status == "to_review" else done if status == "reviewed" else total
        )
        flags = [sa.case((cond, 1), else_=0).label(r) for r, cond in conds.items()]
        last = (
            sa.select(Review.reviewed_by, Review.reviewed_at)
            .where(_reviewed_now())
            .order_by(Review.id.desc())
            .limit(1)
        )
        stmt = (
            chosen.add_columns(
                Entry.start_date,
                Entry.title,
                *flags,
                last.with_only_columns(Review.reviewed_by).scalar_subquery(),
                last.with_only_columns(Review.reviewed_at).scalar_subquery(),
            )
            .order_by(Entry.start_date.desc(), Event.id)
            .limit(limit)
            .offset(offset)
        )
        items = []
        for r in conn.execute(stmt):
            n = len(conds)
            why = tuple(name for name, flag in zip(conds, r[3 : 3 + n], strict=True) if flag)
            start = r[1] if isinstance(r[1], date) else date.fromisoformat(str(r[1]))
            items.append(QueueItem(r[0], start, r[2], why, r[3 + n], utc(r[4 + n])))
    return QueuePage(items, total, done, matching)


def reasons_of(conn: Connection, event_id: str) -> tuple[str, ...]:
    """Why an event is in the queue now (empty: it is not)."""
    base, conds = _base(conn, REASONS)
    flags = [sa.case((cond, 1), else_=0) for cond in conds.values()]
    row = conn.execute(base.add_columns(*flags).where(Event.id == event_id)).first()
    if row is None:
        return ()
    return tuple(r for r, flag in zip(conds, row[1:], strict=True) if flag)


def record_review(w: Writer, event_id: str, outcome: str, note: str | None) -> None:
    """Inside a write: the event as it stands is reviewed (``confirmed`` or ``corrected``)."""
    ids = w.conn.execute(
        sa.select(Entry.id, Label.id)
        .join(Label, (Label.event_id == Entry.event_id) & Label.current)
        .where(Entry.event_id == event_id, Entry.current)
    ).first()
    if ids is None:
        from intl_metrics.store.corrections import CorrectionError

        raise CorrectionError(f"there is no event {event_id!r} in the store")
    why = list(reasons_of(w.conn, event_id))
    w.conn.execute(
        sa.insert(Review).values(
            event_id=event_id,
            entry_id=ids[0],
            label_id=ids[1],
            reasons=dumps(why),
            outcome=outcome,
            note=note,
            reviewed_by=w.who,
            reviewed_at=w.now,
            revision=w.revision,
        )
    )
    w.audit("review", event_id=event_id, new=dumps({"outcome": outcome, "reasons": why}),
            note=note)  # fmt: skip


def confirm(store: Store, who: str | Actor, event_id: str, note: str = "") -> int:
    """Confirm an event's labels as they stand (an editor checked them); the new revision."""
    note_text = " ".join(str(note or "").split())[:2000] or None
    with store.write(who, "review") as w:
        record_review(w, event_id, "confirmed", note_text)
        return w.revision


def reasons_json(text: str) -> tuple[str, ...]:
    """A review's stored reasons."""
    return tuple(json.loads(text or "[]"))
