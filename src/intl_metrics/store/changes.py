"""The audit log as people read it: an event's history, and every change, filtered.

Each audit row says who, when, what kind of write (``ingest``, ``relabel``, ``import``,
``correct``, ``undo``, ``review``, ``note``, ``users``), and for an event's field its old
and new value (JSON) and a note. A correction still in force carries its id, so a page
can offer to undo it.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import sqlalchemy as sa

from intl_metrics.store.db import Store, utc
from intl_metrics.store.models import Audit, Correction, Entry

__all__ = ["ACTIONS", "Change", "changes", "history", "people"]

ACTIONS: tuple[str, ...] = (
    "correct", "undo", "review", "note", "ingest", "relabel", "import", "users",
)  # fmt: skip
# Past this many rows a page shows the newest and says how many there are.
DEFAULT_LIMIT = 1_000


@dataclass(frozen=True)
class Change:
    """One audit row."""

    id: int
    at: datetime
    who: str
    action: str
    revision: int
    event_id: str | None
    title: str | None  # the event's title as it reads now (the entry's)
    field: str | None
    old: Any  # decoded JSON, None when there is none
    new: Any
    note: str | None
    correction_id: int | None  # the correction it made, while in force: it can be undone


def _value(text: str | None) -> Any:
    if text is None:
        return None
    try:
        return json.loads(text)
    except ValueError:
        return text


def _query(
    who: Sequence[str] = (),
    start: date | None = None,
    end: date | None = None,
    fields: Sequence[str] = (),
    actions: Sequence[str] = (),
    event_id: str | None = None,
) -> sa.Select:
    stmt = (
        sa.select(
            Audit.id, Audit.at, Audit.who, Audit.action, Audit.revision, Audit.event_id,
            Entry.title, Audit.field, Audit.old, Audit.new, Audit.note, Correction.id,
        )
        .outerjoin(Entry, (Entry.event_id == Audit.event_id) & Entry.current)
        .outerjoin(
            Correction,
            (Correction.event_id == Audit.event_id)
            & (Correction.field == Audit.field)
            & (Correction.revision == Audit.revision)
            & Correction.current
            & (Audit.action == "correct"),
        )
    )  # fmt: skip
    if who:
        stmt = stmt.where(Audit.who.in_(list(who)))
    # the days in the server's time zone, as UTC (what is stored; SQLite keeps no zone)
    if start is not None:
        stmt = stmt.where(Audit.at >= datetime.combine(start, time.min).astimezone(UTC))
    if end is not None:
        stmt = stmt.where(
            Audit.at < datetime.combine(end + timedelta(days=1), time.min).astimezone(UTC)
        )
    if fields:
        stmt = stmt.where(Audit.field.in_(list(fields)))
    if actions:
        stmt = stmt.where(Audit.action.in_(list(actions)))
    if event_id is not None:
        stmt = stmt.where(Audit.event_id == event_id)
    return stmt


def _rows(result: Any) -> list[Change]:
    return [
        Change(r[0], utc(r[1]), *r[2:8], _value(r[8]), _value(r[9]), r[10], r[11]) for r in result
    ]


def changes(
    store: Store,
    *,
    who: Sequence[str] = (),
    start: date | None = None,
    end: date | None = None,
    fields: Sequence[str] = (),
    actions: Sequence[str] = (),
    limit: int | None = DEFAULT_LIMIT,
) -> tuple[list[Change], int]:
    """The audit rows the filters keep, newest first (at most ``limit``), and their count.

    ``start``/``end``: days, both included, in the server's time zone.
    """
    stmt = _query(who, start, end, fields, actions)
    with store.read() as conn:
        total = conn.execute(
            sa.select(sa.func.count()).select_from(stmt.with_only_columns(Audit.id).subquery())
        ).scalar_one()
        ordered = stmt.order_by(Audit.id.desc())
        if limit is not None:
            ordered = ordered.limit(limit)
        return _rows(conn.execute(ordered)), total


def history(store: Store, event_id: str) -> list[Change]:
    """Every audit row of one event, newest first."""
    with store.read() as conn:
        return _rows(conn.execute(_query(event_id=event_id).order_by(Audit.id.desc())))


def people(store: Store) -> list[str]:
    """Everyone the audit names, by name."""
    with store.read() as conn:
        return sorted(conn.execute(sa.select(Audit.who).distinct()).scalars(), key=str.casefold)
