"""The normalised tables the sync writes, as SQLAlchemy Core metadata.

One table per kind of record, each with a primary key so every write is an upsert; plus
``sync_state``, where each stream's time watermark is committed with the rows it covers.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.engine import Dialect

__all__ = ["ACTIVITY_LISTS", "JSON", "TABLE_NAMES", "Tables", "UTCDateTime", "build_tables"]

#: JSONB on PostgreSQL (queryable), JSON text elsewhere.
JSON = sa.JSON().with_variant(JSONB(), "postgresql")
_ID = sa.String(32)


class UTCDateTime(sa.TypeDecorator[datetime]):
    """Aware UTC datetimes on every backend: SQLite has no time zones, so store naive UTC."""

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime: Gong's times carry an offset")
        value = value.astimezone(UTC)
        return value if dialect.name == "postgresql" else value.replace(tzinfo=None)

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if not isinstance(value, datetime):  # pragma: no cover - drivers return datetimes
            value = datetime.fromisoformat(str(value))
        assert isinstance(value, datetime)
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


TABLE_NAMES = (
    "workspaces",
    "users",
    "calls",
    "call_parties",
    "call_context",
    "transcripts",
    "transcript_sentences",
    "library_folders",
    "library_folder_calls",
    "logs",
    "scorecards",
    "scorecard_questions",
    "trackers",
    "answered_scorecards",
    "answered_scorecard_answers",
    "user_daily_activity",
    "user_interaction_stats",
    "sync_state",
)

#: Gong's daily activity lists (the ids of the calls behind each kind of activity), as columns.
ACTIVITY_LISTS = (
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


@dataclass(frozen=True)
class Tables:
    """The tables under one prefix; ``table(name)`` takes the unprefixed name."""

    metadata: sa.MetaData
    prefix: str

    def table(self, name: str) -> sa.Table:
        return self.metadata.tables[self.prefix + name]


@functools.lru_cache(maxsize=8)
def shared_tables(prefix: str = "gong_") -> Tables:
    """One set of table objects per prefix, shared by every store and load in the process:
    building them (and the statements cached on them) is much of a small sync's fixed cost.
    Not to be changed; ``build_tables`` gives a set of one's own."""
    return build_tables(prefix)


