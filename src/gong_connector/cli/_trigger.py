"""``gong trigger``: serve the Process Automation webhook receiver and operate its inbox."""

from __future__ import annotations

import contextlib
import importlib
import json
import logging
import os
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table
from sqlalchemy.exc import SQLAlchemyError

from ..errors import GongError
from ..trigger import (
    DEFAULT_DB_URL,
    DEFAULT_MAX_BODY_BYTES,
    STATUSES,
    Backoff,
    Event,
    HandlerRegistry,
    Inbox,
    Trigger,
    TriggerServer,
    WebhookVerifier,
)

trigger_app = typer.Typer(help="Gong Process Automation webhooks: verified, stored, handled.", no_args_is_help=True)
events_app = typer.Typer(help="See and re-run the events in the inbox.", no_args_is_help=True)
trigger_app.add_typer(events_app, name="events")

out = Console()
err = Console(stderr=True)

DbOption = Annotated[
    str,
    typer.Option("--db", envvar="GONG_TRIGGER_DB", help="Inbox database: a SQLite path or URL, or postgresql://..."),
]


def _fail(message: str, code: int = 1) -> typer.Exit:
    err.print(f"[red]error:[/red] {message}", highlight=False, soft_wrap=True)
    return typer.Exit(code)


def _open_inbox(db: str, *, must_exist: bool = False) -> Inbox:
    """``must_exist`` for commands that only look or replay: a mistyped path is not a new inbox."""
    try:
        return Inbox(db, must_exist=must_exist)
    except (SQLAlchemyError, ValueError, GongError) as exc:
        reason = type(exc).__name__ if isinstance(exc, SQLAlchemyError) else str(exc)
        raise _fail(f"cannot open the inbox database: {reason}") from None


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
    public_key_file: Annotated[
        Path | None, typer.Option(help="File holding that public key.", exists=True, dir_okay=False)
    ] = None,
    url_key: Annotated[
        str | None,
        typer.Option(
            envvar="GONG_WEBHOOK_URL_KEY",
            show_default=False,
            help="Secret that Gong's URL carries (URL-key mode); prefer the environment variable.",
        ),
    ] = None,
    url_key_param: Annotated[str, typer.Option(help="Query parameter holding the URL key.")] = "key",
    public_url: Annotated[
        str | None,
        typer.Option(
            envvar="GONG_TRIGGER_PUBLIC_URL",
            help="URL Gong calls, without query (needed behind a proxy: tokens are bound to it).",
        ),
    ] = None,
    handlers: Annotated[
        str | None, typer.Option(help="Handlers to run, as module:attribute. Without, events are only stored.")
    ] = None,
    max_attempts: Annotated[int, typer.Option(min=1, help="Attempts before an event is dead.")] = 5,
    max_body_bytes: Annotated[int, typer.Option(min=1, help="Larger bodies get 413.")] = DEFAULT_MAX_BODY_BYTES,
    log_level: Annotated[str, typer.Option(help="debug, info, warning or error.")] = "info",
) -> None:
    """Receive Gong's webhooks until Ctrl-C: verify, commit to the inbox, run handlers."""
    if public_key_file is not None:
        public_key = public_key_file.read_text()
    try:
        verifier = WebhookVerifier(
            public_key=public_key, url_key=url_key, url_key_param=url_key_param, max_body_bytes=max_body_bytes
        )
    except ValueError as exc:
        raise _fail(f"{exc} (--public-key / --url-key)", 2) from None
    registry = _load_handlers(handlers) if handlers else None
    logging.basicConfig(level=log_level.upper(), format="%(asctime)s %(levelname)s %(message)s")
    inbox = _open_inbox(db)
    try:
        trigger = Trigger(verifier, inbox=inbox, public_url=public_url, backoff=Backoff(max_attempts=max_attempts))
    except ValueError as exc:
        raise _fail(str(exc), 2) from None
    if registry is not None:
        trigger.handlers.extend(registry)
    try:
        server = TriggerServer(trigger, host=host, port=port, log_level="warning")
    except OSError as exc:
        raise _fail(f"cannot listen on {host}:{port}: {exc.strerror}") from None
    modes = [m for m, on in (("signed JWT", public_key), ("URL key", url_key)) if on]
    typer.echo(f"Gong trigger listening on {server.url}", err=False)
    typer.echo(f"  verifying: {', '.join(modes)}; public URL: {public_url or '(from each request)'}")
    typer.echo(
        f"  inbox: {inbox.engine.url.render_as_string(hide_password=True)}; "
        f"handlers: {len(trigger.handlers) or 'none (store only)'}"
    )
    sys.stdout.flush()
    with contextlib.suppress(KeyboardInterrupt):
        server.serve_forever()


def _when(seconds: float | None) -> str:
    if seconds is None:
        return ""
    return datetime.fromtimestamp(seconds, UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def _event_json(event: Event, *, body: bool) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": event.id,
        "status": event.status,
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
    limit: Annotated[int, typer.Option(min=1, help="At most this many, newest first.")] = 50,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON array instead of a table.")] = False,
) -> None:
    """List stored events, newest first, with counts by status."""
    if status is not None and status not in STATUSES:
        raise typer.BadParameter(f"one of {', '.join(STATUSES)}", param_hint="--status")
    inbox = _open_inbox(db, must_exist=True)
    events = inbox.events(status=status, rule=rule, call_id=call_id, limit=limit)
    if as_json:
        typer.echo(json.dumps([_event_json(e, body=False) for e in events], indent=2))
        return
    table = Table(title="Gong trigger events")
    for column in ("id", "status", "rule", "call", "sent", "tries", "received"):
        table.add_column(column, no_wrap=True)
    table.add_column("last error", overflow="fold", max_width=32)
    for e in events:
        rule = f"{e.rule} (test)" if e.is_test else e.rule
        table.add_row(
            str(e.id),
            e.status,
            rule,
            e.call_id,
            str(e.deliveries),
            str(e.attempts),
            _when(e.first_received_at).replace("T", " ").rstrip("Z"),
            e.last_error or "",
        )
    out.print(table)
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
    ids = list(event_ids or [])
    if dead:
        ids += [e.id for e in inbox.events(status="dead", limit=None)]
    if not ids:
        raise _fail("name event ids, or pass --dead", 2)
    refused = []
    for event_id in ids:
        if not inbox.replay(event_id):
            refused.append(event_id)
    done = len(ids) - len(refused)
    typer.echo(f"replayed {done} event(s)")
    if refused:
        raise _fail(f"not replayed (unknown, or running under a live lease): {', '.join(map(str, refused))}")
