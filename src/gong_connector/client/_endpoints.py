"""The one description of every Gong endpoint the connector uses.

Plain data, no I/O: the sync and async clients build requests from it, and the action
registry, CLI and MCP server can list actions, inputs, scopes and paging from it too.
Change an endpoint here and every consumer follows.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Literal

from ._models import (
    Actor,
    AddCallMediaResponse,
    BaseResponse,
    Call,
    CallContext,
    CallParty,
    CallTranscript,
    ContentSelector,
    CreateCallResponse,
    CreateMeetingResponse,
    EmailReferences,
    ExtensiveCall,
    GenericProperty,
    GongModel,
    LibraryCall,
    LibraryFolder,
    LogEntry,
    MeetingInvitee,
    PhoneReferences,
    Sharer,
    SpeakersTimeline,
    UpdateMeetingResponse,
    User,
    Workspace,
)
from ._validation import AGENT_PLATFORMS, LOG_TYPES

__all__ = ["ENDPOINTS", "Endpoint", "Exclusive", "Kind", "Location", "Paging", "Param"]

Location = Literal["path", "query", "body", "filter", "multipart"]
Kind = Literal[
    "text",  # any string; max_length may cap it
    "datetime",  # ISO-8601 with offset, or an aware datetime
    "id",  # numeric string, up to 20 digits
    "ids",  # non-empty list of ids
    "email",
    "phone",  # starts with +
    "language",  # one of the spec's language codes
    "direction",  # Inbound | Outbound | Conference | Unknown
    "choice",  # one of Param.choices
    "bool",
    "number",
    "model",  # one Param.model (a dict is accepted and validated)
    "models",  # a list of Param.model
    "file",  # a path or binary file object, streamed
]


@dataclass(frozen=True)
class Param:
    """One input of an endpoint: the Python keyword, Gong's name, where it goes, its rule."""

    name: str
    wire: str
    location: Location
    kind: Kind = "text"
    required: bool = False
    description: str = ""
    max_length: int | None = None
    choices: tuple[str, ...] = ()
    model: type[GongModel] | None = None


@dataclass(frozen=True)
class Paging:
    """How a list endpoint pages: the field holding the items and where the cursor goes."""

    items_field: str
    item_model: type[GongModel]
    cursor_location: Literal["query", "body"]
    #: Gong answers an empty result with 404 on list endpoints; read it as "no items".
    empty_on_404: bool = True


@dataclass(frozen=True)
class Exclusive:
    """Two inputs that must not be given together (``a[].b`` looks inside list items)."""

    first: str
    second: str
    reason: str


@dataclass(frozen=True)
class Endpoint:
    name: str  # method name on the clients
    action: str  # the spec's action title
    method: Literal["GET", "POST", "PUT", "DELETE"]
    path: str
    scope: str  # OAuth scope Gong requires
    summary: str
    params: tuple[Param, ...] = ()
    response_model: type[GongModel] = BaseResponse
    #: When set, the client returns this field of the response (e.g. "call"), parsed as
    #: ``result_model``, rather than the whole envelope.
    result_field: str | None = None
    result_model: type[GongModel] | None = None
    paging: Paging | None = None
    #: Safe to send twice: reads, read-only POSTs, and create-call (deduplicated by Gong).
    retry_safe: bool = False
    body: Literal["json", "multipart"] | None = None
    exclusive: tuple[Exclusive, ...] = field(default_factory=tuple)

    def param(self, name: str) -> Param:
        return next(p for p in self.params if p.name == name)


def _p(name: str, wire: str, location: Location, kind: Kind = "text", **kw: object) -> Param:
    return Param(name, wire, location, kind, **kw)  # type: ignore[arg-type]


def _dt(name: str, wire: str, location: Location, required: bool = False) -> Param:
    return Param(name, wire, location, "datetime", required)


_FROM = "Start of the window, inclusive (ISO-8601 with offset)."
_TO = "End of the window, exclusive (ISO-8601 with offset)."
_WS = "Only this workspace."
_CURSOR = "Resume from this cursor, as returned by the previous page."

