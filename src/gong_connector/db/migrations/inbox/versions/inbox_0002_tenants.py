"""Tenants: one receiver for many Gong companies, each with its own key.

Events get a ``tenant`` ('' for the single-tenant receiver), which joins their identity: the
same call for the same rule from two companies is two events. Tenants and their keys live
in ``gong_trigger_tenants``, so running receivers see changes without a restart. A URL key
is kept only as a salted SHA-256, never in clear.

Revision ID: inbox_0002
Revises: inbox_0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "inbox_0002"
down_revision: str | None = "inbox_0001"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    with op.batch_alter_table("gong_trigger_events") as batch:
        batch.add_column(sa.Column("tenant", sa.String(64), nullable=False, server_default=""))
        batch.drop_constraint("uq_gong_trigger_events_delivery", type_="unique")
        batch.create_unique_constraint(
            "uq_gong_trigger_events_tenant_delivery", ["tenant", "rule", "call_id", "is_test"]
        )
    op.create_table(
        "gong_trigger_tenants",
        sa.Column("name", sa.String(64), primary_key=True),
        sa.Column("public_key", sa.Text()),  # PEM or bare base64, as given; not a secret
        sa.Column("url_key_sha256", sa.String(64)),  # hex SHA-256 of salt + key
        sa.Column("url_key_salt", sa.String(32)),
        sa.Column("created_at", sa.Double(), nullable=False),
        sa.Column("updated_at", sa.Double(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("gong_trigger_tenants")
    with op.batch_alter_table("gong_trigger_events") as batch:
        batch.drop_constraint("uq_gong_trigger_events_tenant_delivery", type_="unique")
        batch.create_unique_constraint("uq_gong_trigger_events_delivery", ["rule", "call_id", "is_test"])
        batch.drop_column("tenant")
