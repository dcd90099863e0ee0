"""``gong trigger``: serve the Process Automation webhook receiver, run its workers, and
operate its inbox and tenants."""

from __future__ import annotations

import asyncio
import contextlib
import importlib
import json
import logging
import os
import signal
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from sqlalchemy.exc import SQLAlchemyError

from .._serving import bind, serve_in_processes
from ..errors import GongError
from ..trigger import (
    DEFAULT_DB_URL,
    DEFAULT_MAX_BODY_BYTES,
    STATUSES,
    Backoff,
    ConnectionLimits,
    Event,
    HandlerRegistry,
    Inbox,
    Metrics,
    Trigger,
    TriggerServer,
    WebhookVerifier,
    Worker,
    WorkerMetricsServer,
    add_tenant,
    check_tenant_name,
    load_public_key,
)
from ._common import Output, emit_items, fail, output_mode, print_table, state

trigger_app = typer.Typer(help="Gong Process Automation webhooks: verified, stored, handled.", no_args_is_help=True)
events_app = typer.Typer(help="See and re-run the events in the inbox.", no_args_is_help=True)
tenants_app = typer.Typer(help="The Gong companies one receiver serves, each with its own key.", no_args_is_help=True)
trigger_app.add_typer(events_app, name="events")
trigger_app.add_typer(tenants_app, name="tenants")

DEFAULT_URL_KEY_ENV = "GONG_WEBHOOK_URL_KEY"

JsonlOption = Annotated[bool, typer.Option("--jsonl", help="One JSON object per line.")]
TableOption = Annotated[bool, typer.Option("--table", help="A table even when piped.")]

out = Console()
err = Console(stderr=True)

DbOption = Annotated[
    str,
    typer.Option("--db", envvar="GONG_TRIGGER_DB", help="Inbox database: a SQLite path or URL, or postgresql://..."),
]


SHUTDOWN_HELP = "Seconds the events in hand get to finish after Ctrl-C or SIGTERM; then it exits."


def _fail(message: str, code: int = 1) -> typer.Exit:
    return fail(message, code)  # one line, text never read as markup: the CLI's one error printer


def _open_inbox(db: str, *, must_exist: bool = False) -> Inbox:
    """``must_exist`` for commands that only look or replay: a mistyped path is not a new inbox."""
    try:
        return Inbox(db, must_exist=must_exist)
    except (SQLAlchemyError, ValueError, GongError) as exc:
        reason = type(exc).__name__ if isinstance(exc, SQLAlchemyError) else str(exc)
        raise _fail(f"cannot open the inbox database: {reason}") from None


def _missing_sqlite_file(db: str) -> bool:
    from ..db import normalize_url, sqlite_path

    try:
        path = sqlite_path(normalize_url(db))
    except GongError:
        return False  # a bad URL is reported where the inbox is opened
    return path is not None and not path.exists()


def _mode(as_json: bool, as_jsonl: bool, as_table: bool) -> str:
    """The output mode every command has: these flags, the root's, else a table on a terminal."""
    current = state()
    current.json, current.jsonl, current.table = (
        as_json or current.json,
        as_jsonl or current.jsonl,
        as_table or current.table,
    )
    return output_mode()


def _log_to_stderr(level: str) -> None:
    """Timestamped lines on stderr. Alembic announces each of its own plugins at info when it
    first migrates a database: noise to anyone but a debugger."""
    logging.basicConfig(level=level.upper(), format="%(asctime)s %(levelname)s %(message)s")
    quiet = level.lower() != "debug"
    logging.getLogger("alembic.runtime.plugins").setLevel(logging.WARNING if quiet else logging.NOTSET)


