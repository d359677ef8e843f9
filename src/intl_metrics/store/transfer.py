"""The whole store to one file and back: ``intl-metrics export`` and ``import``.

The file is JSON Lines (gzip-compressed when its name ends in ``.gz``): a header line,
then one line per row, table by table in the order their references need::

    {"format": "intl-metrics-store", "version": 1, "schema": "0001", ...}
    {"table": "sources", "row": {"id": 1, "name": "agenda.txt", ..., "raw": null}}
    ...

Dates and times are ISO 8601 (times in UTC), bytes are base64. Rows keep their ids, so
an import into an empty store gives back the same sources, events, entries, labels,
occurrences and audit rows, on SQLite or PostgreSQL alike.
"""

from __future__ import annotations

import base64
import gzip
import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import IO, Any

import sqlalchemy as sa

from intl_metrics.store.db import Store, StoreError, _script_head, utc
from intl_metrics.store.ingestion import dumps
from intl_metrics.store.models import Audit, Base, Entry, Event, Label, Occurrence, Source

__all__ = ["FORMAT", "TABLES", "TransferReport", "export_store", "import_store"]

FORMAT = "intl-metrics-store"
VERSION = 1
# In the order rows must go in: each table after those it refers to.
TABLES: tuple[type[Base], ...] = (Source, Event, Entry, Label, Occurrence, Audit)
_BATCH = 5_000

Progress = Callable[[float, str], None]


@dataclass
class TransferReport:
    """How many rows of each table went out or came in."""

    path: str
    rows: dict[str, int]
    revision: int
    seconds: float = 0.0

    def line(self) -> str:
        counts = ", ".join(f"{n:,} {t}" for t, n in self.rows.items())
        return f"{self.path}: {counts} (store revision {self.revision})"


def _encode(value: Any) -> Any:
    if isinstance(value, datetime):
        return utc(value).astimezone(UTC).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bytes | memoryview):
        return base64.b64encode(bytes(value)).decode("ascii")
    return value


def _decoders(table: sa.Table) -> dict[str, Callable[[Any], Any]]:
    out: dict[str, Callable[[Any], Any]] = {}
    for col in table.columns:
        t = col.type
        if isinstance(t, sa.DateTime):
            out[col.name] = datetime.fromisoformat
        elif isinstance(t, sa.Date):
            out[col.name] = date.fromisoformat
        elif isinstance(t, sa.LargeBinary):
            out[col.name] = base64.b64decode
        elif isinstance(t, sa.Boolean):
            out[col.name] = bool
    return out


@contextmanager
def _open(path: str | Path, mode: str, *, gz: bool | None = None) -> Iterator[IO[str]]:
    p = Path(path)
    if gz if gz is not None else p.suffix == ".gz":
        with gzip.open(p, mode + "t", encoding="utf-8", newline="\n") as fh:
            yield fh
    else:
        with open(p, mode, encoding="utf-8", newline="\n") as fh:
            yield fh


def export_store(
    store: Store, path: str | Path, progress: Progress | None = None
) -> TransferReport:
    """Write every row of the store to ``path``, from one consistent read of it."""
    import time

    t0 = time.perf_counter()
    rows: dict[str, int] = {}
    tmp = Path(str(path) + ".part")
    with store.read() as conn, _open(tmp, "w", gz=Path(path).suffix == ".gz") as out:
        revision = store_revision(conn)
        counts = {
            m.__tablename__: conn.execute(sa.select(sa.func.count()).select_from(m)).scalar_one()
            for m in TABLES
        }
        header = {
            "format": FORMAT,
            "version": VERSION,
            "schema": _script_head(),
            "store_id": store.store_id,
            "revision": revision,
            "exported_at": datetime.now(UTC).isoformat(),
            "rows": counts,
        }
        out.write(dumps(header) + "\n")
        total = max(sum(counts.values()), 1)
        done = 0
        for model in TABLES:
            table = model.__table__
            name = table.name
            names = [c.name for c in table.columns]
            result = conn.execution_options(yield_per=_BATCH).execute(
                sa.select(table).order_by(*table.primary_key.columns)
            )
            n = 0
            for r in result:
                row = {k: _encode(v) for k, v in zip(names, r, strict=True)}
                out.write(dumps({"table": name, "row": row}) + "\n")
                n += 1
                if progress and n % _BATCH == 0:
                    progress((done + n) / total, f"Exporting {name}: {n:,}")
            rows[name] = n
            done += n
    tmp.replace(path)  # a half-written export never has the final name
    return TransferReport(str(path), rows, revision, time.perf_counter() - t0)


def store_revision(conn: sa.Connection) -> int:
    from intl_metrics.store.models import StoreInfo

    return conn.execute(sa.select(StoreInfo.revision)).scalar_one()


def _is_empty(conn: sa.Connection) -> bool:
    return all(conn.execute(sa.select(m.__table__).limit(1)).first() is None for m in TABLES)


