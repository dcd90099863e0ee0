"""The uvicorn runner every server of ours uses (emulator, trigger, MCP over HTTP)."""

from __future__ import annotations

from typing import Any

import httpx

from gong_connector._serving import SocketServer
from gong_connector._tls import shared_ssl_context


async def ok(scope: dict[str, Any], receive: Any, send: Any) -> None:
    if scope["type"] == "lifespan":
        while (await receive())["type"] != "lifespan.shutdown":
            await send({"type": "lifespan.startup.complete"})
        await send({"type": "lifespan.shutdown.complete"})
        return
    await send({"type": "http.response.start", "status": 200, "headers": []})
    await send({"type": "http.response.body", "body": b"ok"})


def test_a_server_stops_when_asked_and_asking_again_is_harmless() -> None:
    server = SocketServer(ok, name="probe")
    server.request_stop()  # not started: nothing to stop
    server.start()
    assert httpx.get(server.url, verify=shared_ssl_context()).text == "ok"
    server.request_stop()
    server.request_stop()
    server.stop()
    assert not server.running
    server.request_stop()  # its loop has closed: nothing to wake, no error
