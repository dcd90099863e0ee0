"""A local Gong API v2 for tests, demos and development.

Gong has no sandbox; this serves Gong's paths, fields, errors, paging, scopes, rate limits
and webhooks from deterministic generated data. See docs/emulator-fidelity.md for what is
emulated and where it deliberately differs.

Names load on first use (PEP 562): the pytest plugin imports this package in every test
session of every project that installs us, and must not pull in the web server for it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

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


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    import importlib

    if module == "_server":
        from .._extras import require

        require("the emulator", "emulator", "starlette", "uvicorn", "multipart", "jwt", "cryptography")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return __all__


if TYPE_CHECKING:
    from ._config import ALL_SCOPES, MAX_MEDIA_BYTES, EmulatorConfig, OAuthClient, RateLimit
    from ._limits import Faults
    from ._server import Emulator
