"""Gong's generic CRM integration: register it, upload and read its schema, read back its
objects, follow its asynchronous requests, delete it.

Two of these send a JSON list as the whole body (the schema's fields, the objects' ids)
where every other action sends an object; their one ``Body(..., whole=True)`` input is
checked like any other and then sent as the body itself.
"""

# Action bodies are never run: the declaration is the definition (see _define.py).
# mypy: disable-error-code="empty-body"

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated, Literal, ParamSpec, TypeVar

from ._define import Body, Query, action, list_action
from ._kinds import CLIENT_REQUEST_ID, EMAIL, ID, TEXT, Choice, ListOf, Models
from ._models import BaseResponse, ModelInput
from ._models_crm import (
    CRM_OBJECT_TYPES,
    CrmIntegration,
    CrmIntegrationRegistration,
    CrmObjects,
    CrmRequestAccepted,
    CrmRequestStatus,
    CrmSchema,
    CrmSchemaField,
)
from ._paging import Pager

__all__ = ["Crm"]

P = ParamSpec("P")
R = TypeVar("R")

ObjectType = Literal["ACCOUNT", "CONTACT", "DEAL", "LEAD"]

INTEGRATION_ID = Query(ID, help="The integration's id, as register-crm-integration returned it (digits, as a string).")
OBJECT_TYPE = Query(Choice(CRM_OBJECT_TYPES), help="ACCOUNT, CONTACT, DEAL or LEAD.")
CLIENT_REQUEST = Query(CLIENT_REQUEST_ID, help="Your own id for the request, to ask about it later.")
_FIELD = {"uniqueName": "industry", "label": "Industry", "type": "PICKLIST", "orderedValueList": ["Retail", "Energy"]}


class Crm:
    """The CRM integration actions, shared by both clients."""

    @list_action("GET", "/v2/crm/integrations", scope="api:crm:integrations:read", items="integrations", in_spec=False)
    def list_crm_integrations(self) -> Pager[CrmIntegration]:
        """The generic CRM integration registered with Gong, if any (one page)."""

    @action(
        "PUT",
        "/v2/crm/integrations",
        scope="api:crm:integration:register",
        retry_safe=True,  # a second registration is refused (409) while one exists
        in_spec=False,
    )
    def register_crm_integration(
        self,
        *,
        name: Annotated[str, Body(help="A name for the integration.", example="ACME CRM")],
        owner_email: Annotated[str, Body(EMAIL, help="E-mail of the person responsible for the integration.")],
    ) -> CrmIntegrationRegistration:
        """Register your CRM with Gong; its id goes with every later CRM request.

        Gong holds one CRM integration at a time (native ones included): delete the old one
        first.
        """

    @action(
        "DELETE",
        "/v2/crm/integrations",
        scope="api:crm:integration:delete",
        retry_safe=True,  # Gong refuses a client request id it has seen (409)
        in_spec=False,
    )
    def delete_crm_integration(
        self,
        *,
        integration_id: Annotated[str, INTEGRATION_ID],
        client_request_id: Annotated[str, CLIENT_REQUEST],
    ) -> CrmRequestAccepted:
        """Delete the CRM integration and every CRM object it brought (asynchronous in Gong).

        Follow it with get-crm-request-status and the same client request id; Gong may take
        a day.
        """

    @action("GET", "/v2/crm/entity-schema", scope="api:crm:schema", in_spec=False)
    def list_crm_schema_fields(
        self,
        *,
        integration_id: Annotated[str, INTEGRATION_ID],
        object_type: Annotated[
            ObjectType | None,
            Query(Choice(CRM_OBJECT_TYPES), help="ACCOUNT, CONTACT, DEAL or LEAD; every type if left out."),
        ] = None,
    ) -> CrmSchema:
        """The schema fields Gong holds for the integration's objects, by object type."""

    @action(
        "POST",
        "/v2/crm/entity-schema",
        scope="api:crm:schema",
        retry_safe=True,  # the upload replaces the type's schema: sending it twice changes nothing
        destructive=True,  # a field sent with is_deleted (or a new type) loses its values
        in_spec=False,
    )
    def upload_crm_schema(
        self,
        *,
        integration_id: Annotated[str, INTEGRATION_ID],
        object_type: Annotated[ObjectType, OBJECT_TYPE],
        fields: Annotated[
            Sequence[ModelInput[CrmSchemaField]],
            Body(
                Models(CrmSchemaField, min_items=1),
                whole=True,
                help="Every field of the object type, earlier ones included; is_deleted removes one with its data.",
                example=[_FIELD],
            ),
        ],
    ) -> BaseResponse:
        """Set the schema of one CRM object type, so Gong shows those fields.

        Send all the type's fields each time. A field marked ``is_deleted``, or whose type
        changes, loses its values in every object.
        """

    @action("GET", "/v2/crm/entities", scope="api:crm:get-objects", in_spec=False)
    def get_crm_objects(
        self,
        *,
        integration_id: Annotated[str, INTEGRATION_ID],
        object_type: Annotated[ObjectType, OBJECT_TYPE],
        objects_crm_ids: Annotated[
            Sequence[str],
            Body(
                ListOf(TEXT, max_items=100),
                whole=True,
                label="Objects CRM IDs",
                help="CRM ids of the objects to read, at most 100 (Gong would drop the rest).",
                example=["0013000001ABCD"],
            ),
        ],
    ) -> CrmObjects:
        """Uploaded CRM objects as Gong holds them, by CRM id, to check an upload.

        Gong meant it for development only. The ids travel in the body of the GET, as Gong
        asks.
        """

    @action("GET", "/v2/crm/request-status", scope="api:crm:upload", in_spec=False)
    def get_crm_request_status(
        self,
        *,
        integration_id: Annotated[str, INTEGRATION_ID],
        client_request_id: Annotated[str, CLIENT_REQUEST],
    ) -> CrmRequestStatus:
        """Where an asynchronous CRM request stands (PENDING, IN_PROGRESS, DONE, FAILED),
        with the lines that failed."""
