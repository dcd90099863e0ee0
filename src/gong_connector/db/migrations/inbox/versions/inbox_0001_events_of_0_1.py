"""The inbox's event table as gong-connector 0.1 made it.

Revision ID: inbox_0001
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "inbox_0001"
down_revision: str | None = None
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    op.create_table(
        "gong_trigger_events",
        # BIGSERIAL on PostgreSQL; SQLite autoincrements only a column typed INTEGER.
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), primary_key=True, autoincrement=True),
        sa.Column("rule", sa.String(200), nullable=False),
        sa.Column("call_id", sa.String(64), nullable=False),
        sa.Column("is_test", sa.Boolean(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("deliveries", sa.Integer(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("first_received_at", sa.Double(), nullable=False),
        sa.Column("last_received_at", sa.Double(), nullable=False),
        sa.Column("next_attempt_at", sa.Double(), nullable=False),
        sa.Column("lease_owner", sa.String(100)),
        sa.Column("lease_until", sa.Double()),
        sa.Column("last_error", sa.Text()),
        sa.Column("finished_at", sa.Double()),
        sa.UniqueConstraint("rule", "call_id", "is_test", name="uq_gong_trigger_events_delivery"),
    )
    op.create_index("ix_gong_trigger_events_due", "gong_trigger_events", ["status", "next_attempt_at"])


def downgrade() -> None:
    op.drop_table("gong_trigger_events")
