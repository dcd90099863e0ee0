"""Gong's errors as typed exceptions, rendered once by the HTTP layer."""

from __future__ import annotations


class GongHTTPError(Exception):
    """An error Gong answers with ``{"requestId": ..., "errors": [...]}``."""

    def __init__(self, status: int, *messages: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(f"{status}: {'; '.join(messages)}")
        self.status = status
        self.messages = list(messages)
        self.headers = headers or {}


def bad_request(*messages: str) -> GongHTTPError:
    return GongHTTPError(400, *messages)


def not_found(*messages: str) -> GongHTTPError:
    return GongHTTPError(404, *messages)


def conflict(*messages: str) -> GongHTTPError:
    return GongHTTPError(409, *messages)
