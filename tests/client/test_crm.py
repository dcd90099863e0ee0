"""The generic CRM integration over real HTTP, sync and async: the integration, its
asynchronous delete and the request's status, registering anew, the schema (read, and
uploaded as a JSON list), and objects read back by CRM id in the body of a GET."""

from __future__ import annotations

import pytest

from gong_connector import ConflictError
from gong_connector.client import (
    BaseResponse,
    CrmIntegration,
    CrmIntegrationRegistration,
    CrmObjects,
    CrmRequestAccepted,
    CrmRequestStatus,
    CrmSchema,
    CrmSchemaField,
    CrmSchemaFieldInfo,
)
from gong_connector.emulator import Emulator

from .conftest import Facade, api_requests

NEW_FIELDS = [
    CrmSchemaField(unique_name="renewal", label="Renewal", type="DATETIME", last_modified="2026-10-01T08:00:00.250Z"),
    {"uniqueName": "tier", "label": "Tier", "type": "PICKLIST", "orderedValueList": ["Gold", "Silver"]},
    {"unique_name": "csm", "label": "CSM", "type": "REFERENCE", "reference_to": "USER"},
]


def _integration(api: Facade) -> str:
    (only,) = api.list_crm_integrations().to_list()  # Gong holds one at a time
    return str(only.integration_id)


def test_the_integration_is_listed_with_a_64_bit_id(api: Facade) -> None:
    listed = api.list_crm_integrations().to_list()
    assert len(listed) == 1 and isinstance(listed[0], CrmIntegration) and not listed[0].problems()
    assert isinstance(listed[0].integration_id, str) and int(listed[0].integration_id) > 2**53  # exact
    assert listed[0].name and listed[0].owner_email


def test_delete_then_register_anew(api: Facade, gong_emulator: Emulator) -> None:
    old = _integration(api)
    with pytest.raises(ConflictError):  # one at a time
        api.register_crm_integration(name="ACME CRM", owner_email="crm.owner@acme.example")
    accepted = api.delete_crm_integration(integration_id=old, client_request_id="delete-crm-1")
    assert isinstance(accepted, CrmRequestAccepted) and accepted.client_request_id == "delete-crm-1"
    delete = [r for r in api_requests(gong_emulator) if r["method"] == "DELETE"][-1]
    assert delete["query"] == {"integrationId": old, "clientRequestId": "delete-crm-1"}
    status = api.get_crm_request_status(integration_id=old, client_request_id="delete-crm-1")
    assert isinstance(status, CrmRequestStatus) and not status.problems()
    assert status.status in {"PENDING", "IN_PROGRESS"} and status.errors == []
    with pytest.raises(ConflictError):  # a client request id is used once
        api.delete_crm_integration(integration_id=old, client_request_id="delete-crm-1")

    gong_emulator.advance_clock(24 * 3600)  # Gong takes up to a day
    done = api.get_crm_request_status(integration_id=old, client_request_id="delete-crm-1")
    assert done.status == "DONE" and isinstance(done.total_success_count, int)
    assert api.list_crm_integrations().to_list() == []
    made = api.register_crm_integration(name="ACME CRM", owner_email="crm.owner@acme.example")
    assert isinstance(made, CrmIntegrationRegistration) and isinstance(made.integration_id, str)
    (put,) = [r for r in api_requests(gong_emulator) if r["method"] == "PUT" and r["status"] == 200]
    assert put["body"] == {"name": "ACME CRM", "ownerEmail": "crm.owner@acme.example"}
    assert [i.integration_id for i in api.list_crm_integrations().to_list()] == [made.integration_id]


def test_schema_is_read_by_type_and_uploaded_as_a_list(api: Facade, gong_emulator: Emulator) -> None:
    integration = _integration(api)
    schema = api.list_crm_schema_fields(integration_id=integration, object_type="ACCOUNT")
    assert isinstance(schema, CrmSchema) and not schema.problems()
    existing = schema.fields("ACCOUNT")
    assert existing and all(isinstance(f, CrmSchemaFieldInfo) and f.unique_name and f.type for f in existing)
    assert schema.fields("DEAL") == []  # only the type asked for
    every = api.list_crm_schema_fields(integration_id=integration)
    assert every.fields("ACCOUNT") and every.fields("DEAL")
    # Gong wants every field of the type again, with the new ones.
    resent = [
        CrmSchemaField(
            unique_name=f.unique_name or "",
            label=f.label or "",
            type=f.type,  # type: ignore[arg-type]
            reference_to=f.reference_to,  # type: ignore[arg-type]
            ordered_value_list=f.ordered_value_list or None,
        )
        for f in existing
    ]
    done = api.upload_crm_schema(integration_id=integration, object_type="ACCOUNT", fields=[*resent, *NEW_FIELDS])
    assert isinstance(done, BaseResponse) and done.request_id
    (post,) = [r for r in api_requests(gong_emulator) if r["method"] == "POST"]
    assert post["query"] == {"integrationId": integration, "objectType": "ACCOUNT"}
    assert isinstance(post["body"], list) and post["body"][len(resent) :] == [
        {"uniqueName": "renewal", "label": "Renewal", "type": "DATETIME", "lastModified": "2026-10-01T08:00:00Z"},
        {"uniqueName": "tier", "label": "Tier", "type": "PICKLIST", "orderedValueList": ["Gold", "Silver"]},
        {"uniqueName": "csm", "label": "CSM", "type": "REFERENCE", "referenceTo": "USER"},
    ]
    after = api.list_crm_schema_fields(integration_id=integration, object_type="ACCOUNT").fields("ACCOUNT")
    assert {f.unique_name for f in after} == {f.unique_name for f in existing} | {"renewal", "tier", "csm"}
    assert next(f for f in after if f.unique_name == "tier").ordered_value_list == ["Gold", "Silver"]


def test_objects_are_asked_for_in_the_body_of_the_get(api: Facade, gong_emulator: Emulator) -> None:
    integration = _integration(api)
    account = next(
        o["objectId"]
        for call in api.list_calls_extensive(content_selector={"context": "Extended"}).first_page().items
        for ctx in call.context or []
        for o in ctx.get("objects", [])
        if o.get("objectType") == "Account"
    )
    objects = api.get_crm_objects(integration_id=integration, object_type="ACCOUNT", objects_crm_ids=[account, "nope"])
    assert isinstance(objects, CrmObjects) and objects.request_id and not objects.problems()
    assert objects.crm_objects_map is not None
    assert isinstance(objects.crm_objects_map[account], dict) and objects.crm_objects_map["nope"] is None
    (get,) = [r for r in api_requests(gong_emulator) if r["path"] == "/v2/crm/entities"]
    assert get["method"] == "GET" and get["body"] == [account, "nope"]
    assert get["query"] == {"integrationId": integration, "objectType": "ACCOUNT"}
