"""The call index: filters, lookup and paging over generated and created calls.

Generated calls are never materialised as a list: they are walked by index from a binary
search on time and merged with the (few) processed created calls, in (filter time, id)
order. Cursors carry the last key served, so calls added or erased mid-walk neither repeat
nor shift pages.
"""

from __future__ import annotations

import bisect
import heapq
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from ._checks import check_id, time_ms
from ._created import CreatedCalls
from ._dataset import CallRecord
from ._errors import bad_request, not_found
from ._paging import Page, fingerprint

JSON = dict[str, Any]

EMPTY_CALLS = "No calls found corresponding to the provided filters"
_FAR = 2**62


@dataclass
class CallFilter:
    from_ms: int | None = None
    to_ms: int | None = None
    workspace_id: str | None = None
    call_ids: tuple[str, ...] | None = None
    primary_user_ids: tuple[str, ...] | None = None

    def as_dict(self) -> JSON:
        return {k: v for k, v in self.__dict__.items() if v is not None}


class CallIndex(CreatedCalls):
    _count_cache: dict[str, int]
    _counted_version: int

    def _load(self) -> None:
        super()._load()
        self._count_cache = {}
        self._counted_version = -1

    # ----- lookup -----------------------------------------------------------------------------

    def find_call(self, call_id: str, *, processed_only: bool = False) -> CallRecord | None:
        if call_id in self.deleted_calls:
            return None
        index = self.data.call_index(call_id)
        if index is not None:
            return self.data.call(index)
        created = self.created.get(call_id)
        if created is None or (processed_only and not created.processed):
            return None
        return created.record

    # ----- filters ----------------------------------------------------------------------------

    def call_filter_from_query(
        self, from_text: str | None, to_text: str | None, workspace_id: str | None, *, window_limit: bool
    ) -> CallFilter:
        flt = CallFilter()
        if from_text is not None:
            flt.from_ms = time_ms(from_text, "fromDateTime", offset_required=self.config.require_utc_offset)
        if to_text is not None:
            flt.to_ms = time_ms(to_text, "toDateTime", offset_required=self.config.require_utc_offset)
        if self.config.range_checks and flt.from_ms is not None and flt.to_ms is not None and flt.to_ms <= flt.from_ms:
            raise bad_request("toDateTime must be later than fromDateTime")
        limit = self.config.max_call_window_days
        if (
            window_limit
            and limit
            and flt.from_ms is not None
            and flt.to_ms is not None
            and flt.to_ms - flt.from_ms > limit * 86_400_000
        ):
            raise bad_request(f"The date range between fromDateTime and toDateTime must not exceed {limit} days")
        if workspace_id is not None:
            flt.workspace_id = self.known_workspace(workspace_id)
        return flt

    def body_call_filter(self, body: JSON, *, owners: bool, transcript: bool) -> CallFilter:
        """The ``filter`` object of extensive (``owners``: with ``primaryUserIds``) and transcripts."""
        raw = body.get("filter")
        if not isinstance(raw, dict):
            raise bad_request("filter is required and must be an object")
        allowed = {"fromDateTime", "toDateTime", "workspaceId", "callIds"} | ({"primaryUserIds"} if owners else set())
        unknown = sorted(set(raw) - allowed)
        if unknown and self.config.unknown_filter_fields:
            raise bad_request(f"filter has unknown fields: {', '.join(unknown)}")
        flt = self.call_filter_from_query(
            raw.get("fromDateTime"), raw.get("toDateTime"), raw.get("workspaceId"), window_limit=False
        )
        if raw.get("fromDateTime") is not None and not isinstance(raw["fromDateTime"], str):
            raise bad_request("filter.fromDateTime must be a string")
        if "callIds" in raw and raw["callIds"] is not None:
            ids = raw["callIds"]
            if not isinstance(ids, list) or not ids:
                raise bad_request("filter.callIds must be a non-empty list of call IDs")
            flt.call_ids = tuple(check_id(x, "filter.callIds") for x in ids)
            if transcript and flt.workspace_id is not None:
                raise bad_request("workspaceId and callIds cannot be combined")
        if owners and raw.get("primaryUserIds") is not None:
            ids = raw["primaryUserIds"]
            if not isinstance(ids, list) or not ids:
                raise bad_request("filter.primaryUserIds must be a non-empty list of user IDs")
            flt.primary_user_ids = tuple(check_id(x, "filter.primaryUserIds") for x in ids)
        return flt

    def _generated_match(self, i: int, flt: CallFilter) -> bool:
        if flt.workspace_id is not None and self.data.workspace_of(i) != flt.workspace_id:
            return False
        if flt.primary_user_ids is not None and self.data.primary_rep_of(i)["id"] not in flt.primary_user_ids:
            return False
        return self.data.call_ids.encode(i) not in self.deleted_calls

    def _record_match(self, rec: CallRecord, flt: CallFilter) -> bool:
        if flt.from_ms is not None and rec.key_ms < flt.from_ms:
            return False
        if flt.to_ms is not None and rec.key_ms >= flt.to_ms:
            return False
        if flt.workspace_id is not None and rec.meta.get("workspaceId") != flt.workspace_id:
            return False
        if flt.primary_user_ids is not None and rec.meta.get("primaryUserId") not in flt.primary_user_ids:
            return False
        return rec.id not in self.deleted_calls

    # ----- walking and counting ---------------------------------------------------------------

    def _iter_calls(self, flt: CallFilter, after: tuple[int, str] | None) -> Iterator[CallRecord]:
        """Matching visible calls in (time, id) order, strictly after ``after``."""
        if flt.call_ids is not None:
            found = []
            for cid in dict.fromkeys(flt.call_ids):
                rec = self.find_call(cid, processed_only=True)
                if rec is not None and self._record_match(rec, flt):
                    found.append(rec)
            found.sort(key=lambda r: r.sort_key)
            yield from (r for r in found if after is None or r.sort_key > after)
            return
        start_ms = flt.from_ms if flt.from_ms is not None else -_FAR
        if after is not None:
            start_ms = max(start_ms, after[0])
        end_ms = flt.to_ms if flt.to_ms is not None else _FAR

        def generated() -> Iterator[tuple[tuple[int, str], int, Any]]:
            i = self.data.index_at_or_after(start_ms)
            while i < self.data.n_calls:
                key_ms = self.data.key_ms(i)
                if key_ms >= end_ms:
                    return
                key = (key_ms, self.data.call_ids.encode(i))
                if (after is None or key > after) and self._generated_match(i, flt):
                    yield key, 0, i
                i += 1

        def created() -> Iterator[tuple[tuple[int, str], int, Any]]:
            keys = self.processed_keys
            lo = bisect.bisect_left(keys, (start_ms, "")) if after is None else bisect.bisect_right(keys, after)
            for key in keys[lo:]:
                if key[0] >= end_ms:
                    return
                rec = self.created[key[1]].record
                if self._record_match(rec, flt):
                    yield key, 1, rec

        for _key, source, item in heapq.merge(generated(), created()):
            yield self.data.call(item) if source == 0 else item

    def _count_calls(self, flt: CallFilter) -> int:
        if self._counted_version != self.calls_version:
            self._count_cache.clear()
            self._counted_version = self.calls_version
        fp = fingerprint("count", flt.as_dict())
        cached = self._count_cache.get(fp)
        if cached is not None:
            return cached
        if flt.call_ids is not None:
            total = sum(1 for _ in self._iter_calls(flt, None))
        else:
            start_ms = flt.from_ms if flt.from_ms is not None else -_FAR
            end_ms = flt.to_ms if flt.to_ms is not None else _FAR
            lo = self.data.index_at_or_after(start_ms)
            hi = max(lo, self.data.index_at_or_after(end_ms))  # a reversed window is empty
            if flt.workspace_id is None and flt.primary_user_ids is None and not self.deleted_calls:
                total = hi - lo
            else:
                total = sum(1 for i in range(lo, hi) if self._generated_match(i, flt))
            total += sum(
                1
                for key in self.processed_keys
                if start_ms <= key[0] < end_ms and self._record_match(self.created[key[1]].record, flt)
            )
        self._count_cache[fp] = total
        return total

    def call_page(
        self, kind: str, flt: CallFilter, cursor: str | None, size: int, render: Callable[[CallRecord], JSON | None]
    ) -> Page:
        """One page of ``kind`` (calls, extensive, transcript); call with the lock held."""
        fp = fingerprint(kind, flt.as_dict())
        after: tuple[int, str] | None = None
        page_number = 0
        if cursor is not None:
            position, page_number = self.cursors.decode(
                cursor, kind, fp, bound_to_filter=self.config.cursor_bound_to_filter
            )
            after = (int(position[0]), str(position[1]))
        total = self._count_calls(flt)
        items: list[JSON] = []
        last: tuple[int, str] | None = None
        more = False
        for rec in self._iter_calls(flt, after):
            if len(items) == size:
                more = True
                break
            rendered = render(rec)
            last = rec.sort_key
            if rendered is not None:
                items.append(rendered)
        if not items and page_number == 0:
            raise not_found(EMPTY_CALLS)
        next_cursor = self.cursors.encode(kind, fp, list(last), page_number + 1) if more and last else None
        return Page(items, total, page_number, next_cursor)

    # ----- GET /v2/calls, GET /v2/calls/{id} --------------------------------------------------

    def list_calls(self, flt: CallFilter, cursor: str | None) -> Page:
        with self.lock:
            return self.call_page("calls", flt, cursor, self.config.page_size, lambda r: dict(r.meta))

    def get_call(self, call_id: str) -> JSON:
        check_id(call_id, "id")
        with self.lock:
            # Gong shows a call to the API only once it has processed it.
            rec = self.find_call(call_id, processed_only=True)
            if rec is None:
                raise not_found(f"Call {call_id} was not found")
            return dict(rec.meta)
