"""Run the emulator: in a background thread (``Emulator``) or in the foreground (the CLI)."""

from __future__ import annotations

from dataclasses import fields
from types import TracebackType
from typing import Any

from .._serving import SocketServer
from ._app import EmulatorApp
from ._config import ALL_SCOPES, EmulatorConfig, OAuthClient, RateLimit
from ._limits import Faults
from ._oauth_pages import token_response
from ._state import EmulatorState


class Emulator:
    """A local Gong API v2.

    ``with Emulator() as emu:`` serves it on a free loopback port from a background thread;
    ``emu.base_url`` and the credentials are what a client needs. The methods below drive
    the emulator from tests without going through its admin HTTP API; both act on the one
    ``state``.
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
        self.state = EmulatorState(config, webhook_retry_delays=webhook_retry_delays)
        self.http = EmulatorApp(self.state)
        self.host = host
        try:
            self._serving = SocketServer(
                self.http.app, host=host, port=port, log_level="warning", graceful_timeout=2, name="gong-emulator"
            )
        except OSError:
            self.state.close()
            raise
        self.port: int = self._serving.port
        self.base_url = self._serving.url
        self.state.base_url = self.base_url

    @property
    def backend(self) -> EmulatorState:
        """The state under its earlier name."""
        return self.state

    # ----- lifecycle --------------------------------------------------------------------------

    def start(self) -> Emulator:
        self._serving.start()
        return self

    def serve_forever(self, log_level: str = "info") -> None:
        """Serve in the calling thread until interrupted (Ctrl-C)."""
        try:
            self._serving.serve_forever(log_level)
        finally:
            self.state.close()

    def request_stop(self) -> None:
        """Begin stopping without waiting (see ``SocketServer.request_stop``)."""
        self._serving.request_stop()

    def stop(self) -> None:
        self._serving.stop()
        self.state.close()

    @property
    def running(self) -> bool:
        return self._serving.running

    def __enter__(self) -> Emulator:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    # ----- what a client needs ------------------------------------------------------------------

    @property
    def config(self) -> EmulatorConfig:
        return self.state.config

    @property
    def access_key(self) -> str:
        return self.state.config.access_key

    @property
    def access_key_secret(self) -> str:
        return self.state.config.access_key_secret

    @property
    def oauth_client(self) -> OAuthClient:
        return self.state.config.oauth_clients[0]

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
        return list(self.state.request_log)

    def clear_requests(self) -> None:
        self.state.request_log.clear()

    def set_faults(self, faults: Faults) -> None:
        self.state.faults.configure(faults)

    def clear_faults(self) -> None:
        self.state.faults.clear()

    def set_rate_limit(self, limit: RateLimit) -> None:
        self.state.rate_limiter.configure(limit)

    def advance_clock(self, seconds: float) -> float:
        return self.state.advance_clock(seconds)

    def add_calls(self, count: int = 1, *, processing_delay: float = 0.0, workspace_id: str | None = None) -> list[str]:
        return self.state.add_calls(count, processing_delay=processing_delay, workspace_id=workspace_id)

    def add_to_folder(self, folder_id: str, call_id: str, note: str | None = None) -> None:
        """Put a call in a library folder; the folder's ``updated`` time moves to now."""
        self.state.add_to_folder(folder_id, call_id, note)

    def reset(self, **changes: Any) -> None:
        """The state of a new emulator with the current settings plus ``changes``; the same
        reset as ``POST /_emulator/reset``."""
        self.state.reset(**changes)

    def fresh(self) -> None:
        """Back to the state of a newly started emulator with the settings it started with.

        Everything goes: data changes, tokens, rules, deliveries, media, faults, limits,
        the clock. The pytest fixtures use it to reuse one running server across tests.
        """
        started = self.state.initial_config
        self.state.reset(**{f.name: getattr(started, f.name) for f in fields(started)})

    def approve(
        self,
        *,
        client_id: str | None = None,
        redirect_uri: str = "http://127.0.0.1/callback",
        scope: str = "api:calls:read:basic",
        state: str | None = None,
    ) -> str:
        """What clicking Approve on the authorize page does: returns the authorization code."""
        oauth = self.state.oauth
        client, scopes = oauth.check_authorize(client_id or self.oauth_client.client_id, redirect_uri, "code", scope)
        return oauth.issue_code(client.client_id, scopes, redirect_uri, self.state.oauth_user())

    def issue_token(
        self, scopes: list[str] | tuple[str, ...] | None = None, expires_in: int | None = None
    ) -> dict[str, Any]:
        """A token response as the token endpoint gives it, skipping the browser."""
        access, refresh, tok = self.state.oauth.issue_direct(
            self.oauth_client.client_id, tuple(scopes or ALL_SCOPES), self.state.oauth_user(), expires_in
        )
        return token_response(self.state, access, refresh, tok)

    def add_automation_rule(
        self, name: str, url: str, *, auth: str = "jwt", filters: dict[str, Any] | None = None
    ) -> str:
        return self.state.webhooks.add_rule({"name": name, "url": url, "auth": auth, "filters": filters or {}}).id

    @property
    def webhook_public_key(self) -> str:
        """The rule's public key as Gong shows it (bare base64 of the DER key)."""
        return self.state.webhooks.signer.public_key_base64

    def webhook_deliveries(self, wait: float | None = 10.0) -> list[dict[str, Any]]:
        if wait:
            self.state.webhooks.wait(wait)
        return list(self.state.webhooks.deliveries)

    def __repr__(self) -> str:
        return f"Emulator(base_url={self.base_url!r}, {self.state.config!r})"
