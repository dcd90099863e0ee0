"""Gong Engage flows: listing, prospects' flows, and assigning prospects."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

import httpx
import pytest

from gong_connector.emulator import Emulator

from .conftest import assert_gong_error, basic_client

SMALL = {"calls": 200, "users": 16, "workspaces": 2, "page_size": 3}
Factory = Callable[..., Emulator]
JSON = dict[str, Any]


@pytest.fixture
def emu(gong_emulator_factory: Factory) -> Emulator:
    return gong_emulator_factory(**SMALL)


def flows(api: httpx.Client, email: str, **params: str) -> list[JSON]:
    query: JSON = {"flowOwnerEmail": email, **params}
    out: list[JSON] = []
    while True:
        response = api.get("/v2/flows", params=query)
        assert response.status_code == 200, response.text
        page = response.json()
        assert page["records"]["currentPageSize"] == len(page["flows"]) <= SMALL["page_size"]
        out.extend(page["flows"])
        if "cursor" not in page["records"]:
            assert page["records"]["totalRecords"] == len(out)
            return out
        query["cursor"] = page["records"]["cursor"]


def users(api: httpx.Client) -> list[JSON]:
    out: list[JSON] = []
    params: JSON = {}
    while True:
        page = api.get("/v2/users", params=params).json()
        out.extend(page["users"])
        if "cursor" not in page["records"]:
            return out
        params["cursor"] = page["records"]["cursor"]


def prospect_ids(api: httpx.Client) -> list[str]:
    """CRM ids of contacts and leads, as calls' party context gives them."""
    body: JSON = {"filter": {}, "contentSelector": {"exposedFields": {"parties": True}}}
    ids: list[str] = []
    while True:
        page = api.post("/v2/calls/extensive", json=body).json()
        calls = page["calls"]
        ids += [o["objectId"] for c in calls for p in c["parties"] for ctx in p["context"] for o in ctx["objects"]]
        if "cursor" not in page["records"]:
            return list(dict.fromkeys(ids))
        body["cursor"] = page["records"]["cursor"]


def flows_of(api: httpx.Client, ids: list[str]) -> list[JSON]:
    response = api.post("/v2/flows/prospects", json={"crmProspectsIds": ids})
    assert response.status_code == 200, response.text
    return list(response.json()["prospectsAssigned"])


def assign(api: httpx.Client, ids: list[str], flow: str, owner: str) -> JSON:
    body = {"crmProspectsIds": ids, "flowId": flow, "flowInstanceOwnerEmail": owner}
    response = api.post("/v2/flows/prospects/assign", json=body)
    assert response.status_code == 200, response.text
    result: JSON = response.json()
    return result


# ----- listing -----------------------------------------------------------------------------------


def test_a_user_sees_company_flows_their_own_and_those_shared_with_them(api: httpx.Client) -> None:
    people = users(api)
    cro = next(u for u in people if u["managerId"] is None)
    rep = next(u for u in people if u["managerId"] not in (None, cro["id"]))  # a rep: their manager has a manager
    seen = flows(api, rep["emailAddress"])
    assert {f["visibility"] for f in seen} <= {"Company", "Personal", "Shared"}
    company = [f for f in seen if f["visibility"] == "Company"]
    assert len(company) == 6  # three per workspace
    for flow in seen:
        assert set(flow) == {"id", "name", "folderId", "folderName", "visibility", "creationDate", "exclusive"}
        assert flow["id"].isdigit() and flow["folderId"].isdigit() and isinstance(flow["exclusive"], bool)
        datetime.fromisoformat(flow["creationDate"])
    shared = [f for f in seen if f["visibility"] == "Shared"]
    manager = next(u for u in people if u["id"] == rep["managerId"])
    assert [f["name"] for f in shared] == [f"Team {manager['lastName']} sequence"]
    # Another rep's personal flows are not shown.
    everyone = {f["id"] for u in people for f in flows(api, u["emailAddress"]) if f["visibility"] == "Personal"}
    mine = {f["id"] for f in seen if f["visibility"] == "Personal"}
    assert mine <= everyone and everyone - mine


def test_flows_of_one_workspace(api: httpx.Client) -> None:
    email = users(api)[2]["emailAddress"]
    workspaces = [w["id"] for w in api.get("/v2/workspaces").json()["workspaces"]]
    first = flows(api, email, workspaceId=workspaces[0])
    second = flows(api, email, workspaceId=workspaces[1])
    assert len(first) + len(second) == len(flows(api, email))
    assert {f["visibility"] for f in second} == {"Company"}


@pytest.mark.parametrize(
    ("params", "fragment"),
    [
        ({}, "flowOwnerEmail"),
        ({"flowOwnerEmail": " "}, "flowOwnerEmail"),
        ({"flowOwnerEmail": "a@b.co", "workspaceId": "ws"}, "workspaceId"),
    ],
)
def test_flows_bad_input(api: httpx.Client, params: JSON, fragment: str) -> None:
    assert_gong_error(api.get("/v2/flows", params=params), 400, fragment)


def test_an_unknown_owner_sees_company_flows_unless_checked(gong_emulator_factory: Factory) -> None:
    with basic_client(gong_emulator_factory(**SMALL)) as api:
        assert {f["visibility"] for f in flows(api, "nobody@else.example")} == {"Company"}
    with basic_client(gong_emulator_factory(reference_checks=True, **SMALL)) as api:
        assert_gong_error(api.get("/v2/flows", params={"flowOwnerEmail": "nobody@else.example"}), 400, "Gong user")


