"""Listing a long time window when Gong refuses long windows.

Gong may refuse a listing whose date window is too long (a 400 that names the range;
our reference has 90 days for ``GET /v2/calls``, unconfirmed, and says nothing of the
others). The pager then cuts the window into consecutive pieces and lists them in order,
so the caller sees one listing. Nothing is cut before Gong refuses: a window Gong accepts
costs no extra request. The limit learned from a refusal is kept by the client, so later
listings are cut up front and no request is refused twice.

This module is I/O-free: it decides the window of each request and what cursor to hand
back; the clients send.
"""

from __future__ import annotations

import base64
import functools
import json
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from ..errors import APIError
from ._kinds import canonical_datetime

__all__ = ["WindowPlan", "is_window_refusal", "iso"]

_PREFIX = "gcw1."
#: Below this, cutting further is pointless: the refusal is about something else.
MIN_WINDOW = timedelta(hours=1)
#: A window that is cut ends no later than this after now: Gong lists what was recorded,
#: so the pieces past it could only ever be empty (and each costs a request).
FUTURE_MARGIN = timedelta(days=1)
_TOO_LONG = re.compile(r"exceed|too (?:long|large|big|wide)|maximum|at most|more than|longer than|up to|limit")
_ABOUT_TIME = re.compile(r"day|range|period|window|interval|date|time")
_DAYS = re.compile(r"(\d+)\s*days?")


def is_window_refusal(error: APIError) -> bool:
    """Whether a 400 reads as "this date window is too long"."""
    if error.status != 400:
        return False
    text = " ".join(error.errors).lower()
    return bool(_TOO_LONG.search(text) and _ABOUT_TIME.search(text))


def _limit_in(error: APIError) -> timedelta | None:
    found = _DAYS.search(" ".join(error.errors).lower())
    return timedelta(days=int(found.group(1))) if found else None


def iso(moment: datetime) -> str:
    return canonical_datetime(moment)


@functools.lru_cache(maxsize=256)
def _parse(text: str) -> datetime:
    # Every page of a listing asks for the same bounds; datetimes are immutable.
    return datetime.fromisoformat(text)


def _encode(state: dict[str, Any]) -> str:
    raw = json.dumps(state, separators=(",", ":")).encode()
    return _PREFIX + base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _decode(cursor: str) -> dict[str, Any] | None:
    if not cursor.startswith(_PREFIX):
        return None
    body = cursor[len(_PREFIX) :]
    try:
        data = json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
    except (ValueError, json.JSONDecodeError):
        return None
    return data if isinstance(data, dict) else None


@dataclass
class WindowPlan:
    """Where one windowed listing stands: the piece being listed, Gong's cursor in it, and
    where the whole window ends."""

    start: datetime | None
    end: datetime | None  # the current piece's end (None: open, as the caller gave it)
    final: datetime | None  # the whole window's end
    gong_cursor: str | None
    limit: timedelta | None
    cut: bool  # whether the window has been cut (then cursors are ours)

    @classmethod
    def begin(
        cls,
        start: str | None,
        end: str | None,
        cursor: str | None,
        limit: timedelta | None,
    ) -> WindowPlan:
        """The plan for a listing's first request (``cursor`` may be one we handed out)."""
        state = _decode(cursor) if cursor else None
        if state is not None:
            return cls(
                _parse(state["s"]),
                _parse(state["e"]),
                _parse(state["f"]),
                state.get("c"),
                timedelta(seconds=state["l"]) if state.get("l") else None,
                True,
            )
        plan = cls(
            _parse(start) if start else None,
            _parse(end) if end else None,
            _parse(end) if end else None,
            cursor,
            limit,
            False,
        )
        if cursor is None and limit is not None:
            plan._cut_to(limit)
        return plan

    def _clip_final(self, now: Callable[[], float]) -> None:
        horizon = datetime.fromtimestamp(now(), UTC).replace(microsecond=0) + FUTURE_MARGIN
        if self.final is None or self.final > horizon:
            self.final = horizon

    def _cut_to(self, limit: timedelta, now: Callable[[], float] = time.time) -> None:
        """Start a listing whose window is known to be too long: first piece, up to now."""
        if self.start is None:
            return
        given = self.final
        self._clip_final(now)
        assert self.final is not None
        if self.final - self.start <= limit and self.final == given:
            return  # it fits as the caller gave it
        self.limit = limit
        self.end = min(self.final, self.start + limit)
        self.cut = True

    def refused(self, error: APIError, now: Callable[[], float] = time.time) -> bool:
        """Gong refused the current request: cut the window and say whether to try again."""
        if self.gong_cursor is not None or self.start is None or not is_window_refusal(error):
            return False
        end = self.end or self.final or datetime.fromtimestamp(now(), UTC)
        span = end - self.start
        named = _limit_in(error)
        limit = named if named is not None and named < span else span / 2
        if limit < MIN_WINDOW:
            return False
        self._clip_final(now)
        assert self.final is not None
        self.limit = limit
        self.end = min(self.final, self.start + limit)
        self.cut = True
        return True

    def bounds(self) -> tuple[str | None, str | None]:
        """``fromDateTime`` and ``toDateTime`` of the next request (None: as the caller gave)."""
        if not self.cut:
            return None, None
        assert self.start is not None and self.end is not None
        return iso(self.start), iso(self.end)

    def after(self, gong_cursor: str | None) -> tuple[str | None, datetime | None]:
        """The cursor to hand back after a page, and up to when the listing is complete."""
        if not self.cut:
            return gong_cursor, (self.final if gong_cursor is None else None)
        assert self.start is not None and self.end is not None and self.final is not None
        if gong_cursor is not None:
            return self._state(self.start, self.end, gong_cursor), None
        if self.end >= self.final:
            return None, self.final
        limit = self.limit or (self.end - self.start)
        return self._state(self.end, min(self.final, self.end + limit), None), self.end

    def _state(self, start: datetime, end: datetime, gong_cursor: str | None) -> str:
        assert self.final is not None
        state: dict[str, Any] = {"s": iso(start), "e": iso(end), "f": iso(self.final)}
        if self.limit is not None:
            state["l"] = int(self.limit.total_seconds())
        if gong_cursor is not None:
            state["c"] = gong_cursor
        return _encode(state)
