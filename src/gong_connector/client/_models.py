"""Models of what Gong sends and of what callers send to Gong.

Attributes are snake_case; the wire names are Gong's camelCase. Response models
(``GongModel``, see ``_record.py``) are lazy, tolerant views of Gong's JSON: a field is
parsed when read, ``.raw`` is the JSON exactly as received, nothing Gong adds is lost and
nothing Gong sends in an odd shape fails a page. Request models (``RequestModel``) are
pydantic models that check what a caller passes before anything is sent. IDs are strings
on both sides: Gong's exceed 2**53.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import datetime
from typing import Annotated, Any, Literal, TypeAlias, TypeVar

from pydantic import AfterValidator, BaseModel, ConfigDict, Field
from pydantic.alias_generators import to_camel

from ._kinds import EMAIL, ID
from ._record import GongModel

__all__ = [
    "Actor",
    "AddCallMediaResponse",
    "BaseResponse",
    "Call",
    "CallContext",
    "CallParty",
    "CallTranscript",
    "ContentSelector",
    "CreateCallResponse",
    "CreateMeetingResponse",
    "CrmObject",
    "DateTimeLike",
    "Email",
    "EmailReferences",
    "ExtensiveCall",
    "GenericProperty",
    "GongId",
    "GongModel",
    "LibraryCall",
    "LibraryFolder",
    "LibraryFolderContent",
    "LogEntry",
    "MeetingInvitee",
    "ModelInput",
    "Monologue",
    "Party",
    "PhoneReferences",
    "Records",
    "RequestModel",
    "Sentence",
    "Sharer",
    "SpeakersTimeline",
    "SpeechSegment",
    "UpdateMeetingResponse",
    "User",
    "UserSettings",
    "Workspace",
]

M = TypeVar("M", bound="RequestModel")
#: A date-time input: an aware ``datetime`` or an ISO-8601 string with an offset.
DateTimeLike: TypeAlias = str | datetime
#: An object input: the model itself, or a mapping with Gong's (camelCase) or our names.
ModelInput: TypeAlias = M | Mapping[str, Any]


def _email(value: str) -> str:
    if not isinstance(value, str) or not re.fullmatch(EMAIL.pattern, value) or len(value) > 254:
        raise ValueError("must be an e-mail address")
    return value


def _gong_id(value: str) -> str:
    if not re.fullmatch(ID.pattern, value):
        raise ValueError("must be a string of 1 to 20 digits")
    return value


#: An e-mail address in a request object, checked by the same rule as the EMAIL kind.
Email = Annotated[str, AfterValidator(_email)]
#: A Gong id in a request object: 1 to 20 digits, as a string (the ID kind's rule).
GongId = Annotated[str, AfterValidator(_gong_id)]


class RequestModel(BaseModel):
    """Base of the objects a caller sends (parties, invitees, CRM context...): validated
    strictly before sending, camelCase on the wire, unknown fields passed on."""

    model_config = ConfigDict(
        extra="allow",
        populate_by_name=True,
        alias_generator=to_camel,
        coerce_numbers_to_str=True,
        # Validators are built on first use, not at import: a command that sends no such
        # object (most of them) does not pay for the 27 models it could send.
        defer_build=True,
    )

    def to_wire(self) -> dict[str, Any]:
        """The JSON object to send to Gong: camelCase keys, unset fields left out."""
        return self.model_dump(by_alias=True, exclude_none=True, mode="json")


# --------------------------------------------------------------------------- responses


class Records(GongModel):
    total_records: int | None
    current_page_size: int | None
    current_page_number: int | None
    cursor: str | None


class BaseResponse(GongModel):
    request_id: str | None


class Call(GongModel):
    """A call's basic data, as ``GET /v2/calls`` lists it."""

    __key__ = ("id",)

    id: str | None
    url: str | None
    title: str | None
    scheduled: datetime | str | None
    started: datetime | str | None
    duration: float | None
    primary_user_id: str | None
    direction: str | None
    system: str | None
    scope: str | None
    media: str | None
    language: str | None
    workspace_id: str | None
    sdr_disposition: str | None
    client_unique_id: str | None
    custom_data: str | None
    purpose: str | None
    meeting_url: str | None
    is_private: bool | None
    calendar_event_id: str | None


class Party(GongModel):
    id: str | None
    email_address: str | None
    name: str | None
    title: str | None
    user_id: str | None
    speaker_id: str | None
    context: list[dict[str, Any]] | None
    affiliation: str | None
    phone_number: str | None
    methods: list[str] | None


class ExtensiveCall(GongModel):
    __key__ = ("meta_data",)

    meta_data: Call | None
    context: list[dict[str, Any]] | None
    parties: list[Party] | None
    content: dict[str, Any] | None
    interaction: dict[str, Any] | None
    collaboration: dict[str, Any] | None
    media: dict[str, Any] | None


