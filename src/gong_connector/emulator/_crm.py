"""CRM: calls associated with CRM objects by hand (``/v2/calls/manual-crm-associations``).

About 6 % of generated calls with a customer were associated by their host with the call's
account (and usually its opportunity) some hours after the call; a quarter of those were
re-associated days later. The events are found once per load (a hash per call) and kept
as a small sorted list; an erased call's events disappear with it.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from typing import Any

from ._calls import CallIndex
from ._checks import time_ms
from ._ids import stable_hash
from ._paging import Page, fingerprint, keyed_page
from ._timefmt import fmt

JSON = dict[str, Any]

ASSOCIATED_PERCENT = 6


@dataclass(frozen=True, order=True)
class Association:
    at: int  # epoch seconds
    index: int  # the generated call
    seq: int  # 0 for the first association, 1 for a re-association
    user_id: str
    account: int
    with_deal: bool


class CrmData(CallIndex):
    _associations: list[Association] | None

    def _load(self) -> None:
        super()._load()
        self._associations = None

    def associations(self) -> list[Association]:
        """Every manual association of a generated call, by time; found on first use."""
        if self._associations is None:
            data = self.data
            found = []
            for i in range(data.n_calls):
                h = stable_hash(data.seed, "manual-association", i)
                if h % 100 >= ASSOCIATED_PERCENT or data.is_internal_only(i):
                    continue
                host = str(data.primary_rep_of(i)["id"])
                account = data.account_of(i)
                first = int(data.key_ms(i) / 1000) + 3600 + (h >> 8) % (2 * 86_400)
                found.append(Association(first, i, 0, host, account, (h >> 20) % 3 != 0))
                if (h >> 24) % 4 == 0:
                    other = (account + 1 + (h >> 28) % (data.n_accounts - 1)) % data.n_accounts
                    later = first + 86_400 * (1 + (h >> 36) % 10)
                    found.append(Association(later, i, 1, host, other, True))
            self._associations = sorted(a for a in found if a.at <= data.end_ts)
        return self._associations

    def manual_associations(self, from_text: str | None, cursor: str | None) -> Page:
        start = None
        if from_text is not None:
            start = time_ms(from_text, "fromDateTime", offset_required=self.config.require_utc_offset) // 1000
        with self.lock:
            events = self.associations()
            if start is not None:
                events = events[bisect.bisect_left(events, Association(start, -1, 0, "", 0, False)) :]
            if self.deleted_calls:
                events = [a for a in events if self.data.call_ids.encode(a.index) not in self.deleted_calls]
        data = self.data

        def render(n: int) -> JSON:
            a = events[n]
            return {
                "callId": data.call_ids.encode(a.index),
                "userId": a.user_id,
                "created": fmt(a.at),
                "associatedCrmObjects": [
                    {
                        "accountCrmId": data.account_crm_id(a.account),
                        "dealCrmId": data.opportunity_crm_id(a.account) if a.with_deal else None,
                    }
                ],
            }

        return keyed_page(
            self.cursors,
            "manual-crm-associations",
            fingerprint("manual-crm-associations", {"f": start}),
            [[a.at, a.index, a.seq] for a in events],
            render,
            cursor,
            self.config.page_size,
            bound_to_filter=self.config.cursor_bound_to_filter,
        )
