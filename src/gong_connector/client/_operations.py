"""Turning typed keyword arguments into a checked, ready-to-send operation.

Each public action is a function here with its full signature; the sync and async
clients expose these same functions as methods (see ``_client.py``), so an action is
declared once. All input checks happen here, before anything touches the network.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Generic, Literal, TypeAlias, TypeVar
from urllib.parse import quote

import pydantic

from ..errors import ValidationError
from ._endpoints import ENDPOINTS, Endpoint, Param
from ._media import MediaSource, MediaUpload, ProgressCallback
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
from ._validation import (
    check_bool,
    check_choice,
    check_datetime,
    check_direction,
    check_email,
    check_id,
    check_ids,
    check_language,
    check_number,
    check_phone,
    check_text,
)

R = TypeVar("R")
T = TypeVar("T", bound=GongModel)
M = TypeVar("M", bound=GongModel)

DateTimeLike = str | datetime
ModelInput: TypeAlias = M | Mapping[str, Any]


@dataclass
class Operation(Generic[R]):
    """A checked request for one endpoint, plus how to read its answer."""

    endpoint: Endpoint
    path: str
    query: dict[str, Any]
    body: dict[str, Any] | None
    parse: Callable[[Any], R]
    upload: MediaUpload | None = None
    #: create_call with ``media=``: the recording to upload once the call exists.
    then_upload: MediaUpload | None = None

    @property
    def retry_safe(self) -> bool:
        return self.endpoint.retry_safe


@dataclass
class ListOperation(Generic[T]):
    """A checked request for a list endpoint; the pager adds the cursor per page."""

    endpoint: Endpoint
    path: str
    query: dict[str, Any]
    body: dict[str, Any] | None
    item_model: type[T]
    cursor: str | None = None


def _model(param: Param, value: Any, where: str) -> dict[str, Any]:
    assert param.model is not None
    if isinstance(value, param.model):
        return value.to_wire()
    if not isinstance(value, Mapping):
        raise ValidationError(where, "object", f"must be a {param.model.__name__} or a mapping")
    try:
        return param.model.model_validate(dict(value)).to_wire()
    except pydantic.ValidationError as exc:
        err = exc.errors()[0]
        loc = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in err["loc"])
        msg = str(err["msg"]).removeprefix("Value error, ")
        raise ValidationError(f"{where}{loc}", str(err["type"]), msg) from None


def _convert(param: Param, value: Any) -> Any:
    name = param.name
    match param.kind:
        case "text":
            return check_text(name, value, max_length=param.max_length)
        case "datetime":
            return check_datetime(name, value)
        case "id":
            return check_id(name, value)
        case "ids":
            return check_ids(name, value)
        case "email":
            return check_email(name, value)
        case "phone":
            return check_phone(name, value)
        case "language":
            return check_language(name, value)
        case "direction":
            return check_direction(name, value)
        case "choice":
            return check_choice(name, value, param.choices)
        case "bool":
            return check_bool(name, value)
        case "number":
            return check_number(name, value)
        case "model":
            return _model(param, value, name)
        case "models":
            if isinstance(value, str | bytes | Mapping) or not isinstance(value, Sequence):
                raise ValidationError(name, "list", "must be a list")
            if param.model is MeetingInvitee:  # the spec gives invitees as bare e-mails
                value = [{"email": v} if isinstance(v, str) else v for v in value]
            return [_model(param, v, f"{name}[{i}]") for i, v in enumerate(value)]
        case _:  # pragma: no cover - "file" is handled by the caller
            raise AssertionError(param.kind)


def _lookup(values: Mapping[str, Any], wire: Mapping[str, Any], path: str) -> bool:
    """Whether ``a`` or ``a[].b`` is present in the given inputs."""
    head, _, rest = path.partition("[].")
    if not rest:
        return values.get(head) is not None
    items = wire.get(head) or []
    return any(isinstance(i, Mapping) and i.get(_camel(rest)) is not None for i in items)


def _camel(name: str) -> str:
    first, *others = name.split("_")
    return first + "".join(o.title() for o in others)


@dataclass
class _Prepared:
    path: str
    query: dict[str, Any]
    body: dict[str, Any] | None
    upload: MediaUpload | None


def prepare(
    endpoint: Endpoint,
    values: Mapping[str, Any],
    *,
    progress: ProgressCallback | None = None,
) -> _Prepared:
    """Check every input against the endpoint's table entry and place it on the request."""
    path_args: dict[str, str] = {}
    query: dict[str, Any] = {}
    body: dict[str, Any] = {}
    filt: dict[str, Any] = {}
    by_name: dict[str, Any] = {}
    upload: MediaUpload | None = None
    file_name = values.get("file_name")
    for param in endpoint.params:
        value = values.get(param.name)
        if value is None:
            if param.required:
                raise ValidationError(param.name, "required", "is required")
            continue
        if param.kind == "file" or param.name == "file_name":
            continue
        converted = _convert(param, value)
        by_name[param.name] = converted
        match param.location:
            case "path":
                path_args[param.wire] = quote(converted, safe="")
            case "query":
                query[param.wire] = ("true" if converted else "false") if isinstance(converted, bool) else converted
            case "body":
                body[param.wire] = converted
            case "filter":
                filt[param.wire] = converted
    for rule in endpoint.exclusive:
        if _lookup(values, by_name, rule.first) and _lookup(values, by_name, rule.second):
            raise ValidationError(rule.first, "exclusive", rule.reason)
    if file_name is not None:
        check_text("file_name", file_name, max_length=255)
    media = values.get("media")
    if media is not None:
        upload = MediaUpload(media, file_name=file_name, progress=progress)
    if endpoint.body == "json" and endpoint.paging is not None and endpoint.method == "POST":
        body["filter"] = filt
    return _Prepared(endpoint.path.format(**path_args), query, body if endpoint.body == "json" else None, upload)


