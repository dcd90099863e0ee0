"""Access to single calls given to single users through the API: give it, list it, take it back.

Only access given this way is listed or removed; access through sharing or a permission
profile is Gong's own business.
"""

# Action bodies are never run: the declaration is the definition (see _define.py).
# mypy: disable-error-code="empty-body"

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated

from ._define import Body, Filter, action, list_action
from ._kinds import IDS, Models
from ._models import BaseResponse, ModelInput
from ._models_permissions import CallAccess, CallUsersAccess
from ._paging import Pager

__all__ = ["CallsAccess"]

SCOPE_WRITE = "api:call-user-access:write"
_GRANT = [{"callId": "7782342274025937895", "userIds": ["234599484848423"]}]

Grants = Sequence[ModelInput[CallUsersAccess]]


class CallsAccess:
    """The per-call user access actions, shared by both clients."""

    @action(
        "PUT",
        "/v2/calls/users-access",
        scope=SCOPE_WRITE,
        title="Add Users Access to Calls",
        retry_safe=True,  # access a user already has is left as it is
        in_spec=False,
    )
    def add_call_access(
        self,
        *,
        call_access_list: Annotated[
            Grants,
            Body(
                Models(CallUsersAccess, min_items=1),
                label="Call Access List",
                help="For each call, the users to give access to.",
                example=_GRANT,
            ),
        ],
    ) -> BaseResponse:
        """Give users access to calls they could not otherwise see."""

    @list_action(
        "POST",
        "/v2/calls/users-access",
        scope="api:call-user-access:read",
        items="callAccessList",
        title="List Users Access to Calls",
        in_spec=False,
    )
    def list_call_access(
        self,
        *,
        call_ids: Annotated[Sequence[str], Filter(IDS, help="The calls to ask about (Gong ids).")],
    ) -> Pager[CallAccess]:
        """For each call, the users given access to it through the API (one page)."""

    @action(
        "DELETE",
        "/v2/calls/users-access",
        scope=SCOPE_WRITE,
        title="Remove Users Access from Calls",
        retry_safe=True,  # removing access that is gone already changes nothing
        in_spec=False,
    )
    def remove_call_access(
        self,
        *,
        call_access_list: Annotated[
            Grants,
            Body(
                Models(CallUsersAccess, min_items=1),
                label="Call Access List",
                help="For each call, the users whose API-given access to take back.",
                example=_GRANT,
            ),
        ],
    ) -> BaseResponse:
        """Take back access to calls given through the API; other access stays."""
