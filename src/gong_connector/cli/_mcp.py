"""``gong mcp``: the action registry as an MCP server, for AI agents.

The connection is resolved (profile, flags, environment) before serving, so missing
credentials fail with one line and exit code 3 rather than inside the protocol. In stdio
mode stdout carries only the protocol; everything else goes to stderr.
"""

from __future__ import annotations

import logging
import sys
from typing import Annotated

import typer

from ..client import AsyncGongClient
from ._common import err, gong_command, make_client, state


@gong_command(output=False)
def mcp(
    http: Annotated[
        bool, typer.Option("--http", help="Serve streamable HTTP at http://HOST:PORT/mcp instead of stdio.")
    ] = False,
    host: Annotated[
        str,
        typer.Option(
            "--host",
            help="Interface for --http; anything but loopback exposes your Gong credentials to whoever reaches it.",
        ),
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=0, max=65535, help="Port for --http (0 picks a free one).")] = 8000,
) -> None:
    """Serve every Gong action as an MCP tool (stdio by default; --http for HTTP)."""
    from ..mcp_server import serve_http, serve_stdio  # names the 'mcp' extra if it is missing

    # make_client resolves the connection and GONG_RATE_LIMIT once, as every command does.
    with make_client() as probe:
        connection, limiter = probe.connection, probe.rate_limiter
    if not state().debug:
        logging.basicConfig(level=logging.WARNING, stream=sys.stderr)

    def client() -> AsyncGongClient:
        return AsyncGongClient(connection, rate_limiter=limiter)

    try:
        if http:
            serve_http(
                client,
                host,
                port,
                on_ready=lambda url: err.print(f"gong mcp: serving MCP on {url}", markup=False, highlight=False),
            )
        else:
            serve_stdio(client)
    except KeyboardInterrupt:  # Ctrl-C is how a server is stopped, not an error
        err.print("gong mcp: stopped", markup=False, highlight=False)
