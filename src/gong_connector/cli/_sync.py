"""``gong sync``: Gong's users, workspaces, calls, transcripts, library and logs into a database.

Like every command, it takes its connection (``--profile``, OAuth profiles, flags,
environment), its pace (``--rate-limit``, else ``GONG_RATE_LIMIT``), its output mode and its
exit codes from ``_common``; only the client's retry policy and request counter are its own.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any

import typer
from rich.text import Text

from ..errors import CredentialsError, GongError, MissingExtraError, StoreError, ValidationError
from ..sync import (
    DEFAULT_DB,
    DEFAULT_LOOKBACK,
    STREAMS,
    RequestCounter,
    RichProgress,
    SyncInputError,
    SyncResult,
    is_duckdb,
    parse_duration,
    parse_since,
    parse_streams,
)
from ..sync import sync as run_sync
from ..sync._runner import SYNC_RETRY
from ._common import (
    Output,
    emit,
    err,
    gong_command,
    handle_errors,
    make_client,
    out,
    output_mode,
    print_table,
    rate_limiter,
    state,
)


def _resumable(exc: BaseException) -> str:
    """What an interrupted or failed sync leaves: everything committed so far."""
    if isinstance(exc, KeyboardInterrupt) or (
        isinstance(exc, GongError)
        and not isinstance(exc, ValidationError | CredentialsError | StoreError | MissingExtraError)
    ):
        return "; rows committed so far are kept, run again to resume"
    return ""


def _summary(result: SyncResult, rate: float | None) -> dict[str, Any]:
    return {
        "streams": [
            {"stream": s.name, "rows": s.records, "requests": s.requests, "seconds": round(s.seconds, 3)}
            for s in result.streams.values()
        ],
        "rows": result.records,
        "requests": result.requests,
        "httpRequests": result.http_requests,
        "seconds": round(result.seconds, 3),
        "removedCalls": len(result.removed_calls),
        "ratePerSecond": rate,
    }


def _show(result: SyncResult, rate: float | None) -> None:
    if output_mode() != Output.TABLE:
        emit(_summary(result, rate))
        return
    rows = [(s.name, f"{s.records:,}", f"{s.requests:,}", f"{s.seconds:.1f}") for s in result.streams.values()]
    rows.append(("total", f"{result.records:,}", f"{result.requests:,}", f"{result.seconds:.1f}"))
    print_table(rows, ("stream", "rows", "requests", "seconds"), title="gong sync")
    retries = ""
    if result.http_requests is not None:
        retries = f" ({result.http_requests:,} HTTP requests with retries)"
    floor = f"; at {rate:g}/s they need at least {result.requests / rate:.1f}s" if rate else ""
    out.print(Text(f"{result.requests:,} requests{retries} in {result.seconds:.1f}s{floor}."))


@gong_command()
def sync(
    db: Annotated[
        str,
        typer.Option(
            "--db",
            envvar="GONG_SYNC_DB",
            help="Destination: a SQLite file path or URL, postgresql+psycopg://user@host/db, "
            "or duckdb:///file.duckdb (through dlt: the dlt extra).",
        ),
    ] = DEFAULT_DB,
    streams: Annotated[
        list[str] | None,
        typer.Option(
            "--streams", "-s", help=f"Streams to sync, comma-separated or repeated (default all): {', '.join(STREAMS)}."
        ),
    ] = None,
    since: Annotated[
        str | None,
        typer.Option(
            help="Start of history on a first sync: a date (2024-01-31), a date-time or an age (90d). "
            "Default: everything."
        ),
    ] = None,
    lookback: Annotated[
        str, typer.Option(help="Recent past each run re-reads, for calls Gong finishes processing late (e.g. 36h, 2d).")
    ] = "2d",
    full_refresh: Annotated[
        bool, typer.Option("--full-refresh", help="Ignore saved watermarks: read everything from --since again.")
    ] = False,
    reconcile: Annotated[
        bool,
        typer.Option(
            "--reconcile",
            help="Then list every stored call's id in Gong (100 a request) and remove the calls Gong no longer has.",
        ),
    ] = False,
    rate_limit: Annotated[
        str | None,
        typer.Option(
            "--rate-limit",
            show_default=False,
            help="Requests per second to stay under, like 3/s, or off (default GONG_RATE_LIMIT, else Gong's 3/s).",
        ),
    ] = None,
    emulator: Annotated[
        bool, typer.Option("--emulator", help="Sync from an embedded Gong emulator (demo data, Gong's rate limit on).")
    ] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bars.")] = False,
) -> None:
    """Incrementally copy Gong into SQLite or PostgreSQL; safe to interrupt and run again."""
    # Every input is checked before anything is fetched or written.
    names = parse_streams(streams, STREAMS)
    parse_since(since, datetime.now(UTC))
    back = parse_duration(lookback, "--lookback", DEFAULT_LOOKBACK)
    if rate_limit:
        rate_limiter(rate_limit, "--rate-limit")
    if is_duckdb(db) and reconcile:
        raise SyncInputError("--reconcile", "is not available for duckdb:// yet; use SQLite or PostgreSQL")
    with handle_errors(_resumable):
        if emulator:
            _from_emulator(db, names, since, back, full_refresh, rate_limit, quiet, reconcile=reconcile)
            return
        counter = RequestCounter()
        with make_client(rate=rate_limit, transport=counter, retry=SYNC_RETRY) as client:
            rate = client.rate_limiter.per_second
            result = _run(db, client, counter, names, since, back, full_refresh, rate, quiet, reconcile=reconcile)
        _show(result, rate)


def _run(
    db: str,
    client: Any,
    counter: RequestCounter,
    names: tuple[str, ...],
    since: str | None,
    back: Any,
    full_refresh: bool,
    rate: float | None,
    quiet: bool,
    *,
    reconcile: bool = False,
) -> SyncResult:
    progress = RichProgress(rate, console=err) if not quiet else None
    if progress is not None:
        progress.__enter__()
    try:
        if is_duckdb(db):  # loaded through dlt, imported only for it (a second or so)
            from ..dlt import sync_duckdb

            return sync_duckdb(
                db,
                client=client,
                streams=names,
                since=since,
                lookback=back,
                full_refresh=full_refresh,
                progress=progress,
                request_counter=counter,
            )
        return run_sync(
            db,
            client=client,
            streams=names,
            since=since,
            lookback=back,
            full_refresh=full_refresh,
            reconcile=reconcile,
            progress=progress,
            request_counter=counter,
        )
    finally:
        if progress is not None:
            progress.__exit__(None, None, None)


def _from_emulator(
    db: str,
    names: tuple[str, ...],
    since: str | None,
    back: Any,
    full_refresh: bool,
    rate_limit: str | None,
    quiet: bool,
    *,
    reconcile: bool = False,
) -> None:
    """The same sync against an embedded emulator with demo data (its connection replaces
    any profile or key), at Gong's limits."""
    from ..emulator import Emulator, EmulatorConfig, RateLimit

    limiter = rate_limiter(rate_limit, "--rate-limit") if rate_limit else None
    rate = limiter.per_second if limiter is not None else 3.0
    with Emulator(EmulatorConfig(rate_limit=RateLimit(per_second=rate, per_day=10_000))) as emu:
        conn = state().connection
        conn.profile, conn.base_url = None, emu.base_url
        conn.access_key, conn.access_key_secret = emu.access_key, emu.access_key_secret
        if not quiet:
            err.print(Text(f"Syncing from an embedded Gong emulator at {emu.base_url}"))
        counter = RequestCounter()
        with make_client(rate=rate_limit or "3/s", transport=counter, retry=SYNC_RETRY) as client:
            result = _run(db, client, counter, names, since, back, full_refresh, rate, quiet, reconcile=reconcile)
    _show(result, rate)
