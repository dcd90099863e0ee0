"""``gong sync``: Gong's users, workspaces, calls, transcripts, library and logs into a database."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table
from sqlalchemy.exc import SQLAlchemyError

from ..client import GongError
from ..connections import ApiKeyConnection
from ..errors import MissingExtraError, StoreError
from ..sync import (
    DEFAULT_DB,
    DEFAULT_LOOKBACK,
    STREAMS,
    RichProgress,
    SyncInputError,
    SyncResult,
    make_client,
    normalize_db_url,
    parse_duration,
    parse_since,
    parse_streams,
)
from ..sync import sync as run_sync

out = Console()
err = Console(stderr=True)


def _fail(message: str, code: int = 1) -> typer.Exit:
    err.print(f"[red]error:[/red] {message}", highlight=False, soft_wrap=True)
    return typer.Exit(code)


def _rate(text: str) -> float | None:
    value = text.strip().lower().removesuffix("/s")
    if value in ("off", "none", "0"):
        return None
    try:
        rate = float(value)
    except ValueError:
        rate = -1.0
    if rate <= 0:
        raise SyncInputError("--rate-limit", f"{text!r} is not a rate like 3 or 3/s, or off")
    return rate


def _summary(result: SyncResult, rate: float | None) -> None:
    table = Table(title="gong sync", show_footer=True)
    table.add_column("stream", footer="total")
    table.add_column("rows", justify="right", footer=f"{result.records:,}")
    table.add_column("requests", justify="right", footer=f"{result.requests:,}")
    table.add_column("seconds", justify="right", footer=f"{result.seconds:.1f}")
    for s in result.streams.values():
        table.add_row(s.name, f"{s.records:,}", f"{s.requests:,}", f"{s.seconds:.1f}")
    out.print(table)
    retries = ""
    if result.http_requests is not None:
        retries = f" ({result.http_requests:,} HTTP requests with retries)"
    floor = f"; at {rate:g}/s they need at least {result.requests / rate:.1f}s" if rate else ""
    out.print(f"{result.requests:,} requests{retries} in {result.seconds:.1f}s{floor}.", highlight=False)


def sync(
    db: Annotated[
        str,
        typer.Option(
            "--db",
            envvar="GONG_SYNC_DB",
            help="Destination: a SQLite file path or URL, or postgresql+psycopg://user@host/db.",
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
    rate_limit: Annotated[
        str, typer.Option("--rate-limit", help="Requests per second to stay under (Gong's limit is 3), or off.")
    ] = "3",
    emulator: Annotated[
        bool, typer.Option("--emulator", help="Sync from an embedded Gong emulator (demo data, Gong's rate limit on).")
    ] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bars.")] = False,
) -> None:
    """Incrementally copy Gong into SQLite or PostgreSQL; safe to interrupt and run again."""
    from ..emulator import Emulator, EmulatorConfig, RateLimit

    try:  # every input is checked before anything is fetched or written
        names = parse_streams(streams, STREAMS)
        parse_since(since, datetime.now(UTC))
        back = parse_duration(lookback, "--lookback", DEFAULT_LOOKBACK)
        rate = _rate(rate_limit)
        normalize_db_url(db)
    except SyncInputError as exc:
        raise _fail(str(exc), 2) from None
    emu: Emulator | None = None
    try:
        if emulator:
            limit = RateLimit(per_second=rate, per_day=10_000)
            emu = Emulator(EmulatorConfig(rate_limit=limit)).start()
            conn = ApiKeyConnection(emu.access_key, emu.access_key_secret, emu.base_url)
            client, counter = make_client(conn, rate_limit=rate)
            if not quiet:
                err.print(f"Syncing from an embedded Gong emulator at {emu.base_url}", highlight=False)
        else:
            client, counter = make_client(rate_limit=rate)
        with client:
            progress = RichProgress(rate, console=err) if not quiet else None
            if progress is not None:
                progress.__enter__()
            try:
                result = run_sync(
                    db,
                    client=client,
                    streams=names,
                    since=since,
                    lookback=back,
                    full_refresh=full_refresh,
                    progress=progress,
                    request_counter=counter,
                )
            finally:
                if progress is not None:
                    progress.__exit__(None, None, None)
    except SyncInputError as exc:
        raise _fail(str(exc), 2) from None
    except (StoreError, MissingExtraError) as exc:  # the database, not Gong
        raise _fail(f"database: {exc}") from None
    except GongError as exc:
        raise _fail(f"Gong: {exc}; rows committed so far are kept, run again to resume") from None
    except SQLAlchemyError as exc:
        reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
        raise _fail(f"database: {reason}") from None
    except KeyboardInterrupt:
        raise _fail("interrupted; rows committed so far are kept, run again to resume", 130) from None
    finally:
        if emu is not None:
            emu.stop()
    _summary(result, rate)
