"""The sync streams: each a short declaration plus the function that reads it.

A stream turns Gong pages into ``Batch``es (rows and the watermark they complete). Paging,
retrying what the client gave up on, windows and progress are shared here, so a stream's
reader only says which endpoint to call and how a record becomes rows.
"""

from __future__ import annotations

import hashlib
import json
import logging
import math
import queue
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol, TypeVar

from ..client import (
    LOG_TYPES,
    CallTranscript,
    CursorExpiredError,
    ExponentialBackoff,
    ExtensiveCall,
    GongClient,
    GongModel,
    LibraryCall,
    LibraryFolder,
    LogEntry,
    Page,
    Pager,
    RateLimitError,
    ServerError,
    TransportError,
    UnreadableResponseError,
    User,
    Workspace,
)
from ..client._record import as_int, as_text
from ._batch import Batch, Row, Watermark

__all__ = [
    "BASE_STREAMS",
    "CONTENT_SELECTOR",
    "LOG_TYPES",
    "PAGE_SIZE",
    "Context",
    "NullProgress",
    "Stream",
    "SyncProgress",
]

T = TypeVar("T")
M = TypeVar("M", bound=GongModel)
log = logging.getLogger("gong_connector.sync")

#: Gong's page size: 100 records (a ``limit`` is ignored), 100 transcripts.
PAGE_SIZE = 100
#: Gong's documented 90-day cap on a ``GET /v2/calls`` window, used if Gong refuses a window.
#: Everything extensive data offers except media URLs (they expire, and need another scope).
CONTENT_SELECTOR: dict[str, Any] = {
    "context": "Extended",
    "contextTiming": ["Now"],
    "exposedFields": {
        "parties": True,
        "content": {
            "structure": True,
            "topics": True,
            "trackers": True,
            "trackerOccurrences": True,
            "pointsOfInterest": True,
            "brief": True,
            "outline": True,
            "highlights": True,
            "callOutcome": True,
            "keyPoints": True,
        },
        "interaction": {"speakers": True, "video": True, "personInteractionStats": True, "questions": True},
        "collaboration": {"publicComments": True},
    },
}


class SyncProgress(Protocol):
    """Told what each stream does; counts are Gong requests (pages), the rate-limited unit."""

    def start(self, stream: str, requests: int) -> None: ...
    def add_total(self, stream: str, requests: int) -> None: ...
    def advance(self, stream: str, requests: int, records: int) -> None: ...
    def finish(self, stream: str) -> None: ...


class NullProgress:
    def start(self, stream: str, requests: int) -> None:
        pass

    def add_total(self, stream: str, requests: int) -> None:
        pass

    def advance(self, stream: str, requests: int, records: int) -> None:
        pass

    def finish(self, stream: str) -> None:
        pass


@dataclass
class Context:
    """What a stream reader needs: the client, the time window rules and its saved state."""

    client: GongClient
    now: datetime
    since: datetime
    lookback: timedelta
    #: ``(stream, partition) -> watermark``; always None when not syncing into a database.
    watermark: Callable[[str, str], datetime | None] = lambda _s, _p: None
    #: Call ids still needing a transcript (given the start of the recent window); None:
    #: read transcripts by time window instead.
    pending_transcripts: Callable[[datetime], list[str]] | None = None
    #: Folder id -> the folder's ``updated`` when its calls were last read.
    folder_markers: Callable[[], dict[str, datetime | None]] = dict
    #: When the earliest stored call started (stats start there on a first sync); None: unknown.
    first_call: Callable[[], datetime | None] = lambda: None
    #: Stored call id -> its start, for ``--reconcile`` to compare with Gong's listing.
    stored_calls: Callable[[], dict[str, datetime | None]] = dict
    progress: SyncProgress = field(default_factory=NullProgress)
    sleep: Callable[[float], None] = lambda _s: None
    transcript_batch: int = PAGE_SIZE
    workers: int = 3
    #: Consecutive failed attempts at one page (after the client's own retries) before giving up.
    max_attempts: int = 6


