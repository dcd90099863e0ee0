"""Run the emulator: in a background thread (``Emulator``) or in the foreground (the CLI)."""

from __future__ import annotations

import socket
import threading
from types import TracebackType
from typing import Any

import uvicorn

from ._backend import Backend
from ._config import EmulatorConfig, OAuthClient, RateLimit
from ._http import EmulatorApp
from ._limits import Faults


def _bind(host: str, port: int) -> socket.socket:
    # IPPROTO_TCP, not 0: asyncio sets TCP_NODELAY on accepted sockets only for that
    # protocol, and without it Nagle plus delayed ACKs add ~40 ms to keep-alive requests.
    sock = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    sock.listen(2048)
    sock.setblocking(False)
    return sock


class Emulator:
    """A local Gong API v2.

    ``with Emulator() as emu:`` serves it on a free loopback port from a background thread;
    ``emu.base_url`` and the credentials are what a client needs. The methods below drive
    the emulator from tests without going through its admin HTTP API.
    """

    def __init__(
        self,
        config: EmulatorConfig | None = None,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        webhook_retry_delays: tuple[float, ...] = (1.0, 5.0),
        **changes: Any,
    ) -> None:
        config = config or EmulatorConfig()
        if changes:
            config = config.with_changes(**changes)
        self.backend = Backend(config)
        self.http = EmulatorApp(self.backend, webhook_retry_delays=webhook_retry_delays)
        self.host = host
        self._sock = _bind(host, port)
        self.port: int = self._sock.getsockname()[1]
        shown = f"[{host}]" if ":" in host else host
        self.base_url = f"http://{shown}:{self.port}"
        self.http.base_url = self.base_url
        self._initial_config = self.backend.config
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None

    # ----- lifecycle --------------------------------------------------------------------------

    def _uvicorn(self, log_level: str) -> uvicorn.Server:
        config = uvicorn.Config(
            self.http.app, log_level=log_level, access_log=False, lifespan="on", timeout_graceful_shutdown=2
        )
        return uvicorn.Server(config)

    def start(self) -> Emulator:
        if self._thread is not None:
            return self
        self._server = self._uvicorn("warning")
        self._server.config.install_signal_handlers = False  # type: ignore[attr-defined]
        self._thread = threading.Thread(
            target=self._server.run, kwargs={"sockets": [self._sock]}, name=f"gong-emulator-{self.port}", daemon=True
        )
        self._thread.start()
        while not self._server.started:
            if not self._thread.is_alive():
                raise RuntimeError("the emulator failed to start")
            self._thread.join(0.01)
        return self

    def serve_forever(self, log_level: str = "info") -> None:
        """Serve in the calling thread until interrupted (Ctrl-C)."""
        self._server = self._uvicorn(log_level)
        try:
            self._server.run(sockets=[self._sock])
        finally:
            self.http.close()

    def stop(self) -> None:
        if self._server is not None and self._thread is not None:
            self._server.should_exit = True
            self._thread.join(timeout=10)
            self._thread = None
        self._sock.close()
        self.http.close()

    def __enter__(self) -> Emulator:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    # ----- what a client needs ------------------------------------------------------------------

    @property
    def config(self) -> EmulatorConfig:
        return self.backend.config

    @property
    def access_key(self) -> str:
        return self.backend.config.access_key

    @property
    def access_key_secret(self) -> str:
        return self.backend.config.access_key_secret

    @property
    def oauth_client(self) -> OAuthClient:
        return self.backend.config.oauth_clients[0]

    def env(self) -> dict[str, str]:
        """The environment variables a client reads to reach this emulator."""
        return {
            "GONG_BASE_URL": self.base_url,
            "GONG_ACCESS_KEY": self.access_key,
            "GONG_ACCESS_KEY_SECRET": self.access_key_secret,
        }

    # ----- test controls ------------------------------------------------------------------------

    def requests(self) -> list[dict[str, Any]]:
        """Requests seen on ``/v2`` and ``/oauth2``, oldest first."""
        return list(self.backend.request_log)

    def clear_requests(self) -> None:
        self.backend.request_log.clear()

    def set_faults(self, faults: Faults) -> None:
        self.backend.faults.configure(faults)

    def clear_faults(self) -> None:
        self.backend.faults.clear()

    def set_rate_limit(self, limit: RateLimit) -> None:
        self.backend.rate_limiter.configure(limit)

    def advance_clock(self, seconds: float) -> float:
        now = self.backend.clock.advance(seconds)
        self.backend.tick()
        return now

    def add_calls(self, count: int = 1, *, processing_delay: float = 0.0, workspace_id: str | None = None) -> list[str]:
        return self.backend.add_calls(count, processing_delay=processing_delay, workspace_id=workspace_id)

    def add_to_folder(self, folder_id: str, call_id: str, note: str | None = None) -> None:
        """Put a call in a library folder; the folder's ``updated`` time moves to now."""
        self.backend.add_to_folder(folder_id, call_id, note)

    def reset(self, **changes: Any) -> None:
        self.backend.load(self.backend.config.with_changes(**changes))
        self.backend.rate_limiter.reset()
        self.backend.faults.clear()
        self.backend.request_log.clear()
        self.http.oauth.revoke_all()

    def fresh(self) -> None:
        """Back to the state of a newly started emulator with the same settings.

        Everything goes: data changes, tokens, rules, deliveries, media, faults, limits,
        the clock. The pytest fixtures use it to reuse one running server across tests.
        """
        config = self._initial_config
        self.http.webhooks.clear()
        self.backend.clock.reset(frozen=config.frozen_clock)
        if config.media_dir is not None:
            for path in config.media_dir.glob("*.media*"):
                path.unlink(missing_ok=True)
        self.backend.load(config)
        self.backend.rate_limiter.configure(config.rate_limit)
        self.backend.rate_limiter.reset()
        self.backend.faults.clear()
        self.backend.faults.injected = 0
        self.backend.request_log.clear()
        self.http.oauth.revoke_all()

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def approve(
        self,
        *,
        client_id: str | None = None,
        redirect_uri: str = "http://127.0.0.1/callback",
        scope: str = "api:calls:read:basic",
        state: str | None = None,
    ) -> str:
        """What clicking Approve on the authorize page does: returns the authorization code."""
        oauth = self.http.oauth
        client, scopes = oauth.check_authorize(client_id or self.oauth_client.client_id, redirect_uri, "code", scope)
        return oauth.issue_code(client.client_id, scopes, redirect_uri, self.http._oauth_user())

    def issue_token(
        self, scopes: list[str] | tuple[str, ...] | None = None, expires_in: int | None = None
    ) -> dict[str, Any]:
        """A token response as the token endpoint gives it, skipping the browser."""
        from ._config import ALL_SCOPES

        access, refresh, tok = self.http.oauth.issue_direct(
            self.oauth_client.client_id, tuple(scopes or ALL_SCOPES), self.http._oauth_user(), expires_in
        )
        return self.http.token_response(access, refresh, tok.scopes, tok.expires_at)

    def add_automation_rule(
        self, name: str, url: str, *, auth: str = "jwt", filters: dict[str, Any] | None = None
    ) -> str:
        return self.http.webhooks.add_rule({"name": name, "url": url, "auth": auth, "filters": filters or {}}).id

    @property
    def webhook_public_key(self) -> str:
        """The rule's public key as Gong shows it (bare base64 of the DER key)."""
        return self.http.webhooks.signer.public_key_base64

    def webhook_deliveries(self, wait: float | None = 10.0) -> list[dict[str, Any]]:
        if wait:
            self.http.webhooks.wait(wait)
        return list(self.http.webhooks.deliveries)

    def __repr__(self) -> str:
        return f"Emulator(base_url={self.base_url!r}, {self.backend.config!r})"
