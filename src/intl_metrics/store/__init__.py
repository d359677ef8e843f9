"""The events store: sources, entries, machine labels and the audit log, in one database.

The only code that talks SQL. SQLite file by default, PostgreSQL by URL
(``INTL_METRICS_DB``); the schema is built and upgraded by the Alembic migrations in
``migrations/`` when the store is opened. What each table keeps: ``README.md`` here.

Every write goes through one of this package's functions, each one transaction that
writes its audit rows; ``check_write`` is where a writer's right to write is decided.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from intl_metrics.store.db import (
        DEFAULT_DB_PATH,
        Store,
        StoreError,
        close_stores,
        database_url,
        open_store,
    )
    from intl_metrics.store.ingestion import (
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

# Where each public name lives: imported on first use, so that a process that only
# reads the store (a dashboard's cold start) does not import the ingest machinery.
_HOME = {
    "DEFAULT_DB_PATH": "db", "Store": "db", "StoreError": "db", "close_stores": "db",
    "database_url": "db", "open_store": "db",
    "Document": "ingestion", "IngestReport": "ingestion", "Parsed": "ingestion",
    "document_from_bytes": "ingestion", "document_from_text": "ingestion", "ingest": "ingestion",
    "parse_document": "ingestion", "read_document": "ingestion",
    "RelabelReport": "relabel", "relabel": "relabel",
    "TransferReport": "transfer", "export_store": "transfer", "import_store": "transfer",
}  # fmt: skip


def __getattr__(name: str) -> Any:
    home = _HOME.get(name)
    if home is None:
        raise AttributeError(f"module 'intl_metrics.store' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(f"intl_metrics.store.{home}"), name)
    globals()[name] = value
    return value


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
