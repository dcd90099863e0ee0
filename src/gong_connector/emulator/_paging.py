"""Opaque, signed, expiring cursors.

A cursor carries the listing it came from, the position after the last record served, the
page number and a fingerprint of the filter it was issued for. It is signed so that a client cannot forge or
edit one, and it expires like Gong's do (``cursor has expired``).
"""

from __future__ import annotations

import base64
import bisect
import hashlib
import hmac
import json
import secrets
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from ._clock import Clock
from ._errors import bad_request


def fingerprint(kind: str, filters: dict[str, Any]) -> str:
    text = json.dumps([kind, filters], sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


class CursorCodec:
    def __init__(self, clock: Clock, ttl: float) -> None:
        self._key = secrets.token_bytes(32)
        self._clock = clock
        self.ttl = ttl

    def encode(self, kind: str, fp: str, position: Any, page: int) -> str:
        payload = {"k": kind, "f": fp, "p": position, "n": page, "x": int(self._clock.now() + self.ttl)}
        body = base64.urlsafe_b64encode(json.dumps(payload, separators=(",", ":")).encode()).rstrip(b"=")
        sig = hmac.new(self._key, body, hashlib.sha256).digest()[:16]
        return (body + b"." + base64.urlsafe_b64encode(sig).rstrip(b"=")).decode()

    def decode(self, cursor: object, kind: str, fp: str, *, bound_to_filter: bool) -> tuple[Any, int]:
        """``(position, page)`` for a valid cursor of this listing; 400 otherwise.

        A position means nothing in another listing, so a cursor of another kind is always
        refused; one of the same listing with another filter only if ``bound_to_filter``
        (Gong says to repeat the same call, not what it does otherwise).
        """
        if not isinstance(cursor, str) or "." not in cursor:
            raise bad_request("cursor is invalid")
        body_text, _, sig_text = cursor.partition(".")
        try:
            body = base64.urlsafe_b64decode(body_text + "=" * (-len(body_text) % 4))
            sig = base64.urlsafe_b64decode(sig_text + "=" * (-len(sig_text) % 4))
        except (ValueError, TypeError):
            raise bad_request("cursor is invalid") from None
        expected = hmac.new(self._key, body_text.encode(), hashlib.sha256).digest()[:16]
        if not hmac.compare_digest(sig, expected):
            raise bad_request("cursor is invalid")
        try:
            payload = json.loads(body)
        except ValueError:
            raise bad_request("cursor is invalid") from None
        if payload["x"] < self._clock.now():
            raise bad_request("cursor has expired")
        if payload["k"] != kind or (bound_to_filter and payload["f"] != fp):
            raise bad_request("cursor does not belong to this request's filter")
        return payload["p"], int(payload["n"])


@dataclass
class Page:
    """One page of a listing: its items and Gong's ``records`` block."""

    items: list[dict[str, Any]]
    total: int
    page_number: int
    cursor: str | None

    def records(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "totalRecords": self.total,
            "currentPageSize": len(self.items),
            "currentPageNumber": self.page_number,
        }
        if self.cursor:
            out["cursor"] = self.cursor
        return out


def keyed_page(
    codec: CursorCodec,
    kind: str,
    fp: str,
    keys: Sequence[Any],
    render: Callable[[int], dict[str, Any]],
    cursor: str | None,
    size: int,
    *,
    bound_to_filter: bool,
) -> Page:
    """One page of a listing built whole for the request, ordered by ``keys`` (ints or lists).

    The cursor carries the last key served, so items added or removed mid-walk neither
    repeat nor shift pages; ``render(n)`` makes the ``n``-th item.
    """
    start, page_number = 0, 0
    if cursor is not None:
        position, page_number = codec.decode(cursor, kind, fp, bound_to_filter=bound_to_filter)
        start = bisect.bisect_right(keys, position)
    stop = min(len(keys), start + size)
    items = [render(n) for n in range(start, stop)]
    next_cursor = codec.encode(kind, fp, keys[stop - 1], page_number + 1) if stop < len(keys) else None
    return Page(items, len(keys), page_number, next_cursor)
