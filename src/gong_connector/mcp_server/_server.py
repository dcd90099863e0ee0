"""The MCP server: tools from the registry, calls through ``arun_action``, errors as results.

Built on the SDK's low-level ``Server`` because the tools are data (the registry), not
decorated functions. Every failure of a call, ours or Gong's, becomes a tool result with
``isError`` so the agent can read it and correct itself; the server itself never stops.
"""

from __future__ import annotations

import contextlib
import json
import logging
from collections.abc import AsyncIterator, Callable, Mapping
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING, Any

import anyio
import mcp_types as types
from mcp.server.context import ServerRequestContext
from mcp.server.lowlevel import Server

from .._version import __version__
from ..actions import ActionSpec, arun_action
from ..client import (
    APIError,
    AsyncGongClient,
    GongError,
    PermissionDeniedError,
    RateLimitError,
    ValidationError,
)
from ._bearer import BearerAuth
from ._files import FileAccess
from ._lists import bounded_page
from ._tools import (
    DEFAULT_MAX_CHARS,
    MAX_MAX_CHARS,
    MIN_MAX_CHARS,
    TRANSCRIPT_ACTION,
    TRANSCRIPT_INPUTS,
    build_tools,
    file_inputs,
    find_action,
)
from ._transcript import read_transcript_text

if TYPE_CHECKING:  # uvicorn is imported when HTTP is served, not by `gong mcp` on stdio
    from .._serving import ConnectionLimits, SocketServer

__all__ = ["build_server", "call_tool", "http_server", "serve_http", "serve_stdio"]

log = logging.getLogger("gong_connector.mcp")

ClientFactory = Callable[[], AsyncGongClient]

INSTRUCTIONS = (
    "Gong's calls, users, meetings, engagement events, library, logs and data privacy. "
    "List tools return at most max_chars characters and a cursor: pass it back as the "
    "cursor input for the rest. get_call_transcripts returns compact text up to max_chars "
    "with a cursor to continue. Tools marked destructive change or erase data in Gong."
)


