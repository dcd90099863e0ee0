"""The one exponential backoff formula, shared by the client's retries, the sync's extra
rounds and the trigger's handler retries (which must not import the client)."""

from __future__ import annotations

__all__ = ["exponential_delay"]


def exponential_delay(attempt: int, *, first: float, factor: float, cap: float) -> float:
    """``first * factor ** attempt`` seconds, capped at ``cap``; ``attempt`` counts from 0."""
    if attempt < 0:
        attempt = 0
    try:
        raw = first * factor**attempt
    except OverflowError:
        return cap
    return float(min(cap, raw))
