"""Every stream of the sync by name, in the order a sync runs them: the calls and the
directory first, then the coaching streams (the stats start from the first stored call)."""

from __future__ import annotations

from ._analytics import COACHING_STREAMS
from ._streams import BASE_STREAMS, Stream

__all__ = ["STREAMS"]

STREAMS: dict[str, Stream] = {**BASE_STREAMS, **COACHING_STREAMS}
