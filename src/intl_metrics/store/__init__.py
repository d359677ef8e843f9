"""The events store: sources, entries, machine labels and the audit log, in one database.

The only code that talks SQL. SQLite file by default, PostgreSQL by URL
(``INTL_METRICS_DB``); the schema is built and upgraded by the Alembic migrations in
``migrations/`` when the store is opened. What each table keeps: ``README.md`` here.

Every write goes through one of this package's functions, each one transaction that
writes its audit rows; ``check_write`` is where a writer's right to write is decided.
"""

from __future__ import annotations

from intl_metrics.store.db import (
    DEFAULT_DB_PATH,
    Store,
    StoreError,
    close_stores,
    database_url,
    open_store,
)
from intl_metrics.store.ingest import (
    Document,
    IngestReport,
    Parsed,
    document_from_bytes,
    document_from_text,
    ingest,
    parse_document,
    read_document,
)
from intl_metrics.store.relabel import RelabelReport, relabel
from intl_metrics.store.transfer import TransferReport, export_store, import_store

__all__ = [
    "DEFAULT_DB_PATH",
    "Document",
    "IngestReport",
    "Parsed",
    "RelabelReport",
    "Store",
    "StoreError",
    "TransferReport",
    "close_stores",
    "database_url",
    "document_from_bytes",
    "document_from_text",
    "export_store",
    "import_store",
    "ingest",
    "open_store",
    "parse_document",
    "read_document",
    "relabel",
]
