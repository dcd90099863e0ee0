"""``--reconcile``: remove the calls Gong no longer has (privacy erasure) from the database.

Gong's call listings show no deletions, so the only way to see one is to list every call id
of the synced window and compare. That is one ``GET /v2/calls`` listing (100 ids a page),
asked only when ``reconcile`` is; the deletions of one run are one transaction. A call is
removed only when Gong confirms it is gone (``GET /v2/calls/{id}`` answers 404): a listing
cut short, or a call Gong now lists at another time, must never delete a customer's data.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import timedelta

from ..client import Call, NotFoundError, Pager
from ..client._record import as_text
from ._batch import Batch
from ._streams import Context, Stream, pages

__all__ = ["RECONCILE", "read_reconcile"]

log = logging.getLogger("gong_connector.sync")

#: Gong's window bounds are on the call's start; a day either side costs nothing.
_MARGIN = timedelta(days=1)


def read_reconcile(ctx: Context) -> Iterator[Batch]:
    """List the ids of every call in ``[first stored start, now)`` and delete the stored ones
    that are not listed. A listing that cannot be read whole deletes nothing."""
    stored = ctx.stored_calls()
    starts = [s for s in stored.values() if s is not None]
    if not starts:
        return
    lo, hi = min(starts), ctx.now
    if lo >= hi:
        return

    def make(cursor: str | None) -> Pager[Call]:
        return ctx.client.list_calls(from_date_time=lo - _MARGIN, to_date_time=hi + _MARGIN, cursor=cursor)

    listed: set[str] = set()
    requests = 0
    unreadable = 0
    for page in pages(ctx, "reconcile", make):
        requests += 1
        for call in page.items:
            call_id = as_text(call.raw.get("id")) if isinstance(call.raw, dict) else None
            if call_id is None:
                unreadable += 1
            else:
                listed.add(call_id)
    batch = Batch(requests=requests)
    if unreadable:
        # An id we cannot read may be any stored call: deleting by absence would be a guess.
        log.warning("reconcile: %d listed call(s) without a readable id; nothing was removed", unreadable)
        yield batch
        return
    window = (i for i, started in stored.items() if started is not None and lo <= started < hi)
    absent = sorted(i for i in window if i not in listed)
    batch.requests += len(absent)
    batch.delete_calls = [i for i in absent if _gone(ctx, i)]
    yield batch


def _gone(ctx: Context, call_id: str) -> bool:
    """Whether Gong no longer has the call: only its own 404 says so."""
    try:
        ctx.client.get_call(call_id=call_id)
    except NotFoundError:
        return True
    return False


#: Not a stream of ``STREAMS``: run after them when ``reconcile`` is asked for.
RECONCILE = Stream("reconcile", "list_calls", (), ("id",), None, read_reconcile, child_of="calls", first_estimate=1)