def _load_handlers(spec: str) -> HandlerRegistry:
    """``module:attribute``: a HandlerRegistry, a Trigger (its handlers) or one function."""
    module_name, _, attr = spec.partition(":")
    if not module_name or not attr:
        raise typer.BadParameter("use module:attribute, e.g. myapp.hooks:handlers", param_hint="--handlers")
    if os.getcwd() not in sys.path:
        sys.path.insert(0, os.getcwd())
    try:
        target: Any = getattr(importlib.import_module(module_name), attr)
    except (ImportError, AttributeError) as exc:
        raise typer.BadParameter(f"cannot load {spec}: {exc}", param_hint="--handlers") from None
    if isinstance(target, Trigger):
        return target.handlers
    if isinstance(target, HandlerRegistry):
        return target
    if callable(target):
        registry = HandlerRegistry()
        registry.on_call()(target)
        return registry
    raise typer.BadParameter(f"{spec} is not a HandlerRegistry, Trigger or function", param_hint="--handlers")


def _url_key_from(variable: str, option: str, *, required: bool) -> str | None:
    """A URL key is read from the environment, never from a command line (``ps`` shows those)."""
    if not variable or not variable.replace("_", "").isalnum() or variable[0].isdigit():
        raise _fail(f"{option}: {variable!r} is not an environment variable name", 2)
    value = os.environ.get(variable)
    if value is None or not value.strip():
        if required:
            raise _fail(f"{option}: the environment variable {variable} is not set", 2)
        return None
    return value.strip()


def _read_key_file(path: Path, option: str) -> str:
    try:
        return path.read_text()
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) else "not a text file"
        raise _fail(f"{option}: cannot read {path}: {reason}", 2) from None


