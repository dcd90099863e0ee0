"""Scorecards, answered scorecards, keyword trackers, users' daily activity and interaction stats.

Ids are text, as every id of the sync (Gong sends some of these as 64-bit numbers; text
joins with ``calls.id`` and ``users.id``). Stats days are calendar days in the company's
time zone, stored as dates. Nested lists stay JSON.

Revision ID: sync_0002
Revises: sync_0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import context, op
from sqlalchemy.dialects.postgresql import JSONB

revision: str = "sync_0002"
down_revision: str | None = "sync_0001"
branch_labels: str | None = None
depends_on: str | None = None

_ID = sa.String(32)
_TIME = sa.DateTime(timezone=True)  # naive UTC on SQLite, timestamptz on PostgreSQL
_JSON = sa.JSON().with_variant(JSONB(), "postgresql")

#: Gong's activity lists (call ids per kind of activity), in the order of its reference.
_ACTIVITY = (
    "calls_as_host",
    "calls_attended",
    "calls_gave_feedback",
    "calls_requested_feedback",
    "calls_received_feedback",
    "own_calls_listened_to",
    "others_calls_listened_to",
    "calls_shared_internally",
    "calls_shared_externally",
    "calls_scorecards_filled",
    "calls_scorecards_received",
    "calls_comments_given",
    "calls_comments_received",
    "calls_marked_as_feedback_given",
    "calls_marked_as_feedback_received",
)


def upgrade() -> None:
    p = str(context.config.attributes.get("table_prefix", ""))
    op.create_table(
        f"{p}scorecards",
        sa.Column("scorecard_id", _ID, primary_key=True),
        sa.Column("scorecard_name", sa.Text),
        sa.Column("workspace_id", _ID),
        sa.Column("enabled", sa.Boolean),
        sa.Column("updater_user_id", _ID),
        sa.Column("created", _TIME),
        sa.Column("updated", _TIME),
    )
    op.create_table(
        f"{p}scorecard_questions",
        sa.Column("scorecard_id", _ID, primary_key=True),
        sa.Column("position", sa.Integer, primary_key=True),
        sa.Column("question_id", _ID),
        sa.Column("question_revision_id", _ID),
        sa.Column("question_text", sa.Text),
        sa.Column("is_overall", sa.Boolean),
        sa.Column("question_type", sa.Text),
        sa.Column("answer_guide", sa.Text),
        sa.Column("min_range", sa.Integer),
        sa.Column("max_range", sa.Integer),
        sa.Column("answer_options", _JSON),
    )
    op.create_table(
        f"{p}trackers",
        sa.Column("tracker_id", _ID, primary_key=True),
        sa.Column("tracker_name", sa.Text),
        sa.Column("workspace_id", _ID),
        sa.Column("language_keywords", _JSON),
        sa.Column("affiliation", sa.Text),
        sa.Column("part_of_question", sa.Boolean),
        sa.Column("said_at", sa.Text),
        sa.Column("said_at_interval", sa.Integer),
        sa.Column("said_at_unit", sa.Text),
        sa.Column("said_in_topics", _JSON),
        sa.Column("said_in_call_parts", _JSON),
        sa.Column("filter_query", sa.Text),
        sa.Column("created", _TIME),
        sa.Column("creator_user_id", _ID),
        sa.Column("updated", _TIME),
        sa.Column("updater_user_id", _ID),
    )
    op.create_table(
        f"{p}answered_scorecards",
        sa.Column("answered_scorecard_id", _ID, primary_key=True),
        sa.Column("scorecard_id", _ID),
        sa.Column("scorecard_name", sa.Text),
        sa.Column("call_id", _ID),
        sa.Column("call_start_time", _TIME),
        sa.Column("reviewed_user_id", _ID),
        sa.Column("reviewer_user_id", _ID),
        sa.Column("review_time", _TIME),
        sa.Column("visibility_type", sa.Text),
    )
    op.create_index(f"ix_{p}answered_scorecards_call_id", f"{p}answered_scorecards", ["call_id"])
    op.create_table(
        f"{p}answered_scorecard_answers",
        sa.Column("answered_scorecard_id", _ID, primary_key=True),
        sa.Column("position", sa.Integer, primary_key=True),
        sa.Column("question_id", _ID),
        sa.Column("question_revision_id", _ID),
        sa.Column("is_overall", sa.Boolean),
        sa.Column("score", sa.Integer),
        sa.Column("answer_text", sa.Text),
        sa.Column("not_applicable", sa.Boolean),
        sa.Column("selected_options", _JSON),
    )
    op.create_table(
        f"{p}user_daily_activity",
        sa.Column("user_id", _ID, primary_key=True),
        sa.Column("day", sa.Date, primary_key=True),
        sa.Column("user_email_address", sa.Text),
        *(sa.Column(name, _JSON) for name in _ACTIVITY),
    )
    op.create_index(f"ix_{p}user_daily_activity_day", f"{p}user_daily_activity", ["day"])
    op.create_table(
        f"{p}user_interaction_stats",
        sa.Column("user_id", _ID, primary_key=True),
        sa.Column("from_date", sa.Date, primary_key=True),
        sa.Column("to_date", sa.Date, nullable=False),
        sa.Column("user_email_address", sa.Text),
        sa.Column("longest_monologue", sa.Float),
        sa.Column("longest_customer_story", sa.Float),
        sa.Column("interactivity", sa.Float),
        sa.Column("patience", sa.Float),
        sa.Column("question_rate", sa.Float),
        sa.Column("stats", _JSON),
    )
    op.create_index(f"ix_{p}user_interaction_stats_from_date", f"{p}user_interaction_stats", ["from_date"])


def downgrade() -> None:
    p = str(context.config.attributes.get("table_prefix", ""))
    for name in (
        "user_interaction_stats",
        "user_daily_activity",
        "answered_scorecard_answers",
        "answered_scorecards",
        "trackers",
        "scorecard_questions",
        "scorecards",
    ):
        op.drop_table(f"{p}{name}")
