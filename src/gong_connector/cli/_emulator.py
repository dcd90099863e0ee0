"""``gong emulator``: run a local Gong API v2."""

from __future__ import annotations

import contextlib
from datetime import UTC, datetime
from typing import Annotated

import typer
from rich.console import Console

from ..emulator import Emulator, EmulatorConfig, RateLimit
from ._commands import help_of

emulator_app = typer.Typer(help=help_of("emulator"), no_args_is_help=True, add_completion=False)
err = Console(stderr=True)


def _anchor(value: str | None) -> datetime | None:
    if value is None:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter("use a date like 2026-01-31") from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


@emulator_app.command("serve")
def serve(
    port: Annotated[int, typer.Option(help="Port to listen on; 0 picks a free one.", min=0, max=65535)] = 0,
    host: Annotated[str, typer.Option(help="Interface to bind. Keep loopback unless you mean it.")] = "127.0.0.1",
    seed: Annotated[int, typer.Option(help="Seed of the generated data: same seed, same data.")] = 42,
    calls: Annotated[int, typer.Option("--calls", min=0, help="Generated calls.")] = 300,
    users: Annotated[int, typer.Option("--users", min=2, help="Generated users.")] = 150,
    workspaces: Annotated[int, typer.Option("--workspaces", min=1, help="Generated workspaces.")] = 3,
    access_key: Annotated[str, typer.Option(help="Access key the emulator accepts.")] = "emulator-access-key",
    access_key_secret: Annotated[
        str | None, typer.Option(help="Access key secret it accepts (default: a random one, printed).")
    ] = None,
    rate_limit: Annotated[
        str, typer.Option(help="Per-second limit: 'off', '3/s' (Gong's default) or like '180/min'.")
    ] = "3/s",
    daily_limit: Annotated[int, typer.Option(min=0, help="Requests per day; 0 for no limit.")] = 10_000,
    processing_delay: Annotated[
        float, typer.Option(min=0, help="Seconds from media upload until a call is processed.")
    ] = 60.0,
    anchor: Annotated[str | None, typer.Option(help="Date the generated history ends (default: today, UTC).")] = None,
    strict: Annotated[
        bool, typer.Option("--strict", help="Also apply every rule Gong does not document (docs/emulator-fidelity.md).")
    ] = False,
    max_call_window_days: Annotated[
        int | None, typer.Option(min=1, help="Refuse GET /v2/calls windows longer than this many days (a guess).")
    ] = None,
) -> None:
    """Serve a local Gong API v2 until Ctrl-C; prints the base URL and the credentials."""
    try:
        limit = RateLimit.parse(rate_limit, per_day=daily_limit or None)
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="--rate-limit") from None
    changes: dict[str, object] = {
        "seed": seed,
        "calls": calls,
        "users": users,
        "workspaces": workspaces,
        "access_key": access_key,
        "rate_limit": limit,
        "processing_delay": processing_delay,
        "strict": strict,
    }
    if max_call_window_days is not None:
        changes["max_call_window_days"] = max_call_window_days
    if access_key_secret:
        changes["access_key_secret"] = access_key_secret
    when = _anchor(anchor)
    if when is not None:
        changes["anchor"] = when
    try:
        emulator = Emulator(EmulatorConfig(**changes), host=host, port=port)  # type: ignore[arg-type]
    except OSError as exc:
        err.print(f"[red]error:[/red] cannot listen on {host}:{port}: {exc.strerror}")
        raise typer.Exit(1) from None
    client = emulator.oauth_client
    per_second = "off" if limit.per_second is None else f"{limit.per_second:g}/s"
    typer.echo(f"Gong emulator listening on {emulator.base_url}")
    typer.echo(f"  GONG_BASE_URL={emulator.base_url}")
    typer.echo(f"  GONG_ACCESS_KEY={emulator.access_key}")
    typer.echo(f"  GONG_ACCESS_KEY_SECRET={emulator.access_key_secret}")
    typer.echo(f"  OAuth client_id={client.client_id} client_secret={client.client_secret}")
    typer.echo(f"  authorize: {emulator.base_url}/oauth2/authorize   admin API: {emulator.base_url}/_emulator/")
    typer.echo(
        f"  data: seed={seed} calls={calls} users={users} workspaces={workspaces}; "
        f"rate limit {per_second}, {daily_limit or 'unlimited'}/day"
    )
    if strict or max_call_window_days is not None:
        rules = "all on (--strict)" if strict else "off but one"
        window = emulator.config.max_call_window_days
        typer.echo(f"  rules Gong does not document: {rules}; GET /v2/calls window at most {window} days")
    typer.echo("Press Ctrl-C to stop.", err=True)
    with contextlib.suppress(KeyboardInterrupt):
        emulator.serve_forever(log_level="warning")
