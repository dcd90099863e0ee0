"""The tables sync_0002 adds, frozen as released: what a database at sync_0002 holds besides
0.1's tables. Never edit this to follow the code; a change is a new revision."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB

ID = sa.String(32)
TIME = sa.DateTime(timezone=True)
JSON = sa.JSON().with_variant(JSONB(), "postgresql")

ACTIVITY = (
    "calls_as_host calls_attended calls_gave_feedback calls_requested_feedback calls_received_feedback "
    "own_calls_listened_to others_calls_listened_to calls_shared_internally calls_shared_externally "
    "calls_scorecards_filled calls_scorecards_received calls_comments_given calls_comments_received "
    "calls_marked_as_feedback_given calls_marked_as_feedback_received"
).split()


def metadata(prefix: str = "gong_") -> sa.MetaData:
    md = sa.MetaData()
    p = prefix
    sa.Table(
        p + "scorecards",
        md,
        sa.Column("scorecard_id", ID, primary_key=True),
        sa.Column("scorecard_name", sa.Text),
        sa.Column("workspace_id", ID),
        sa.Column("enabled", sa.Boolean),
        sa.Column("updater_user_id", ID),
        sa.Column("created", TIME),
        sa.Column("updated", TIME),
    )
    sa.Table(
        p + "scorecard_questions",
        md,
        sa.Column("scorecard_id", ID, primary_key=True),
        sa.Column("position", sa.Integer, primary_key=True),
        sa.Column("question_id", ID),
        sa.Column("question_revision_id", ID),
        sa.Column("question_text", sa.Text),
        sa.Column("is_overall", sa.Boolean),
        sa.Column("question_type", sa.Text),
        sa.Column("answer_guide", sa.Text),
        sa.Column("min_range", sa.Integer),
        sa.Column("max_range", sa.Integer),
        sa.Column("answer_options", JSON),
    )
    sa.Table(
        p + "trackers",
        md,
        sa.Column("tracker_id", ID, primary_key=True),
        sa.Column("tracker_name", sa.Text),
        sa.Column("workspace_id", ID),
        sa.Column("language_keywords", JSON),
        sa.Column("affiliation", sa.Text),
        sa.Column("part_of_question", sa.Boolean),
        sa.Column("said_at", sa.Text),
        sa.Column("said_at_interval", sa.Integer),
        sa.Column("said_at_unit", sa.Text),
        sa.Column("said_in_topics", JSON),
        sa.Column("said_in_call_parts", JSON),
        sa.Column("filter_query", sa.Text),
        sa.Column("created", TIME),
        sa.Column("creator_user_id", ID),
        sa.Column("updated", TIME),
        sa.Column("updater_user_id", ID),
    )
    answered = sa.Table(
        p + "answered_scorecards",
        md,
        sa.Column("answered_scorecard_id", ID, primary_key=True),
        sa.Column("scorecard_id", ID),
        sa.Column("scorecard_name", sa.Text),
        sa.Column("call_id", ID),
        sa.Column("call_start_time", TIME),
        sa.Column("reviewed_user_id", ID),
        sa.Column("reviewer_user_id", ID),
        sa.Column("review_time", TIME),
        sa.Column("visibility_type", sa.Text),
    )
    sa.Index(f"ix_{p}answered_scorecards_call_id", answered.c.call_id)
    sa.Table(
        p + "answered_scorecard_answers",
        md,
        sa.Column("answered_scorecard_id", ID, primary_key=True),
        sa.Column("position", sa.Integer, primary_key=True),
        sa.Column("question_id", ID),
        sa.Column("question_revision_id", ID),
        sa.Column("is_overall", sa.Boolean),
        sa.Column("score", sa.Integer),
        sa.Column("answer_text", sa.Text),
        sa.Column("not_applicable", sa.Boolean),
        sa.Column("selected_options", JSON),
    )
    daily = sa.Table(
        p + "user_daily_activity",
        md,
        sa.Column("user_id", ID, primary_key=True),
        sa.Column("day", sa.Date, primary_key=True),
        sa.Column("user_email_address", sa.Text),
        *(sa.Column(name, JSON) for name in ACTIVITY),
    )
    sa.Index(f"ix_{p}user_daily_activity_day", daily.c.day)
    stats = sa.Table(
        p + "user_interaction_stats",
        md,
        sa.Column("user_id", ID, primary_key=True),
        sa.Column("from_date", sa.Date, primary_key=True),
        sa.Column("to_date", sa.Date, nullable=False),
        sa.Column("user_email_address", sa.Text),
        sa.Column("longest_monologue", sa.Float),
        sa.Column("longest_customer_story", sa.Float),
        sa.Column("interactivity", sa.Float),
        sa.Column("patience", sa.Float),
        sa.Column("question_rate", sa.Float),
        sa.Column("stats", JSON),
    )
    sa.Index(f"ix_{p}user_interaction_stats_from_date", stats.c.from_date)
    return md
