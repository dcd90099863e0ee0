"""The dlt source: the sync's streams as resources, their watermarks in dlt's state.

Each resource runs one stream's reader (the same code ``gong sync`` runs) and yields its
rows table by table, with the hints dlt needs to merge them: the sync's primary keys and
column types, ``merge`` for incremental tables and ``replace`` for full listings. A
table whose rows are re-read whole per parent (a call's parties, a scorecard's answers, a
day of activity) gets a ``merge_key`` on that parent, so dlt deletes the old rows first as
the sync does. Watermarks go to the resource's state, which dlt commits with the load: a
run that dies loads nothing and the next one starts from the last loaded state.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import dlt
import sqlalchemy as sa
from dlt.extract.resource import DltResource

from ..client import GongClient
from ..sync import (
    STREAMS,
    Batch,
    NullProgress,
    Stream,
    StreamResult,
    SyncProgress,
    make_client,
    parse_duration,
    parse_since,
    parse_streams,
)
from ..sync._runner import DEFAULT_LOOKBACK
from ..sync._schema import UTCDateTime, shared_tables
from ..sync._streams import Context

__all__ = ["TABLE_HINTS", "gong_source", "table_hints"]

#: Tables listed in full each run (Gong has no change feed for them): replaced whole.
_REPLACED = frozenset({"workspaces", "users", "library_folders", "scorecards", "scorecard_questions", "trackers"})
#: Tables whose rows are re-read whole per parent: dlt deletes the parent's old rows first.
_MERGE_KEYS = {
    "call_parties": "call_id",
    "call_context": "call_id",
    "transcript_sentences": "call_id",
    "library_folder_calls": "folder_id",
    "answered_scorecard_answers": "answered_scorecard_id",
    "user_daily_activity": "day",
    "user_interaction_stats": "from_date",
}


def _data_type(column: sa.Column[Any]) -> str:
    kind = column.type
    if isinstance(kind, UTCDateTime | sa.DateTime):
        return "timestamp"
    if isinstance(kind, sa.Date):
        return "date"
    if isinstance(kind, sa.JSON):
        return "json"
    if isinstance(kind, sa.Boolean):
        return "bool"
    if isinstance(kind, sa.Integer):
        return "bigint"
    if isinstance(kind, sa.Float):
        return "double"
    return "text"


def table_hints(table: str, prefix: str = "gong_") -> dict[str, Any]:
    """dlt's hints for one of the sync's tables (unprefixed name): its columns with their
    types (JSON stays one column: no child tables), primary key, disposition, merge key."""
    source = shared_tables("").table(table)
    key = [c.name for c in source.primary_key.columns]
    hints: dict[str, Any] = {
        "table_name": prefix + table,
        "columns": {
            c.name: {"data_type": _data_type(c), "nullable": not c.primary_key and bool(c.nullable)}
            for c in source.columns
        },
        "primary_key": key,
        "write_disposition": "replace" if table in _REPLACED else {"disposition": "merge", "strategy": "delete-insert"},
    }
    if table in _MERGE_KEYS:
        hints["merge_key"] = _MERGE_KEYS[table]
    return hints


#: Every data table's hints under the default prefix (the watermarks live in dlt's state).
TABLE_HINTS = {t: table_hints(t) for s in STREAMS.values() for t in s.tables}


#: Turns a stats resource waits for the calls resource to start before taking it as deselected.
_TURNS = 1000


@dataclass
class _Shared:
    """What the resources of one source share: the run's 'now', and when calls are done."""

    now: datetime
    calls_selected: bool
    full_refresh: bool
    progress: SyncProgress
    #: What each resource read, for a summary like ``gong sync``'s.
    results: dict[str, StreamResult]
    calls_started: bool = False
    calls_done: bool = False
    first_call: datetime | None = None


def _when(text: Any) -> datetime | None:
    return datetime.fromisoformat(text) if isinstance(text, str) else None