@trigger_app.command("serve")
def serve(
    port: Annotated[int, typer.Option(help="Port to listen on; 0 picks a free one.", min=0, max=65535)] = 8000,
    host: Annotated[str, typer.Option(help="Interface to bind.")] = "127.0.0.1",
    db: DbOption = DEFAULT_DB_URL,
    public_key: Annotated[
        str | None,
        typer.Option(
            envvar="GONG_WEBHOOK_PUBLIC_KEY",
            show_default=False,
            help="Public key from the rule's page (bare base64 or PEM): enables signed-JWT mode.",
        ),
    ] = None,
    public_key_file: Annotated[Path | None, typer.Option(help="File holding that public key.", dir_okay=False)] = None,
    url_key_env: Annotated[
        str,
        typer.Option(
            help="Environment variable holding the secret that Gong's URL carries (URL-key mode); used when it is set."
        ),
    ] = DEFAULT_URL_KEY_ENV,
    url_key_param: Annotated[str, typer.Option(help="Query parameter holding the URL key.")] = "key",
    public_url: Annotated[
        str | None,
        typer.Option(
            envvar="GONG_TRIGGER_PUBLIC_URL",
            help="URL Gong calls, without query (needed behind a proxy: tokens are bound to it). "
            "Tenants are at its /t/NAME.",
        ),
    ] = None,
    handlers: Annotated[
        str | None, typer.Option(help="Handlers to run, as module:attribute. Without, events are only stored.")
    ] = None,
    max_attempts: Annotated[int, typer.Option(min=1, help="Attempts before an event is dead.")] = 5,
    max_body_bytes: Annotated[int, typer.Option(min=1, help="Larger bodies get 413.")] = DEFAULT_MAX_BODY_BYTES,
    header_timeout: Annotated[
        float, typer.Option(min=0.01, help="Seconds a connection may take to send its request headers.")
    ] = 10.0,
    body_timeout: Annotated[float, typer.Option(min=0.01, help="Seconds an authenticated body may take.")] = 30.0,
    max_connections: Annotated[
        int, typer.Option(min=1, help="Open connections at most; the slowest waiting ones make room.")
    ] = 1000,
    processes: Annotated[
        int,
        typer.Option(min=1, max=64, help="Receiver processes sharing the port (each also runs the handlers, if any)."),
    ] = 1,
    log_level: Annotated[str, typer.Option(help="debug, info, warning or error.")] = "info",
    shutdown_timeout: Annotated[float, typer.Option(min=0, help=SHUTDOWN_HELP)] = 30.0,
) -> None:
    """Receive Gong's webhooks until Ctrl-C: verify, commit to the inbox, run handlers.

    Single-tenant: a key of its own (--public-key/--public-key-file, or a URL key in the
    environment) for webhooks posted to any path. Tenants (gong trigger tenants add) are
    served at /t/NAME, each with its key; with tenants and no key of its own, only them.
    """
    if log_level.lower() not in ("debug", "info", "warning", "error"):
        raise _fail(f"--log-level: {log_level!r} is not one of debug, info, warning, error", 2)
    if public_key_file is not None:
        public_key = _read_key_file(public_key_file, "--public-key-file")
    url_key = _url_key_from(url_key_env, "--url-key-env", required=url_key_env != DEFAULT_URL_KEY_ENV)
    verifier = None
    if public_key is not None or url_key is not None:
        try:
            verifier = WebhookVerifier(
                public_key=public_key, url_key=url_key, url_key_param=url_key_param, max_body_bytes=max_body_bytes
            )
        except ValueError as exc:
            raise _fail(f"{exc} (--public-key / --public-key-file)", 2) from None
    registry = _load_handlers(handlers) if handlers else None
    _log_to_stderr(log_level)
    limits = ConnectionLimits(
        max_connections=max_connections, header_timeout=header_timeout, max_header_bytes=16 * 1024
    )

    def receiver(inbox: Inbox, metrics: Metrics | None = None) -> Trigger:
        trigger = Trigger(
            verifier,
            inbox=inbox,
            public_url=public_url,
            backoff=Backoff(max_attempts=max_attempts),
            body_timeout=body_timeout,
            shutdown_timeout=shutdown_timeout,
            max_body_bytes=max_body_bytes,
            metrics=metrics,
        )
        trigger.exit_when_stuck = True  # a handler that never returns must not keep the process alive
        if registry is not None:
            trigger.handlers.extend(registry)
        return trigger

    def no_key() -> typer.Exit:  # printed when raised, not before
        return _fail(
            "no key and no tenants: give --public-key, --public-key-file or a URL key in "
            f"${url_key_env}, or add tenants with `gong trigger tenants add`",
            2,
        )

    if verifier is None and _missing_sqlite_file(db):  # no tenants there either: make no file
        raise no_key()
    inbox = _open_inbox(db)
    try:
        trigger = receiver(inbox)
    except ValueError as exc:
        raise _fail(str(exc), 2) from None
    try:
        trigger.tenants.refresh()
    except (SQLAlchemyError, GongError) as exc:
        raise _fail(f"cannot read the tenants: {type(exc).__name__}") from None
    if verifier is None and not len(trigger.tenants):
        raise no_key()
    try:
        # Several processes: one listening socket each, all bound before the fork (so nothing
        # is refused while they start) with SO_REUSEPORT, so the kernel spreads connections
        # evenly among them; one shared socket would go mostly to whichever wakes first.
        sock = bind(host, port, reuse_port=processes > 1)
        socks = [sock, *(bind(host, sock.getsockname()[1], reuse_port=True) for _ in range(processes - 1))]
    except OSError as exc:
        raise _fail(f"cannot listen on {host}:{port}: {exc.strerror}") from None
    shown = f"[{host}]" if ":" in host else host
    modes = [m for m, on in (("signed JWT", public_key), ("URL key", url_key)) if on]
    typer.echo(f"Gong trigger listening on http://{shown}:{sock.getsockname()[1]}", err=False)
    typer.echo(
        f"  verifying: {', '.join(modes) or 'tenants only'}; tenants: {len(trigger.tenants)}; "
        f"public URL: {public_url or '(from each request)'}"
    )
    typer.echo(
        f"  inbox: {inbox.engine.url.render_as_string(hide_password=True)}; "
        f"handlers: {len(trigger.handlers) or 'none (store only)'}; processes: {processes}"
    )
    sys.stdout.flush()
    if processes == 1:
        with contextlib.suppress(KeyboardInterrupt):
            TriggerServer(trigger, log_level="warning", limits=limits, sock=sock).serve_forever()
        return
    # Each process opens its own inbox after the fork (connections and SQLite's writer lock
    # must not be shared); counters go to shared memory so /metrics adds them up.
    inbox.close()
    shared = Metrics.shared(processes)

    def serve_one(index: int) -> None:
        for n, other in enumerate(socks):
            if n != index:
                other.close()
        trigger = receiver(_open_inbox(db), shared.for_process(index))
        TriggerServer(trigger, log_level="warning", limits=limits, sock=socks[index]).serve_forever()

    serve_in_processes(processes, serve_one)
    for each in socks:
        each.close()