_ENGAGEMENT_COMMON: tuple[Param, ...] = (
    _p(
        "reporting_system",
        "reportingSystem",
        "body",
        required=True,
        description="Identifier of the system reporting the event.",
    ),
    _p("event_timestamp", "eventTimestamp", "body", "datetime", required=True, description="When the event happened."),
    _p("event_id", "eventId", "body", description="The event's id in the reporting system."),
    _p("crm_context", "crmContext", "body", "models", model=CallContext),
    _p("content_properties", "contentProperties", "body", "models", model=GenericProperty),
    _p("event_properties", "eventProperties", "body", "models", model=GenericProperty),
    _p("user_agent", "userAgent", "body"),
    _p("mobile_app_id", "mobileAppId", "body"),
    _p("agent_platform", "agentPlatform", "body", "choice", choices=AGENT_PLATFORMS),
    _p("workspace_id", "workspaceId", "body", "id"),
    _p("non_company_participants", "nonCompanyParticipants", "body", "models", model=Actor),
    _p("more_info_url", "moreInfoUrl", "body"),
    _p("action_name", "actionName", "body"),
    _p("share_id", "shareId", "body"),
    _p("sharer", "sharer", "body", "model", model=Sharer),
    _p("sharing_message_subject", "sharingMessageSubject", "body"),
    _p("sharing_message_body", "sharingMessageBody", "body"),
    _p("tracking_id", "trackingId", "body"),
)


def _content(required: bool) -> tuple[Param, ...]:
    return (
        _p("content_id", "contentId", "body", required=required),
        _p("content_url", "contentUrl", "body", required=required),
        _p("content_title", "contentTitle", "body", required=required),
    )


_MEETING_BODY: tuple[Param, ...] = (
    _dt("start_time", "startTime", "body", required=True),
    _dt("end_time", "endTime", "body", required=True),
    _p("organizer_email", "organizerEmail", "body", "email", required=True),
    _p(
        "invitees",
        "invitees",
        "body",
        "models",
        required=True,
        model=MeetingInvitee,
        description="Invitees (not the organizer); an e-mail string is accepted per invitee.",
    ),
    _p("external_id", "externalId", "body"),
    _p("title", "title", "body"),
)

