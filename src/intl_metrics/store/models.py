"""The store's tables (SQLAlchemy 2): the schema the Alembic migrations build.

See ``README.md`` beside this file for what each table keeps and why.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
)
from sqlalchemy import (
    text as sql_text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

__all__ = ["Audit", "Base", "Entry", "Event", "Label", "Occurrence", "Source", "StoreInfo"]

# SQLite numbers rows only in an INTEGER PRIMARY KEY; PostgreSQL gets 64-bit ids.
Id = BigInteger().with_variant(Integer(), "sqlite")

# Constraint names that are the same on every backend, so migrations can name them.
NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


# The partial indexes' condition (a class body's own ``text`` column would shadow sa.text).
_CURRENT = sql_text("current")


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class StoreInfo(Base):
    """One row: which store this is and its revision, bumped by every write."""

    __tablename__ = "store_info"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)  # always 1
    store_id: Mapped[str] = mapped_column(String(36))
    revision: Mapped[int] = mapped_column(BigInteger)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class Source(Base):
    """One ingested version of a source (a file, an upload, a pasted text)."""

    __tablename__ = "sources"

    id: Mapped[int] = mapped_column(Id, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(255))
    origin: Mapped[str | None] = mapped_column(String(4096))
    origin_mtime_ns: Mapped[int | None] = mapped_column(BigInteger)
    media_type: Mapped[str] = mapped_column(String(64))
    encoding: Mapped[str] = mapped_column(String(64))
    sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(BigInteger)
    text: Mapped[str] = mapped_column(Text)
    raw: Mapped[bytes | None] = mapped_column(LargeBinary)
    warnings: Mapped[str] = mapped_column(Text)  # JSON [[line, reason], ...]
    notes: Mapped[str] = mapped_column(Text)  # JSON: the encoding when not UTF-8, ...
    synthetic: Mapped[bool] = mapped_column(Boolean)  # written by `intl-metrics synth`
    problem: Mapped[str | None] = mapped_column(Text)
    entries: Mapped[int] = mapped_column(Integer)
    current: Mapped[bool] = mapped_column(Boolean)
    revision: Mapped[int] = mapped_column(BigInteger)
    ingested_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    ingested_by: Mapped[str] = mapped_column(String(255))

    __table_args__ = (
        Index("ix_sources_name_current", "name", "current"),
        Index("ix_sources_origin", "origin"),
    )


class Event(Base):
    """One event, by its stable id: whether it stands, and where it was last seen."""

    __tablename__ = "events"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    status: Mapped[str] = mapped_column(String(16))  # 'active' | 'withdrawn'
    source_name: Mapped[str] = mapped_column(String(255))
    line: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    withdrawn_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # The store revision that last changed what load shows of it (entry, labels, status,
    # line): a process holding the frames of revision R reads only events past R.
    revision: Mapped[int] = mapped_column(BigInteger)

    __table_args__ = (
        Index("ix_events_status", "status"),
        Index("ix_events_revision", "revision"),
    )


class Entry(Base):
    """One version of an event's entry as read from a source; the current one is flagged."""

    __tablename__ = "entries"

    id: Mapped[int] = mapped_column(Id, primary_key=True, autoincrement=True)
    event_id: Mapped[str] = mapped_column(ForeignKey("events.id"))
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id"))
    line: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    start_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date] = mapped_column(Date)
    title: Mapped[str] = mapped_column(Text)
    description: Mapped[str] = mapped_column(Text)
    language: Mapped[str] = mapped_column(String(8))
    current: Mapped[bool] = mapped_column(Boolean)
    revision: Mapped[int] = mapped_column(BigInteger)
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))

    __table_args__ = (
        Index("ix_entries_event_id", "event_id"),
        # at most one current version per event
        Index(
            "uq_entries_current_event",
            "event_id",
            unique=True,
            sqlite_where=_CURRENT,
            postgresql_where=_CURRENT,
        ),
    )


class Label(Base):
    """The machine's labels of one entry version, with their evidence and rules version."""

    __tablename__ = "labels"

    id: Mapped[int] = mapped_column(Id, primary_key=True, autoincrement=True)
    event_id: Mapped[str] = mapped_column(ForeignKey("events.id"))
    entry_id: Mapped[int] = mapped_column(ForeignKey("entries.id"))
    rules_version: Mapped[str] = mapped_column(String(64))
    format: Mapped[str] = mapped_column(String(32))
    activity: Mapped[str] = mapped_column(String(32))
    themes: Mapped[str] = mapped_column(Text)  # JSON lists, as in events.md
    partners: Mapped[str] = mapped_column(Text)
    countries: Mapped[str] = mapped_column(Text)
    organisations: Mapped[str] = mapped_column(Text)
    projects: Mapped[str] = mapped_column(Text)
    evidence: Mapped[str] = mapped_column(Text)
    needs_review: Mapped[bool] = mapped_column(Boolean)
    current: Mapped[bool] = mapped_column(Boolean)
    revision: Mapped[int] = mapped_column(BigInteger)
    labelled_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))

    __table_args__ = (
        Index("ix_labels_event_id", "event_id"),
        Index(
            "uq_labels_current_event",
            "event_id",
            unique=True,
            sqlite_where=_CURRENT,
            postgresql_where=_CURRENT,
        ),
    )


class Occurrence(Base):
    """Which events the current version of each source name holds, and on which line."""

    __tablename__ = "occurrences"

    source_name: Mapped[str] = mapped_column(String(255), primary_key=True)
    event_id: Mapped[str] = mapped_column(ForeignKey("events.id"), primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id"))
    line: Mapped[int] = mapped_column(Integer)

    __table_args__ = (Index("ix_occurrences_event_id", "event_id"),)


class Audit(Base):
    """One row per write: who, when, what, and for an event's field its old and new value."""

    __tablename__ = "audit"

    id: Mapped[int] = mapped_column(Id, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    who: Mapped[str] = mapped_column(String(255))
    action: Mapped[str] = mapped_column(String(32))
    revision: Mapped[int] = mapped_column(BigInteger)
    source_id: Mapped[int | None] = mapped_column(ForeignKey("sources.id"))
    event_id: Mapped[str | None] = mapped_column(ForeignKey("events.id"))
    field: Mapped[str | None] = mapped_column(String(64))
    old: Mapped[str | None] = mapped_column(Text)
    new: Mapped[str | None] = mapped_column(Text)
    note: Mapped[str | None] = mapped_column(Text)

    __table_args__ = (
        Index("ix_audit_event_id", "event_id"),
        Index("ix_audit_at", "at"),
    )
