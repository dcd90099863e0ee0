"""Calls: list, read, create, upload recordings, transcripts."""

# Action bodies are never run: the declaration is the definition (see _define.py).
# mypy: disable-error-code="empty-body"

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated, Literal
from urllib.parse import quote

from ._define import Body, Cursor, Exclusive, Filter, Operation, Path, Query, Upload, action, list_action
from ._kinds import DATETIME, DIRECTION, ID, IDS, LANGUAGE, NUMBER, Model, Models, Text
from ._media import MediaSource, MediaUpload, ProgressCallback
from ._models import (
    AddCallMediaResponse,
    Call,
    CallContext,
    CallParty,
    CallTranscript,
    ContentSelector,
    CreateCallResponse,
    DateTimeLike,
    ExtensiveCall,
    ModelInput,
    SpeakersTimeline,
)
from ._models_crm import ManualCrmAssociation
from ._paging import Pager

__all__ = ["Calls", "upload_operation"]

FROM = "Start of the time window, inclusive."
TO = "End of the time window, exclusive."
WORKSPACE = "Restrict to one workspace."
CALL_IDS = "Only these calls (Gong ids)."

_PARTY = {"userId": "7782342274025937895", "emailAddress": "jane.doe@example.com", "name": "Jane Doe"}


class Calls:
    """The call actions, shared by both clients."""

    @list_action(
        "GET", "/v2/calls", scope="api:calls:read:basic", items="calls", window=("from_date_time", "to_date_time")
    )
    def list_calls(
        self,
        *,
        from_date_time: Annotated[DateTimeLike | None, Query(DATETIME, help=FROM)] = None,
        to_date_time: Annotated[DateTimeLike | None, Query(DATETIME, help=TO)] = None,
        workspace_id: Annotated[str | None, Query(ID, help=WORKSPACE)] = None,
        cursor: Annotated[str | None, Cursor()] = None,
    ) -> Pager[Call]:
        """Calls in a date window.

        Calls that started in ``[from_date_time, to_date_time)``, paged lazily. Either bound
        may be left out: from the earliest call, to the latest.
        """

    @action("GET", "/v2/calls/{id}", scope="api:calls:read:basic", result="call")
    def get_call(
        self,
        *,
        call_id: Annotated[str, Path(ID, wire="id", help="The call's Gong id.")],
    ) -> Call:
        """One call by id."""

    @action(
        "POST",
        "/v2/calls",
        scope="api:calls:create",
        title="Create New Call",
        retry_safe=True,  # Gong refuses a second call with the same clientUniqueId
        exclusive=(
            Exclusive(
                "speakers_timeline",
                "parties[].media_channel_id",
                "speakers_timeline and a party's media_channel_id are exclusive",
            ),
            Exclusive("download_media_url", "media", "give download_media_url or upload media, not both"),
        ),
    )
    def create_call(
        self,
        *,
        client_unique_id: Annotated[
            str, Body(help="The call's id in your recording system; Gong refuses a repeat.", example="pbx-2026-0001")
        ],
        primary_user: Annotated[str, Body(ID, help="Gong id of the user who hosted the call.")],
        parties: Annotated[
            Sequence[ModelInput[CallParty]],
            Body(Models(CallParty), help="People on the call; include the host (primary user).", example=[_PARTY]),
        ],
        direction: Annotated[
            Literal["Inbound", "Outbound", "Conference", "Unknown"],
            Body(DIRECTION, help="Inbound, Outbound, Conference or Unknown."),
        ],
        actual_start: Annotated[DateTimeLike, Body(DATETIME, help="When the call really started.")],
        scheduled_start: Annotated[
            DateTimeLike | None, Body(DATETIME, help="When the call was planned to start.")
        ] = None,
        scheduled_end: Annotated[DateTimeLike | None, Body(DATETIME, help="When the call was planned to end.")] = None,
        title: Annotated[
            str | None, Body(help="Title shown in Gong and used for search.", example="Discovery call")
        ] = None,
        purpose: Annotated[
            str | None,
            Body(
                Text(max_length=255),
                help="Why the call took place (free text, 255 characters at most).",
                example="Demo",
            ),
        ] = None,
        duration: Annotated[float | None, Body(NUMBER, help="Length of the call in seconds.")] = None,
        disposition: Annotated[
            str | None,
            Body(Text(max_length=255), help="Outcome of the call (free text, 255 characters at most).", example="Won"),
        ] = None,
        context: Annotated[
            Sequence[ModelInput[CallContext]] | None,
            Body(
                Models(CallContext),
                help="Links to records in other systems (CRM, telephony...).",
                example=[{"system": "Salesforce", "objects": [{"objectType": "Opportunity", "objectId": "0061"}]}],
            ),
        ] = None,
        custom_data: Annotated[
            str | None, Body(help="Free text Gong keeps with the call, handy when troubleshooting.")
        ] = None,
        speakers_timeline: Annotated[
            ModelInput[SpeakersTimeline] | None,
            Body(
                Model(SpeakersTimeline),
                help="Who spoke when; not together with a party's media channel.",
                example={"precise": True, "speechSegments": [{"fromTime": 0, "toTime": 10, "partyIds": ["p1"]}]},
            ),
        ] = None,
        meeting_url: Annotated[
            str | None,
            Body(
                label="Meeting URL",
                help="Link participants used to join the conference.",
                example="https://zoom.us/j/1",
            ),
        ] = None,
        call_provider_code: Annotated[
            str | None, Body(help="Gong's code for the conferencing or telephony system.", example="zoom")
        ] = None,
        download_media_url: Annotated[
            str | None,
            Body(
                label="Download Media URL",
                help="Public URL Gong fetches the recording from (then skip the upload).",
                example="https://example.com/recording.mp3",
            ),
        ] = None,
        workspace_id: Annotated[str | None, Body(ID, help=WORKSPACE)] = None,
        language_code: Annotated[
            str | None, Body(LANGUAGE, help="Language to transcribe in, if Gong should not detect it.")
        ] = None,
        media: Annotated[
            MediaSource | None,
            Upload(wire="mediaFile", label="File", help="Recording to upload once the call exists (1.5 GB at most)."),
        ] = None,
        file_name: Annotated[
            str | None,
            Upload(Text(max_length=255), help="File name sent with the recording; defaults to the file's own name."),
        ] = None,
        progress: ProgressCallback | None = None,
    ) -> CreateCallResponse:
        """Register a call; upload its media next unless Gong downloads it.

        Safe to retry: Gong refuses a second call with the same ``client_unique_id``. Pass
        ``media`` to upload the recording right after (or ``download_media_url`` to have
        Gong fetch it; not both); ``progress(sent, total)`` reports the upload.
        """

    @action("PUT", "/v2/calls/{id}/media", scope="api:calls:create", retry_safe=False)
    def add_call_media(
        self,
        *,
        call_id: Annotated[str, Path(ID, wire="id", help="The call's Gong id, as create-call returned it.")],
        media: Annotated[
            MediaSource,
            Upload(wire="mediaFile", label="File", help="Recording file to upload (1.5 GB at most)."),
        ],
        file_name: Annotated[
            str | None,
            Upload(Text(max_length=255), help="File name sent with the recording; defaults to the file's own name."),
        ] = None,
        progress: ProgressCallback | None = None,
    ) -> AddCallMediaResponse:
        """Upload the recording of a created call (at most 1.5 GB), streamed.

        The file is read from disk in chunks, so memory stays flat; ``progress(sent, total)``
        reports.
        """

    @list_action(
        "POST",
        "/v2/calls/transcript",
        scope="api:calls:read:transcript",
        items="callTranscripts",
        window=("from_date_time", "to_date_time"),
        title="Get Call Transcript",
        exclusive=(Exclusive("workspace_id", "call_ids", "Gong does not combine workspace_id with call_ids"),),
    )
    def get_call_transcripts(
        self,
        *,
        from_date_time: Annotated[DateTimeLike | None, Filter(DATETIME, help=FROM)] = None,
        to_date_time: Annotated[DateTimeLike | None, Filter(DATETIME, help=TO)] = None,
        workspace_id: Annotated[str | None, Filter(ID, help=WORKSPACE)] = None,
        call_ids: Annotated[Sequence[str] | None, Filter(IDS, help=CALL_IDS)] = None,
        cursor: Annotated[str | None, Cursor()] = None,
    ) -> Pager[CallTranscript]:
        """Transcripts of calls in a window or by id, paged lazily."""

    @list_action(
        "POST",
        "/v2/calls/extensive",
        scope="api:calls:read:extensive",
        items="calls",
        title="List Calls (extensive)",
        window=("from_date_time", "to_date_time"),
        in_spec=False,
    )
    def list_calls_extensive(
        self,
        *,
        from_date_time: Annotated[DateTimeLike | None, Filter(DATETIME, help=FROM)] = None,
        to_date_time: Annotated[DateTimeLike | None, Filter(DATETIME, help=TO)] = None,
        workspace_id: Annotated[str | None, Filter(ID, help=WORKSPACE)] = None,
        call_ids: Annotated[Sequence[str] | None, Filter(IDS, help=CALL_IDS)] = None,
        primary_user_ids: Annotated[Sequence[str] | None, Filter(IDS, help="Only calls hosted by these users.")] = None,
        content_selector: Annotated[
            ModelInput[ContentSelector] | None,
            Body(
                Model(ContentSelector),
                help="Which extra call data to include (context, exposed fields).",
                example={"context": "Extended", "exposedFields": {"parties": True}},
            ),
        ] = None,
        cursor: Annotated[str | None, Cursor()] = None,
    ) -> Pager[ExtensiveCall]:
        """Calls with parties, content and interaction data.

        What comes with each call is chosen by ``content_selector``; paged lazily.
        """

    @list_action(
        "GET",
        "/v2/calls/manual-crm-associations",
        scope="api:crm-calls:manual-association:read",
        items="associations",
        in_spec=False,
    )
    def list_manual_crm_associations(
        self,
        *,
        from_date_time: Annotated[
            DateTimeLike | None, Query(DATETIME, help="Only associations made after this moment; all if left out.")
        ] = None,
        cursor: Annotated[str | None, Cursor()] = None,
    ) -> Pager[ManualCrmAssociation]:
        """Calls people tied (or re-tied) to a CRM account or deal by hand, oldest first.

        A call tied twice is listed twice. Paged lazily: Gong's reference lists no cursor
        input here but pages the answer, so the cursor goes in the query as on its other GETs.
        """


def upload_operation(call_id: str, upload: MediaUpload) -> Operation[AddCallMediaResponse]:
    """The media upload that follows ``create_call(media=...)``, once the call id is known."""
    action = Calls.add_call_media.action
    path = action.path.format(id=quote(ID.check("call_id", call_id), safe=""))
    return Operation(action, path, {}, None, upload=upload)