@trigger_app.command("worker")
def worker(
    db: DbOption = DEFAULT_DB_URL,
    handlers: Annotated[str, typer.Option(help="Handlers to run, as module:attribute.", show_default=False)] = "",
    concurrency: Annotated[int, typer.Option(min=1, help="Events handled at once.")] = 4,
    max_attempts: Annotated[int, typer.Option(min=1, help="Attempts before an event is dead.")] = 5,
    lease_seconds: Annotated[
        float, typer.Option(min=0.1, help="How long a claimed event is this worker's; renewed while it runs.")
    ] = 60.0,
    poll_interval: Annotated[float, typer.Option(min=0.01, help="Seconds between looks for due events.")] = 1.0,
    metrics_port: Annotated[
        int | None,
        typer.Option(
            min=0,
            max=65535,
            show_default=False,
            help="Serve GET /healthz and /metrics on this port (0 picks a free one). Without it, nothing listens.",
        ),
    ] = None,
    metrics_host: Annotated[str, typer.Option(help="Interface for --metrics-port.")] = "127.0.0.1",
    log_level: Annotated[str, typer.Option(help="debug, info, warning or error.")] = "info",
    shutdown_timeout: Annotated[float, typer.Option(min=0, help=SHUTDOWN_HELP)] = 30.0,
) -> None:
    """Run handlers from the inbox without receiving, until Ctrl-C or SIGTERM.

    Any number of workers and receivers may share one PostgreSQL inbox: events are leased,
    so each runs in one worker at a time, and a worker that dies leaves them to the others.
    With --metrics-port, the worker's handler times and failures and the inbox's counts are
    served for Prometheus at /metrics, and /healthz follows the inbox, as on a receiver.
    """
    if not handlers:
        raise _fail("--handlers is required: module:attribute, e.g. myapp.hooks:handlers", 2)
    if log_level.lower() not in ("debug", "info", "warning", "error"):
        raise _fail(f"--log-level: {log_level!r} is not one of debug, info, warning, error", 2)
    registry = _load_handlers(handlers)
    _log_to_stderr(log_level)
    sock = None
    if metrics_port is not None:
        try:
            sock = bind(metrics_host, metrics_port)
        except OSError as exc:
            raise _fail(f"--metrics-port: cannot listen on {metrics_host}:{metrics_port}: {exc.strerror}") from None
    try:
        inbox = _open_inbox(db)
    except typer.Exit:
        if sock is not None:
            sock.close()
        raise
    runner = Worker(
        inbox,
        registry,
        backoff=Backoff(max_attempts=max_attempts),
        concurrency=concurrency,
        lease_seconds=lease_seconds,
        poll_interval=poll_interval,
    )
    # The metrics are served from a thread of their own: a busy worker does not slow a scrape.
    server = WorkerMetricsServer(runner, host=metrics_host, sock=sock) if sock is not None else None

    def give_up() -> None:
        if runner.in_hand:  # handlers that never return: their threads cannot be stopped
            logging.getLogger("gong_connector.trigger").error(
                "trigger worker: %d handler(s) still running %gs after the stop; exiting, and "
                "their events run again once their leases expire",
                len(runner.in_hand),
                shutdown_timeout,
            )
            os._exit(1)

    def stop() -> None:
        runner.stop()
        asyncio.get_running_loop().call_later(shutdown_timeout, give_up)

    async def run() -> None:
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stop)
        # Announced once a signal stops it gracefully: whoever waits for this line may stop it.
        typer.echo(f"Gong trigger worker {runner.owner} running {len(registry)} handler(s)")
        typer.echo(f"  inbox: {inbox.engine.url.render_as_string(hide_password=True)}")
        sys.stdout.flush()
        await runner.run()

    try:
        if server is not None:
            server.start()
            typer.echo(f"Gong trigger worker metrics on {server.url} (/metrics, /healthz)", err=True)
            sys.stderr.flush()
        asyncio.run(run())
    finally:
        if server is not None:
            server.stop()
        inbox.close()


