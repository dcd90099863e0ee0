"""``gong mcp``: the action registry as an MCP server, for AI agents.

The connection is resolved (profile, flags, environment) before serving, so missing
credentials fail with one line and exit code 3 rather than inside the protocol. In stdio
mode stdout carries only the protocol; everything else goes to stderr. Over HTTP every
request needs the bearer token; file inputs are read only under ``--allow-files``.
"""

from __future__ import annotations

import logging
import os
import secrets
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.text import Text

from .._extras import require
from ..client import AsyncGongClient, ValidationError
from ._common import err, gong_command, make_client, state

#: Where a token of the user's own is read from (never from the command line: `ps` shows it).
TOKEN_ENV = "GONG_MCP_TOKEN"  # noqa: S105 - a variable name, not a secret


@gong_command(output=False)
def mcp(
    http: Annotated[
        bool, typer.Option("--http", help="Serve streamable HTTP at http://HOST:PORT/mcp instead of stdio.")
    ] = False,
    host: Annotated[
        str,
        typer.Option(
            "--host",
            help="Interface for --http; anything but loopback lets whoever reaches it and has the token act as you.",
        ),
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=0, max=65535, help="Port for --http (0 picks a free one).")] = 8000,
    allow_files: Annotated[
        list[Path] | None,
        typer.Option(
            "--allow-files",
            show_default=False,
            file_okay=False,
            help="A directory whose files tools may read and upload to Gong (media); repeat for more. Default: none.",
        ),
    ] = None,
) -> None:
    """Serve every Gong action as an MCP tool (stdio by default; --http for HTTP).

    Over HTTP every request must carry `Authorization: Bearer TOKEN`: the token is read
    from GONG_MCP_TOKEN, or generated and printed once on stderr.
    """
    require("gong mcp", "mcp", "mcp", "starlette", "uvicorn")  # a missing extra is named first
    token = os.environ.get(TOKEN_ENV, "").strip()
    # make_client resolves the connection and GONG_RATE_LIMIT once, as every command does;
    # that and --allow-files come before the MCP SDK's import (about 0.7 s), so a missing
    # credential or directory is reported at once.
    with make_client() as probe:
        connection, limiter = probe.connection, probe.rate_limiter
    from ..mcp_server import FileAccess

    try:
        files = FileAccess.under(allow_files or ())
    except ValueError as exc:
        raise ValidationError("--allow-files", "directory", str(exc)) from None
    from ..mcp_server import serve_http, serve_stdio

    if not state().debug:
        logging.basicConfig(level=logging.WARNING, stream=sys.stderr)

    def client() -> AsyncGongClient:
        return AsyncGongClient(connection, rate_limiter=limiter)

    try:
        if http:
            if not token:
                token = secrets.token_urlsafe(32)
                err.print(Text(f"gong mcp: bearer token (send Authorization: Bearer TOKEN): {token}"))
            serve_http(
                client,
                host,
                port,
                token=token,
                files=files,
                on_ready=lambda url: err.print(Text(f"gong mcp: serving MCP on {url}")),
            )
        else:
            serve_stdio(client, files=files)
    except KeyboardInterrupt:  # Ctrl-C is how a server is stopped, not an error
        err.print(Text("gong mcp: stopped"))