def _text(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def _error(message: str, **detail: Any) -> types.CallToolResult:
    """A tool error: the message for the model, the details as structured content."""
    error = {"message": message, **{k: v for k, v in detail.items() if v is not None}}
    return types.CallToolResult(
        content=[types.TextContent(text=message)], structured_content={"error": error}, is_error=True
    )


def error_result(exc: Exception) -> types.CallToolResult:
    """Bad input names the field; Gong's errors keep its message and request id."""
    if isinstance(exc, ValidationError):
        return _error(f"Invalid input {exc.field}: {exc.message}", field=exc.field, rule=exc.rule)
    if isinstance(exc, APIError):
        hint = None
        if isinstance(exc, PermissionDeniedError) and (exc.missing_scope or exc.required_scope):
            hint = f"the credentials lack the {exc.missing_scope or exc.required_scope} scope"
        elif isinstance(exc, RateLimitError) and exc.retry_after is not None:
            hint = f"retry after {exc.retry_after:g}s"
        message = f"Gong error: {exc}" + (f" — {hint}" if hint else "")
        return _error(message, status=exc.status, requestId=exc.request_id, errors=exc.errors or None)
    if isinstance(exc, GongError):
        return _error(f"{type(exc).__name__}: {exc}")
    return _error(f"Internal error: {type(exc).__name__}: {exc}")


def _max_chars(value: Any) -> int:
    if value is None:
        return DEFAULT_MAX_CHARS
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValidationError("max_chars", "integer", "must be a whole number")
    if not MIN_MAX_CHARS <= value <= MAX_MAX_CHARS:
        raise ValidationError("max_chars", "range", f"must be between {MIN_MAX_CHARS} and {MAX_MAX_CHARS}")
    return value


async def _transcripts(client: AsyncGongClient, action: ActionSpec, arguments: dict[str, Any]) -> types.CallToolResult:
    extra = {k: arguments.pop(k, None) for k in TRANSCRIPT_INPUTS}
    limit = _max_chars(extra["max_chars"])
    fmt = extra["format"] or "text"
    if fmt == "json":
        result = await arun_action(client, action.key, arguments)
        text = _text(result.output)
        if len(text) > limit:
            raise ValidationError(
                "max_chars",
                "too_long",
                f"the page is {len(text)} characters, "
                f"over max_chars {limit}: use format text, fewer call_ids, "
                "or a larger max_chars",
            )
        return types.CallToolResult(content=[types.TextContent(text=text)], structured_content=result.output)
    if fmt != "text":
        raise ValidationError("format", "choice", "must be text or json")
    unknown = set(arguments) - set(action.input_keys)
    if unknown:
        raise ValidationError(sorted(unknown)[0], "unknown", f"is not an input of {action.key}")
    chunk = await read_transcript_text(client, arguments, limit)
    text = chunk.text or "(no transcripts match)"
    if chunk.cursor:
        text += f"\n\n[more: call get_call_transcripts with cursor={chunk.cursor}]"
    return types.CallToolResult(
        content=[types.TextContent(text=text)],
        structured_content={"text": chunk.text, "cursor": chunk.cursor, "callIds": chunk.call_ids},
    )


async def call_tool(
    client: AsyncGongClient,
    name: str,
    arguments: Mapping[str, Any] | None,
    *,
    files: FileAccess | None = None,
) -> types.CallToolResult:
    """Run the tool's action; any failure comes back as an ``isError`` result.

    File inputs are read only under the roots ``files`` allows (none by default); list
    answers are bounded by ``max_chars`` and resumed with the cursor they return."""
    action = find_action(name)
    if action is None:
        return _error(f"Unknown tool {name!r}", field="name")
    args = dict(arguments or {})
    opened = contextlib.ExitStack()  # files are read from what was checked, then closed
    try:
        for key in file_inputs(action):
            if args.get(key) is not None:
                args[key] = opened.enter_context((files or FileAccess()).open(key, args[key]))
        if action.key == TRANSCRIPT_ACTION:
            return await _transcripts(client, action, args)
        if action.paged:
            limit = _max_chars(args.pop("max_chars", None))
            output: Any = await bounded_page(client, action, args, limit)
        else:
            output = (await arun_action(client, action.key, args)).output
    except GongError as exc:
        log.info("tool %s failed: %s", name, type(exc).__name__)
        return error_result(exc)
    except Exception as exc:  # the server must outlive any one call
        log.exception("tool %s crashed", name)
        return error_result(exc)
    finally:
        opened.close()
    output = output if isinstance(output, dict) else {"result": output}
    return types.CallToolResult(content=[types.TextContent(text=_text(output))], structured_content=output)


def build_server(make_client: ClientFactory, *, files: FileAccess | None = None) -> Server[AsyncGongClient]:
    """A server whose one client is opened when it starts and closed when it stops; file
    inputs may name files under ``files``' roots only (none by default)."""
    files = files or FileAccess()
    tools = build_tools(files)

    @asynccontextmanager
    async def lifespan(_: Server[AsyncGongClient]) -> AsyncIterator[AsyncGongClient]:
        async with make_client() as client:
            yield client

    async def on_list_tools(
        ctx: ServerRequestContext[AsyncGongClient], params: types.PaginatedRequestParams | None
    ) -> types.ListToolsResult:
        return types.ListToolsResult(tools=tools)

    async def on_call_tool(
        ctx: ServerRequestContext[AsyncGongClient], params: types.CallToolRequestParams
    ) -> types.CallToolResult:
        return await call_tool(ctx.lifespan_context, params.name, params.arguments, files=files)

    return Server(
        "gong-connector",
        version=__version__,
        title="Gong",
        instructions=INSTRUCTIONS,
        lifespan=lifespan,
        on_list_tools=on_list_tools,
        on_call_tool=on_call_tool,
    )


async def _run_stdio(server: Server[AsyncGongClient]) -> None:
    from mcp.server.stdio import stdio_server

    async with stdio_server() as (read_stream, write_stream):
        await server.run(read_stream, write_stream, server.create_initialization_options())


def serve_stdio(make_client: ClientFactory, *, files: FileAccess | None = None) -> None:
    """Serve over stdin/stdout until the client closes stdin; logs go to stderr only."""
    anyio.run(_run_stdio, build_server(make_client, files=files))


def http_server(
    make_client: ClientFactory,
    host: str = "127.0.0.1",
    port: int = 0,
    *,
    token: str,
    files: FileAccess | None = None,
    limits: ConnectionLimits | None = None,
) -> SocketServer:
    """The streamable HTTP endpoint, bound and not yet serving (``with`` it, or
    ``serve_forever()``). Anyone who can connect may try: until a request shows the token,
    ``limits`` bound what its connection holds (a header deadline, a cap on connections)."""
    from .._serving import ConnectionLimits, SocketServer

    server = build_server(make_client, files=files)
    app = BearerAuth(server.streamable_http_app(host=host, stateless_http=True), token)
    return SocketServer(
        app, host=host, port=port, graceful_timeout=None, name="gong-mcp", limits=limits or ConnectionLimits()
    )


def serve_http(
    make_client: ClientFactory,
    host: str = "127.0.0.1",
    port: int = 8000,
    *,
    token: str,
    on_ready: Callable[[str], None] | None = None,
    files: FileAccess | None = None,
) -> None:
    """Serve streamable HTTP at ``http://host:port/mcp`` (stateless: any request may reach
    any worker) to requests bearing ``token``. ``on_ready`` gets the URL once the socket is
    bound (port 0 picks one)."""
    served = http_server(make_client, host, port, token=token, files=files)
    if on_ready is not None:
        on_ready(f"{served.url}/mcp")
    served.serve_forever()
