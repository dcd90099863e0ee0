"""A local Gong API v2 for tests, demos and development.

Gong has no sandbox; this serves Gong's paths, fields, errors, paging, scopes, rate limits
and webhooks from deterministic generated data. See docs/emulator-fidelity.md for what is
emulated and where it deliberately differs.
"""

from ._config import ALL_SCOPES, MAX_MEDIA_BYTES, EmulatorConfig, OAuthClient, RateLimit
from ._limits import Faults
from ._server import Emulator

__all__ = [
    "ALL_SCOPES",
    "MAX_MEDIA_BYTES",
    "Emulator",
    "EmulatorConfig",
    "Faults",
    "OAuthClient",
    "RateLimit",
]
