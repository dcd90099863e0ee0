"""A table of things.

Revision ID: demo_0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import context, op

revision = "demo_0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    p = context.config.attributes["table_prefix"]
    op.create_table(f"{p}things", sa.Column("id", sa.Integer, primary_key=True), sa.Column("name", sa.Text))


def downgrade() -> None:
    op.drop_table(f"{context.config.attributes['table_prefix']}things")
