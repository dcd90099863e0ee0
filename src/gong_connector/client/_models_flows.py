"""Gong Engage flows, and the prospects assigned to them (lazy, tolerant views; see
``_record.py``)."""

from __future__ import annotations

from datetime import datetime

from ._models import BaseResponse
from ._record import GongModel

__all__ = ["AssignedFlow", "Flow", "FlowAssignment", "FlowAssignmentFailure", "ProspectFlows"]


class Flow(GongModel):
    """An Engage flow: company-wide, personal or shared."""

    __key__ = ("id",)

    id: str | None
    name: str | None
    folder_id: str | None
    folder_name: str | None
    visibility: str | None
    creation_date: datetime | str | None
    exclusive: bool | None


class AssignedFlow(GongModel):
    """A prospect's place in a flow: the flow instance, who owns its to-dos, its status."""

    flow_id: str | None
    flow_name: str | None
    crm_prospect_id: str | None
    flow_instance_id: str | None
    flow_instance_owner_email: str | None
    flow_instance_owner_full_name: str | None
    flow_instance_create_date: datetime | str | None
    flow_instance_status: str | None
    workspace_id: str | None
    exclusive: bool | None


class FlowAssignmentFailure(GongModel):
    """A prospect Gong could not put in the flow, and why."""

    flow_id: str | None
    crm_prospect_id: str | None
    error_code: str | None
    error_message: str | None


class ProspectFlows(BaseResponse):
    """The flows the given prospects are in."""

    prospects_assigned: list[AssignedFlow]


class FlowAssignment(BaseResponse):
    """The outcome of assigning prospects to a flow: who was assigned, who was not."""

    prospects_assigned: list[AssignedFlow]
    prospects_not_assigned: list[FlowAssignmentFailure]
