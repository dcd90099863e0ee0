"""A local Gong API v2 for tests, demos and development.

Gong has no sandbox; this serves Gong's paths, fields, errors, paging, scopes, rate limits
and webhooks from deterministic generated data. See docs/emulator-fidelity.md for what is
emulated and where it deliberately differs.

Names load on first use (PEP 562): the pytest plugin imports this package in every test
session of every project that installs us, and must not pull in the web server for it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .._lazy import lazy_attributes

_LAZY = {
    "ALL_SCOPES": "_config",
    "MAX_MEDIA_BYTES": "_config",
    "Emulator": "_server",
    "EmulatorConfig": "_config",
    "Faults": "_limits",
    "OAuthClient": "_config",
    "RateLimit": "_config",
}

__all__ = [
    "ALL_SCOPES",
    "MAX_MEDIA_BYTES",
    "Emulator",
    "EmulatorConfig",
    "Faults",
    "OAuthClient",
    "RateLimit",
]


def _needs_the_extra(module: str) -> None:
    if module == "_server":
        from .._extras import require

        require("the emulator", "emulator", "starlette", "uvicorn", "multipart", "jwt", "cryptography")


__getattr__, __dir__ = lazy_attributes(__name__, _LAZY, globals(), before_import=_needs_the_extra)


if TYPE_CHECKING:
    from ._config import ALL_SCOPES, MAX_MEDIA_BYTES, EmulatorConfig, OAuthClient, RateLimit
    from ._limits import Faults
    from ._server import Emulator