# --------------------------------------------------------------------------- tenants


@tenants_app.command("add")
def add_tenant_command(
    name: Annotated[str, typer.Argument(help="Tenant name: letters, digits, '.', '_', '-'; its URL is /t/NAME.")],
    db: DbOption = DEFAULT_DB_URL,
    public_key_file: Annotated[
        Path | None, typer.Option(help="File with the public key from the tenant's rule page.", dir_okay=False)
    ] = None,
    url_key_env: Annotated[
        str | None, typer.Option(help="Environment variable holding the tenant's URL key.", show_default=False)
    ] = None,
) -> None:
    """Add a tenant with its key; running receivers serve it within seconds, at /t/NAME."""
    try:
        check_tenant_name(name)
    except ValueError as exc:
        raise _fail(str(exc), 2) from None
    if (public_key_file is None) == (url_key_env is None):
        raise _fail("give exactly one of --public-key-file or --url-key-env", 2)
    public_key = url_key = None
    if public_key_file is not None:
        public_key = _read_key_file(public_key_file, "--public-key-file")
        try:
            load_public_key(public_key)
        except ValueError as exc:
            raise _fail(f"--public-key-file: {public_key_file} {str(exc).split(': ', 1)[-1]}", 2) from None
    else:
        assert url_key_env is not None
        url_key = _url_key_from(url_key_env, "--url-key-env", required=True)
    inbox = _open_inbox(db)
    try:
        add_tenant(inbox, name, public_key=public_key, url_key=url_key)
    except ValueError as exc:
        raise _fail(
            str(exc).replace("url_key:", f"the URL key in ${url_key_env}"), 2 if "exists" not in str(exc) else 1
        ) from None
    finally:
        inbox.close()
    kind = "public key" if public_key is not None else "URL key"
    typer.echo(f"added tenant {name} ({kind}); webhooks go to /t/{name}")


@tenants_app.command("list")
def list_tenants(
    db: DbOption = DEFAULT_DB_URL,
    as_json: Annotated[bool, typer.Option("--json", help="JSON (the default when piped).")] = False,
    as_jsonl: JsonlOption = False,
    as_table: TableOption = False,
) -> None:
    """The tenants and their kind of key (never the key)."""
    inbox = _open_inbox(db, must_exist=True)
    try:
        records = inbox.tenants()
    finally:
        inbox.close()
    rows = [
        {"name": r.name, "key": "public key" if r.public_key else "URL key", "added": _when(r.created_at)}
        for r in records
    ]
    if _mode(as_json, as_jsonl, as_table) != Output.TABLE:
        emit_items(rows)
        return
    print_table(
        [{**r, "path": f"/t/{r['name']}"} for r in rows], ("name", "key", "added", "path"), title="Gong trigger tenants"
    )


@tenants_app.command("remove")
def remove_tenant(
    name: Annotated[str, typer.Argument(help="Tenant to remove; its events stay in the inbox.")],
    db: DbOption = DEFAULT_DB_URL,
) -> None:
    """Remove a tenant; running receivers answer 404 for it within seconds."""
    inbox = _open_inbox(db, must_exist=True)
    try:
        removed = inbox.remove_tenant(name)
    finally:
        inbox.close()
    if not removed:
        raise _fail(f"no tenant {name!r}")
    typer.echo(f"removed tenant {name}")


