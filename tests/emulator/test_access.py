"""Users' individual access to calls (``/v2/calls/users-access``) and manual CRM associations."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from datetime import datetime
from typing import Any

import httpx
import pytest

from gong_connector.emulator import Emulator

from .conftest import assert_gong_error, basic_client

SMALL = {"calls": 300, "users": 12, "workspaces": 2, "page_size": 6}
ACCESS = "/v2/calls/users-access"
UNKNOWN = "1234567890123456789"
Factory = Callable[..., Emulator]
JSON = dict[str, Any]


@pytest.fixture
def emu(gong_emulator_factory: Factory) -> Emulator:
    return gong_emulator_factory(**SMALL)


def walk(api: httpx.Client, path: str, params: JSON, key: str) -> list[JSON]:
    out: list[JSON] = []
    params = dict(params)
    number = 0
    while True:
        response = api.get(path, params=params)
        assert response.status_code == 200, response.text
        page = response.json()
        assert page["records"]["currentPageNumber"] == number
        out.extend(page[key])
        if "cursor" not in page["records"]:
            assert page["records"]["totalRecords"] == len(out)
            return out
        params["cursor"] = page["records"]["cursor"]
        number += 1


def read_access(api: httpx.Client, call_ids: list[str]) -> dict[str, list[str]]:
    response = api.post(ACCESS, json={"filter": {"callIds": call_ids}})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["requestId"]
    return {item["callId"]: [u["userId"] for u in item["users"]] for item in body["callAccessList"]}


# ----- users' access -----------------------------------------------------------------------------


def test_read_access_of_calls(api: httpx.Client) -> None:
    calls = [c["id"] for c in walk(api, "/v2/calls", {}, "calls")]
    access = read_access(api, calls)
    assert list(access) == calls  # every call asked for, in order
    users = {u["id"] for u in walk(api, "/v2/users", {}, "users")}
    granted = [u for ids in access.values() for u in ids]
    assert granted and set(granted) <= users  # a few calls start with access the API gave


def test_access_written_is_read_back_and_removed(api: httpx.Client) -> None:
    call = walk(api, "/v2/calls", {}, "calls")[5]["id"]
    users = [u["id"] for u in walk(api, "/v2/users", {}, "users")]
    before = read_access(api, [call])[call]
    new = [u for u in users if u not in before][:3]
    added = api.put(ACCESS, json={"callAccessList": [{"callId": call, "userIds": new[:2]}]})
    assert added.status_code == 200 and set(added.json()) == {"requestId"}
    assert read_access(api, [call])[call] == before + new[:2]
    # Giving access again changes nothing; new users are added after the others.
    api.put(ACCESS, json={"callAccessList": [{"callId": call, "userIds": new}]})
    assert read_access(api, [call])[call] == before + new
    removed = api.request("DELETE", ACCESS, json={"callAccessList": [{"callId": call, "userIds": [new[0], UNKNOWN]}]})
    assert removed.status_code == 200, removed.text
    assert read_access(api, [call])[call] == before + new[1:]


def test_access_changes_only_the_calls_named(api: httpx.Client) -> None:
    calls = [c["id"] for c in walk(api, "/v2/calls", {}, "calls")[:20]]
    before = read_access(api, calls)
    user = walk(api, "/v2/users", {}, "users")[-1]["id"]
    api.put(ACCESS, json={"callAccessList": [{"callId": calls[0], "userIds": [user]}]})
    after = read_access(api, calls)
    assert after[calls[0]] == before[calls[0]] + ([user] if user not in before[calls[0]] else [])
    assert {c: after[c] for c in calls[1:]} == {c: before[c] for c in calls[1:]}


def test_unknown_calls_and_users_are_skipped_unless_checked(gong_emulator_factory: Factory) -> None:
    with basic_client(gong_emulator_factory(**SMALL)) as api:
        call = walk(api, "/v2/calls", {}, "calls")[0]["id"]
        assert read_access(api, [UNKNOWN, call]) == read_access(api, [call])
        assert api.put(ACCESS, json={"callAccessList": [{"callId": UNKNOWN, "userIds": [UNKNOWN]}]}).status_code == 200
        assert api.put(ACCESS, json={"callAccessList": [{"callId": call, "userIds": [UNKNOWN]}]}).status_code == 200
        assert UNKNOWN not in read_access(api, [call])[call]
    with basic_client(gong_emulator_factory(reference_checks=True, **SMALL)) as api:
        call = walk(api, "/v2/calls", {}, "calls")[0]["id"]
        assert_gong_error(api.post(ACCESS, json={"filter": {"callIds": [UNKNOWN]}}), 400, "does not exist")
        body = {"callAccessList": [{"callId": call, "userIds": [UNKNOWN]}]}
        assert_gong_error(api.put(ACCESS, json=body), 400, "userIds")
        body = {"callAccessList": [{"callId": UNKNOWN, "userIds": []}]}
        assert_gong_error(api.request("DELETE", ACCESS, json=body), 400, "callId")


@pytest.mark.parametrize(
    ("method", "body", "fragment"),
    [
        ("POST", {}, "filter"),
        ("POST", {"filter": {}}, "callIds"),
        ("POST", {"filter": {"callIds": "1"}}, "callIds"),
        ("POST", {"filter": {"callIds": ["call"]}}, "callIds"),
        ("PUT", {"callAccessList": "all"}, "callAccessList"),
        ("PUT", {"callAccessList": [{"userIds": ["1"]}]}, "callId"),
        ("PUT", {"callAccessList": [{"callId": "1"}]}, "userIds"),
        ("DELETE", {"callAccessList": [{"callId": "1", "userIds": ["me"]}]}, "userIds"),
        ("DELETE", {"callAccessList": [{"callId": "one", "userIds": []}]}, "callId"),
    ],
)
def test_access_bad_input(api: httpx.Client, method: str, body: JSON, fragment: str) -> None:
    assert_gong_error(api.request(method, ACCESS, json=body), 400, fragment)


# ----- manual CRM associations -------------------------------------------------------------------

ASSOCIATIONS = "/v2/calls/manual-crm-associations"


def test_manual_associations_name_the_calls_crm_objects(api: httpx.Client) -> None:
    events = walk(api, ASSOCIATIONS, {}, "associations")
    assert len(events) > SMALL["page_size"]
    times = [datetime.fromisoformat(e["created"]) for e in events]
    assert times == sorted(times)  # in the order they were made
    seen: set[str] = set()
    for event in events:
        call = api.get(f"/v2/calls/{event['callId']}").json()["call"]
        assert event["userId"] == call["primaryUserId"]
        assert datetime.fromisoformat(event["created"]) > datetime.fromisoformat(call["started"])
        [objects] = event["associatedCrmObjects"]
        assert set(objects) == {"accountCrmId", "dealCrmId"} and objects["accountCrmId"]
        if event["callId"] not in seen:  # the first association is the call's own account
            selector = {"context": "Basic"}
            [extensive] = api.post(
                "/v2/calls/extensive", json={"filter": {"callIds": [call["id"]]}, "contentSelector": selector}
            ).json()["calls"]
            crm = {o["objectType"]: o["objectId"] for c in extensive["context"] for o in c["objects"]}
            assert objects["accountCrmId"] == crm["Account"]
            assert objects["dealCrmId"] in (None, crm["Opportunity"])
        seen.add(event["callId"])
    assert max(Counter(e["callId"] for e in events).values()) == 2  # some calls were re-associated


def test_manual_associations_from_a_time(api: httpx.Client) -> None:
    events = walk(api, ASSOCIATIONS, {}, "associations")
    middle = events[len(events) // 2]["created"]
    later = walk(api, ASSOCIATIONS, {"fromDateTime": middle}, "associations")
    assert later == [e for e in events if datetime.fromisoformat(e["created"]) >= datetime.fromisoformat(middle)]
    future = api.get(ASSOCIATIONS, params={"fromDateTime": "2100-01-01T00:00:00Z"}).json()
    assert future["associations"] == [] and future["records"]["totalRecords"] == 0


@pytest.mark.parametrize(
    ("params", "fragment"), [({"fromDateTime": "yesterday"}, "fromDateTime"), ({"cursor": "x"}, "cursor")]
)
def test_manual_associations_bad_input(api: httpx.Client, params: JSON, fragment: str) -> None:
    assert_gong_error(api.get(ASSOCIATIONS, params=params), 400, fragment)
