"""The sync as a function, and each stream as an iterator of records."""

from __future__ import annotations

import contextlib
import queue
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar

import httpx
from sqlalchemy.engine import Engine

from .._tls import shared_ssl_context
from ..client import ExponentialBackoff, GongClient, RateLimiter, RetryPolicy, ValidationError
from ..connections import ApiKeyConnection, Connection
from ..errors import SyncInputError
from ._batch import Record
from ._catalog import STREAMS
from ._inputs import parse_duration, parse_since, parse_streams
from ._reconcile import RECONCILE
from ._store import DEFAULT_DB, Store
from ._streams import Context, NullProgress, Stream, SyncProgress

T = TypeVar("T")

__all__ = [
    "DEFAULT_LOOKBACK",
    "RequestCounter",
    "StreamResult",
    "SyncResult",
    "iter_records",
    "make_client",
    "sync",
]

#: How far back each run re-reads: Gong shows a call only once processed, up to about a day
#: after it happened; records read again are upserted, not duplicated.
DEFAULT_LOOKBACK = timedelta(days=2)
#: The client gives a page more tries than interactive use would: a sync runs unattended.
SYNC_RETRY = RetryPolicy(max_retries=6, backoff=ExponentialBackoff(base=0.5, max_delay=10.0))


class RequestCounter(httpx.BaseTransport):
    """Counts every HTTP attempt, retries included: the figure Gong's daily quota sees."""

    def __init__(self, inner: httpx.BaseTransport | None = None) -> None:
        self.inner = inner or httpx.HTTPTransport(verify=shared_ssl_context())
        self.count = 0
        self._lock = threading.Lock()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        with self._lock:
            self.count += 1
        return self.inner.handle_request(request)

    def close(self) -> None:
        self.inner.close()


def make_client(
    connection: Connection | None = None, *, rate_limit: float | None = 3.0, **kwargs: Any
) -> tuple[GongClient, RequestCounter]:
    """A client for the sync (more retries, counting requests); without ``connection``, from
    GONG_BASE_URL / GONG_ACCESS_KEY / GONG_ACCESS_KEY_SECRET."""
    counter = RequestCounter()
    try:
        conn = connection if connection is not None else ApiKeyConnection.from_env()
        client = GongClient(conn, transport=counter, retry=SYNC_RETRY, rate_limiter=RateLimiter(rate_limit), **kwargs)
    except ValidationError as exc:
        raise SyncInputError(
            "credentials",
            f"{exc.field} {exc.message}; set GONG_ACCESS_KEY and "
            "GONG_ACCESS_KEY_SECRET (and GONG_BASE_URL), or use --emulator",
        ) from None
    return client, counter


@dataclass
class StreamResult:
    name: str
    records: int = 0
    requests: int = 0
    seconds: float = 0.0


@dataclass
class SyncResult:
    streams: dict[str, StreamResult] = field(default_factory=dict)
    #: Pages fetched: the requests the data needed.
    requests: int = 0
    #: HTTP attempts including retries, when the client was built by the sync.
    http_requests: int | None = None
    seconds: float = 0.0
    #: Calls ``reconcile`` removed because Gong no longer has them.
    removed_calls: list[str] = field(default_factory=list)

    @property
    def records(self) -> int:
        return sum(s.records for s in self.streams.values())


def _utcnow() -> datetime:
    return datetime.now(UTC)