def _stream_resource(
    stream: Stream,
    shared: _Shared,
    client: GongClient,
    since: datetime,
    lookback: timedelta,
    prefix: str,
    sleep: Callable[[float], None],
) -> DltResource:
    tables = list(stream.tables)

    def rows() -> Iterator[Any]:
        state = dlt.current.resource_state()
        marks: dict[str, str] = state.setdefault("watermarks", {})
        folders: dict[str, str | None] = state.setdefault("folders", {})
        if stream.child_of == "calls" and stream.name != "transcripts" and shared.calls_selected:
            # Stats start at the first call: let the calls resource finish first (dlt moves
            # on to the other resources while this one yields nothing). If it has not
            # started after every resource had turns, it was deselected.
            waited = 0
            while not shared.calls_done and (shared.calls_started or waited < _TURNS):
                waited += 1
                yield None
        if stream.name == "calls":
            shared.calls_started = True
        fresh = shared.full_refresh
        ctx = Context(
            client=client,
            now=shared.now,
            since=since,
            lookback=lookback,
            watermark=lambda _s, partition: None if fresh else _when(marks.get(partition)),
            folder_markers=lambda: {} if fresh else {k: _when(v) for k, v in folders.items()},
            first_call=lambda: shared.first_call or _when(dlt.current.source_state().get("first_call")),
            progress=shared.progress,
            sleep=sleep,
        )
        hinted: set[str] = set()
        result = shared.results.setdefault(stream.name, StreamResult(stream.name))
        began = time.monotonic()
        shared.progress.start(stream.name, stream.first_estimate)
        try:
            for batch in stream.read(ctx):
                result.records += batch.record_count
                result.requests += batch.requests
                yield from _items(batch, hinted, prefix)
                for w in batch.watermarks:
                    marks[w.partition] = w.value.isoformat()
                for folder in batch.state_rows.get("library_folders", []):
                    updated = folder.get("content_updated")
                    folders[folder["id"]] = updated.isoformat() if updated else None
                if stream.name == "calls":
                    _note_first_call(shared, batch)
        finally:
            result.seconds += time.monotonic() - began
            shared.progress.finish(stream.name)
            if stream.name == "calls":
                shared.calls_done = True

    # Each table's rows carry that table's hints (``_items``). The resource itself carries
    # none: dlt would lay its columns and key over every table the resource fills.
    return dlt.resource(rows, name=stream.name, table_name=prefix + tables[0], max_table_nesting=0)


def _note_first_call(shared: _Shared, batch: Batch) -> None:
    starts = [r["started"] for r in batch.rows.get("calls", []) if r.get("started") is not None]
    if starts:
        first = min(starts)
        shared.first_call = first if shared.first_call is None else min(first, shared.first_call)
        state = dlt.current.source_state()
        known = _when(state.get("first_call"))
        if known is None or shared.first_call < known:
            state["first_call"] = shared.first_call.isoformat()


def _items(batch: Batch, hinted: set[str], prefix: str) -> Iterator[Any]:
    """The batch's rows, one list per table, hinted the first time a table appears. A table
    the batch empties (every row deleted upstream) is not emptied here: see docs/sync.md."""
    for table, rows in batch.rows.items():
        if not rows:
            continue
        if table in hinted:
            yield dlt.mark.with_table_name(rows, prefix + table)
        else:
            hinted.add(table)
            yield dlt.mark.with_hints(
                rows, dlt.mark.make_hints(**table_hints(table, prefix)), create_table_variant=True
            )


@dlt.source(name="gong", max_table_nesting=0)
def gong_source(
    client: GongClient | None = None,
    *,
    streams: str | Iterable[str] | None = None,
    since: str | datetime | None = None,
    lookback: str | timedelta | None = None,
    full_refresh: bool = False,
    table_prefix: str = "gong_",
    clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    sleep: Callable[[float], None] = time.sleep,
    progress: SyncProgress | None = None,
    results: dict[str, StreamResult] | None = None,
) -> Iterator[DltResource]:
    """Gong's data as dlt resources, one per sync stream (all by default, or ``streams``).

    ``client`` defaults to one from GONG_BASE_URL / GONG_ACCESS_KEY / GONG_ACCESS_KEY_SECRET
    at Gong's 3 requests per second. ``since`` bounds a first load, ``lookback`` is the recent
    past each load re-reads (2 days), and ``full_refresh`` ignores the watermarks, as for
    ``gong sync``. Transcripts are read by time window (a destination is not queried for
    calls still lacking one). ``results``, if given, is filled with each stream's rows,
    requests and seconds.
    """
    now = clock().astimezone(UTC).replace(microsecond=0)
    names = parse_streams(streams, STREAMS)
    start = parse_since(since, now)
    back = parse_duration(lookback, "--lookback", DEFAULT_LOOKBACK)
    if client is None:
        client, _ = make_client()
    shared = _Shared(
        now=now,
        calls_selected="calls" in names,
        full_refresh=full_refresh,
        progress=progress or NullProgress(),
        results=results if results is not None else {},
    )
    for name in names:
        yield _stream_resource(STREAMS[name], shared, client, start, back, table_prefix, sleep)
