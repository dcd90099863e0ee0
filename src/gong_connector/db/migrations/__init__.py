"""Alembic histories, one directory each: ``sync`` (per table prefix) and ``inbox``.

A new revision is a new file in the history's ``versions/``, named and numbered after the
last one (``revision = "sync_0002"``, ``down_revision = "sync_0001"``). Revisions are frozen
once released: they describe tables with their own SQLAlchemy types, never the package's
models. On SQLite, change existing tables inside ``op.batch_alter_table``.
"""
