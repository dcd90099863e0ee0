"""Users' individual access to calls given through the API (``/v2/calls/users-access``).

Gong lists only the access the API gave, not access through sharing or permission profiles.
A few generated calls start with such grants (as if an integration had made them); a call's
list, once the API changes it, is kept here until the next reset.
"""

from __future__ import annotations

from typing import Any

from ._calls import CallIndex
from ._checks import check_id, filter_object, id_list, list_of_objects
from ._errors import bad_request
from ._ids import stable_hash

JSON = dict[str, Any]

#: Share of generated calls that start with access given through the API, in percent.
SEEDED_PERCENT = 4


class CallAccess(CallIndex):
    #: A call's users with API-given access, once the API has changed it.
    call_access: dict[str, list[str]]

    def _load(self) -> None:
        super()._load()
        self.call_access = {}

    def _seeded_access(self, call_id: str) -> list[str]:
        index = self.data.call_index(call_id)
        if index is None:
            return []
        h = stable_hash(self.config.seed, "users-access", index)
        if h % 100 >= SEEDED_PERCENT:
            return []
        on_call = {u["id"] for u in self.data.internal_users_of(index)}
        users = self.data.users
        picks = [users[(h >> (8 + 12 * k)) % len(users)]["id"] for k in range(1 + (h >> 40) % 2)]
        return list(dict.fromkeys(u for u in picks if u not in on_call))

    def access_of(self, call_id: str) -> list[str]:
        found = self.call_access.get(call_id)
        return list(found) if found is not None else self._seeded_access(call_id)

    def _known_call(self, call_id: str, field: str) -> bool:
        if self.find_call(call_id, processed_only=True) is not None:
            return True
        if self.config.reference_checks:
            raise bad_request(f"{field}: call {call_id} does not exist")
        return False

    # ----- POST /v2/calls/users-access --------------------------------------------------------

    def users_access(self, body: JSON) -> JSON:
        ids = id_list(filter_object(body), "callIds", required=True)
        assert ids is not None
        with self.lock:
            return {
                "callAccessList": [
                    {"callId": call_id, "users": [{"userId": u} for u in self.access_of(call_id)]}
                    for call_id in dict.fromkeys(ids)
                    if self._known_call(call_id, "filter.callIds")
                ]
            }

    # ----- PUT and DELETE /v2/calls/users-access ----------------------------------------------

    def _access_changes(self, body: JSON) -> list[tuple[int, str, tuple[str, ...]]]:
        changes = []
        for n, item in enumerate(list_of_objects(body, "callAccessList")):
            if item.get("callId") is None:
                raise bad_request(f"callAccessList[{n}].callId is required")
            call_id = check_id(item["callId"], f"callAccessList[{n}].callId")
            users = id_list(item, "userIds", prefix=f"callAccessList[{n}].", required=True)
            assert users is not None
            changes.append((n, call_id, users))
        return changes

    def _applicable(self, n: int, call_id: str, users: tuple[str, ...]) -> tuple[bool, list[str]]:
        known = [u for u in users if u in self.data.users_by_id]
        if self.config.reference_checks and len(known) < len(users):
            unknown = next(u for u in users if u not in self.data.users_by_id)
            raise bad_request(f"callAccessList[{n}].userIds: user {unknown} does not exist")
        return self._known_call(call_id, f"callAccessList[{n}].callId"), known

    def add_users_access(self, body: JSON) -> JSON:
        changes = self._access_changes(body)
        with self.lock:
            checked = [(call_id, *self._applicable(n, call_id, users)) for n, call_id, users in changes]
            for call_id, known_call, users in checked:
                if known_call:
                    current = self.access_of(call_id)
                    self.call_access[call_id] = current + [u for u in dict.fromkeys(users) if u not in current]
        return {}

    def delete_users_access(self, body: JSON) -> JSON:
        changes = self._access_changes(body)
        with self.lock:
            checked = [(call_id, *self._applicable(n, call_id, users)) for n, call_id, users in changes]
            for call_id, known_call, users in checked:
                if known_call:
                    self.call_access[call_id] = [u for u in self.access_of(call_id) if u not in users]
        return {}
