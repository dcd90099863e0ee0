"""Gong meetings: create, update, delete."""

# Action bodies are never run: the declaration is the definition (see _define.py).
# mypy: disable-error-code="empty-body"

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated

from ._define import Body, Path, action
from ._kinds import DATETIME, EMAIL, ID, ListOf, Models
from ._models import (
    BaseResponse,
    CreateMeetingResponse,
    DateTimeLike,
    MeetingInvitee,
    ModelInput,
    UpdateMeetingResponse,
)
from ._models_users import MeetingIntegrationStatus

__all__ = ["Meetings"]

MEETING_ID = Path(ID, wire="meetingId", label="Meeting ID", help="The meeting's Gong id.")
START = Body(DATETIME, help="Meeting start.")
END = Body(DATETIME, help="Meeting end.")
ORGANIZER = Body(EMAIL, help="E-mail of the Gong user organising the meeting.")
INVITEES = Body(
    Models(MeetingInvitee, shorthand="email", shorthand_kind=EMAIL, min_items=1),
    help="Invitees other than the organiser: e-mail strings or invitee objects.",
    example=["john.roe@example.com"],
)
EXTERNAL_ID = Body(label="External ID", help="The meeting's id in your own system.", example="crm-meeting-42")
TITLE = Body(help="Title shown in Gong and used for search.", example="Quarterly review")

Invitees = Sequence[str | ModelInput[MeetingInvitee]]


class Meetings:
    """The meeting actions, shared by both clients."""

    @action("POST", "/v2/meetings", scope="api:meetings:user:create", title="Create New Gong Meeting")
    def create_meeting(
        self,
        *,
        start_time: Annotated[DateTimeLike, START],
        end_time: Annotated[DateTimeLike, END],
        organizer_email: Annotated[str, ORGANIZER],
        invitees: Annotated[Invitees, INVITEES],
        external_id: Annotated[str | None, EXTERNAL_ID] = None,
        title: Annotated[str | None, TITLE] = None,
    ) -> CreateMeetingResponse:
        """Create a Gong meeting; invitees may be e-mail strings or invitee objects."""

    @action(
        "PUT",
        "/v2/meetings/{meetingId}",
        scope="api:meetings:user:update",
        title="Update Gong Meeting",
        retry_safe=True,  # a full replacement: sending it twice leaves the same meeting
    )
    def update_meeting(
        self,
        *,
        meeting_id: Annotated[str, MEETING_ID],
        start_time: Annotated[DateTimeLike, START],
        end_time: Annotated[DateTimeLike, END],
        organizer_email: Annotated[str, ORGANIZER],
        invitees: Annotated[Invitees, INVITEES],
        external_id: Annotated[str | None, EXTERNAL_ID] = None,
        title: Annotated[str | None, TITLE] = None,
    ) -> UpdateMeetingResponse:
        """Replace a Gong meeting's details.

        Gong wants the full set of required fields again, not just the changes.
        """

    @action("DELETE", "/v2/meetings/{meetingId}", scope="api:meetings:user:delete", title="Delete Gong Meeting")
    def delete_meeting(
        self,
        *,
        meeting_id: Annotated[str, MEETING_ID],
        organizer_email: Annotated[str | None, ORGANIZER] = None,
    ) -> BaseResponse:
        """Delete a Gong meeting."""

    @action(
        "POST",
        "/v2/meetings/integration/status",
        scope="api:meetings:integration:status",
        title="Get Meeting Integration Status",
        read_only=True,
        retry_safe=True,
        in_spec=False,
    )
    def get_meeting_integration_status(
        self,
        *,
        emails: Annotated[
            Sequence[str],
            Body(
                ListOf(EMAIL, max_items=100),
                help="E-mail addresses of the meeting organisers to check, at most 100.",
                example=["jane.doe@example.com"],
            ),
        ],
    ) -> MeetingIntegrationStatus:
        """Whether Gong can schedule meetings for these users, and if not what to fix.

        Gong releases this endpoint to some companies only (others get a 403).
        """