def sync(
    db: str | Engine = DEFAULT_DB,
    *,
    client: GongClient | None = None,
    streams: str | Iterable[str] | None = None,
    since: str | datetime | None = None,
    lookback: str | timedelta | None = None,
    full_refresh: bool = False,
    reconcile: bool = False,
    table_prefix: str = "gong_",
    clock: Callable[[], datetime] = _utcnow,
    progress: SyncProgress | None = None,
    sleep: Callable[[float], None] = time.sleep,
    transcript_batch: int = 100,
    workers: int = 3,
    call_window: timedelta | None = None,
    request_counter: RequestCounter | None = None,
) -> SyncResult:
    """Bring the database up to date with Gong: every stream asked for, each committing
    its rows and watermark together, so an interrupted sync resumes where it stopped.

    Inputs are checked before anything is fetched or written (``SyncInputError``). Without
    ``client``, one is built from the environment with Gong's 3 requests/second limit;
    pass ``request_counter`` (from ``make_client``) with your own to count its retries.
    ``reconcile`` then lists every stored call's id in Gong and removes those Gong no longer
    has (privacy erasure), with their parties, context, transcripts and scorecards.
    """
    began = time.monotonic()
    now = clock().astimezone(UTC).replace(microsecond=0)
    names = parse_streams(streams, STREAMS)
    start = parse_since(since, now)
    back = parse_duration(lookback, "--lookback", DEFAULT_LOOKBACK)
    if transcript_batch < 1:
        raise SyncInputError("transcript_batch", "must be at least 1")
    counter: RequestCounter | None = None
    own_client = client is None
    if client is None:
        client, counter = make_client()
    else:
        counter = request_counter
    counted_before = counter.count if counter is not None else 0
    # ``call_window`` cuts call listings into pieces of that size from the start (smaller
    # transactions), as the client does by itself once Gong refuses a window as too long.
    calls_key = STREAMS["calls"].endpoint.replace("_", "-")
    limits_before = dict(client.window_limits)
    if call_window is not None:
        client.window_limits[calls_key] = call_window
    try:
        store = Store(db, table_prefix=table_prefix, migrate=False)
        try:
            store.claim_run()
        except BaseException:
            store.close()
            raise
    except BaseException:
        if own_client:
            client.close()
        raise
    report = progress or NullProgress()
    result = SyncResult()
    # The tables are checked (and migrated) while the first requests are on their way:
    # reading only waits for them where it needs the database's state.
    ready = _Ready()
    try:
        ctx = Context(
            client=client,
            now=now,
            since=start,
            lookback=back,
            watermark=(lambda _s, _p: None) if full_refresh else ready.wrap(store.watermark),
            pending_transcripts=ready.wrap(store.pending_transcripts),
            folder_markers=dict if full_refresh else ready.wrap(store.folder_markers),
            first_call=ready.wrap(store.first_call),
            stored_calls=ready.wrap(store.stored_calls),
            progress=report,
            sleep=sleep,
            transcript_batch=transcript_batch,
            workers=workers,
        )
        steps = [STREAMS[n] for n in names] + ([RECONCILE] if reconcile else [])
        run_streams(ctx, steps, store, result, report, prepare=lambda: ready.run(store.create))
    finally:
        store.close()
        if call_window is not None:  # a caller's client keeps its own settings
            client.window_limits.pop(calls_key, None)
            client.window_limits.update({k: v for k, v in limits_before.items() if k == calls_key})
        if counter is not None:
            result.http_requests = counter.count - counted_before
        if own_client:
            client.close()
        result.seconds = time.monotonic() - began
    return result


#: Batches fetched ahead of the writes. Each holds up to one page of rows (a transcript page is
#: some 30,000 sentence rows), so this bounds memory too.
PIPELINE_DEPTH = 4


class _Ready:
    """Set once the database is ready; callables wrapped by it wait for that first."""

    def __init__(self) -> None:
        self._event = threading.Event()
        self._failed = False

    def run(self, prepare: Callable[[], None]) -> None:
        try:
            prepare()
        except BaseException:
            self._failed = True
            raise
        finally:
            self._event.set()

    def wrap(self, fn: Callable[..., T]) -> Callable[..., T]:
        def wait_then(*args: Any) -> T:
            self._event.wait()
            if self._failed:
                raise _Stopped
            return fn(*args)

        return wait_then


