"""The tables as gong-connector 0.1 made them, frozen: ``create_all`` on these definitions,
with no version table, is the database a 0.1 user has. Never edit this to follow the code."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB

ID = sa.String(32)
TIME = sa.DateTime(timezone=True)  # 0.1's UTCDateTime: naive UTC on SQLite, timestamptz on PostgreSQL
JSON = sa.JSON().with_variant(JSONB(), "postgresql")
TEXT, BOOL, INT = sa.Text, sa.Boolean, sa.Integer


def _table(md: sa.MetaData, name: str, spec: str, **types: Any) -> sa.Table:
    """``spec``: column names, ``*`` marking the primary key and ``!`` NOT NULL; the type is
    ``types[name]``, else an id (``*_id`` and ``id``), else text."""
    columns = []
    for word in spec.split():
        column = word.rstrip("*!")
        kind = types.get(column, ID if column == "id" or column.endswith("_id") else TEXT)
        key = "*" in word
        columns.append(sa.Column(column, kind, primary_key=key, nullable=not key and "!" not in word))
    return sa.Table(name, md, *columns)


def sync_metadata(prefix: str = "gong_") -> sa.MetaData:
    """0.1's ``sync._schema.build_tables``: the same names, types, keys and indexes."""
    md = sa.MetaData()
    p = prefix
    _table(md, p + "workspaces", "id* name description")
    _table(
        md,
        p + "users",
        "id* email_address created active first_name last_name title phone_number extension manager_id "
        "trusted_email_address meeting_consent_page_url email_aliases personal_meeting_urls settings "
        "spoken_languages",
        created=TIME,
        active=BOOL,
        email_aliases=JSON,
        personal_meeting_urls=JSON,
        settings=JSON,
        spoken_languages=JSON,
    )
    calls = _table(
        md,
        p + "calls",
        "id* url title scheduled started duration primary_user_id direction system scope media language "
        "workspace_id sdr_disposition client_unique_id custom_data purpose meeting_url is_private "
        "calendar_event_id content interaction collaboration",
        scheduled=TIME,
        started=TIME,
        duration=sa.Float,
        client_unique_id=TEXT,
        calendar_event_id=TEXT,
        is_private=BOOL,
        content=JSON,
        interaction=JSON,
        collaboration=JSON,
    )
    sa.Index(f"ix_{p}calls_started", calls.c.started)
    _table(
        md,
        p + "call_parties",
        "call_id* party_id* position! email_address name title user_id speaker_id affiliation phone_number "
        "methods context",
        position=INT,
        methods=JSON,
        context=JSON,
    )
    _table(
        md,
        p + "call_context",
        "call_id* position* system object_type object_id timing fields",
        position=INT,
        object_id=TEXT,
        fields=JSON,
    )
    _table(md, p + "transcripts", "call_id* monologues! sentences!", monologues=INT, sentences=INT)
    _table(
        md,
        p + "transcript_sentences",
        "call_id* sentence_index* monologue_index! speaker_id topic start_ms end_ms text",
        sentence_index=INT,
        monologue_index=INT,
        start_ms=sa.BigInteger,
        end_ms=sa.BigInteger,
    )
    _table(
        md,
        p + "library_folders",
        "id* name parent_folder_id created_by updated content_updated",
        created_by=ID,
        updated=TIME,
        content_updated=TIME,
    )
    _table(
        md,
        p + "library_folder_calls",
        "folder_id* call_id* title note added_by created url snippet_from_sec snippet_to_sec",
        added_by=ID,
        created=TIME,
        snippet_from_sec=INT,
        snippet_to_sec=INT,
    )
    logs = _table(
        md,
        p + "logs",
        "log_type* entry_id* event_time user_id user_email_address user_full_name impersonator_user_id "
        "impersonator_email_address impersonator_full_name impersonator_company_id log_record",
        log_type=sa.String(40),
        entry_id=sa.String(40),
        event_time=TIME,
        log_record=JSON,
    )
    sa.Index(f"ix_{p}logs_event_time", logs.c.event_time)
    _table(
        md,
        p + "sync_state",
        "stream* partition* watermark!",
        stream=sa.String(40),
        partition=sa.String(60),
        watermark=TIME,
    )
    return md


def inbox_metadata() -> sa.MetaData:
    """0.1's ``trigger._inbox.events_table``."""
    md = sa.MetaData()
    sa.Table(
        "gong_trigger_events",
        md,
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
        sa.Index("ix_gong_trigger_events_due", "status", "next_attempt_at"),
    )
    return md


def create(url: str, *metadatas: sa.MetaData) -> None:
    """What 0.1 did on open: ``create_all``, and nothing else."""
    engine = sa.create_engine(url)
    try:
        for md in metadatas:
            md.create_all(engine)
    finally:
        engine.dispose()


def fill(url: str, md: sa.MetaData, rows_per_table: int = 3) -> None:
    """Rows in every table, a value in every column, written the way 0.1 wrote them."""
    engine = sa.create_engine(url)
    try:
        with engine.begin() as conn:
            for table in md.sorted_tables:
                rows = [_row(table, i, conn.dialect.name) for i in range(rows_per_table)]
                conn.execute(table.insert(), rows)
    finally:
        engine.dispose()


def snapshot(url: str, md: sa.MetaData) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table in ``md``, in key order."""
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            return {
                t.name: [tuple(r) for r in conn.execute(sa.select(t).order_by(*t.primary_key.columns))]
                for t in md.sorted_tables
            }
    finally:
        engine.dispose()


_EPOCH = datetime(2024, 5, 1, 9, 30, tzinfo=UTC)


def _row(table: sa.Table, i: int, dialect: str) -> dict[str, Any]:
    row: dict[str, Any] = {}
    for column in table.columns:
        if column.autoincrement is True:
            continue  # ids come from the database, as they did in 0.1
        value: Any
        if isinstance(column.type, sa.DateTime):
            when = _EPOCH + timedelta(hours=i)
            value = when.replace(tzinfo=None) if dialect == "sqlite" else when
        elif isinstance(column.type, sa.Boolean):
            value = i % 2 == 0
        elif isinstance(column.type, sa.Integer):
            value = i
        elif isinstance(column.type, sa.Float):
            value = i + 0.25
        elif isinstance(column.type, sa.JSON):
            value = {"n": i, "column": column.name, "nested": [1, {"x": None}]}
        else:
            value = f"{column.name}-{i}"
        row[column.name] = value
    return row
