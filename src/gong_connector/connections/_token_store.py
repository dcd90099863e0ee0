"""Where OAuth tokens live between runs.

Gong's refresh tokens are single-use: once refreshed, the old one is dead. A rotated token
that is not written down before the process exits locks the integration out, so the
connection saves every new token through a ``TokenStore`` the moment it arrives.
"""

from __future__ import annotations

import json
import os
import tempfile
import threading
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

__all__ = ["FileTokenStore", "MemoryTokenStore", "OAuthToken", "TokenStore", "make_private_dirs"]


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


@dataclass(frozen=True)
class OAuthToken:
    """An access/refresh token pair as Gong issued it; secrets are kept out of ``repr``."""

    access_token: str = field(repr=False)
    refresh_token: str | None = field(repr=False, default=None)
    expires_at: float | None = None  # unix time
    scope: str = ""
    token_type: str = "bearer"  # noqa: S105
    api_base_url: str | None = None  # Gong's api_base_url_for_customer

    @classmethod
    def from_response(cls, data: dict[str, Any], now: float, previous: OAuthToken | None = None) -> OAuthToken:
        """The token in a token-endpoint answer. A refresh answer that leaves out the refresh
        token, the regional API host or the scope keeps the ones ``previous`` had: losing the
        host would send the next call to the wrong region, losing the refresh token would
        end the session at the next expiry."""
        expires_in = data.get("expires_in")
        try:
            expires_at = now + float(expires_in) if expires_in is not None else None
        except (TypeError, ValueError):
            expires_at = None
        return cls(
            access_token=str(data["access_token"]),
            refresh_token=_text(data.get("refresh_token")) or (previous.refresh_token if previous else None),
            expires_at=expires_at,
            scope=_text(data.get("scope")) or (previous.scope if previous else ""),
            token_type=_text(data.get("token_type")) or "bearer",
            api_base_url=_text(data.get("api_base_url_for_customer")) or (previous.api_base_url if previous else None),
        )

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> OAuthToken:
        known = {k: data[k] for k in cls.__dataclass_fields__ if k in data}
        return cls(**known)

    @property
    def scopes(self) -> frozenset[str]:
        return frozenset(self.scope.split())


@runtime_checkable
class TokenStore(Protocol):
    """Loads and saves the current token. ``save`` must be durable when it returns."""

    def load(self) -> OAuthToken | None: ...

    def save(self, token: OAuthToken) -> None: ...


class MemoryTokenStore:
    """Keeps the token in the process only (tests, short scripts)."""

    def __init__(self, token: OAuthToken | None = None) -> None:
        self._token = token
        self.saves = 0

    def load(self) -> OAuthToken | None:
        return self._token

    def save(self, token: OAuthToken) -> None:
        self._token = token
        self.saves += 1

    def __repr__(self) -> str:
        return "MemoryTokenStore()"


class FileTokenStore:
    """A JSON file readable by its owner only (mode 0600), replaced atomically on save."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path).expanduser()
        self._lock = threading.Lock()

    @classmethod
    def default(cls) -> FileTokenStore:
        base = os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config"
        return cls(Path(base) / "gong-connector" / "oauth-token.json")

    def load(self) -> OAuthToken | None:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return None
        return OAuthToken.from_dict(data)

    def save(self, token: OAuthToken) -> None:
        with self._lock:
            make_private_dirs(self.path.parent)
            fd, tmp = tempfile.mkstemp(prefix=".token-", dir=self.path.parent)
            try:
                os.fchmod(fd, 0o600)
                with os.fdopen(fd, "w", encoding="utf-8") as fh:
                    json.dump(token.to_dict(), fh)
                    fh.flush()
                    os.fsync(fh.fileno())
                os.replace(tmp, self.path)
            except BaseException:
                Path(tmp).unlink(missing_ok=True)
                raise

    def __repr__(self) -> str:
        return f"FileTokenStore({str(self.path)!r})"


def make_private_dirs(path: Path) -> None:
    """``mkdir -p`` where every directory it makes is owner-only: ``mkdir(parents=True,
    mode=...)`` gives the mode to the last one alone (the config directory above a token
    file would be left readable by all)."""
    missing = []
    while not path.exists():
        missing.append(path)
        path = path.parent
    for directory in reversed(missing):
        directory.mkdir(mode=0o700, exist_ok=True)
