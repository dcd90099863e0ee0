"""The generic CRM integration: register, delete (asynchronous), schema, objects, request status."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import pytest

from gong_connector.emulator import Emulator

from .conftest import assert_gong_error

SMALL = {"calls": 80, "users": 8, "workspaces": 2}
FIELD_TYPES = {
    "DATE",
    "DATETIME",
    "NUMBER",
    "PERCENT",
    "CURRENCY",
    "ID",
    "URL",
    "STRING",
    "BOOLEAN",
    "PHONENUMBER",
    "EMAILADDRESS",
    "PICKLIST",
    "REFERENCE",
    "STRINGARRAY",
}
Factory = Callable[..., Emulator]
JSON = dict[str, Any]


@pytest.fixture
def emu(gong_emulator_factory: Factory) -> Emulator:
    return gong_emulator_factory(**SMALL)


def integration(api: httpx.Client) -> int:
    [only] = api.get("/v2/crm/integrations").json()["integrations"]
    return int(only["integrationId"])


def schema(api: httpx.Client, integration_id: int, object_type: str | None = None) -> JSON:
    params: JSON = {"integrationId": integration_id}
    if object_type:
        params["objectType"] = object_type
    response = api.get("/v2/crm/entity-schema", params=params)
    assert response.status_code == 200, response.text
    fields: JSON = response.json()["objectTypeToSelectedFields"]
    return fields


def objects(api: httpx.Client, integration_id: int, object_type: str, ids: list[str]) -> JSON:
    params = {"integrationId": integration_id, "objectType": object_type}
    response = api.request("GET", "/v2/crm/entities", params=params, json=ids)
    assert response.status_code == 200, response.text
    found: JSON = response.json()["crmObjectsMap"]
    return found


def crm_context(api: httpx.Client) -> list[JSON]:
    """The CRM objects of the first page of calls, as extensive data shows them."""
    selector = {"context": "Extended", "exposedFields": {"parties": True}}
    return api.post("/v2/calls/extensive", json={"filter": {}, "contentSelector": selector}).json()["calls"]


# ----- integrations ------------------------------------------------------------------------------


def test_the_company_starts_with_one_integration(api: httpx.Client) -> None:
    body = api.get("/v2/crm/integrations").json()
    [only] = body["integrations"]
    assert set(only) == {"integrationId", "ownerEmail", "name"}
    assert isinstance(only["integrationId"], int) and "@" in only["ownerEmail"] and only["name"]


def test_delete_is_asynchronous_then_a_new_integration_can_be_registered(api: httpx.Client, emu: Emulator) -> None:
    old = integration(api)
    register = {"ownerEmail": "crm.admin@northwind.example", "name": "ACME Sandbox"}
    assert_gong_error(api.put("/v2/crm/integrations", json=register), 409, "already exists")
    deleted = api.delete("/v2/crm/integrations", params={"integrationId": old, "clientRequestId": "delete-1"})
    assert deleted.status_code == 201, deleted.text
    assert deleted.json()["clientRequestId"] == "delete-1" and deleted.json()["requestId"]
    status = {"integrationId": old, "clientRequestId": "delete-1"}
    pending = api.get("/v2/crm/request-status", params=status).json()
    assert pending["status"] == "PENDING" and pending["errors"] == [] and pending["totalErrorCount"] == 0
    assert integration(api) == old  # still there until the request is done
    assert_gong_error(api.put("/v2/crm/integrations", json=register), 409)
    again = api.delete("/v2/crm/integrations", params={"integrationId": old, "clientRequestId": "delete-1"})
    assert_gong_error(again, 409, "already been used")
    emu.advance_clock(emu.config.processing_delay)
    done = api.get("/v2/crm/request-status", params=status).json()
    assert done["status"] == "DONE" and done["totalSuccessCount"] > 0
    assert api.get("/v2/crm/integrations").json()["integrations"] == []
    assert_gong_error(api.get("/v2/crm/entity-schema", params={"integrationId": old}), 400, "integrationId")
    registered = api.put("/v2/crm/integrations", json=register)
    assert registered.status_code == 200, registered.text
    new = registered.json()["integrationId"]
    assert isinstance(new, int) and new != old
    assert api.get("/v2/crm/integrations").json()["integrations"] == [{"integrationId": new, **register}]
    assert schema(api, new) == {"ACCOUNT": [], "CONTACT": [], "DEAL": [], "LEAD": []}
    account = crm_context(api)[0]["context"][0]["objects"][0]["objectId"]
    assert objects(api, new, "ACCOUNT", [account]) == {account: None}
    # The finished request stays readable under the old integration's id.
    assert api.get("/v2/crm/request-status", params=status).json()["status"] == "DONE"


@pytest.mark.parametrize(
    ("params", "fragment"),
    [
        ({"clientRequestId": "r1"}, "integrationId"),
        ({"integrationId": "12"}, "clientRequestId"),
        ({"integrationId": "12", "clientRequestId": "has space"}, "clientRequestId"),
        ({"integrationId": "12", "clientRequestId": "r1"}, "integrationId"),
    ],
)
def test_delete_bad_input(api: httpx.Client, params: JSON, fragment: str) -> None:
    assert_gong_error(api.delete("/v2/crm/integrations", params=params), 400, fragment)


@pytest.mark.parametrize(
    ("body", "fragment"),
    [
        ({"name": "x"}, "ownerEmail"),
        ({"ownerEmail": 7, "name": "x"}, "ownerEmail"),
        ({"ownerEmail": "a@b.co"}, "name"),
    ],
)
def test_register_bad_input(api: httpx.Client, body: JSON, fragment: str) -> None:
    assert_gong_error(api.put("/v2/crm/integrations", json=body), 400, fragment)


def test_request_status_of_an_unknown_request(api: httpx.Client) -> None:
    params = {"integrationId": integration(api), "clientRequestId": "never"}
    assert_gong_error(api.get("/v2/crm/request-status", params=params), 400, "never")
    assert_gong_error(api.get("/v2/crm/request-status", params={"clientRequestId": "x"}), 400, "integrationId")


# ----- schema ------------------------------------------------------------------------------------


def test_schema_of_every_type_and_of_one(api: httpx.Client) -> None:
    everything = schema(api, integration(api))
    assert set(everything) == {"ACCOUNT", "CONTACT", "DEAL", "LEAD"}
    for fields in everything.values():
        assert fields
        for f in fields:
            assert f["type"] in FIELD_TYPES and f["uniqueName"] == f["name"] and f["label"]
            assert f["isDeleted"] is False
            assert (f["referenceTo"] is not None) == (f["type"] == "REFERENCE")
            assert (f["orderedValueList"] is not None) == (f["type"] == "PICKLIST")
    assert schema(api, integration(api), "DEAL") == {"DEAL": everything["DEAL"]}
    bad = api.get("/v2/crm/entity-schema", params={"integrationId": integration(api), "objectType": "account"})
    assert_gong_error(bad, 400, "objectType")


def test_schema_uploads_add_change_and_remove_fields(api: httpx.Client) -> None:
    crm = integration(api)
    params = {"integrationId": crm, "objectType": "ACCOUNT"}
    fields = [
        {k: f[k] for k in ("uniqueName", "label", "type", "referenceTo", "orderedValueList")}
        for f in schema(api, crm, "ACCOUNT")["ACCOUNT"]
    ]
    account = crm_context(api)[0]["context"][0]["objects"][0]["objectId"]
    before = objects(api, crm, "ACCOUNT", [account])[account]
    assert before["industry"] == "Technology" and before["website"].startswith("https://")
    # Leaving a field out is refused: every upload carries the whole schema.
    assert_gong_error(api.post("/v2/crm/entity-schema", params=params, json=fields[1:]), 400, fields[0]["uniqueName"])
    tier = {"uniqueName": "tier", "label": "Tier", "type": "PICKLIST", "orderedValueList": ["Gold", "Silver"]}
    website = next(f for f in fields if f["uniqueName"] == "website")
    industry = next(f for f in fields if f["uniqueName"] == "industry")
    changed = [f for f in fields if f not in (website, industry)] + [
        tier,
        {**website, "isDeleted": True},
        {**industry, "type": "STRING", "orderedValueList": None},
    ]
    uploaded = api.post("/v2/crm/entity-schema", params=params, json=changed)
    assert uploaded.status_code == 201 and set(uploaded.json()) == {"requestId"}
    after = {f["uniqueName"]: f for f in schema(api, crm, "ACCOUNT")["ACCOUNT"]}
    assert "website" not in after and after["tier"]["orderedValueList"] == ["Gold", "Silver"]
    assert after["industry"]["type"] == "STRING" and after["tier"]["lastModified"]
    values = objects(api, crm, "ACCOUNT", [account])[account]
    # A deleted field's values go; a field whose type changed is a new field without them.
    assert "website" not in values and "industry" not in values and values["name"] == before["name"]


@pytest.mark.parametrize(
    ("body", "fragment"),
    [
        ({"uniqueName": "x"}, "label"),
        ({"uniqueName": "x", "label": "X", "type": "TEXT"}, "type"),
        ({"uniqueName": "x", "label": "X", "type": "REFERENCE"}, "referenceTo"),
        ({"uniqueName": "x", "label": "X", "type": "REFERENCE", "referenceTo": "OPPORTUNITY"}, "referenceTo"),
        ({"uniqueName": "x", "label": "X", "type": "PICKLIST"}, "orderedValueList"),
        ({"uniqueName": "x", "label": "X", "type": "DATE", "lastModified": "today"}, "lastModified"),
        ({"uniqueName": "x", "label": "X", "type": "DATE", "isDeleted": "no"}, "isDeleted"),
    ],
)
def test_schema_field_rules(api: httpx.Client, body: JSON, fragment: str) -> None:
    params = {"integrationId": integration(api), "objectType": "LEAD"}
    assert_gong_error(api.post("/v2/crm/entity-schema", params=params, json=[body]), 400, fragment)


def test_schema_upload_needs_an_array_and_an_object_type(api: httpx.Client) -> None:
    crm = integration(api)
    assert_gong_error(
        api.post("/v2/crm/entity-schema", params={"integrationId": crm, "objectType": "LEAD"}, json={}), 400, "array"
    )
    assert_gong_error(api.post("/v2/crm/entity-schema", params={"integrationId": crm}, json=[]), 400, "objectType")


# ----- objects -----------------------------------------------------------------------------------


def test_objects_are_the_crm_objects_calls_show(api: httpx.Client) -> None:
    crm = integration(api)
    seen = 0
    for call in crm_context(api):
        for ctx in call.get("context", []):
            for obj in ctx["objects"]:
                if obj["timing"] != "Now":
                    continue
                fields = {f["name"]: f["value"] for f in obj["fields"]}
                kind = {"Account": "ACCOUNT", "Opportunity": "DEAL"}[obj["objectType"]]
                found = objects(api, crm, kind, [obj["objectId"]])[obj["objectId"]]
                assert found["name"] == fields["Name"]
                if kind == "DEAL":
                    assert found["amount"] == fields["Amount"]
                seen += 1
        for party in call["parties"]:
            for ctx in party["context"]:
                for obj in ctx["objects"]:
                    kind = obj["objectType"].upper()
                    found = objects(api, crm, kind, [obj["objectId"]])[obj["objectId"]]
                    assert found["email"] == party["emailAddress"]
                    other = "LEAD" if kind == "CONTACT" else "CONTACT"
                    assert objects(api, crm, other, [obj["objectId"]]) == {obj["objectId"]: None}
                    seen += 1
    assert seen > 10


def test_objects_ids_in_the_query_or_the_body(api: httpx.Client) -> None:
    crm = integration(api)
    account = crm_context(api)[0]["context"][0]["objects"][0]["objectId"]
    params = {"integrationId": crm, "objectType": "ACCOUNT", "objectsCrmIds": f"{account},nothing"}
    body = api.get("/v2/crm/entities", params=params).json()["crmObjectsMap"]
    assert set(body) == {account, "nothing"} and body["nothing"] is None and body[account]
    many = [f"id{n}" for n in range(150)]
    assert len(objects(api, crm, "ACCOUNT", many)) == 100  # Gong reads the first 100
    assert_gong_error(
        api.get("/v2/crm/entities", params={"integrationId": crm, "objectType": "ACCOUNT"}), 400, "objectsCrmIds"
    )
    wrong = api.request("GET", "/v2/crm/entities", params={"integrationId": crm, "objectType": "DEAL"}, json=[1])
    assert_gong_error(wrong, 400, "array")