def run_streams(
    ctx: Context,
    streams: Sequence[Stream],
    store: Store,
    result: SyncResult,
    report: SyncProgress,
    *,
    prepare: Callable[[], None] = lambda: None,
) -> None:
    """Read the streams in one thread and write their batches in this one, in order.

    Requests keep flowing while rows are written: when one stream's last pages are being
    written, the next stream is already being read. A stream that reads what another wrote
    (transcripts read the calls still lacking one) starts once every earlier batch is
    committed. Batches are written in the order they were read, each with its watermarks,
    so a crash still resumes exactly.
    """
    pipe: queue.Queue[tuple[str, str, Any]] = queue.Queue(maxsize=PIPELINE_DEPTH)
    stop = threading.Event()

    def put(item: tuple[str, str, Any]) -> None:
        while not stop.is_set():
            try:
                pipe.put(item, timeout=0.1)
                return
            except queue.Full:
                continue
        raise _Stopped

    def produce() -> None:
        try:
            for stream in streams:
                name = stream.name
                if stream.child_of is not None:
                    pipe.join()  # everything read so far is committed
                report.start(name, stream.first_estimate)  # before its pages advance the bar
                put(("start", name, None))
                for batch in stream.read(ctx):
                    put(("batch", name, batch))
                put(("end", name, None))
            put(("done", "", None))
        except _Stopped:
            pass
        except BaseException as exc:  # raised again in the writing thread
            with contextlib.suppress(_Stopped):
                put(("error", "", exc))

    reader = threading.Thread(target=produce, name="gong-sync-reader", daemon=True)
    reader.start()
    current: tuple[StreamResult, float] | None = None
    try:
        prepare()  # while the reader's first requests are on their way
        while True:
            kind, name, value = pipe.get()
            try:
                if kind == "start":
                    current = (result.streams.setdefault(name, StreamResult(name)), time.monotonic())
                elif kind == "batch":
                    store.write(value)
                    assert current is not None
                    current[0].records += value.record_count + len(value.delete_calls)
                    current[0].requests += value.requests
                    result.removed_calls += value.delete_calls
                elif kind == "end":
                    assert current is not None
                    _finish(current, result, report)
                    current = None
                elif kind == "error":
                    raise value
                else:
                    return
            finally:
                pipe.task_done()
    finally:
        if current is not None:
            _finish(current, result, report)
        stop.set()
        while True:  # let a reader blocked on a full pipe (or on join) see the stop
            try:
                pipe.get_nowait()
                pipe.task_done()
            except queue.Empty:
                break
        reader.join(timeout=60)


class _Stopped(Exception):
    """The writer stopped: the reader must stop too."""


def _finish(current: tuple[StreamResult, float], result: SyncResult, report: SyncProgress) -> None:
    res, began = current
    res.seconds = time.monotonic() - began
    result.requests += res.requests
    report.finish(res.name)


def iter_records(
    stream: str,
    client: GongClient,
    *,
    since: str | datetime | None = None,
    until: datetime | None = None,
    call_ids: Sequence[str] | None = None,
    workers: int = 1,
) -> Iterator[Record]:
    """One stream's rows, table by table, for your own destination; no database, no state.

    Calls, transcripts and logs cover ``[since, until)`` (until defaults to now);
    transcripts are read for ``call_ids`` instead when given, many per request.
    """
    name = parse_streams(stream, STREAMS)
    if len(name) != 1:
        raise SyncInputError("stream", "give exactly one stream")
    now = (until or _utcnow()).astimezone(UTC)
    ids = list(call_ids) if call_ids is not None else None
    ctx = Context(
        client=client,
        now=now,
        since=parse_since(since, now),
        lookback=timedelta(0),
        pending_transcripts=(lambda _recent: ids) if ids is not None else None,
        workers=workers,
    )
    for batch in STREAMS[name[0]].read(ctx):
        for table, rows in batch.rows.items():
            for row in rows:
                yield Record(name[0], table, row)