class Sentence(GongModel):
    start: int | None
    end: int | None
    text: str | None


class Monologue(GongModel):
    speaker_id: str | None
    topic: str | None
    sentences: list[Sentence]


class CallTranscript(GongModel):
    __key__ = ("call_id",)

    call_id: str | None
    transcript: list[Monologue]


class CreateCallResponse(BaseResponse):
    call_id: str | None
    url: str | None


class AddCallMediaResponse(BaseResponse):
    call_id: str | None
    url: str | None


class UserSettings(GongModel):
    web_conferences_recorded: bool | None
    prevent_web_conference_recording: bool | None
    telephony_calls_imported: bool | None
    emails_imported: bool | None
    prevent_email_import: bool | None
    non_recorded_meetings_imported: bool | None
    gong_connect_enabled: bool | None


class User(GongModel):
    __key__ = ("id",)

    id: str | None
    email_address: str | None
    created: datetime | str | None
    active: bool | None
    email_aliases: list[str] | None
    trusted_email_address: str | None
    first_name: str | None
    last_name: str | None
    title: str | None
    phone_number: str | None
    extension: str | None
    personal_meeting_urls: list[str] | None
    settings: UserSettings | None
    manager_id: str | None
    meeting_consent_page_url: str | None
    spoken_languages: list[dict[str, Any]] | None


class Workspace(GongModel):
    __key__ = ("id",)

    id: str | None
    name: str | None
    description: str | None


class LibraryFolder(GongModel):
    __key__ = ("id",)

    id: str | None
    name: str | None
    parent_folder_id: str | None
    created_by: str | None
    updated: datetime | str | None


class LibraryCall(GongModel):
    __key__ = ("id",)

    id: str | None
    title: str | None
    note: str | None
    added_by: str | None
    created: datetime | str | None
    url: str | None
    snippet: dict[str, Any] | None


class LibraryFolderContent(BaseResponse):
    id: str | None
    name: str | None
    created_by: str | None
    updated: datetime | str | None
    calls: list[LibraryCall]


class LogEntry(GongModel):
    user_id: str | None
    user_email_address: str | None
    user_full_name: str | None
    impersonator_user_id: str | None
    impersonator_email_address: str | None
    impersonator_full_name: str | None
    impersonator_company_id: str | None
    event_time: datetime | str | None
    log_record: dict[str, Any] | None


class EmailReferences(BaseResponse):
    emails: list[dict[str, Any]]
    calls: list[dict[str, Any]]
    meetings: list[dict[str, Any]]
    customer_data: list[dict[str, Any]]
    customer_engagement: list[dict[str, Any]]


class PhoneReferences(BaseResponse):
    supplied_phone_number: str | None
    matching_phone_numbers: list[str]
    email_addresses: list[str]
    emails: list[dict[str, Any]]
    calls: list[dict[str, Any]]
    meetings: list[dict[str, Any]]
    customer_data: list[dict[str, Any]]


class MeetingInvitee(RequestModel):
    email: Email
    display_name: str | None = None
    first_name: str | None = None
    last_name: str | None = None


class CreateMeetingResponse(BaseResponse):
    meeting_id: str | None
    meeting_url: str | None
    additional_invitees: list[dict[str, Any]]


class UpdateMeetingResponse(BaseResponse):
    meeting_id: str | None


# --------------------------------------------------------------------------- request parts


class CrmObject(RequestModel):
    object_type: str
    object_id: str
    fields: list[dict[str, Any]] | None = None


class CallContext(RequestModel):
    system: Literal["Salesforce", "HubSpot", "MicrosoftDynamic", "Generic"]
    objects: list[CrmObject] | None = None


class CallParty(RequestModel):
    user_id: GongId | None = None
    email_address: Email | None = None
    name: str | None = None
    phone_number: str | None = None
    media_channel_id: int | None = None
    party_id: str | None = None
    context: list[CallContext] | None = None


class SpeechSegment(RequestModel):
    from_time: int
    to_time: int
    party_ids: list[str]


class SpeakersTimeline(RequestModel):
    precise: bool | None = None
    speech_segments: list[SpeechSegment] = Field(default_factory=list)


class Actor(RequestModel):
    email: Email | None = None
    name: str | None = None
    title: str | None = None
    context: list[CallContext] | None = None


class Sharer(RequestModel):
    id: str | None = None
    email: Email | None = None
    name: str | None = None


class GenericProperty(RequestModel):
    name: str
    value: Any
    data_type: Literal["number", "string", "url", "date"]


class ContentSelector(RequestModel):
    """What extra data ``list_calls_extensive`` returns; ``exposed_fields`` mirrors Gong's."""

    context: Literal["None", "Basic", "Extended"] | None = None
    context_timing: list[Literal["Now", "TimeOfCall"]] | None = None
    exposed_fields: dict[str, Any] | None = None
