"""Alembic environment. The archive opens the connection and passes it in
``config.attributes["connection"]``; there is no alembic.ini and no URL here."""

from __future__ import annotations

from alembic import context

from sipviewer.storage.models import Base

config = context.config
connection = config.attributes.get("connection")
if connection is None:
    raise RuntimeError("sipviewer migrations run through sipviewer.storage.db.upgrade()")

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=True,  # SQLite cannot ALTER most things: batch mode copies the table
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