def build_tables(prefix: str = "gong_") -> Tables:
    md = sa.MetaData()
    p = prefix

    def t(name: str, *cols: sa.Column[Any] | sa.Index) -> sa.Table:
        return sa.Table(p + name, md, *cols)

    t(
        "workspaces",
        sa.Column("id", _ID, primary_key=True),
        sa.Column("name", sa.Text),
        sa.Column("description", sa.Text),
    )
    t(
        "users",
        sa.Column("id", _ID, primary_key=True),
        sa.Column("email_address", sa.Text),
        sa.Column("created", UTCDateTime),
        sa.Column("active", sa.Boolean),
        sa.Column("first_name", sa.Text),
        sa.Column("last_name", sa.Text),
        sa.Column("title", sa.Text),
        sa.Column("phone_number", sa.Text),
        sa.Column("extension", sa.Text),
        sa.Column("manager_id", _ID),
        sa.Column("trusted_email_address", sa.Text),
        sa.Column("meeting_consent_page_url", sa.Text),
        sa.Column("email_aliases", JSON),
        sa.Column("personal_meeting_urls", JSON),
        sa.Column("settings", JSON),
        sa.Column("spoken_languages", JSON),
    )
    t(
        "calls",
        sa.Column("id", _ID, primary_key=True),
        sa.Column("url", sa.Text),
        sa.Column("title", sa.Text),
        sa.Column("scheduled", UTCDateTime),
        sa.Column("started", UTCDateTime, index=True),
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
        sa.Column("content", JSON),
        sa.Column("interaction", JSON),
        sa.Column("collaboration", JSON),
    )
    t(
        "call_parties",
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
        sa.Column("methods", JSON),
        sa.Column("context", JSON),
    )
    t(
        "call_context",
        sa.Column("call_id", _ID, primary_key=True),
        sa.Column("position", sa.Integer, primary_key=True),
        sa.Column("system", sa.Text),
        sa.Column("object_type", sa.Text),
        sa.Column("object_id", sa.Text),
        sa.Column("timing", sa.Text),
        sa.Column("fields", JSON),
    )
    t(
        "transcripts",
        sa.Column("call_id", _ID, primary_key=True),
        sa.Column("monologues", sa.Integer, nullable=False),
        sa.Column("sentences", sa.Integer, nullable=False),
    )
    t(
        "transcript_sentences",
        sa.Column("call_id", _ID, primary_key=True),
        sa.Column("sentence_index", sa.Integer, primary_key=True),
        sa.Column("monologue_index", sa.Integer, nullable=False),
        sa.Column("speaker_id", _ID),
        sa.Column("topic", sa.Text),
        sa.Column("start_ms", sa.BigInteger),
        sa.Column("end_ms", sa.BigInteger),
        sa.Column("text", sa.Text),
    )
    t(
        "library_folders",
        sa.Column("id", _ID, primary_key=True),
        sa.Column("name", sa.Text),
        sa.Column("parent_folder_id", _ID),
        sa.Column("created_by", _ID),
        sa.Column("updated", UTCDateTime),
        # The folder's ``updated`` when its calls were last read: equal means nothing to re-read.
        sa.Column("content_updated", UTCDateTime),
    )
    t(
        "library_folder_calls",
        sa.Column("folder_id", _ID, primary_key=True),
        # Its place in the folder: a folder may hold several clips of one call.
        sa.Column("position", sa.Integer, primary_key=True),
        sa.Column("call_id", _ID, nullable=False),
        sa.Column("title", sa.Text),
        sa.Column("note", sa.Text),
        sa.Column("added_by", _ID),
        sa.Column("created", UTCDateTime),
        sa.Column("url", sa.Text),
        sa.Column("snippet_from_sec", sa.Integer),
        sa.Column("snippet_to_sec", sa.Integer),
    )
    t(
        "logs",
        sa.Column("log_type", sa.String(40), primary_key=True),
        # Log entries have no id in Gong: a hash of the entry's JSON stands in for one.
        sa.Column("entry_id", sa.String(40), primary_key=True),
        sa.Column("event_time", UTCDateTime, index=True),
        sa.Column("user_id", _ID),
        sa.Column("user_email_address", sa.Text),
        sa.Column("user_full_name", sa.Text),
        sa.Column("impersonator_user_id", _ID),
        sa.Column("impersonator_email_address", sa.Text),
        sa.Column("impersonator_full_name", sa.Text),
        sa.Column("impersonator_company_id", _ID),
        sa.Column("log_record", JSON),
    )
    t(
        "scorecards",
        sa.Column("scorecard_id", _ID, primary_key=True),
        sa.Column("scorecard_name", sa.Text),
        sa.Column("workspace_id", _ID),
        sa.Column("enabled", sa.Boolean),
        sa.Column("updater_user_id", _ID),
        sa.Column("created", UTCDateTime),
        sa.Column("updated", UTCDateTime),
    )
    t(
        "scorecard_questions",
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
        sa.Column("answer_options", JSON),
    )
    t(
        "trackers",
        sa.Column("tracker_id", _ID, primary_key=True),
        sa.Column("tracker_name", sa.Text),
        sa.Column("workspace_id", _ID),
        sa.Column("language_keywords", JSON),
        sa.Column("affiliation", sa.Text),
        sa.Column("part_of_question", sa.Boolean),
        sa.Column("said_at", sa.Text),
        sa.Column("said_at_interval", sa.Integer),
        sa.Column("said_at_unit", sa.Text),
        sa.Column("said_in_topics", JSON),
        sa.Column("said_in_call_parts", JSON),
        sa.Column("filter_query", sa.Text),
        sa.Column("created", UTCDateTime),
        sa.Column("creator_user_id", _ID),
        sa.Column("updated", UTCDateTime),
        sa.Column("updater_user_id", _ID),
    )
    t(
        "answered_scorecards",
        sa.Column("answered_scorecard_id", _ID, primary_key=True),
        sa.Column("scorecard_id", _ID),
        sa.Column("scorecard_name", sa.Text),
        sa.Column("call_id", _ID, index=True),
        sa.Column("call_start_time", UTCDateTime),
        sa.Column("reviewed_user_id", _ID),
        sa.Column("reviewer_user_id", _ID),
        sa.Column("review_time", UTCDateTime),
        sa.Column("visibility_type", sa.Text),
    )
    t(
        "answered_scorecard_answers",
        sa.Column("answered_scorecard_id", _ID, primary_key=True),
        sa.Column("position", sa.Integer, primary_key=True),
        sa.Column("question_id", _ID),
        sa.Column("question_revision_id", _ID),
        sa.Column("is_overall", sa.Boolean),
        sa.Column("score", sa.Integer),
        sa.Column("answer_text", sa.Text),
        sa.Column("not_applicable", sa.Boolean),
        sa.Column("selected_options", JSON),
    )
    t(
        "user_daily_activity",
        sa.Column("user_id", _ID, primary_key=True),
        # The company's calendar day (Gong counts stats in the company's time zone).
        sa.Column("day", sa.Date, primary_key=True, index=True),
        sa.Column("user_email_address", sa.Text),
        *(sa.Column(name, JSON) for name in ACTIVITY_LISTS),
    )
    t(
        "user_interaction_stats",
        sa.Column("user_id", _ID, primary_key=True),
        # A week from Monday (company days); ``to_date`` is exclusive, short for the current week.
        sa.Column("from_date", sa.Date, primary_key=True, index=True),
        sa.Column("to_date", sa.Date, nullable=False),
        sa.Column("user_email_address", sa.Text),
        sa.Column("longest_monologue", sa.Float),
        sa.Column("longest_customer_story", sa.Float),
        sa.Column("interactivity", sa.Float),
        sa.Column("patience", sa.Float),
        sa.Column("question_rate", sa.Float),
        sa.Column("stats", JSON),
    )
    t(
        "sync_state",
        sa.Column("stream", sa.String(40), primary_key=True),
        sa.Column("partition", sa.String(60), primary_key=True),
        sa.Column("watermark", UTCDateTime, nullable=False),
    )
    return Tables(md, prefix)
