"""One verified TLS context for every HTTP client in the process.

Loading the CA bundle costs 10-20 ms per context, and httpx makes a new one for each client
unless given one; clients, OAuth token requests and the emulator's webhook sender all share
this one (an ``SSLContext`` is safe to share between threads).
"""

from __future__ import annotations

import functools
import ssl

import httpx

__all__ = ["shared_ssl_context"]


@functools.cache
def shared_ssl_context() -> ssl.SSLContext:
    return httpx.create_ssl_context()
