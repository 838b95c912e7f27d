"""Alembic environment: the connection comes from `checker.history.store.upgrade` through
`config.attributes["connection"]`; there is no alembic.ini and no URL here."""

from __future__ import annotations

from alembic import context

from checker.history.tables import metadata

connection = context.config.attributes.get("connection")
if connection is None:  # offline (SQL script) mode is not supported: migrations run on open
    raise RuntimeError("run history migrations through checker.history.store.upgrade()")

# render_as_batch: SQLite cannot ALTER most things; batch mode copies the table instead and
# is a no-op on PostgreSQL, so one migration serves both.
context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
