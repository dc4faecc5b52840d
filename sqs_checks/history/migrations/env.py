"""Alembic environment: migrations run on the connection the store hands over."""

from __future__ import annotations

from alembic import context

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=None,
    version_table=context.config.attributes.get("version_table", "history_version"),
    render_as_batch=True,
)
with context.begin_transaction():
    context.run_migrations()
