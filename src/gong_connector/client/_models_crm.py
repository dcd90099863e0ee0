"""Gong's generic CRM integration: the integration, its schema, its objects and the status of
its asynchronous requests; and the calls people tied to CRM records by hand.

Response models are lazy, tolerant views (see ``_record.py``). Gong's reference types an
integration id as a 64-bit integer (and warns against parsing it as a 32-bit one): it reads
as an exact Python int. ``CrmSchemaField`` is the strict request side of a schema field.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import field_validator, model_validator

from ..errors import ValidationError
from ._kinds import DATETIME
from ._models import BaseResponse, RequestModel
from ._record import GongModel

__all__ = [
    "CRM_FIELD_TYPES",
    "CRM_OBJECT_TYPES",
    "AssociatedCrmObject",
    "CrmIntegration",
    "CrmIntegrationRegistration",
    "CrmLineError",
    "CrmObjects",
    "CrmRequestAccepted",
    "CrmRequestStatus",
    "CrmSchema",
    "CrmSchemaField",
    "CrmSchemaFieldInfo",
    "ManualCrmAssociation",
]

CRM_OBJECT_TYPES = ("ACCOUNT", "CONTACT", "DEAL", "LEAD")
CRM_FIELD_TYPES = (
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
)

FieldType = Literal[
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
]


class CrmIntegration(GongModel):
    """The generic CRM integration registered with Gong (there is at most one)."""

    __key__ = ("integration_id",)

    integration_id: str | None
    owner_email: str | None
    name: str | None


class CrmIntegrationRegistration(BaseResponse):
    """Gong's answer to registering the integration: the id every CRM request names."""

    integration_id: str | None


class CrmRequestAccepted(BaseResponse):
    """An asynchronous CRM request Gong accepted; ask about it by its client request id."""

    client_request_id: str | None


class CrmSchemaFieldInfo(GongModel):
    """A field of one CRM object type's schema, as Gong lists it."""

    unique_name: str | None
    #: Gong's prose example names the field ``name`` where its schema says ``uniqueName``.
    name: str | None
    label: str | None
    type: str | None
    last_modified: datetime | str | None
    is_deleted: bool | None
    reference_to: str | None
    ordered_value_list: list[str]


class CrmSchema(BaseResponse):
    """The schema fields Gong holds, by object type (``ACCOUNT``, ``DEAL``...)."""

    object_type_to_selected_fields: dict[str, Any] | None

    def fields(self, object_type: str) -> list[CrmSchemaFieldInfo]:
        """The fields of one object type (none if Gong sent none)."""
        found = (self.object_type_to_selected_fields or {}).get(object_type)
        return [CrmSchemaFieldInfo(f) for f in found if isinstance(f, dict)] if isinstance(found, list) else []


class CrmObjects(BaseResponse):
    """CRM objects by their CRM id: each a map of field name to value, or None if unknown."""

    crm_objects_map: dict[str, Any] | None


class CrmLineError(GongModel):
    """Why one line of an uploaded file failed (line 0: the whole file)."""

    line: int | None
    description: str | None


class CrmRequestStatus(BaseResponse):
    """Where an asynchronous CRM request stands: PENDING, IN_PROGRESS, DONE or FAILED."""

    status: str | None
    errors: list[CrmLineError]
    total_error_count: int | None
    total_success_count: int | None


class AssociatedCrmObject(GongModel):
    """The CRM account (and deal, if any) a call was tied to."""

    account_crm_id: str | None
    deal_crm_id: str | None


class ManualCrmAssociation(GongModel):
    """A call someone tied to CRM records by hand, who did it and when."""

    __key__ = ("call_id",)

    call_id: str | None
    user_id: str | None
    created: datetime | str | None
    associated_crm_objects: list[AssociatedCrmObject]


class CrmSchemaField(RequestModel):
    """One field of a CRM object type's schema, as uploaded to Gong.

    Gong wants every field of the type in each upload; ``is_deleted`` removes a field and
    its values from every object.
    """

    unique_name: str
    label: str
    type: FieldType
    last_modified: str | None = None
    is_deleted: bool | None = None
    reference_to: Literal["ACCOUNT", "CONTACT", "DEAL", "LEAD", "USER"] | None = None
    ordered_value_list: list[str] | None = None

    @field_validator("last_modified", mode="before")
    @classmethod
    def _moment(cls, value: Any) -> Any:
        if value is None:
            return None
        try:
            return DATETIME.check("last_modified", value)  # no milliseconds, as Gong asks
        except ValidationError as exc:
            raise ValueError(exc.message) from None

    @model_validator(mode="after")
    def _needs(self) -> CrmSchemaField:
        if self.type == "REFERENCE" and self.reference_to is None:
            raise ValueError("a REFERENCE field needs reference_to")
        if self.type == "PICKLIST" and not self.ordered_value_list:
            raise ValueError("a PICKLIST field needs ordered_value_list")
        return self
