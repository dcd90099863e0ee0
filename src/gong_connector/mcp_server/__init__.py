"""An MCP server over the action registry, so AI agents can use every Gong action.

Each registered action is one tool (``list-calls`` is ``list_calls``) with the registry's
description, input schema, output schema and read-only/destructive/idempotent hints.
Lists answer at most ``max_chars`` of one page and a cursor; transcripts answer compact,
bounded, resumable text. File inputs are read only under directories the user allows, and
the HTTP endpoint wants a bearer token.
Run it with ``gong mcp`` (stdio) or ``gong mcp --http``; see docs/mcp.md.
"""

from .._extras import require

require("gong_connector.mcp_server", "mcp", "mcp", "starlette", "uvicorn")

from ._bearer import BearerAuth
from ._files import FileAccess
from ._lists import ListPosition
from ._server import build_server, call_tool, serve_http, serve_stdio
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
    "serve_http",
    "serve_stdio",
    "tool_name",
]
