"""Gong Engage flows: list them, see which flows prospects are in, assign prospects."""

# Action bodies are never run: the declaration is the definition (see _define.py).
# mypy: disable-error-code="empty-body"

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated

from ._define import Body, Cursor, Query, action, list_action
from ._kinds import EMAIL, ID, TEXT, ListOf
from ._models_flows import Flow, FlowAssignment, ProspectFlows
from ._paging import Pager

__all__ = ["Flows"]

PROSPECT_EXAMPLE = ["0033000001XYZ"]


class Flows:
    """The Engage flow actions, shared by both clients."""

    @list_action("GET", "/v2/flows", scope="api:flows:read", items="flows", in_spec=False)
    def list_flows(
        self,
        *,
        flow_owner_email: Annotated[
            str, Query(EMAIL, help="The Gong user whose personal flows, and flows shared with them, to include.")
        ],
        workspace_id: Annotated[str | None, Query(ID, help="Only the flows of this workspace.")] = None,
        cursor: Annotated[str | None, Cursor()] = None,
    ) -> Pager[Flow]:
        """Company flows, plus one user's personal flows and the flows shared with them,
        paged lazily."""

    @action(
        "POST",
        "/v2/flows/prospects",
        scope="api:flows:read",
        title="List Prospect Flows",
        read_only=True,
        retry_safe=True,
        in_spec=False,
    )
    def list_prospect_flows(
        self,
        *,
        crm_prospects_ids: Annotated[
            Sequence[str],
            Body(
                ListOf(TEXT),
                label="CRM Prospects IDs",
                help="CRM ids of the contacts or leads to look up.",
                example=PROSPECT_EXAMPLE,
            ),
        ],
    ) -> ProspectFlows:
        """The Engage flows the given prospects (CRM contacts or leads) are in."""

    @action("POST", "/v2/flows/prospects/assign", scope="api:flows:write", in_spec=False)
    def assign_prospects(
        self,
        *,
        flow_id: Annotated[str, Body(ID, help="The flow to put the prospects in.", example="1695493301223590792")],
        flow_instance_owner_email: Annotated[
            str, Body(EMAIL, help="The Gong user who will own the flow's to-dos for these prospects.")
        ],
        crm_prospects_ids: Annotated[
            Sequence[str],
            Body(
                ListOf(TEXT, max_items=200),
                label="CRM Prospects IDs",
                help="CRM ids of the contacts or leads to assign, at most 200.",
                example=PROSPECT_EXAMPLE,
            ),
        ],
    ) -> FlowAssignment:
        """Put prospects (CRM contacts or leads) in an Engage flow; says who could not be."""
