"""What ``load`` reads from the store: the standing events with their labels, the sources."""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from intl_metrics.store.db import utc
from intl_metrics.store.models import Entry, Event, Label, Source, StoreInfo

__all__ = ["EVENT_COLUMNS", "SourceInfo", "current_sources", "event_rows", "origins", "revision"]

# The columns of event_rows, in order: JSON lists as stored (equal labels, equal strings).
EVENT_COLUMNS: tuple[str, ...] = (
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
    "source_file",
    "source_line",
)


def revision(conn: Connection) -> int:
    """The store's revision as this transaction sees it."""
    return conn.execute(sa.select(StoreInfo.revision)).scalar_one()


def event_rows(
    conn: Connection, batch: int = 50_000, *, since: int | None = None
) -> Iterator[Sequence[Any]]:
    """Every standing (not withdrawn) event with its current entry and labels, in batches.

    ``since``: only the events changed after that store revision.
    """
    stmt = (
        sa.select(
            Event.id,
            Entry.start_date,
            Entry.end_date,
            Entry.title,
            Entry.description,
            Entry.language,
            Label.format,
            Label.activity,
            Label.themes,
            Label.partners,
            Label.countries,
            Label.organisations,
            Label.projects,
            Event.source_name,
            Event.line,
            Label.evidence,
            Label.needs_review,
        )
        .join(Entry, (Entry.event_id == Event.id) & Entry.current)
        .join(Label, (Label.event_id == Event.id) & Label.current)
        .where(Event.status == "active")
    )
    if since is not None:
        stmt = stmt.where(Event.revision > since)
    # The driver's own rows, not ORM objects: at 1M events every microsecond a row counts.
    result = conn.execution_options(yield_per=batch).execute(stmt)
    yield from result.partitions(batch)


@dataclass(frozen=True)
class SourceInfo:
    """A current source as the About page lists it."""

    id: int
    name: str
    origin: str | None
    media_type: str
    encoding: str
    size: int
    entries: int
    warnings: tuple[tuple[int, str], ...]
    notes: tuple[str, ...]
    synthetic: bool
    problem: str | None
    ingested_at: datetime
    ingested_by: str


def current_sources(conn: Connection) -> list[SourceInfo]:
    """The current version of every source name, by name."""
    rows = conn.execute(
        sa.select(
            Source.id,
            Source.name,
            Source.origin,
            Source.media_type,
            Source.encoding,
            Source.size,
            Source.entries,
            Source.warnings,
            Source.notes,
            Source.synthetic,
            Source.problem,
            Source.ingested_at,
            Source.ingested_by,
        )
        .where(Source.current)
        .order_by(Source.name)
    )
    return [
        SourceInfo(
            r[0],
            r[1],
            r[2],
            r[3],
            r[4],
            r[5],
            r[6],
            tuple((int(line), str(reason)) for line, reason in json.loads(r[7] or "[]")),
            tuple(json.loads(r[8] or "[]")),
            bool(r[9]),
            r[10],
            utc(r[11]),
            r[12],
        )
        for r in rows
    ]


def origins(conn: Connection, paths: Sequence[str]) -> dict[str, tuple[str, int | None, int]]:
    """For each path, what its latest ingested version was: (sha256, mtime_ns, size)."""
    out: dict[str, tuple[str, int | None, int]] = {}
    for i in range(0, len(paths), 1_000):
        chunk = paths[i : i + 1_000]
        latest = (
            sa.select(Source.origin, sa.func.max(Source.id).label("id"))
            .where(Source.origin.in_(chunk))
            .group_by(Source.origin)
            .subquery()
        )
        for origin, sha, mtime, size in conn.execute(
            sa.select(Source.origin, Source.sha256, Source.origin_mtime_ns, Source.size).join(
                latest, latest.c.id == Source.id
            )
        ):
            out[origin] = (sha, mtime, size)
    return out


def standing_count(conn: Connection) -> int:
    """How many events stand (are not withdrawn)."""
    return conn.execute(
        sa.select(sa.func.count()).select_from(Event).where(Event.status == "active")
    ).scalar_one()


def changed_since(conn: Connection, revision: int) -> list[str]:
    """The ids of every event (standing or withdrawn) changed after a store revision."""
    return list(conn.execute(sa.select(Event.id).where(Event.revision > revision)).scalars())
