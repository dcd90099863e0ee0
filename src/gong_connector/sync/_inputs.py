"""Reading the user's inputs (streams, dates, durations), each failing with one line that
names the input, before anything is fetched or written."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta

from ..client._kinds import parse_age, read_when
from ..errors import SyncInputError, ValidationError

__all__ = ["DEFAULT_SINCE", "parse_duration", "parse_since", "parse_streams"]

#: Where history starts when neither ``since`` nor a watermark says: before Gong existed, so
#: a first sync takes everything (an open window costs no extra requests).
DEFAULT_SINCE = datetime(2000, 1, 1, tzinfo=UTC)
_NAIVE = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?")


def parse_streams(value: str | Iterable[str] | None, known: Iterable[str]) -> tuple[str, ...]:
    """Stream names (a comma-separated string or a list; ``all``), in the sync's order."""
    order = list(known)
    if value is None:
        return tuple(order)
    parts = [value] if isinstance(value, str) else list(value)
    names = [n.strip().lower() for p in parts for n in str(p).split(",") if n.strip()]
    if not names:
        raise SyncInputError("--streams", f"no stream given; choose from {', '.join(order)}")
    if "all" in names:
        return tuple(order)
    for name in names:
        if name not in order:
            raise SyncInputError("--streams", f"unknown stream {name!r}; choose from {', '.join(order)}")
    return tuple(n for n in order if n in names)


def parse_duration(value: str | timedelta | None, name: str, default: timedelta) -> timedelta:
    """``36h``, ``2d``, ``1w``, ``90m``, ``0``; or a timedelta."""
    if value is None:
        return default
    if isinstance(value, timedelta):
        if value < timedelta(0):
            raise SyncInputError(name, "must not be negative")
        return value
    text = str(value).strip().lower()
    if text == "0":
        return timedelta(0)
    age = parse_age(text)
    if age is None:
        raise SyncInputError(name, f"{value!r} is not a duration like 36h, 2d or 1w")
    return age


def parse_since(value: str | datetime | None, now: datetime) -> datetime:
    """A date (``2024-01-31``), an ISO date-time (UTC unless it says), or an age (``30d``):
    the forms every date of the command line takes (the client's ``read_when``)."""
    if value is None:
        return DEFAULT_SINCE
    if isinstance(value, datetime):
        when = value if value.tzinfo is not None else value.replace(tzinfo=UTC)
    else:
        text = str(value).strip()
        if _NAIVE.fullmatch(text):  # a date-time without an offset: UTC, as it always was here
            text += "Z"
        try:
            when = read_when("--since", text, now)
        except ValidationError:
            raise SyncInputError(
                "--since", f"{value!r} is not a date (2024-01-31), a date-time (2024-01-31T08:00:00Z) or an age (30d)"
            ) from None
    if when >= now:
        raise SyncInputError("--since", f"{value!s} is not in the past")
    return when.astimezone(UTC)
