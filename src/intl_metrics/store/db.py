"""Opening the store: which database, its engine, migrations on open, read and write transactions.

``INTL_METRICS_DB`` names the database as a SQLAlchemy URL
(``postgresql+psycopg://user:password@host:5432/intl_metrics``); with no setting it is a
SQLite file, ``data/intl-metrics.db`` of the checkout, created on first open. A value without
``://`` is taken as the path of a SQLite file.
"""

from __future__ import annotations

import os
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine

from intl_metrics.store.models import Audit, StoreInfo

__all__ = [
    "DEFAULT_DB_PATH",
    "Store",
    "StoreError",
    "Writer",
    "database_url",
    "open_store",
    "utc",
]

DEFAULT_DB_PATH = Path(__file__).resolve().parents[3] / "data" / "intl-metrics.db"
MIGRATIONS = Path(__file__).resolve().parent / "migrations"

# Any constant: PostgreSQL's advisory lock that lets one process at a time migrate.
_MIGRATION_LOCK = 0x1E7_0_11


class StoreError(Exception):
    """The store cannot be opened or written; the message says why, in a user's words."""


def database_url(url: str | None = None) -> str:
    """The store's URL: ``url``, else ``INTL_METRICS_DB``, else the default SQLite file."""
    url = url or os.environ.get("INTL_METRICS_DB") or ""
    if not url:
        return f"sqlite:///{DEFAULT_DB_PATH}"
    if "://" not in url:  # a plain path: a SQLite file
        return f"sqlite:///{Path(url).expanduser().resolve()}"
    return url


def utc(value: datetime | None) -> datetime | None:
    """A stored time as an aware UTC datetime (SQLite gives them back naive)."""
    if value is None or value.tzinfo is not None:
        return value
    return value.replace(tzinfo=UTC)


def _int_env(name: str, default: int) -> int:
    try:
        return int(os.environ.get(name, default))
    except ValueError:
        return default


def _engine(url: str) -> Engine:
    u = sa.make_url(url)
    if u.get_backend_name() == "sqlite":
        path = u.database
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = sa.create_engine(
            u,
            connect_args={"timeout": 60, "check_same_thread": False},
        )

        @event.listens_for(engine, "connect")
        def _connect(dbapi_connection: Any, _record: Any) -> None:
            # Transactions are begun by the "begin" hook below, not by the driver, so a
            # write can take SQLite's write lock up front (BEGIN IMMEDIATE): two writers
            # then queue instead of one failing when it upgrades a read lock.
            dbapi_connection.isolation_level = None
            cur = dbapi_connection.cursor()
            cur.execute("PRAGMA journal_mode=WAL")  # readers never wait for a writer
            cur.execute("PRAGMA synchronous=NORMAL")  # WAL: a crash loses no committed write
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA busy_timeout=60000")
            # A large ingest inserts into indexes on random event ids: with SQLite's 2 MB
            # default page cache every insert reads and rewrites a spilled page (a 1M-event
            # ingest wrote 50 GB through the WAL). 256 MB, taken only as it is used.
            cur.execute("PRAGMA cache_size=-262144")
            cur.execute("PRAGMA temp_store=MEMORY")
            # After a large transaction the WAL file is cut back to 64 MB at the next
            # checkpoint, instead of keeping its size (1.4 GB after a 1M-event ingest).
            cur.execute("PRAGMA journal_size_limit=67108864")
            cur.close()

        @event.listens_for(engine, "begin")
        def _begin(conn: Connection) -> None:
            write = conn.get_execution_options().get("intl_metrics_write", False)
            conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")

        return engine
    connect_args: dict[str, Any] = {}
    if u.get_backend_name() == "postgresql":
        # Seen in pg_stat_activity: which process holds which connection.
        connect_args["application_name"] = f"intl-metrics:{os.getpid()}"
    return sa.create_engine(
        u,
        pool_size=_int_env("INTL_METRICS_DB_POOL_SIZE", 5),
        max_overflow=_int_env("INTL_METRICS_DB_MAX_OVERFLOW", 10),
        pool_pre_ping=True,  # a server restart costs one retry, not an error page
        pool_recycle=_int_env("INTL_METRICS_DB_POOL_RECYCLE", 1800),
        connect_args=connect_args,
    )


# The newest migration in migrations/versions (a test holds the two together): a store
# at this revision is opened without importing Alembic at all.
HEAD = "0001"


@cache
def _script_head() -> str:
    from alembic.script import ScriptDirectory

    head = ScriptDirectory(str(MIGRATIONS)).get_current_head()
    assert head is not None, "the store's migrations have no head"
    return head


def _current_revision(conn: Connection) -> str | None:
    from alembic.runtime.migration import MigrationContext

    return MigrationContext.configure(conn).get_current_revision()


def _at_head(conn: Connection) -> bool:
    """Whether the store is migrated to HEAD and initialised, by two cheap queries."""
    try:
        with conn.begin_nested() if conn.in_transaction() else conn.begin():
            version = conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalar()
            return version == HEAD and _has_info(conn)
    except sa.exc.DBAPIError:  # no such table: a new database
        return False


