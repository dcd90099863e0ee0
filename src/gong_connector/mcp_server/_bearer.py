"""A bearer token in front of the MCP server's HTTP endpoint.

The server acts in Gong with the user's credentials, so over HTTP whoever can reach the
port must prove they were given the token; the check runs before the request reaches the
SDK, in constant time, and the answer never echoes what was sent.
"""

from __future__ import annotations

import hmac
import json
from typing import Any

__all__ = ["BearerAuth"]

Scope = dict[str, Any]
Receive = Any
Send = Any


class BearerAuth:
    """ASGI middleware: ``Authorization: Bearer <token>`` on every HTTP request, or 401."""

    def __init__(self, app: Any, token: str) -> None:
        if not token:
            raise ValueError("the bearer token must not be empty")
        self.app = app
        self._token = token.encode()

    def _allowed(self, scope: Scope) -> bool:
        for name, value in scope.get("headers") or ():
            if name.lower() == b"authorization":
                scheme, _, given = bytes(value).strip().partition(b" ")
                return scheme.lower() == b"bearer" and hmac.compare_digest(given.strip(), self._token)
        return False

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan" or self._allowed(scope):
            await self.app(scope, receive, send)
            return
        if scope["type"] != "http":  # a websocket, or anything else: refused before it starts
            await send({"type": "websocket.close", "code": 1008})
            return
        body = json.dumps(
            {"error": "unauthorized", "message": "send the token gong mcp printed: Authorization: Bearer TOKEN"}
        ).encode()
        await send(
            {
                "type": "http.response.start",
                "status": 401,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(body)).encode()),
                    (b"www-authenticate", b'Bearer realm="gong-mcp"'),
                    (b"connection", b"close"),  # whatever body follows is never read
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})
