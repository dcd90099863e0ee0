"""Root of the ``gong`` command: one sub-app per noun, composed here.

Root options (``gong --json --profile x calls list``) and the same options after a command
(``gong calls list --json``) both work; the command's win.
"""

from __future__ import annotations

from typing import Annotated

import typer

from ._actions import actions, manifest, run
from ._auth import auth_app, profiles_app
from ._calls import calls_app, media_app
from ._common import reset_state, state
from ._demo import demo
from ._directory import library_app, logs, privacy_app, users_app, workspaces_app
from ._emulator import emulator_app
from ._mcp import mcp
from ._meetings import events_app, meetings_app
from ._request import request
from ._sync import sync
from ._trigger import trigger_app

app = typer.Typer(
    name="gong",
    help="Gong from the command line: every Gong action, OAuth login, a local Gong emulator "
    "and the webhook trigger. Exit codes: 0 ok, 1 failure, 2 usage/validation, "
    "3 authentication, 4 not found, 5 rate limited.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
app.command("actions")(actions)
app.command("manifest")(manifest)
app.command("run")(run)
app.add_typer(calls_app, name="calls")
app.add_typer(media_app, name="media")
app.add_typer(meetings_app, name="meetings")
app.add_typer(events_app, name="events")
app.add_typer(privacy_app, name="privacy")
app.command("logs")(logs)
app.add_typer(users_app, name="users")
app.add_typer(workspaces_app, name="workspaces")
app.add_typer(library_app, name="library")
app.command("request")(request)
app.add_typer(auth_app, name="auth")
app.add_typer(profiles_app, name="profiles")
app.add_typer(emulator_app, name="emulator")
app.add_typer(trigger_app, name="trigger")
app.command("demo")(demo)
app.command("sync")(sync)
app.command("mcp")(mcp)


@app.callback()
def _root(
    profile: Annotated[
        str | None, typer.Option("--profile", show_default=False, help="Named profile from the config file.")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="JSON output.")] = False,
    as_jsonl: Annotated[bool, typer.Option("--jsonl", help="JSON Lines for lists.")] = False,
    as_table: Annotated[bool, typer.Option("--table", help="Tables even when piped.")] = False,
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks.")] = False,
) -> None:
    """gong-connector's command line."""
    reset_state(json=as_json, jsonl=as_jsonl, table=as_table, debug=debug)
    state().connection.profile = profile


def main() -> None:
    app()