# ----- prospects ---------------------------------------------------------------------------------


def test_prospects_start_in_flows_their_reps_can_use(api: httpx.Client) -> None:
    ids = prospect_ids(api)
    assigned = flows_of(api, ids)
    assert assigned and {a["crmProspectId"] for a in assigned} < set(ids)
    people = {u["emailAddress"]: u for u in users(api)}
    for item in assigned:
        assert item["flowInstanceStatus"] in ("Running", "Pending", "Paused")
        owner = people[item["flowInstanceOwnerEmail"]]
        assert item["flowInstanceOwnerFullName"] == f"{owner['firstName']} {owner['lastName']}"
        visible = {f["id"]: f for f in flows(api, owner["emailAddress"])}
        flow = visible[item["flowId"]]
        assert (item["flowName"], item["exclusive"]) == (flow["name"], flow["exclusive"])
        assert item["flowInstanceId"].isdigit() and item["workspaceId"].isdigit()
    assert flows_of(api, ["not-a-crm-id"]) == []


def test_assigning_prospects(api: httpx.Client) -> None:
    ids = prospect_ids(api)
    busy = {a["crmProspectId"] for a in flows_of(api, ids)}
    free = [i for i in ids if i not in busy][:3]
    owner = users(api)[5]["emailAddress"]
    company = [f for f in flows(api, owner) if f["visibility"] == "Company"]
    open_flow = next(f for f in company if not f["exclusive"])
    exclusive = next(f for f in company if f["exclusive"])
    result = assign(api, [*free, "nope"], open_flow["id"], owner)
    assert [a["crmProspectId"] for a in result["prospectsAssigned"]] == free
    [failure] = result["prospectsNotAssigned"]
    assert failure == {
        "flowId": open_flow["id"],
        "crmProspectId": "nope",
        "errorCode": "InvalidArgument",
        "errorMessage": "Invalid crmId nope",
    }
    read = flows_of(api, free)
    assert read == result["prospectsAssigned"] and all(a["flowInstanceStatus"] == "Running" for a in read)
    # Assigning again changes nothing; an exclusive flow cannot take a prospect already in a flow.
    assert assign(api, free[:1], open_flow["id"], owner)["prospectsAssigned"] == read[:1]
    refused = assign(api, free[:1], exclusive["id"], owner)
    assert refused["prospectsAssigned"] == [] and refused["prospectsNotAssigned"][0]["errorCode"] == "InvalidState"
    other = next(f for f in company if f["id"] not in (open_flow["id"], exclusive["id"]) and not f["exclusive"])
    both = assign(api, free[:1], other["id"], owner)["prospectsAssigned"]
    assert (
        [a["flowId"] for a in flows_of(api, free[:1])]
        == [open_flow["id"], other["id"]]
        == [
            read[0]["flowId"],
            both[0]["flowId"],
        ]
    )


def test_assignments_that_cannot_be_made(api: httpx.Client) -> None:
    ids = prospect_ids(api)[:2]
    people = users(api)
    owner = people[5]["emailAddress"]
    flow = flows(api, owner)[0]["id"]
    for body, fragment in (
        ({"flowId": "1234567890123456789", "owner": owner}, "Invalid flowId"),
        ({"flowId": flow, "owner": "nobody@else.example"}, "e-mail"),
    ):
        result = assign(api, ids, str(body["flowId"]), str(body["owner"]))
        assert result["prospectsAssigned"] == []
        assert all(
            f["errorCode"] == "InvalidArgument" and fragment in f["errorMessage"]
            for f in result["prospectsNotAssigned"]
        )
    personal = next((f, u) for u in people for f in flows(api, u["emailAddress"]) if f["visibility"] == "Personal")
    stranger = next(u for u in people if u["id"] != personal[1]["id"] and u["managerId"])
    result = assign(api, ids, personal[0]["id"], stranger["emailAddress"])
    assert all("not available" in f["errorMessage"] for f in result["prospectsNotAssigned"])


@pytest.mark.parametrize(
    ("body", "fragment"),
    [
        ({"flowId": "1", "flowInstanceOwnerEmail": "a@b.co"}, "crmProspectsIds"),
        ({"crmProspectsIds": "x", "flowId": "1", "flowInstanceOwnerEmail": "a@b.co"}, "crmProspectsIds"),
        ({"crmProspectsIds": ["x"] * 201, "flowId": "1", "flowInstanceOwnerEmail": "a@b.co"}, "200"),
        ({"crmProspectsIds": ["x"], "flowInstanceOwnerEmail": "a@b.co"}, "flowId"),
        ({"crmProspectsIds": ["x"], "flowId": "1"}, "flowInstanceOwnerEmail"),
        ({"crmProspectsIds": ["x"], "flowId": "1", "flowInstanceOwnerEmail": 7}, "flowInstanceOwnerEmail"),
    ],
)
def test_assign_bad_input(api: httpx.Client, body: JSON, fragment: str) -> None:
    assert_gong_error(api.post("/v2/flows/prospects/assign", json=body), 400, fragment)


def test_prospects_flows_needs_ids(api: httpx.Client) -> None:
    assert_gong_error(api.post("/v2/flows/prospects", json={}), 400, "crmProspectsIds")
    assert_gong_error(api.post("/v2/flows/prospects", json={"crmProspectsIds": [1]}), 400, "crmProspectsIds")