def _migrate(engine: Engine) -> None:
    """Bring the schema to the head revision; a no-op read when it is there already."""
    with engine.connect() as conn:
        if _at_head(conn):
            return
    with engine.connect() as conn:
        conn = conn.execution_options(intl_metrics_write=True)
        with conn.begin():
            if conn.dialect.name == "postgresql":
                conn.execute(sa.select(sa.func.pg_advisory_xact_lock(_MIGRATION_LOCK)))
            if _current_revision(conn) != _script_head():  # another process may have done it
                from alembic import command
                from alembic.config import Config

                cfg = Config()
                cfg.set_main_option("script_location", str(MIGRATIONS))
                cfg.attributes["connection"] = conn
                command.upgrade(cfg, "head")
            if not _has_info(conn):
                conn.execute(
                    sa.insert(StoreInfo).values(
                        id=1,
                        store_id=str(uuid.uuid4()),
                        revision=0,
                        created_at=datetime.now(UTC),
                    )
                )


def _has_info(conn: Connection) -> bool:
    return conn.execute(sa.select(StoreInfo.id).where(StoreInfo.id == 1)).first() is not None


@dataclass
class Writer:
    """One write transaction: its connection, the new revision, who writes and when."""

    conn: Connection
    revision: int
    who: str
    now: datetime
    audited: int = 0
    _rows: list[dict[str, Any]] = field(default_factory=list)

    def audit(
        self,
        action: str,
        *,
        source_id: int | None = None,
        event_id: str | None = None,
        field: str | None = None,
        old: str | None = None,
        new: str | None = None,
        note: str | None = None,
    ) -> None:
        """Add an audit row; rows are written in batches and all before the commit."""
        self._rows.append(
            {
                "at": self.now,
                "who": self.who,
                "action": action,
                "revision": self.revision,
                "source_id": source_id,
                "event_id": event_id,
                "field": field,
                "old": old,
                "new": new,
                "note": note,
            }
        )
        if len(self._rows) >= 5_000:
            self.flush()

    def flush(self) -> None:
        if self._rows:
            self.conn.execute(sa.insert(Audit), self._rows)
            self.audited += len(self._rows)
            self._rows = []


class Store:
    """An opened store: the engine, and read and write transactions on it."""

    def __init__(self, url: str, engine: Engine) -> None:
        self.url = url
        self.engine = engine
        self.dialect = engine.dialect.name
        with self.read() as conn:
            self.store_id: str = conn.execute(sa.select(StoreInfo.store_id)).scalar_one()

    @property
    def display_url(self) -> str:
        """The URL without its password, for pages and logs."""
        return self.engine.url.render_as_string(hide_password=True)

    @contextmanager
    def read(self) -> Iterator[Connection]:
        """A read transaction that sees one consistent state of the store."""
        with self.engine.connect() as conn:
            if self.dialect == "postgresql":
                conn = conn.execution_options(isolation_level="REPEATABLE READ")
            with conn.begin():
                yield conn

    def revision(self) -> int:
        """The store's revision: it changes with every committed write."""
        with self.read() as conn:
            return conn.execute(sa.select(StoreInfo.revision)).scalar_one()

    @contextmanager
    def write(self, who: str, action: str = "write") -> Iterator[Writer]:
        """One write transaction, serialised with every other writer of the store.

        Its first statement bumps the revision, which takes the write lock: SQLite's by
        BEGIN IMMEDIATE, PostgreSQL's as the lock on the store_info row, held to the commit.
        A writer therefore reads the state the previous one committed. Anything raised
        rolls the whole transaction back.
        """
        from intl_metrics.store.access import check_write

        check_write(who, action)  # on the server, each time, before anything is written
        with self.engine.connect() as conn:
            conn = conn.execution_options(intl_metrics_write=True)
            with conn.begin():
                revision = conn.execute(
                    sa.update(StoreInfo)
                    .where(StoreInfo.id == 1)
                    .values(revision=StoreInfo.revision + 1)
                    .returning(StoreInfo.revision)
                ).scalar_one()
                writer = Writer(conn, revision, who.strip()[:255], datetime.now(UTC))
                yield writer
                writer.flush()
                if writer.audited == 0:
                    raise AssertionError("a write transaction wrote no audit row")

    def dispose(self) -> None:
        """Close every pooled connection (tests, and processes about to exit)."""
        self.engine.dispose()


_stores: dict[str, Store] = {}
_stores_lock = threading.Lock()


def open_store(url: str | None = None) -> Store:
    """The store at ``url`` (default: ``INTL_METRICS_DB``, else the SQLite file), migrated.

    One Store per URL and process: its engine's pool is shared by every caller.
    """
    resolved = database_url(url)
    with _stores_lock:
        store = _stores.get(resolved)
        if store is not None:
            return store
        try:
            engine = _engine(resolved)
            _migrate(engine)
            store = Store(resolved, engine)
        except sa.exc.ArgumentError as exc:
            raise StoreError(f"INTL_METRICS_DB is not a database URL: {exc}") from exc
        except sa.exc.OperationalError as exc:
            shown = sa.make_url(resolved).render_as_string(hide_password=True)
            reason = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
            raise StoreError(f"cannot open the store {shown}: {reason}") from exc
        _stores[resolved] = store
        return store


def close_stores() -> None:
    """Dispose every opened store's engine (tests that drop their databases)."""
    with _stores_lock:
        for store in _stores.values():
            store.dispose()
        _stores.clear()