def _single(name: str, values: Mapping[str, Any], **kw: Any) -> Operation[Any]:
    endpoint = ENDPOINTS[name]
    prepared = prepare(endpoint, values, **kw)
    model = endpoint.response_model
    field_name, result_model = endpoint.result_field, endpoint.result_model

    def parse(data: Any) -> Any:
        body = data if isinstance(data, dict) else {}
        if field_name is not None and result_model is not None and field_name in body:
            return result_model.model_validate(body[field_name])
        return model.model_validate(body)

    if endpoint.body == "multipart":
        return Operation(endpoint, prepared.path, prepared.query, None, parse, prepared.upload)
    return Operation(endpoint, prepared.path, prepared.query, prepared.body, parse, then_upload=prepared.upload)


def upload_operation(call_id: str, upload: MediaUpload) -> Operation[AddCallMediaResponse]:
    """The media upload that follows ``create_call(media=...)``."""
    endpoint = ENDPOINTS["add_call_media"]
    path = endpoint.path.format(id=quote(check_id("call_id", call_id), safe=""))
    return Operation(endpoint, path, {}, None, AddCallMediaResponse.model_validate, upload)


def _list(name: str, values: Mapping[str, Any], item: type[T]) -> ListOperation[T]:
    endpoint = ENDPOINTS[name]
    prepared = prepare(endpoint, values)
    cursor = values.get("cursor")
    if cursor is not None:
        check_text("cursor", cursor)
    prepared.query.pop("cursor", None)
    if prepared.body is not None:
        prepared.body.pop("cursor", None)
    return ListOperation(endpoint, prepared.path, prepared.query, prepared.body, item, cursor)


def bind_signature(method: Callable[..., Any], build: Callable[..., Any], wrap: str) -> None:
    """Give a client method the builder's signature with ``self`` and the client's result
    type, so ``inspect.signature``, ``help()`` and a CLI or MCP layer see real arguments.
    ``wrap`` is a template such as ``"Pager[{}]"`` or ``"{}"``."""
    sig = inspect.signature(build)
    inner = str(sig.return_annotation)
    inner = inner[inner.index("[") + 1 : -1] if "[" in inner else inner
    params = [inspect.Parameter("self", inspect.Parameter.POSITIONAL_ONLY), *sig.parameters.values()]
    method.__dict__["__signature__"] = sig.replace(parameters=params, return_annotation=wrap.format(inner))


