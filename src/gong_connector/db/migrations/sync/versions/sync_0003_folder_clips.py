"""A library folder may hold several clips of one call: its calls are keyed by their place in
the folder (``position``), no longer by call id, which kept one clip of each call.

Rows are kept: each folder's are numbered in call-id order, and the next read of a folder
Gong changed numbers them as Gong lists them.

Revision ID: sync_0003
Revises: sync_0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import context, op

revision: str = "sync_0003"
down_revision: str | None = "sync_0002"
branch_labels: str | None = None
depends_on: str | None = None

_ID = sa.String(32)
_TIME = sa.DateTime(timezone=True)  # naive UTC on SQLite, timestamptz on PostgreSQL
_DATA = ("title", "note", "added_by", "created", "url", "snippet_from_sec", "snippet_to_sec")


def _columns() -> list[sa.Column[object]]:
    return [
        sa.Column("title", sa.Text),
        sa.Column("note", sa.Text),
        sa.Column("added_by", _ID),
        sa.Column("created", _TIME),
        sa.Column("url", sa.Text),
        sa.Column("snippet_from_sec", sa.Integer),
        sa.Column("snippet_to_sec", sa.Integer),
    ]


def _table(name: str, *keys: str) -> sa.TableClause:
    return sa.table(name, *(sa.column(c) for c in ("folder_id", *keys, *_DATA)))


def upgrade() -> None:
    p = str(context.config.attributes.get("table_prefix", ""))
    table, new = f"{p}library_folder_calls", f"{p}library_folder_calls_0003"
    op.create_table(
        new,
        sa.Column("folder_id", _ID, primary_key=True),
        sa.Column("position", sa.Integer, primary_key=True),
        sa.Column("call_id", _ID, nullable=False),
        *_columns(),
    )
    before, after = _table(table, "call_id"), _table(new, "position", "call_id")
    place = sa.func.row_number().over(partition_by=before.c.folder_id, order_by=before.c.call_id) - 1
    rows = sa.select(before.c.folder_id, place, before.c.call_id, *(before.c[c] for c in _DATA))
    op.execute(after.insert().from_select(["folder_id", "position", "call_id", *_DATA], rows))
    op.drop_table(table)
    op.rename_table(new, table)


def downgrade() -> None:
    p = str(context.config.attributes.get("table_prefix", ""))
    table, old = f"{p}library_folder_calls", f"{p}library_folder_calls_0002"
    op.create_table(
        old,
        sa.Column("folder_id", _ID, primary_key=True),
        sa.Column("call_id", _ID, primary_key=True),
        *_columns(),
    )
    clips, calls = _table(table, "position", "call_id"), _table(old, "call_id")
    rank = sa.func.row_number().over(partition_by=(clips.c.folder_id, clips.c.call_id), order_by=clips.c.position)
    ranked = sa.select(clips.c.folder_id, clips.c.call_id, *(clips.c[c] for c in _DATA), rank.label("n")).subquery()
    first = sa.select(ranked.c.folder_id, ranked.c.call_id, *(ranked.c[c] for c in _DATA)).where(ranked.c.n == 1)
    op.execute(calls.insert().from_select(["folder_id", "call_id", *_DATA], first))  # the first clip of each call
    op.drop_table(table)
    op.rename_table(old, table)