_ALL: tuple[Endpoint, ...] = (
    Endpoint(
        "list_calls",
        "List Calls",
        "GET",
        "/v2/calls",
        "api:calls:read:basic",
        "Calls in a date window.",
        params=(
            _dt("from_date_time", "fromDateTime", "query"),
            _dt("to_date_time", "toDateTime", "query"),
            _p("workspace_id", "workspaceId", "query", "id", description=_WS),
            _p("cursor", "cursor", "query", description=_CURSOR),
        ),
        paging=Paging("calls", Call, "query"),
        retry_safe=True,
    ),
    Endpoint(
        "get_call",
        "Get Call",
        "GET",
        "/v2/calls/{id}",
        "api:calls:read:basic",
        "One call by id.",
        params=(_p("call_id", "id", "path", "id", required=True),),
        result_field="call",
        result_model=Call,
        retry_safe=True,
    ),
    Endpoint(
        "create_call",
        "Create New Call",
        "POST",
        "/v2/calls",
        "api:calls:create",
        "Register a call; upload its media next unless Gong downloads it.",
        params=(
            _p(
                "client_unique_id",
                "clientUniqueId",
                "body",
                required=True,
                description="The call's id in the recording system; Gong refuses repeats.",
            ),
            _p("primary_user", "primaryUser", "body", "id", required=True),
            _p("parties", "parties", "body", "models", required=True, model=CallParty),
            _p("direction", "direction", "body", "direction", required=True),
            _dt("actual_start", "actualStart", "body", required=True),
            _dt("scheduled_start", "scheduledStart", "body"),
            _dt("scheduled_end", "scheduledEnd", "body"),
            _p("title", "title", "body"),
            _p("purpose", "purpose", "body", max_length=255),
            _p("duration", "duration", "body", "number"),
            _p("disposition", "disposition", "body", max_length=255),
            _p("context", "context", "body", "models", model=CallContext),
            _p("custom_data", "customData", "body"),
            _p("speakers_timeline", "speakersTimeline", "body", "model", model=SpeakersTimeline),
            _p("meeting_url", "meetingUrl", "body"),
            _p("call_provider_code", "callProviderCode", "body"),
            _p("download_media_url", "downloadMediaUrl", "body"),
            _p("workspace_id", "workspaceId", "body", "id"),
            _p("language_code", "languageCode", "body", "language"),
            _p(
                "media",
                "mediaFile",
                "multipart",
                "file",
                description="Recording to upload (add_call_media) once the call exists.",
            ),
            _p(
                "file_name",
                "fileName",
                "multipart",
                description="File name sent with media; defaults to the path's name.",
            ),
        ),
        response_model=CreateCallResponse,
        retry_safe=True,
        body="json",
        exclusive=(
            Exclusive(
                "speakers_timeline",
                "parties[].media_channel_id",
                "speakers_timeline and a party's media_channel_id are exclusive",
            ),
            Exclusive("download_media_url", "media", "give download_media_url or upload media, not both"),
        ),
    ),
    Endpoint(
        "add_call_media",
        "Add Call Media",
        "PUT",
        "/v2/calls/{id}/media",
        "api:calls:create",
        "Upload the recording of a created call (at most 1.5 GB), streamed.",
        params=(
            _p("call_id", "id", "path", "id", required=True),
            _p(
                "media",
                "mediaFile",
                "multipart",
                "file",
                required=True,
                description="Path or binary file object of the recording.",
            ),
            _p(
                "file_name", "fileName", "multipart", description="File name sent to Gong; defaults to the path's name."
            ),
        ),
        response_model=AddCallMediaResponse,
        body="multipart",
    ),
    Endpoint(
        "get_call_transcripts",
        "Get Call Transcript",
        "POST",
        "/v2/calls/transcript",
        "api:calls:read:transcript",
        "Transcripts of calls in a window or by id.",
        params=(
            _dt("from_date_time", "fromDateTime", "filter"),
            _dt("to_date_time", "toDateTime", "filter"),
            _p("workspace_id", "workspaceId", "filter", "id", description=_WS),
            _p("call_ids", "callIds", "filter", "ids"),
            _p("cursor", "cursor", "body", description=_CURSOR),
        ),
        paging=Paging("callTranscripts", CallTranscript, "body"),
        retry_safe=True,
        body="json",
        exclusive=(Exclusive("workspace_id", "call_ids", "Gong does not combine workspace_id with call_ids"),),
    ),
    Endpoint(
        "list_calls_extensive",
        "List Calls (extensive)",
        "POST",
        "/v2/calls/extensive",
        "api:calls:read:extensive",
        "Calls with parties, content and interaction data.",
        params=(
            _dt("from_date_time", "fromDateTime", "filter"),
            _dt("to_date_time", "toDateTime", "filter"),
            _p("workspace_id", "workspaceId", "filter", "id", description=_WS),
            _p("call_ids", "callIds", "filter", "ids"),
            _p("primary_user_ids", "primaryUserIds", "filter", "ids"),
            _p("content_selector", "contentSelector", "body", "model", model=ContentSelector),
            _p("cursor", "cursor", "body", description=_CURSOR),
        ),
        paging=Paging("calls", ExtensiveCall, "body"),
        retry_safe=True,
        body="json",
    ),
    Endpoint(
        "create_meeting",
        "Create New Gong Meeting",
        "POST",
        "/v2/meetings",
        "api:meetings:user:create",
        "Create a Gong meeting.",
        params=_MEETING_BODY,
        response_model=CreateMeetingResponse,
        body="json",
    ),
    Endpoint(
        "update_meeting",
        "Update Gong Meeting",
        "PUT",
        "/v2/meetings/{meetingId}",
        "api:meetings:user:update",
        "Replace a Gong meeting's details.",
        params=(_p("meeting_id", "meetingId", "path", "id", required=True), *_MEETING_BODY),
        response_model=UpdateMeetingResponse,
        retry_safe=True,
        body="json",
    ),
    Endpoint(
        "delete_meeting",
        "Delete Gong Meeting",
        "DELETE",
        "/v2/meetings/{meetingId}",
        "api:meetings:user:delete",
        "Delete a Gong meeting.",
        params=(
            _p("meeting_id", "meetingId", "path", "id", required=True),
            _p("organizer_email", "organizerEmail", "body", "email"),
        ),
        body="json",
    ),
    Endpoint(
        "report_custom_action",
        "Custom Action Event",
        "PUT",
        "/v2/customer-engagement/action",
        "api:engagement-data:write",
        "Report an action a prospect took on content.",
        params=(
            *_ENGAGEMENT_COMMON,
            *_content(False),
            _p("event_info_url", "eventInfoUrl", "body"),
            _p("actor", "actor", "body", "model", model=Actor),
        ),
        body="json",
    ),
    Endpoint(
        "report_content_shared",
        "Custom Shared Event",
        "PUT",
        "/v2/customer-engagement/content/shared",
        "api:engagement-data:write",
        "Report that a user shared content with external people.",
        params=(
            *_ENGAGEMENT_COMMON,
            *_content(True),
            _p("share_info_url", "shareInfoUrl", "body"),
            _p("recipients", "recipients", "body", "models", model=Actor),
        ),
        body="json",
    ),
    Endpoint(
        "report_content_viewed",
        "Custom Viewed Event",
        "PUT",
        "/v2/customer-engagement/content/viewed",
        "api:engagement-data:write",
        "Report that an external person viewed content.",
        params=(
            *_ENGAGEMENT_COMMON,
            *_content(True),
            _p("view_action_title", "viewActionTitle", "body"),
            _p("view_info_url", "viewInfoUrl", "body"),
            _p("viewer", "viewer", "body", "model", model=Actor),
        ),
        body="json",
    ),
    Endpoint(
        "list_email_references",
        "List References to an Email Address",
        "GET",
        "/v2/data-privacy/data-for-email-address",
        "api:data-privacy:read",
        "What Gong holds that references an e-mail address.",
        params=(_p("email_address", "emailAddress", "query", "email", required=True),),
        response_model=EmailReferences,
        retry_safe=True,
    ),
    Endpoint(
        "erase_email_data",
        "Delete Email Address and Associated Elements",
        "POST",
        "/v2/data-privacy/erase-data-for-email-address",
        "api:data-privacy:delete",
        "Erase calls and e-mails that reference an address (asynchronous in Gong).",
        params=(_p("email_address", "emailAddress", "query", "email", required=True),),
    ),
    Endpoint(
        "list_phone_references",
        "List References to a Phone Number",
        "GET",
        "/v2/data-privacy/data-for-phone-number",
        "api:data-privacy:read",
        "What Gong holds that references a phone number.",
        params=(_p("phone_number", "phoneNumber", "query", "phone", required=True),),
        response_model=PhoneReferences,
        retry_safe=True,
    ),
    Endpoint(
        "erase_phone_data",
        "Delete Phone Number and Associated Elements",
        "POST",
        "/v2/data-privacy/erase-data-for-phone-number",
        "api:data-privacy:delete",
        "Erase leads/contacts with a phone number and what references them.",
        params=(_p("phone_number", "phoneNumber", "query", "phone", required=True),),
    ),
    Endpoint(
        "get_logs",
        "Get Logs Data by Type and Time Range",
        "GET",
        "/v2/logs",
        "api:logs:read",
        "Audit log entries of one type in a window.",
        params=(
            _p("log_type", "logType", "query", "choice", required=True, choices=LOG_TYPES),
            _dt("from_date_time", "fromDateTime", "query", required=True),
            _dt("to_date_time", "toDateTime", "query"),
            _p("cursor", "cursor", "query", description=_CURSOR),
        ),
        paging=Paging("logEntries", LogEntry, "query"),
        retry_safe=True,
    ),
    Endpoint(
        "get_user",
        "Get User",
        "GET",
        "/v2/users/{id}",
        "api:users:read",
        "One user by id.",
        params=(_p("user_id", "id", "path", "id", required=True),),
        result_field="user",
        result_model=User,
        retry_safe=True,
    ),
    Endpoint(
        "list_users",
        "List Users",
        "GET",
        "/v2/users",
        "api:users:read",
        "All users.",
        params=(
            _p(
                "include_avatars",
                "includeAvatars",
                "query",
                "bool",
                description="Include Gong staff avatars (default false).",
            ),
            _p("cursor", "cursor", "query", description=_CURSOR),
        ),
        paging=Paging("users", User, "query"),
        retry_safe=True,
    ),
    Endpoint(
        "list_workspaces",
        "List Workspaces",
        "GET",
        "/v2/workspaces",
        "api:workspaces:read",
        "All workspaces.",
        paging=Paging("workspaces", Workspace, "query"),
        retry_safe=True,
    ),
    Endpoint(
        "list_library_folders",
        "List Library Folders",
        "GET",
        "/v2/library/folders",
        "api:library:read",
        "Public library folders.",
        params=(_p("workspace_id", "workspaceId", "query", "id", description=_WS),),
        paging=Paging("folders", LibraryFolder, "query"),
        retry_safe=True,
    ),
    Endpoint(
        "list_folder_calls",
        "List Calls in Folder",
        "GET",
        "/v2/library/folder-content",
        "api:library:read",
        "Calls saved in a library folder.",
        params=(
            _p("folder_id", "folderId", "query", "id", required=True),
            _p("cursor", "cursor", "query", description=_CURSOR),
        ),
        paging=Paging("calls", LibraryCall, "query"),
        retry_safe=True,
    ),
)

#: Every endpoint by client method name. ``request`` (raw request) is not listed: it has
#: no fixed endpoint.
ENDPOINTS: Mapping[str, Endpoint] = MappingProxyType({e.name: e for e in _ALL})