def import_store(
    store: Store, path: str | Path, who: str, progress: Progress | None = None
) -> TransferReport:
    """Read an export into this store, which must be empty; one transaction, all or nothing.

    Raises StoreError when the file is not an export, its schema is newer than this
    program's, or the store holds data already.
    """
    import time

    t0 = time.perf_counter()
    try:
        with _open(path, "r") as fh:
            header = _header(fh, path)
            rows: dict[str, int] = {}
            with store.write(who, "import") as w:
                if not _is_empty(w.conn):
                    raise StoreError(
                        f"the store {store.display_url} is not empty: import goes into an "
                        "empty store only (point INTL_METRICS_DB at a new database)"
                    )
                _load_rows(w.conn, fh, header, rows, progress, path)
                _reset_sequences(w.conn)
                _revision_past_the_rows(w, header)
                w.audit(
                    "import",
                    new=dumps({"from_store": header.get("store_id"), "rows": rows}),
                    note=f"imported from {Path(path).name} "
                    f"(store revision {header.get('revision')})",
                )
                revision = w.revision
    except (OSError, EOFError, gzip.BadGzipFile, UnicodeDecodeError) as exc:
        raise StoreError(f"cannot read {path}: {exc}") from exc
    return TransferReport(str(path), rows, revision, time.perf_counter() - t0)


def _header(fh: IO[str], path: str | Path) -> dict[str, Any]:
    first = fh.readline()
    try:
        header = json.loads(first)
    except json.JSONDecodeError:
        header = None
    if not isinstance(header, dict) or header.get("format") != FORMAT:
        raise StoreError(f"{path} is not an intl-metrics export (its first line has no header)")
    if header.get("version") != VERSION:
        raise StoreError(f"{path} is export format {header.get('version')}, not {VERSION}")
    from alembic.script import ScriptDirectory

    from intl_metrics.store.db import MIGRATIONS

    known = {s.revision for s in ScriptDirectory(str(MIGRATIONS)).walk_revisions()}
    if header.get("schema") not in known:
        raise StoreError(
            f"{path} comes from a newer store (schema {header.get('schema')}): "
            "update intl-metrics before importing it"
        )
    return header


def _load_rows(
    conn: sa.Connection,
    fh: IO[str],
    header: dict[str, Any],
    rows: dict[str, int],
    progress: Progress | None,
    path: str | Path,
) -> None:
    tables = {m.__tablename__: m.__table__ for m in TABLES}
    decoders = {name: _decoders(t) for name, t in tables.items()}
    order = [m.__tablename__ for m in TABLES]
    total = max(sum((header.get("rows") or {}).values()), 1)
    batch: list[dict[str, Any]] = []
    current: str | None = None
    done = 0

    def flush() -> None:
        nonlocal batch
        if batch and current is not None:
            conn.execute(sa.insert(tables[current]), batch)
            batch = []

    for lineno, line in enumerate(fh, start=2):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
            name, row = record["table"], record["row"]
            if name not in tables:
                raise KeyError(name)
            if current is not None and order.index(name) < order.index(current):
                raise ValueError(f"table {name} after {current}")
            dec = decoders[name]
            row = {k: (dec[k](v) if v is not None and k in dec else v) for k, v in row.items()}
        except (ValueError, KeyError, TypeError) as exc:
            raise StoreError(f"{path}:{lineno}: not a row of an export ({exc})") from exc
        if name != current:
            flush()
            current = name
        batch.append(row)
        rows[name] = rows.get(name, 0) + 1
        done += 1
        if len(batch) >= _BATCH:
            flush()
            if progress:
                progress(done / total, f"Importing {name}: {rows[name]:,}")
    flush()
    expected = header.get("rows") or {}
    for name, n in expected.items():
        if rows.get(name, 0) != n:
            raise StoreError(
                f"{path} is incomplete: {rows.get(name, 0):,} rows of {name}, its header says {n:,}"
            )


def _revision_past_the_rows(w: Any, header: dict[str, Any]) -> None:
    """The store's revision after an import: past every revision the imported rows carry.

    Rows keep the revisions they were written at in their store; the importing store
    continues after the highest, so "changed since revision R" stays true of it.
    """
    from intl_metrics.store.models import StoreInfo

    top = int(header.get("revision") or 0)
    for model in (Source, Event, Entry, Label, Audit):
        value = w.conn.execute(sa.select(sa.func.max(model.revision))).scalar()
        top = max(top, int(value or 0))
    w.revision = top + 1
    w.conn.execute(sa.update(StoreInfo).where(StoreInfo.id == 1).values(revision=w.revision))


def _reset_sequences(conn: sa.Connection) -> None:
    """PostgreSQL's id sequences continue after the imported ids (SQLite needs nothing)."""
    if conn.dialect.name != "postgresql":
        return
    for model in (Source, Entry, Label, Audit):
        table = model.__tablename__
        conn.execute(
            sa.text(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"COALESCE((SELECT max(id) FROM {table}), 0) + 1, false)"
            )
        )