def _args(local: Mapping[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in local.items() if v is not None}


# --------------------------------------------------------------------------- calls


def list_calls(
    *,
    from_date_time: DateTimeLike | None = None,
    to_date_time: DateTimeLike | None = None,
    workspace_id: str | None = None,
    cursor: str | None = None,
) -> ListOperation[Call]:
    """Calls that started in ``[from_date_time, to_date_time)``, paged lazily.

    Either bound may be left out (the spec's action allows it: from the earliest call, to
    the latest). Gong is said to refuse windows over about 90 days; split longer ones.
    """
    return _list("list_calls", _args(locals()), Call)


def get_call(*, call_id: str) -> Operation[Call]:
    """One call's basic data."""
    return _single("get_call", _args(locals()))


def create_call(
    *,
    client_unique_id: str,
    primary_user: str,
    parties: Sequence[ModelInput[CallParty]],
    direction: Literal["Inbound", "Outbound", "Conference", "Unknown"],
    actual_start: DateTimeLike,
    scheduled_start: DateTimeLike | None = None,
    scheduled_end: DateTimeLike | None = None,
    title: str | None = None,
    purpose: str | None = None,
    duration: float | None = None,
    disposition: str | None = None,
    context: Sequence[ModelInput[CallContext]] | None = None,
    custom_data: str | None = None,
    speakers_timeline: ModelInput[SpeakersTimeline] | None = None,
    meeting_url: str | None = None,
    call_provider_code: str | None = None,
    download_media_url: str | None = None,
    workspace_id: str | None = None,
    language_code: str | None = None,
    media: MediaSource | None = None,
    file_name: str | None = None,
    progress: ProgressCallback | None = None,
) -> Operation[CreateCallResponse]:
    """Register a call. Safe to retry: Gong refuses a second call with the same id.

    Pass ``media`` to upload the recording right after (or ``download_media_url`` to
    have Gong fetch it; not both).
    """
    values = _args(locals())
    values.pop("progress", None)
    return _single("create_call", values, progress=progress)


def add_call_media(
    *,
    call_id: str,
    media: MediaSource,
    file_name: str | None = None,
    progress: ProgressCallback | None = None,
) -> Operation[AddCallMediaResponse]:
    """Upload a call's recording, streamed from disk; ``progress(sent, total)`` reports."""
    values = _args(locals())
    values.pop("progress", None)
    return _single("add_call_media", values, progress=progress)


def get_call_transcripts(
    *,
    from_date_time: DateTimeLike | None = None,
    to_date_time: DateTimeLike | None = None,
    workspace_id: str | None = None,
    call_ids: Sequence[str] | None = None,
    cursor: str | None = None,
) -> ListOperation[CallTranscript]:
    """Transcripts of the calls matching the filter, paged lazily."""
    return _list("get_call_transcripts", _args(locals()), CallTranscript)


def list_calls_extensive(
    *,
    from_date_time: DateTimeLike | None = None,
    to_date_time: DateTimeLike | None = None,
    workspace_id: str | None = None,
    call_ids: Sequence[str] | None = None,
    primary_user_ids: Sequence[str] | None = None,
    content_selector: ModelInput[ContentSelector] | None = None,
    cursor: str | None = None,
) -> ListOperation[ExtensiveCall]:
    """Calls with the extra data ``content_selector`` asks for, paged lazily."""
    return _list("list_calls_extensive", _args(locals()), ExtensiveCall)


# --------------------------------------------------------------------------- meetings


def create_meeting(
    *,
    start_time: DateTimeLike,
    end_time: DateTimeLike,
    organizer_email: str,
    invitees: Sequence[str | ModelInput[MeetingInvitee]],
    external_id: str | None = None,
    title: str | None = None,
) -> Operation[CreateMeetingResponse]:
    """Create a Gong meeting; invitees may be e-mail strings or invitee objects."""
    return _single("create_meeting", _args(locals()))


def update_meeting(
    *,
    meeting_id: str,
    start_time: DateTimeLike,
    end_time: DateTimeLike,
    organizer_email: str,
    invitees: Sequence[str | ModelInput[MeetingInvitee]],
    external_id: str | None = None,
    title: str | None = None,
) -> Operation[UpdateMeetingResponse]:
    """Replace a meeting's details (Gong wants the full set of required fields again)."""
    return _single("update_meeting", _args(locals()))


def delete_meeting(*, meeting_id: str, organizer_email: str | None = None) -> Operation[BaseResponse]:
    """Delete a Gong meeting."""
    return _single("delete_meeting", _args(locals()))


# --------------------------------------------------------------------------- engagement

_Props = Sequence[ModelInput[GenericProperty]]


def report_custom_action(
    *,
    reporting_system: str,
    event_timestamp: DateTimeLike,
    event_id: str | None = None,
    content_id: str | None = None,
    content_url: str | None = None,
    content_title: str | None = None,
    action_name: str | None = None,
    event_info_url: str | None = None,
    actor: ModelInput[Actor] | None = None,
    crm_context: Sequence[ModelInput[CallContext]] | None = None,
    content_properties: _Props | None = None,
    event_properties: _Props | None = None,
    user_agent: str | None = None,
    mobile_app_id: str | None = None,
    agent_platform: str | None = None,
    workspace_id: str | None = None,
    non_company_participants: Sequence[ModelInput[Actor]] | None = None,
    more_info_url: str | None = None,
    share_id: str | None = None,
    sharer: ModelInput[Sharer] | None = None,
    sharing_message_subject: str | None = None,
    sharing_message_body: str | None = None,
    tracking_id: str | None = None,
) -> Operation[BaseResponse]:
    """Put a prospect's action on content (e.g. "contract signed") on Gong's timeline."""
    return _single("report_custom_action", _args(locals()))


def report_content_shared(
    *,
    reporting_system: str,
    event_timestamp: DateTimeLike,
    content_id: str,
    content_url: str,
    content_title: str,
    event_id: str | None = None,
    share_id: str | None = None,
    share_info_url: str | None = None,
    sharing_message_subject: str | None = None,
    sharing_message_body: str | None = None,
    sharer: ModelInput[Sharer] | None = None,
    recipients: Sequence[ModelInput[Actor]] | None = None,
    crm_context: Sequence[ModelInput[CallContext]] | None = None,
    content_properties: _Props | None = None,
    event_properties: _Props | None = None,
    workspace_id: str | None = None,
    action_name: str | None = None,
    non_company_participants: Sequence[ModelInput[Actor]] | None = None,
    more_info_url: str | None = None,
    mobile_app_id: str | None = None,
    agent_platform: str | None = None,
    user_agent: str | None = None,
    tracking_id: str | None = None,
) -> Operation[BaseResponse]:
    """Put "a user shared this content" on Gong's timeline."""
    return _single("report_content_shared", _args(locals()))


def report_content_viewed(
    *,
    reporting_system: str,
    event_timestamp: DateTimeLike,
    content_id: str,
    content_url: str,
    content_title: str,
    event_id: str | None = None,
    view_action_title: str | None = None,
    share_id: str | None = None,
    view_info_url: str | None = None,
    viewer: ModelInput[Actor] | None = None,
    crm_context: Sequence[ModelInput[CallContext]] | None = None,
    content_properties: _Props | None = None,
    event_properties: _Props | None = None,
    user_agent: str | None = None,
    mobile_app_id: str | None = None,
    agent_platform: str | None = None,
    workspace_id: str | None = None,
    non_company_participants: Sequence[ModelInput[Actor]] | None = None,
    more_info_url: str | None = None,
    action_name: str | None = None,
    sharer: ModelInput[Sharer] | None = None,
    sharing_message_subject: str | None = None,
    sharing_message_body: str | None = None,
    tracking_id: str | None = None,
) -> Operation[BaseResponse]:
    """Put "an external person viewed this content" on Gong's timeline."""
    return _single("report_content_viewed", _args(locals()))


# --------------------------------------------------------------------------- data privacy


def list_email_references(*, email_address: str) -> Operation[EmailReferences]:
    """What Gong holds that mentions an e-mail address (for access requests)."""
    return _single("list_email_references", _args(locals()))


def erase_email_data(*, email_address: str) -> Operation[BaseResponse]:
    """Ask Gong to erase what references an e-mail address. Not retried: it is destructive."""
    return _single("erase_email_data", _args(locals()))


def list_phone_references(*, phone_number: str) -> Operation[PhoneReferences]:
    """What Gong holds that mentions a phone number (``+`` and country code)."""
    return _single("list_phone_references", _args(locals()))


def erase_phone_data(*, phone_number: str) -> Operation[BaseResponse]:
    """Ask Gong to erase what references a phone number. Not retried: it is destructive."""
    return _single("erase_phone_data", _args(locals()))


# --------------------------------------------------------------------------- users, logs, library


def get_logs(
    *,
    log_type: Literal[
        "AccessLog",
        "UserActivityLog",
        "UserCallPlay",
        "ExternallySharedCallAccess",
        "ExternallySharedCallPlay",
    ],
    from_date_time: DateTimeLike,
    to_date_time: DateTimeLike | None = None,
    cursor: str | None = None,
) -> ListOperation[LogEntry]:
    """Audit log entries of one type, paged lazily."""
    return _list("get_logs", _args(locals()), LogEntry)


def get_user(*, user_id: str) -> Operation[User]:
    """One user."""
    return _single("get_user", _args(locals()))


def list_users(*, include_avatars: bool | None = None, cursor: str | None = None) -> ListOperation[User]:
    """All users, paged lazily; Gong staff avatars only when asked for."""
    return _list("list_users", _args(locals()), User)


def list_workspaces() -> ListOperation[Workspace]:
    """All workspaces (one page)."""
    return _list("list_workspaces", {}, Workspace)


def list_library_folders(*, workspace_id: str | None = None) -> ListOperation[LibraryFolder]:
    """Public library folders (one page)."""
    return _list("list_library_folders", _args(locals()), LibraryFolder)


def list_folder_calls(*, folder_id: str, cursor: str | None = None) -> ListOperation[LibraryCall]:
    """Calls saved in a library folder."""
    return _list("list_folder_calls", _args(locals()), LibraryCall)
