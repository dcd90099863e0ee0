"""An MCP server over the action registry, so AI agents can use every Gong action.

Each registered action is one tool (``list-calls`` is ``list_calls``) with the registry's
description, input schema, output schema and read-only/destructive/idempotent hints.
Lists answer at most ``max_chars`` of one page and a cursor; transcripts answer compact,
bounded, resumable text. File inputs are read only under directories the user allows, and
the HTTP endpoint wants a bearer token.
Run it with ``gong mcp`` (stdio) or ``gong mcp --http``; see docs/mcp.md.
"""

from typing import TYPE_CHECKING

from .._extras import require
from .._lazy import lazy_attributes

require("gong_connector.mcp_server", "mcp", "mcp", "starlette", "uvicorn")

#: Loaded on first use (PEP 562): ``gong mcp`` checks its options with ``FileAccess`` before
#: the MCP SDK's import (most of a second), which ``_server`` and ``_tools`` bring.
_LAZY = {
    "BearerAuth": "_bearer",
    "DEFAULT_MAX_CHARS": "_tools",
    "FileAccess": "_files",
    "LIST_INPUTS": "_tools",
    "ListPosition": "_lists",
    "Position": "_transcript",
    "TOOL_ACTIONS": "_tools",
    "TRANSCRIPT_ACTION": "_tools",
    "TRANSCRIPT_INPUTS": "_tools",
    "build_server": "_server",
    "build_tools": "_tools",
    "call_tool": "_server",
    "clock": "_transcript",
    "find_action": "_tools",
    "http_server": "_server",
    "serve_http": "_server",
    "serve_stdio": "_server",
    "tool_name": "_tools",
}

__all__ = [
    "DEFAULT_MAX_CHARS",
    "LIST_INPUTS",
    "TOOL_ACTIONS",
    "TRANSCRIPT_ACTION",
    "TRANSCRIPT_INPUTS",
    "BearerAuth",
    "FileAccess",
    "ListPosition",
    "Position",
    "build_server",
    "build_tools",
    "call_tool",
    "clock",
    "find_action",
    "http_server",
    "serve_http",
    "serve_stdio",
    "tool_name",
]


__getattr__, __dir__ = lazy_attributes(__name__, _LAZY, globals())


if TYPE_CHECKING:
    from ._bearer import BearerAuth
    from ._files import FileAccess
    from ._lists import ListPosition
    from ._server import build_server, call_tool, http_server, serve_http, serve_stdio
    from ._tools import (
        DEFAULT_MAX_CHARS,
        LIST_INPUTS,
        TOOL_ACTIONS,
        TRANSCRIPT_ACTION,
        TRANSCRIPT_INPUTS,
        build_tools,
        find_action,
        tool_name,
    )
    from ._transcript import Position, clock
