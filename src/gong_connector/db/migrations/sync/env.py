"""Alembic runs this for each command; the work is shared by every history."""

from gong_connector.db._migrate import run_migrations

run_migrations()
