"""Per-call user access over real HTTP, sync and async: give it, list it, take it back."""

from __future__ import annotations

from gong_connector.client import BaseResponse, CallAccess
from gong_connector.emulator import Emulator

from .conftest import Facade, api_requests


def test_give_list_and_take_back_call_access(api: Facade, gong_emulator: Emulator) -> None:
    call = api.list_calls().first_page().items[0].id
    users = [u.id for u in api.list_users().first_page().items[:2]]
    given = api.add_call_access(call_access_list=[{"call_id": call, "user_ids": users}])
    assert isinstance(given, BaseResponse) and given.request_id
    put = [r for r in api_requests(gong_emulator) if r["method"] == "PUT"][-1]
    assert put["body"] == {"callAccessList": [{"callId": call, "userIds": users}]}
    listed = api.list_call_access(call_ids=[call]).to_list()
    assert all(isinstance(c, CallAccess) and not c.problems() for c in listed)
    (entry,) = [c for c in listed if c.call_id == call]
    assert sorted(u.user_id for u in entry.users) == sorted(users)
    post = [r for r in api_requests(gong_emulator) if r["method"] == "POST"][-1]
    assert post["body"] == {"filter": {"callIds": [call]}}
    # Giving it again changes nothing (Gong leaves existing access alone).
    api.add_call_access(call_access_list=[{"call_id": call, "user_ids": users[:1]}])
    removed = api.remove_call_access(call_access_list=[{"callId": call, "userIds": users[:1]}])
    assert isinstance(removed, BaseResponse)
    delete = [r for r in api_requests(gong_emulator) if r["method"] == "DELETE"][-1]
    assert delete["body"] == {"callAccessList": [{"callId": call, "userIds": users[:1]}]}
    left = [c for c in api.list_call_access(call_ids=[call]).to_list() if c.call_id == call]
    assert [u.user_id for c in left for u in c.users] == users[1:]
