"""The sync's tables as gong-connector 0.1 made them.

Revision ID: sync_0001
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import context, op
from sqlalchemy.dialects.postgresql import JSONB

revision: str = "sync_0001"
down_revision: str | None = None
branch_labels: str | None = None
depends_on: str | None = None

_ID = sa.String(32)
_TIME = sa.DateTime(timezone=True)  # naive UTC on SQLite, timestamptz on PostgreSQL
_JSON = sa.JSON().with_variant(JSONB(), "postgresql")


def upgrade() -> None:
    p = str(context.config.attributes.get("table_prefix", ""))
    op.create_table(
        f"{p}workspaces",
        sa.Column("id", _ID, primary_key=True),
        sa.Column("name", sa.Text),
        sa.Column("description", sa.Text),
    )
    op.create_table(
        f"{p}users",
        sa.Column("id", _ID, primary_key=True),
        sa.Column("email_address", sa.Text),
        sa.Column("created", _TIME),
        sa.Column("active", sa.Boolean),
        sa.Column("first_name", sa.Text),
        sa.Column("last_name", sa.Text),
        sa.Column("title", sa.Text),
        sa.Column("phone_number", sa.Text),
        sa.Column("extension", sa.Text),
        sa.Column("manager_id", _ID),
        sa.Column("trusted_email_address", sa.Text),
        sa.Column("meeting_consent_page_url", sa.Text),
        sa.Column("email_aliases", _JSON),
        sa.Column("personal_meeting_urls", _JSON),
        sa.Column("settings", _JSON),
        sa.Column("spoken_languages", _JSON),
    )
    op.create_table(
        f"{p}calls",
        sa.Column("id", _ID, primary_key=True),
        sa.Column("url", sa.Text),
        sa.Column("title", sa.Text),
        sa.Column("scheduled", _TIME),
        sa.Column("started", _TIME),
        sa.Column("duration", sa.Float),
        sa.Column("primary_user_id", _ID),
        sa.Column("direction", sa.Text),
        sa.Column("system", sa.Text),
        sa.Column("scope", sa.Text),
        sa.Column("media", sa.Text),
        sa.Column("language", sa.Text),
        sa.Column("workspace_id", _ID),
        sa.Column("sdr_disposition", sa.Text),
        sa.Column("client_unique_id", sa.Text),
        sa.Column("custom_data", sa.Text),
        sa.Column("purpose", sa.Text),
        sa.Column("meeting_url", sa.Text),
        sa.Column("is_private", sa.Boolean),
        sa.Column("calendar_event_id", sa.Text),
        sa.Column("content", _JSON),
        sa.Column("interaction", _JSON),
        sa.Column("collaboration", _JSON),
    )
    # Index names are what create_all gave them in 0.1, so adopted and new databases agree.
    op.create_index(f"ix_{p}calls_started", f"{p}calls", ["started"])
    op.create_table(
        f"{p}call_parties",
        sa.Column("call_id", _ID, primary_key=True),
        sa.Column("party_id", _ID, primary_key=True),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("email_address", sa.Text),
        sa.Column("name", sa.Text),
        sa.Column("title", sa.Text),
        sa.Column("user_id", _ID),
        sa.Column("speaker_id", _ID),
        sa.Column("affiliation", sa.Text),
        sa.Column("phone_number", sa.Text),
        sa.Column("methods", _JSON),
        sa.Column("context", _JSON),
    )
    op.create_table(
        f"{p}call_context",
        sa.Column("call_id", _ID, primary_key=True),
        sa.Column("position", sa.Integer, primary_key=True),
        sa.Column("system", sa.Text),
        sa.Column("object_type", sa.Text),
        sa.Column("object_id", sa.Text),
        sa.Column("timing", sa.Text),
        sa.Column("fields", _JSON),
    )
    op.create_table(
        f"{p}transcripts",
        sa.Column("call_id", _ID, primary_key=True),
        sa.Column("monologues", sa.Integer, nullable=False),
        sa.Column("sentences", sa.Integer, nullable=False),
    )
    op.create_table(
        f"{p}transcript_sentences",
        sa.Column("call_id", _ID, primary_key=True),
        sa.Column("sentence_index", sa.Integer, primary_key=True),
        sa.Column("monologue_index", sa.Integer, nullable=False),
        sa.Column("speaker_id", _ID),
        sa.Column("topic", sa.Text),
        sa.Column("start_ms", sa.BigInteger),
        sa.Column("end_ms", sa.BigInteger),
        sa.Column("text", sa.Text),
    )
    op.create_table(
        f"{p}library_folders",
        sa.Column("id", _ID, primary_key=True),
        sa.Column("name", sa.Text),
        sa.Column("parent_folder_id", _ID),
        sa.Column("created_by", _ID),
        sa.Column("updated", _TIME),
        sa.Column("content_updated", _TIME),
    )
    op.create_table(
        f"{p}library_folder_calls",
        sa.Column("folder_id", _ID, primary_key=True),
        sa.Column("call_id", _ID, primary_key=True),
        sa.Column("title", sa.Text),
        sa.Column("note", sa.Text),
        sa.Column("added_by", _ID),
        sa.Column("created", _TIME),
        sa.Column("url", sa.Text),
        sa.Column("snippet_from_sec", sa.Integer),
        sa.Column("snippet_to_sec", sa.Integer),
    )
    op.create_table(
        f"{p}logs",
        sa.Column("log_type", sa.String(40), primary_key=True),
        sa.Column("entry_id", sa.String(40), primary_key=True),
        sa.Column("event_time", _TIME),
        sa.Column("user_id", _ID),
        sa.Column("user_email_address", sa.Text),
        sa.Column("user_full_name", sa.Text),
        sa.Column("impersonator_user_id", _ID),
        sa.Column("impersonator_email_address", sa.Text),
        sa.Column("impersonator_full_name", sa.Text),
        sa.Column("impersonator_company_id", _ID),
        sa.Column("log_record", _JSON),
    )
    op.create_index(f"ix_{p}logs_event_time", f"{p}logs", ["event_time"])
    op.create_table(
        f"{p}sync_state",
        sa.Column("stream", sa.String(40), primary_key=True),
        sa.Column("partition", sa.String(60), primary_key=True),
        sa.Column("watermark", _TIME, nullable=False),
    )


def downgrade() -> None:
    p = str(context.config.attributes.get("table_prefix", ""))
    for name in (
        "sync_state",
        "logs",
        "library_folder_calls",
        "library_folders",
        "transcript_sentences",
        "transcripts",
        "call_context",
        "call_parties",
        "calls",
        "users",
        "workspaces",
    ):
        op.drop_table(f"{p}{name}")
