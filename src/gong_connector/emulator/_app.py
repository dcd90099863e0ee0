"""The emulator's ASGI app: ``/v2`` routes, OAuth pages and the admin API over one state."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from ._admin import AdminAPI
from ._gateway import Gateway
from ._oauth_pages import OAuthPages
from ._state import EmulatorState
from ._v2 import V2Endpoints
from ._webhooks import Webhooks

#: Seconds between checks for created calls that finished processing, between requests.
TICK_SECONDS = 0.5


class EmulatorApp:
    def __init__(self, state: EmulatorState) -> None:
        self.state = state
        self.gateway = Gateway(state)
        routes = [
            *V2Endpoints(state, self.gateway).routes(),
            *OAuthPages(state).routes(),
            *AdminAPI(state).routes(),
        ]
        self.app = Starlette(
            routes=routes,
            lifespan=self._lifespan,
            exception_handlers={HTTPException: self._unrouted, Exception: self.gateway.unexpected},
        )

    @property
    def webhooks(self) -> Webhooks:
        """The state's automation rules and deliveries (kept here for tests that look through the app)."""
        return self.state.webhooks

    @asynccontextmanager
    async def _lifespan(self, app: Starlette) -> AsyncIterator[None]:
        async def ticker() -> None:
            while True:
                await asyncio.sleep(TICK_SECONDS)
                self.state.tick()

        task = asyncio.create_task(ticker())
        try:
            yield
        finally:
            task.cancel()

    async def _unrouted(self, request: Request, exc: Exception) -> Response:
        assert isinstance(exc, HTTPException)
        if request.url.path.startswith("/v2"):
            return await self.gateway.unrouted(request, exc)
        return JSONResponse({"error": exc.detail}, status_code=exc.status_code)
