"""Things get a colour, and a table of colours; under the prefix ``broken_`` it fails half-way.

Revision ID: demo_0002
Revises: demo_0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import context, op

revision = "demo_0002"
down_revision = "demo_0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    p = context.config.attributes["table_prefix"]
    op.create_table(f"{p}colours", sa.Column("name", sa.Text, primary_key=True))
    with op.batch_alter_table(f"{p}things") as batch:
        batch.add_column(sa.Column("colour", sa.Text, server_default="blue"))
    if p.startswith("broken_"):
        raise RuntimeError("this migration fails after changing the tables")


def downgrade() -> None:
    p = context.config.attributes["table_prefix"]
    with op.batch_alter_table(f"{p}things") as batch:
        batch.drop_column("colour")
    op.drop_table(f"{p}colours")