def _when(seconds: float | None) -> str:
    if seconds is None:
        return ""
    return datetime.fromtimestamp(seconds, UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def _event_json(event: Event, *, body: bool) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": event.id,
        "status": event.status,
        "tenant": event.tenant,
        "rule": event.rule,
        "callId": event.call_id,
        "isTest": event.is_test,
        "deliveries": event.deliveries,
        "attempts": event.attempts,
        "firstReceivedAt": _when(event.first_received_at),
        "lastReceivedAt": _when(event.last_received_at),
        "nextAttemptAt": _when(event.next_attempt_at) if event.status == "pending" else None,
        "leaseOwner": event.lease_owner,
        "leaseUntil": _when(event.lease_until) or None,
        "finishedAt": _when(event.finished_at) or None,
        "lastError": event.last_error,
    }
    if body:
        data["payload"] = event.payload
    return data


@events_app.command("list")
def list_events(
    db: DbOption = DEFAULT_DB_URL,
    status: Annotated[str | None, typer.Option(help=f"Only this status: {', '.join(STATUSES)}.")] = None,
    rule: Annotated[str | None, typer.Option(help="Only events of this rule.")] = None,
    call_id: Annotated[str | None, typer.Option(help="Only events of this call.")] = None,
    tenant: Annotated[str | None, typer.Option(help="Only events of this tenant ('' for none).")] = None,
    limit: Annotated[int, typer.Option(min=1, help="At most this many, newest first.")] = 50,
    as_json: Annotated[bool, typer.Option("--json", help="JSON (the default when piped).")] = False,
    as_jsonl: JsonlOption = False,
    as_table: TableOption = False,
) -> None:
    """List stored events, newest first, with counts by status."""
    if status is not None and status not in STATUSES:
        raise typer.BadParameter(f"one of {', '.join(STATUSES)}", param_hint="--status")
    inbox = _open_inbox(db, must_exist=True)
    events = inbox.events(status=status, rule=rule, call_id=call_id, tenant=tenant, limit=limit)
    if _mode(as_json, as_jsonl, as_table) != Output.TABLE:
        emit_items(_event_json(e, body=False) for e in events)
        return
    rows = [
        (
            e.id,
            e.status,
            e.tenant,
            f"{e.rule} (test)" if e.is_test else e.rule,
            e.call_id,
            e.deliveries,
            e.attempts,
            _when(e.first_received_at).replace("T", " ").rstrip("Z"),
            e.last_error or "",
        )
        for e in events
    ]
    columns = ("id", "status", "tenant", "rule", "call", "sent", "tries", "received", "last error")
    print_table(rows, columns, title="Gong trigger events")
    counts = inbox.counts()
    out.print("  ".join(f"{s}: {counts[s]}" for s in STATUSES), highlight=False)


@events_app.command("show")
def show_event(
    event_id: Annotated[int, typer.Argument(help="Event id, as listed.")],
    db: DbOption = DEFAULT_DB_URL,
) -> None:
    """One event as JSON, with Gong's payload."""
    event = _open_inbox(db, must_exist=True).get(event_id)
    if event is None:
        raise _fail(f"no event {event_id}")
    typer.echo(json.dumps(_event_json(event, body=True), indent=2))


@events_app.command("replay")
def replay_events(
    event_ids: Annotated[list[int] | None, typer.Argument(help="Event ids to run again.")] = None,
    db: DbOption = DEFAULT_DB_URL,
    dead: Annotated[bool, typer.Option("--dead", help="Replay every dead-lettered event.")] = False,
) -> None:
    """Reset events (done or dead) to pending, so that the handlers run them again."""
    inbox = _open_inbox(db, must_exist=True)
    if not event_ids and not dead:
        raise _fail("name event ids, or pass --dead", 2)
    ids = list(event_ids or [])
    if dead:
        ids += [e.id for e in inbox.events(status="dead", limit=None)]
    refused = []
    for event_id in ids:
        if not inbox.replay(event_id):
            refused.append(event_id)
    done = len(ids) - len(refused)
    typer.echo(f"replayed {done} event(s)")
    if refused:
        raise _fail(f"not replayed (unknown, or running under a live lease): {', '.join(map(str, refused))}")
