"""``gong emulator``: run a local Gong API v2."""

from __future__ import annotations

import contextlib
import shlex
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer

from ..emulator import Emulator, EmulatorConfig, RateLimit
from ._commands import help_of
from ._common import ExitCode, fail
from ._config import write_private

emulator_app = typer.Typer(help=help_of("emulator"), no_args_is_help=True, add_completion=False)


def _anchor(value: str | None) -> datetime | None:
    if value is None:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise fail(f"--anchor: {value!r} is not a date; use one like 2026-01-31") from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


@emulator_app.command("serve")
def serve(
    port: Annotated[int, typer.Option(help="Port to listen on; 0 picks a free one.", min=0, max=65535)] = 0,
    host: Annotated[str, typer.Option(help="Interface to bind. Keep loopback unless you mean it.")] = "127.0.0.1",
    seed: Annotated[int, typer.Option(help="Seed of the generated data: same seed, same data.")] = 42,
    calls: Annotated[int, typer.Option("--calls", min=0, help="Generated calls.")] = 300,
    users: Annotated[int, typer.Option("--users", min=2, help="Generated users.")] = 150,
    workspaces: Annotated[int, typer.Option("--workspaces", min=1, help="Generated workspaces.")] = 3,
    history_days: Annotated[
        int, typer.Option(min=1, help="Days of history the generated calls, logs and stats spread over.")
    ] = 180,
    max_transcript_sentences: Annotated[
        int, typer.Option(min=4, help="Most sentences in a generated transcript (one per 15 s of call).")
    ] = 240,
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
    erasure_delay: Annotated[
        float, typer.Option(min=0, help="Seconds from a data-privacy erasure request until the data is gone.")
    ] = 60.0,
    anchor: Annotated[str | None, typer.Option(help="Date the generated history ends (default: today, UTC).")] = None,
    strict: Annotated[
        bool, typer.Option("--strict", help="Also apply every rule Gong does not document (docs/emulator-fidelity.md).")
    ] = False,
    max_call_window_days: Annotated[
        int | None, typer.Option(min=1, help="Refuse GET /v2/calls windows longer than this many days (a guess).")
    ] = None,
    env_file: Annotated[
        Path | None,
        typer.Option(
            "--env-file",
            dir_okay=False,
            show_default=False,
            help="Also write the export lines to this file (mode 0600), for `source PATH` in another shell.",
        ),
    ] = None,
) -> None:
    """Serve a local Gong API v2 until Ctrl-C.

    Stdout is lines a shell can run: `export` lines for GONG_BASE_URL, the credentials and
    the webhook public key, and `#` comments for the rest.
    """
    if env_file is not None and not env_file.parent.is_dir():
        raise fail(f"--env-file: directory {str(env_file.parent)!r} does not exist", ExitCode.USAGE)
    try:
        limit = RateLimit.parse(rate_limit, per_day=daily_limit or None)
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="--rate-limit") from None
    changes: dict[str, object] = {
        "seed": seed,
        "calls": calls,
        "users": users,
        "workspaces": workspaces,
        "history_days": history_days,
        "max_transcript_sentences": max_transcript_sentences,
        "access_key": access_key,
        "rate_limit": limit,
        "processing_delay": processing_delay,
        "erasure_delay": erasure_delay,
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
        raise fail(f"cannot listen on {host}:{port}: {exc.strerror}", ExitCode.FAILURE) from None
    lines = _exports(emulator, rate_off=limit.per_second is None)
    client = emulator.oauth_client
    per_second = "off" if limit.per_second is None else f"{limit.per_second:g}/s"
    typer.echo(f"# Gong emulator listening on {emulator.base_url} (Ctrl-C stops it). In another shell:")
    typer.echo("\n".join(lines))
    if env_file is not None:
        write_private(env_file, "\n".join(lines) + "\n")
        typer.echo(f"# also written to {shlex.quote(str(env_file))}: source it in another shell")
    typer.echo(f"# OAuth client: client_id={client.client_id} client_secret={client.client_secret}")
    typer.echo(f"# authorize: {emulator.base_url}/oauth2/authorize   admin API: {emulator.base_url}/_emulator/")
    typer.echo(
        f"# data: seed={seed} calls={calls} users={users} workspaces={workspaces}; "
        f"rate limit {per_second}, {daily_limit or 'unlimited'}/day"
    )
    if strict or max_call_window_days is not None:
        rules = "all on (--strict)" if strict else "off but one"
        window = emulator.config.max_call_window_days
        typer.echo(f"# rules Gong does not document: {rules}; GET /v2/calls window at most {window} days")
    typer.echo("Press Ctrl-C to stop.", err=True)
    with contextlib.suppress(KeyboardInterrupt):
        emulator.serve_forever(log_level="warning")


def _exports(emulator: Emulator, *, rate_off: bool) -> list[str]:
    """``export`` lines for the variables the connector (client, CLI, trigger) reads."""
    values = {
        **emulator.env(),
        # `gong trigger serve` verifies the emulator's signed webhooks with this key.
        "GONG_WEBHOOK_PUBLIC_KEY": emulator.webhook_public_key,
    }
    if rate_off:  # nothing to pace against: the client need not wait either
        values["GONG_RATE_LIMIT"] = "off"
    return [f"export {name}={shlex.quote(value)}" for name, value in values.items()]