@dataclass(frozen=True)
class Stream:
    """A stream, declared: the endpoint it reads, its tables and key, how it is incremental."""

    name: str
    endpoint: str
    tables: tuple[str, ...]
    key: tuple[str, ...]
    #: The time field the watermark follows; None for a full listing every run.
    cursor_field: str | None
    read: Callable[[Context], Iterator[Batch]]
    #: The stream reads what this one wrote (transcripts of stored calls, stats from the first
    #: stored call): it starts once everything before it is committed.
    child_of: str | None = None
    #: Requests the progress bar expects before the first answer tells more.
    first_estimate: int = 1


# ----------------------------------------------------------------------------- paging


#: Pauses between the sync's own extra rounds at a page (2, 4, 8, 16, then 30 s).
PAGE_RETRY = ExponentialBackoff(base=1.0, factor=2.0, max_delay=30.0, jitter=0.0)


def _NO_JITTER() -> float:
    return 0.0


def pages(ctx: Context, stream: str, make: Callable[[str | None], Pager[M]]) -> Iterator[Page[M]]:
    """Every page of a listing; a page the client gave up on (429s, 5xx, dropped
    connections) is asked again from its cursor after a pause, so these are never fatal.
    The first request of a sync gets the same patience as the rest: a start under faults
    is a start under faults, not a wrong URL. What retrying cannot fix (a host name that
    does not resolve, TLS) fails at once. An expired cursor restarts the listing (rows
    are upserted, so nothing doubles), a few times: a cursor that always expires is an error."""
    cursor: str | None = None
    failures = 0
    restarts = 0
    first = True
    while True:
        try:
            page = make(cursor).first_page()
        except (RateLimitError, ServerError, TransportError, UnreadableResponseError) as exc:
            # The client already retried. A 429 is waited out again (Gong did nothing); other
            # failures get a few more rounds.
            if isinstance(exc, TransportError) and not exc.retryable:
                raise
            failures += 1
            limit = ctx.max_attempts * 4 if isinstance(exc, RateLimitError) else ctx.max_attempts
            if failures >= limit:
                raise
            wait = exc.retry_after if isinstance(exc, RateLimitError) and exc.retry_after else None
            ctx.sleep(wait if wait is not None else PAGE_RETRY.delay(failures, _NO_JITTER))
            continue
        except CursorExpiredError:
            restarts += 1
            if cursor is None or restarts > ctx.max_attempts:
                raise
            cursor = None
            continue
        failures = 0
        if first and page.records is not None and page.records.total_records:
            expected = -(-page.records.total_records // max(1, len(page.items) or PAGE_SIZE))
            ctx.progress.add_total(stream, expected - 1)
        first = False
        ctx.progress.advance(stream, 1, len(page.items))
        yield page
        if page.cursor is None or page.cursor == cursor:
            return
        cursor = page.cursor


def prefetch(items: Iterable[T], depth: int = 2) -> Iterator[T]:
    """Iterate ``items`` in a background thread, ``depth`` ahead: the next request waits out
    the rate limit while this thread writes the previous page to the database."""
    q: queue.Queue[tuple[int, Any]] = queue.Queue(maxsize=depth)
    stop = threading.Event()

    def put(item: tuple[int, Any]) -> bool:
        while not stop.is_set():
            try:
                q.put(item, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def run() -> None:
        try:
            for item in items:
                if not put((0, item)):
                    return
            put((1, None))
        except BaseException as exc:  # handed to the consumer, raised there
            put((2, exc))

    thread = threading.Thread(target=run, name="gong-sync-prefetch", daemon=True)
    thread.start()
    try:
        while True:
            kind, value = q.get()
            if kind == 1:
                return
            if kind == 2:
                raise value
            yield value
    finally:
        stop.set()
        thread.join(timeout=60)


def ordered_map(fn: Callable[[T], Any], items: Sequence[T], workers: int) -> Iterator[Any]:
    """``map(fn, items)`` on ``workers`` threads, results in order, few in flight."""
    if workers <= 1:
        yield from (fn(i) for i in items)
        return
    pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="gong-sync")
    pending: deque[Future[Any]] = deque()
    it = iter(items)
    try:
        for item in it:
            pending.append(pool.submit(fn, item))
            if len(pending) > workers:
                break
        while pending:
            result = pending.popleft().result()
            nxt = next(it, None)
            if nxt is not None:
                pending.append(pool.submit(fn, nxt))
            yield result
    finally:
        for fut in pending:
            fut.cancel()
        pool.shutdown(wait=True)


def window(ctx: Context, stream: str, partition: str = "") -> tuple[datetime, datetime] | None:
    """``[watermark - lookback, now)``, or ``[since, now)`` on the first run. A watermark after
    now (a run whose clock was ahead) counts as now: taken as it is, the window would be
    empty until the clock caught up, and what Gong got meanwhile would be skipped."""
    mark = ctx.watermark(stream, partition)
    if mark is not None and mark > ctx.now:
        log.warning("%s: the last run's watermark %s is after now (%s); reading from now", stream, mark, ctx.now)
        mark = ctx.now
    start = ctx.since if mark is None else max(ctx.since, mark - ctx.lookback)
    return (start, ctx.now) if start < ctx.now else None


# ----------------------------------------------------------------------------- rows


def _raw(model: GongModel, name: str) -> Any:
    return model.raw.get(name)


def _when(value: datetime | str | None) -> datetime | None:
    """A date-time column's value; one Gong sent as unparseable text stays in the raw JSON,
    and one without an offset (Gong always sends one, so far) is read as UTC."""
    if not isinstance(value, datetime):
        return None
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def sound(items: Sequence[M], key: Callable[[M], object], stream: str) -> list[M]:
    """The items that can be stored: not malformed, and with the id their rows are keyed by.
    The others are skipped with a warning (the client already logged why)."""
    kept = [i for i in items if i.error is None and key(i)]
    if len(kept) < len(items):
        log.warning("%s: %d item(s) without a usable id were skipped", stream, len(items) - len(kept))
    return kept


def workspace_row(w: Workspace) -> Row:
    return {"id": w.id, "name": w.name, "description": w.description}


def user_row(u: User) -> Row:
    return {
        "id": u.id,
        "email_address": u.email_address,
        "created": _when(u.created),
        "active": u.active,
        "first_name": u.first_name,
        "last_name": u.last_name,
        "title": u.title,
        "phone_number": u.phone_number,
        "extension": u.extension,
        "manager_id": u.manager_id,
        "trusted_email_address": u.trusted_email_address,
        "meeting_consent_page_url": u.meeting_consent_page_url,
        "email_aliases": _raw(u, "emailAliases"),
        "personal_meeting_urls": _raw(u, "personalMeetingUrls"),
        "settings": _raw(u, "settings"),
        "spoken_languages": _raw(u, "spokenLanguages"),
    }


def call_rows(c: ExtensiveCall, batch: Batch) -> None:
    m = c.meta_data
    assert m is not None and m.id, "only sound calls reach here"
    batch.add(
        "calls",
        [
            {
                "id": m.id,
                "url": m.url,
                "title": m.title,
                "scheduled": _when(m.scheduled),
                "started": _when(m.started),
                "duration": m.duration,
                "primary_user_id": m.primary_user_id,
                "direction": m.direction,
                "system": m.system,
                "scope": m.scope,
                "media": m.media,
                "language": m.language,
                "workspace_id": m.workspace_id,
                "sdr_disposition": m.sdr_disposition,
                "client_unique_id": m.client_unique_id,
                "custom_data": m.custom_data,
                "purpose": m.purpose,
                "meeting_url": m.meeting_url,
                "is_private": m.is_private,
                "calendar_event_id": m.calendar_event_id,
                "content": _raw(c, "content"),
                "interaction": _raw(c, "interaction"),
                "collaboration": _raw(c, "collaboration"),
            }
        ],
    )
    parties = []
    for n, p in enumerate(c.parties or []):
        parties.append(
            {
                "call_id": m.id,
                "party_id": p.id or f"#{n}",
                "position": n,
                "email_address": p.email_address,
                "name": p.name,
                "title": p.title,
                "user_id": p.user_id,
                "speaker_id": p.speaker_id,
                "affiliation": p.affiliation,
                "phone_number": p.phone_number,
                "methods": p.methods,
                "context": p.context,
            }
        )
    batch.add("call_parties", parties)
    context: list[Row] = []
    for system in c.context or []:
        for obj in system.get("objects") or []:
            context.append(
                {
                    "call_id": m.id,
                    "position": len(context),
                    "system": system.get("system"),
                    "object_type": obj.get("objectType"),
                    "object_id": obj.get("objectId"),
                    "timing": obj.get("timing"),
                    "fields": obj.get("fields"),
                }
            )
    batch.add("call_context", context)


def transcript_rows(t: CallTranscript, batch: Batch) -> None:
    """Sentence rows straight from Gong's JSON: a transcript page holds tens of thousands of
    sentences, and reading each through a model would cost more than the request. Shapes
    are read as tolerantly as the models read them (a non-object is skipped)."""
    sentences: list[Row] = []
    call_id = t.call_id
    monologues = t.raw.get("transcript") if isinstance(t.raw, dict) else None
    monologues = monologues if isinstance(monologues, list) else []
    for k, mono in enumerate(monologues):
        if not isinstance(mono, dict):
            continue
        speaker, topic = as_text(mono.get("speakerId")), as_text(mono.get("topic"))
        said = mono.get("sentences")
        for s in said if isinstance(said, list) else ():
            if not isinstance(s, dict):
                continue
            sentences.append(
                {
                    "call_id": call_id,
                    "sentence_index": len(sentences),
                    "monologue_index": k,
                    "speaker_id": speaker,
                    "topic": topic,
                    "start_ms": as_int(s.get("start")),
                    "end_ms": as_int(s.get("end")),
                    "text": as_text(s.get("text")),
                }
            )
    batch.add("transcript_sentences", sentences)
    batch.add("transcripts", [{"call_id": call_id, "monologues": len(monologues), "sentences": len(sentences)}])


def folder_row(f: LibraryFolder) -> Row:
    return {
        "id": f.id,
        "name": f.name,
        "parent_folder_id": f.parent_folder_id,
        "created_by": f.created_by,
        "updated": _when(f.updated),
    }


def folder_call_row(folder_id: str, position: int, c: LibraryCall) -> Row:
    snippet = c.snippet or {}
    return {
        "folder_id": folder_id,
        "position": position,
        "call_id": c.id,
        "title": c.title,
        "note": c.note,
        "added_by": c.added_by,
        "created": _when(c.created),
        "url": c.url,
        "snippet_from_sec": _whole_seconds(snippet.get("fromSec")),
        "snippet_to_sec": _whole_seconds(snippet.get("toSec")),
    }


def _whole_seconds(value: Any) -> int | None:
    """A snippet bound, in the whole seconds Gong documents; one sent as text or with a
    fraction (30.5) is read down to its second rather than refused by the column."""
    whole = as_int(value)
    if whole is not None or value is None or isinstance(value, bool):
        return whole
    try:
        seconds = float(value)
    except (TypeError, ValueError):
        return None
    return math.floor(seconds) if math.isfinite(seconds) else None


def log_row(log_type: str, e: LogEntry) -> Row:
    digest = hashlib.sha256(json.dumps(e.raw, sort_keys=True, separators=(",", ":")).encode())
    return {
        "log_type": log_type,
        "entry_id": digest.hexdigest()[:40],
        "event_time": _when(e.event_time),
        "user_id": e.user_id,
        "user_email_address": e.user_email_address,
        "user_full_name": e.user_full_name,
        "impersonator_user_id": e.impersonator_user_id,
        "impersonator_email_address": e.impersonator_email_address,
        "impersonator_full_name": e.impersonator_full_name,
        "impersonator_company_id": e.impersonator_company_id,
        "log_record": e.log_record,
    }


# ----------------------------------------------------------------------------- readers


def read_workspaces(ctx: Context) -> Iterator[Batch]:
    batch = Batch()
    for page in pages(ctx, "workspaces", lambda _c: ctx.client.list_workspaces()):
        batch.requests += 1
        batch.add("workspaces", [workspace_row(w) for w in sound(page.items, lambda w: w.id, "workspaces")])
    batch.keep_only["workspaces"] = ("id", {r["id"] for r in batch.rows.get("workspaces", [])})
    yield batch


def read_users(ctx: Context) -> Iterator[Batch]:
    batch = Batch()
    for page in pages(ctx, "users", lambda c: ctx.client.list_users(cursor=c)):
        batch.requests += 1
        batch.add("users", [user_row(u) for u in sound(page.items, lambda u: u.id, "users")])
    batch.keep_only["users"] = ("id", {r["id"] for r in batch.rows.get("users", [])})
    yield batch


def read_calls(ctx: Context) -> Iterator[Batch]:
    span = window(ctx, "calls")
    if span is None:
        return
    start, end = span

    def make(cursor: str | None) -> Pager[ExtensiveCall]:
        return ctx.client.list_calls_extensive(
            from_date_time=start, to_date_time=end, content_selector=CONTENT_SELECTOR, cursor=cursor
        )

    # If Gong refuses the window as too long, the client's pager lists it in pieces; the end
    # of each piece is committed as the watermark, so a crash resumes after the last piece.
    for page in prefetch(pages(ctx, "calls", make)):
        batch = Batch(requests=1)
        for call in sound(page.items, lambda c: c.meta_data and c.meta_data.id, "calls"):
            call_rows(call, batch)
        ids = [r["id"] for r in batch.rows.get("calls", [])]
        batch.replace += [("call_parties", "call_id", ids), ("call_context", "call_id", ids)]
        if page.complete_until is not None or page.cursor is None:
            batch.watermarks.append(Watermark("calls", "", page.complete_until or end))
        yield batch


def read_transcripts(ctx: Context) -> Iterator[Batch]:
    if ctx.pending_transcripts is None:
        yield from _transcripts_by_window(ctx)
        return
    ids = ctx.pending_transcripts(ctx.now - ctx.lookback)
    size = max(1, ctx.transcript_batch)
    groups = [ids[i : i + size] for i in range(0, len(ids), size)]
    ctx.progress.add_total("transcripts", len(groups) - 1)

    def fetch(group: list[str]) -> tuple[list[str], list[CallTranscript], int]:
        found: list[CallTranscript] = []
        requests = 0
        for page in pages(ctx, "transcripts", lambda c: ctx.client.get_call_transcripts(call_ids=group, cursor=c)):
            requests += 1
            found += sound(page.items, lambda t: t.call_id, "transcripts")
        return group, found, requests

    for group, found, requests in ordered_map(fetch, groups, ctx.workers):
        batch = Batch(requests=requests)
        for t in one_per_call(found):
            transcript_rows(t, batch)
        seen = {t.call_id for t in found}
        # A call Gong returned no transcript for is marked, so it is not asked for again.
        batch.add("transcripts", [{"call_id": i, "monologues": 0, "sentences": 0} for i in group if i not in seen])
        batch.replace.append(("transcript_sentences", "call_id", list(group)))
        yield batch


def one_per_call(transcripts: list[CallTranscript]) -> list[CallTranscript]:
    """A call's transcript once (the last one given), even if Gong repeats it on a page or
    on the next: its sentences are keyed by call and position."""
    return list({t.call_id: t for t in transcripts}.values())


def _transcripts_by_window(ctx: Context) -> Iterator[Batch]:
    span = window(ctx, "transcripts")
    if span is None:
        return
    start, end = span
    for page in prefetch(
        pages(
            ctx,
            "transcripts",
            lambda c: ctx.client.get_call_transcripts(from_date_time=start, to_date_time=end, cursor=c),
        )
    ):
        batch = Batch(requests=1)
        found = one_per_call(sound(page.items, lambda t: t.call_id, "transcripts"))
        for t in found:
            transcript_rows(t, batch)
        batch.replace.append(("transcript_sentences", "call_id", [t.call_id for t in found if t.call_id]))
        if page.complete_until is not None or page.cursor is None:  # where no database says what is pending
            batch.watermarks.append(Watermark("transcripts", "", page.complete_until or end))
        yield batch


def read_library(ctx: Context) -> Iterator[Batch]:
    folders: list[LibraryFolder] = []
    listing = Batch()
    for page in pages(ctx, "library", lambda _c: ctx.client.list_library_folders()):
        listing.requests += 1
        folders += sound(page.items, lambda f: f.id, "library")
    ids = {f.id for f in folders if f.id}
    listing.add("library_folders", [folder_row(f) for f in folders])
    listing.keep_only["library_folders"] = ("id", ids)
    listing.keep_only["library_folder_calls"] = ("folder_id", ids)
    yield listing
    marks = ctx.folder_markers()
    # A folder whose ``updated`` is what it was when its calls were read has nothing new.
    todo = [f for f in folders if f.id and (f.updated is None or marks.get(f.id) != _when(f.updated))]
    ctx.progress.add_total("library", len(todo))
    for f in todo:
        batch = Batch()
        assert f.id is not None

        def make(_cursor: str | None, fid: str = f.id) -> Pager[LibraryCall]:
            return ctx.client.list_folder_calls(folder_id=fid)

        for calls in pages(ctx, "library", make):
            batch.requests += 1
            clips = [c for c in calls.items if c.id]
            batch.add("library_folder_calls", [folder_call_row(f.id, n, c) for n, c in enumerate(clips)])
        batch.replace.append(("library_folder_calls", "folder_id", [f.id]))
        batch.state_rows["library_folders"] = [{**folder_row(f), "content_updated": _when(f.updated)}]
        yield batch


def read_logs(ctx: Context) -> Iterator[Batch]:
    for log_type in LOG_TYPES:
        span = window(ctx, "logs", log_type)
        if span is None:
            ctx.progress.add_total("logs", -1)
            continue
        start, end = span

        def make(cursor: str | None, lt: str = log_type, a: datetime = start, b: datetime = end) -> Pager[LogEntry]:
            return ctx.client.get_logs(
                log_type=lt,  # type: ignore[arg-type]
                from_date_time=a,
                to_date_time=b,
                cursor=cursor,
            )

        for page in prefetch(pages(ctx, "logs", make)):
            batch = Batch(requests=1)
            batch.add("logs", [log_row(log_type, e) for e in page.items])
            if page.complete_until is not None or page.cursor is None:
                batch.watermarks.append(Watermark("logs", log_type, page.complete_until or end))
            yield batch


#: The calls, their content and the directory; ``sync.STREAMS`` adds the coaching streams.
BASE_STREAMS: dict[str, Stream] = {
    s.name: s
    for s in (
        Stream("workspaces", "list_workspaces", ("workspaces",), ("id",), None, read_workspaces),
        Stream("users", "list_users", ("users",), ("id",), None, read_users),
        Stream(
            "calls", "list_calls_extensive", ("calls", "call_parties", "call_context"), ("id",), "started", read_calls
        ),
        Stream(
            "transcripts",
            "get_call_transcripts",
            ("transcripts", "transcript_sentences"),
            ("call_id", "sentence_index"),
            None,
            read_transcripts,
            child_of="calls",
            first_estimate=1,
        ),
        Stream(
            "library",
            "list_library_folders",
            ("library_folders", "library_folder_calls"),
            ("folder_id", "call_id"),
            None,
            read_library,
        ),
        Stream(
            "logs",
            "get_logs",
            ("logs",),
            ("log_type", "entry_id"),
            "eventTime",
            read_logs,
            first_estimate=len(LOG_TYPES),
        ),
    )
}
