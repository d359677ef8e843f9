"""Alembic environment: run by ``intl_metrics.store`` on the connection it opened.

The store passes its connection in ``config.attributes["connection"]``; nothing here reads
an ini file or a URL, so the migrations ship inside the package and run on open.
"""

from __future__ import annotations

from alembic import context

from intl_metrics.store.models import Base

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=connection.dialect.name == "sqlite",  # SQLite alters tables by copy
)
with context.begin_transaction():
    context.run_migrations()
