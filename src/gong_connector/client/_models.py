"""Pydantic models for Gong's requests and responses.

Attributes are snake_case; the wire names are Gong's camelCase (aliases). Every model keeps
fields it does not know (``extra="allow"``), so a field Gong adds tomorrow is not lost, and
``.raw`` returns the JSON object exactly as received. IDs are strings: Gong's exceed 2**53.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import datetime
from typing import Any, Literal, TypeAlias, TypeVar

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ModelWrapValidatorHandler,
    field_validator,
    model_validator,
)
from pydantic.alias_generators import to_camel

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
    "EmailReferences",
    "ExtensiveCall",
    "GenericProperty",
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
    "Sentence",
    "Sharer",
    "SpeakersTimeline",
    "SpeechSegment",
    "UpdateMeetingResponse",
    "User",
    "UserSettings",
    "Workspace",
]

M = TypeVar("M", bound="GongModel")
#: A date-time input: an aware ``datetime`` or an ISO-8601 string with an offset.
DateTimeLike: TypeAlias = str | datetime
#: An object input: the model itself, or a mapping with Gong's (camelCase) or our names.
ModelInput: TypeAlias = M | Mapping[str, Any]

_EMAIL_RE = re.compile(r"[^@\s]+@[^@\s.]+(\.[^@\s.]+)+")


class GongModel(BaseModel):
    """Base of every model: camelCase on the wire, unknown fields kept, raw JSON at hand."""

    model_config = ConfigDict(
        extra="allow",
        populate_by_name=True,
        alias_generator=to_camel,
        coerce_numbers_to_str=True,
    )

    @model_validator(mode="wrap")
    @classmethod
    def _keep_raw(cls, data: Any, handler: ModelWrapValidatorHandler[Any]) -> Any:
        model = handler(data)
        if isinstance(data, dict):
            # Stored in pydantic's private-attribute slot directly: declaring a PrivateAttr
            # costs an initialisation per instance, which doubled the time to read a page.
            object.__setattr__(model, "__pydantic_private__", {"_raw": data})
        return model

    @property
    def raw(self) -> dict[str, Any]:
        """The JSON object this model was parsed from (or its wire form if built in code)."""
        private = self.__pydantic_private__
        raw = private.get("_raw") if private else None
        return raw if isinstance(raw, dict) else self.to_wire()

    def to_wire(self) -> dict[str, Any]:
        """The JSON object to send to Gong: camelCase keys, unset fields left out."""
        return self.model_dump(by_alias=True, exclude_none=True, mode="json")


# --------------------------------------------------------------------------- responses


class Records(GongModel):
    total_records: int | None = None
    current_page_size: int | None = None
    current_page_number: int | None = None
    cursor: str | None = None


class BaseResponse(GongModel):
    request_id: str | None = None


class Call(GongModel):
    id: str
    url: str | None = None
    title: str | None = None
    scheduled: datetime | None = None
    started: datetime | None = None
    duration: float | None = None
    primary_user_id: str | None = None
    direction: str | None = None
    system: str | None = None
    scope: str | None = None
    media: str | None = None
    language: str | None = None
    workspace_id: str | None = None
    sdr_disposition: str | None = None
    client_unique_id: str | None = None
    custom_data: str | None = None
    purpose: str | None = None
    meeting_url: str | None = None
    is_private: bool | None = None
    calendar_event_id: str | None = None


class Party(GongModel):
    id: str | None = None
    email_address: str | None = None
    name: str | None = None
    title: str | None = None
    user_id: str | None = None
    speaker_id: str | None = None
    context: list[dict[str, Any]] | None = None
    affiliation: str | None = None
    phone_number: str | None = None
    methods: list[str] | None = None


class ExtensiveCall(GongModel):
    meta_data: Call
    context: list[dict[str, Any]] | None = None
    parties: list[Party] | None = None
    content: dict[str, Any] | None = None
    interaction: dict[str, Any] | None = None
    collaboration: dict[str, Any] | None = None
    media: dict[str, Any] | None = None


class Sentence(GongModel):
    start: int | None = None
    end: int | None = None
    text: str | None = None


class Monologue(GongModel):
    speaker_id: str | None = None
    topic: str | None = None
    sentences: list[Sentence] = Field(default_factory=list)


class CallTranscript(GongModel):
    call_id: str
    transcript: list[Monologue] = Field(default_factory=list)


class CreateCallResponse(BaseResponse):
    call_id: str | None = None
    url: str | None = None


class AddCallMediaResponse(BaseResponse):
    call_id: str | None = None
    url: str | None = None


class UserSettings(GongModel):
    web_conferences_recorded: bool | None = None
    prevent_web_conference_recording: bool | None = None
    telephony_calls_imported: bool | None = None
    emails_imported: bool | None = None
    prevent_email_import: bool | None = None
    non_recorded_meetings_imported: bool | None = None
    gong_connect_enabled: bool | None = None


class User(GongModel):
    id: str
    email_address: str | None = None
    created: datetime | None = None
    active: bool | None = None
    email_aliases: list[str] | None = None
    trusted_email_address: str | None = None
    first_name: str | None = None
    last_name: str | None = None
    title: str | None = None
    phone_number: str | None = None
    extension: str | None = None
    personal_meeting_urls: list[str] | None = None
    settings: UserSettings | None = None
    manager_id: str | None = None
    meeting_consent_page_url: str | None = None
    spoken_languages: list[dict[str, Any]] | None = None


class Workspace(GongModel):
    id: str
    name: str | None = None
    description: str | None = None


class LibraryFolder(GongModel):
    id: str
    name: str | None = None
    parent_folder_id: str | None = None
    created_by: str | None = None
    updated: datetime | None = None


class LibraryCall(GongModel):
    id: str | None = None
    title: str | None = None
    note: str | None = None
    added_by: str | None = None
    created: datetime | None = None
    url: str | None = None
    snippet: dict[str, Any] | None = None


class LibraryFolderContent(BaseResponse):
    id: str | None = None
    name: str | None = None
    created_by: str | None = None
    updated: datetime | None = None
    calls: list[LibraryCall] = Field(default_factory=list)


class LogEntry(GongModel):
    user_id: str | None = None
    user_email_address: str | None = None
    user_full_name: str | None = None
    impersonator_user_id: str | None = None
    impersonator_email_address: str | None = None
    impersonator_full_name: str | None = None
    impersonator_company_id: str | None = None
    event_time: datetime | None = None
    log_record: dict[str, Any] | None = None


class EmailReferences(BaseResponse):
    emails: list[dict[str, Any]] = Field(default_factory=list)
    calls: list[dict[str, Any]] = Field(default_factory=list)
    meetings: list[dict[str, Any]] = Field(default_factory=list)
    customer_data: list[dict[str, Any]] = Field(default_factory=list)
    customer_engagement: list[dict[str, Any]] = Field(default_factory=list)


class PhoneReferences(BaseResponse):
    supplied_phone_number: str | None = None
    matching_phone_numbers: list[str] = Field(default_factory=list)
    email_addresses: list[str] = Field(default_factory=list)
    emails: list[dict[str, Any]] = Field(default_factory=list)
    calls: list[dict[str, Any]] = Field(default_factory=list)
    meetings: list[dict[str, Any]] = Field(default_factory=list)
    customer_data: list[dict[str, Any]] = Field(default_factory=list)


class MeetingInvitee(GongModel):
    email: str
    display_name: str | None = None
    first_name: str | None = None
    last_name: str | None = None

    @field_validator("email")
    @classmethod
    def _email(cls, value: str) -> str:
        if not _EMAIL_RE.fullmatch(value):
            raise ValueError("must be an e-mail address")
        return value


class CreateMeetingResponse(BaseResponse):
    meeting_id: str | None = None
    meeting_url: str | None = None
    additional_invitees: list[dict[str, Any]] = Field(default_factory=list)


class UpdateMeetingResponse(BaseResponse):
    meeting_id: str | None = None


# --------------------------------------------------------------------------- request parts


class CrmObject(GongModel):
    object_type: str
    object_id: str
    fields: list[dict[str, Any]] | None = None


class CallContext(GongModel):
    system: Literal["Salesforce", "HubSpot", "MicrosoftDynamic", "Generic"]
    objects: list[CrmObject] | None = None


class CallParty(GongModel):
    user_id: str | None = None
    email_address: str | None = None
    name: str | None = None
    phone_number: str | None = None
    media_channel_id: int | None = None
    party_id: str | None = None
    context: list[CallContext] | None = None

    @field_validator("email_address")
    @classmethod
    def _email(cls, value: str | None) -> str | None:
        if value is not None and not _EMAIL_RE.fullmatch(value):
            raise ValueError("must be an e-mail address")
        return value

    @field_validator("user_id")
    @classmethod
    def _user_id(cls, value: str | None) -> str | None:
        if value is not None and not re.fullmatch(r"[0-9]{1,20}", value):
            raise ValueError("must be a string of 1 to 20 digits")
        return value


class SpeechSegment(GongModel):
    from_time: int
    to_time: int
    party_ids: list[str]


class SpeakersTimeline(GongModel):
    precise: bool | None = None
    speech_segments: list[SpeechSegment] = Field(default_factory=list)


class Actor(GongModel):
    email: str | None = None
    name: str | None = None
    title: str | None = None
    context: list[CallContext] | None = None

    @field_validator("email")
    @classmethod
    def _email(cls, value: str | None) -> str | None:
        if value is not None and not _EMAIL_RE.fullmatch(value):
            raise ValueError("must be an e-mail address")
        return value


class Sharer(GongModel):
    id: str | None = None
    email: str | None = None
    name: str | None = None

    @field_validator("email")
    @classmethod
    def _email(cls, value: str | None) -> str | None:
        if value is not None and not _EMAIL_RE.fullmatch(value):
            raise ValueError("must be an e-mail address")
        return value


class GenericProperty(GongModel):
    name: str
    value: Any
    data_type: Literal["number", "string", "url", "date"]


class ContentSelector(GongModel):
    """What extra data ``list_calls_extensive`` returns; ``exposed_fields`` mirrors Gong's."""

    context: Literal["None", "Basic", "Extended"] | None = None
    context_timing: list[Literal["Now", "TimeOfCall"]] | None = None
    exposed_fields: dict[str, Any] | None = None
