"""The action registry: every spec action, the trigger and both connections, as data.

Actions are built from ``client/_endpoints.py`` (inputs, kinds, required flags, scopes,
paging) so that the CLI, the manifest and an MCP server read the very table the client
sends requests from. What the endpoint table does not hold, and a form needs, is added
here: the spec's labels, help text in our words, and the spec's defaults.
"""

from __future__ import annotations

import builtins
import inspect
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from ..client import ENDPOINTS, Endpoint, GongClient, Param
from ..client._models import GongModel
from ..connections import DEFAULT_BASE_URL, DEFAULT_OAUTH_BASE_URL, DEFAULT_SCOPES

__all__ = [
    "ACTIONS",
    "CONNECTIONS",
    "RAW_REQUEST",
    "TRIGGERS",
    "ActionSpec",
    "ConnectionSpec",
    "InputSpec",
    "TriggerSpec",
    "get_action",
]


@dataclass(frozen=True)
class InputSpec:
    """One input as a form shows it: key, label, type (an endpoint kind), rule, help."""

    key: str
    label: str
    type: str
    required: bool = False
    default: Any = None
    help: str = ""
    choices: tuple[str, ...] = ()
    max_length: int | None = None
    #: Gong's name for it on the wire (absent for inputs that are not sent as such).
    wire: str | None = None
    #: For ``model``/``models`` inputs: the pydantic model that validates each object.
    model: builtins.type[GongModel] | None = None  # (``type`` is a field name here)
    secret: bool = False

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "key": self.key,
            "label": self.label,
            "type": self.type,
            "required": self.required,
            "default": self.default,
            "help": self.help,
        }
        if self.choices:
            data["choices"] = list(self.choices)
        if self.max_length is not None:
            data["maxLength"] = self.max_length
        if self.wire is not None:
            data["wire"] = self.wire
        if self.secret:
            data["secret"] = True
        return data


@dataclass(frozen=True)
class ActionSpec:
    """One action: what it is called, what it takes, how it behaves, which client method."""

    key: str
    name: str  # the spec's display name
    description: str
    method: str  # client method name
    inputs: tuple[InputSpec, ...]
    http_method: str
    path: str
    scope: str | None
    read_only: bool
    destructive: bool
    idempotent: bool
    paged: bool
    in_spec: bool = True
    endpoint: Endpoint | None = field(default=None, repr=False, compare=False)

    def input(self, key: str) -> InputSpec:
        return next(i for i in self.inputs if i.key == key)

    @property
    def input_keys(self) -> tuple[str, ...]:
        return tuple(i.key for i in self.inputs)


@dataclass(frozen=True)
class ConnectionSpec:
    key: str
    name: str
    description: str
    kind: str  # "api_key" | "oauth2"
    inputs: tuple[InputSpec, ...]


@dataclass(frozen=True)
class TriggerSpec:
    key: str
    name: str
    description: str
    inputs: tuple[InputSpec, ...]


# --------------------------------------------------------------------------- labels and help

#: Where the spec's label is not the title-cased input name.
_LABELS = {
    "meeting_id": "Meeting ID",
    "external_id": "External ID",
    "meeting_url": "Meeting URL",
    "download_media_url": "Download Media URL",
    "view_info_url": "View Info URL",
    "crm_context": "CRM Context",
    "media": "File",
}

#: The spec's defaults, for inputs the endpoint table leaves without one.
_DEFAULTS: Mapping[tuple[str, str], Any] = {("list_users", "include_avatars"): False}

#: Help in our own words, by input name; kinds give the rest (see ``_kind_help``).
_HELP = {
    "cursor": "Cursor from the previous page, to fetch the next one.",
    "from_date_time": "Start of the time window, inclusive.",
    "to_date_time": "End of the time window, exclusive.",
    "workspace_id": "Restrict to one workspace.",
    "call_id": "The call's Gong id.",
    "call_ids": "Only these calls (Gong ids).",
    "user_id": "The user's Gong id.",
    "folder_id": "The library folder's Gong id.",
    "meeting_id": "The meeting's Gong id.",
    "include_avatars": "Also list the avatars of Gong staff who access the account.",
    "log_type": "Which audit log to read.",
    "email_address": "The e-mail address to look up or erase.",
    "phone_number": "Phone number starting with + and the country code.",
    "client_unique_id": "The call's id in your recording system; Gong refuses a repeat.",
    "primary_user": "Gong id of the user who hosted the call.",
    "parties": "People on the call; include the host (primary user).",
    "direction": "Inbound, Outbound, Conference or Unknown.",
    "actual_start": "When the call really started.",
    "scheduled_start": "When the call was planned to start.",
    "scheduled_end": "When the call was planned to end.",
    "title": "Title shown in Gong and used for search.",
    "purpose": "Why the call took place (free text, 255 characters at most).",
    "duration": "Length of the call in seconds.",
    "disposition": "Outcome of the call (free text, 255 characters at most).",
    "context": "Links to records in other systems (CRM, telephony...).",
    "custom_data": "Free text Gong keeps with the call, handy when troubleshooting.",
    "speakers_timeline": "Who spoke when; not together with a party's media channel.",
    "meeting_url": "Link participants used to join the conference.",
    "call_provider_code": "Gong's code for the conferencing or telephony system.",
    "download_media_url": "Public URL Gong fetches the recording from (then skip the upload).",
    "language_code": "Language to transcribe in, if Gong should not detect it.",
    "media": "Recording file to upload (1.5 GB at most).",
    "file_name": "File name sent with the recording; defaults to the file's own name.",
    "start_time": "Meeting start.",
    "end_time": "Meeting end.",
    "organizer_email": "E-mail of the Gong user organising the meeting.",
    "invitees": "Invitees other than the organiser: e-mail strings or invitee objects.",
    "external_id": "The meeting's id in your own system.",
    "reporting_system": "Name of the system reporting the event; the same for all its events.",
    "event_timestamp": "When the event happened.",
    "event_id": "The event's id in the reporting system.",
    "content_id": "The content's id in the reporting system.",
    "content_url": "Where the content lives.",
    "content_title": "Readable title of the content.",
    "action_name": "What happened, e.g. 'Contract Signed'.",
    "event_info_url": "Page with more about this event.",
    "share_info_url": "Page with more about this share.",
    "view_info_url": "Page with more about this view.",
    "view_action_title": "What the viewer did, e.g. 'Presentation Opened'.",
    "actor": "The external person who acted.",
    "viewer": "The external person who viewed the content.",
    "recipients": "External people the content was shared with.",
    "sharer": "The user who shared the content.",
    "crm_context": "CRM records the event belongs to.",
    "content_properties": "Extra typed properties of the content.",
    "event_properties": "Extra typed properties of the event.",
    "user_agent": "Browser User-Agent, for web interactions.",
    "mobile_app_id": "App bundle or package id, for mobile interactions.",
    "agent_platform": "Operating system the interaction happened on.",
    "non_company_participants": "External people involved.",
    "more_info_url": "Link to further detail.",
    "share_id": "Id of the share this event belongs to.",
    "sharing_message_subject": "Subject of the share message.",
    "sharing_message_body": "Body of the share message (HTML is cleaned by Gong).",
    "tracking_id": "Your id for tracking this event.",
    "content_selector": "Which extra call data to include (context, exposed fields).",
    "primary_user_ids": "Only calls hosted by these users.",
}

_KIND_HELP = {
    "datetime": "ISO-8601 date-time with an offset, e.g. 2024-02-18T08:00:00Z.",
    "id": "1 to 20 digits, as a string.",
    "ids": "Each id is 1 to 20 digits, as a string.",
    "email": "E-mail address.",
    "phone": "Phone number starting with +.",
}


def _label(name: str) -> str:
    return _LABELS.get(name) or " ".join(w.capitalize() for w in name.split("_"))


def _help(param: Param) -> str:
    text = _HELP.get(param.name) or param.description
    hint = _KIND_HELP.get(param.kind)
    if hint and hint not in text:
        text = f"{text} {hint}".strip()
    return text


def _input(endpoint: Endpoint, param: Param) -> InputSpec:
    return InputSpec(
        key=param.name,
        label=_label(param.name),
        type=param.kind,
        required=param.required,
        default=_DEFAULTS.get((endpoint.name, param.name)),
        help=_help(param),
        choices=param.choices,
        max_length=param.max_length,
        wire=param.wire,
        model=param.model,
    )


def _describe(endpoint: Endpoint) -> str:
    text = endpoint.summary
    if endpoint.paging is not None:
        text += " Returns one page and a cursor for the next."
    return f"{text} Needs the {endpoint.scope} scope."


def _action(endpoint: Endpoint, *, in_spec: bool = True) -> ActionSpec:
    ep = endpoint
    return ActionSpec(
        key=ep.name.replace("_", "-"),
        name=ep.action,
        description=_describe(ep),
        method=ep.name,
        inputs=tuple(_input(ep, p) for p in ep.params),
        http_method=ep.method,
        path=ep.path,
        scope=ep.scope,
        # Reads: GETs, and POSTs that page (Gong puts big filters in a POST body).
        read_only=ep.method == "GET" or ep.paging is not None,
        destructive=ep.method == "DELETE" or ep.name.startswith("erase_"),
        idempotent=ep.retry_safe,
        paged=ep.paging is not None,
        in_spec=in_spec,
        endpoint=ep,
    )


# --------------------------------------------------------------------------- raw request

#: Raw request inputs: (key, label, type, help). Defaults come from ``GongClient.request``.
_RAW_INPUTS: tuple[tuple[str, str, str, str], ...] = (
    ("url", "URL", "text", "Path on the Gong API host (e.g. /v2/users) or a URL on that host."),
    ("method", "Method", "choice", "HTTP method."),
    ("data", "Data", "json", "Body to send: JSON value, or a string sent as is."),
    ("form_data", "Form Data", "map", "Form fields sent as multipart/form-data."),
    ("file_data", "File Data", "map", "Files sent as multipart/form-data: field name to content."),
    ("file_data_file_names", "File Data File Names", "map", "File name for each File Data field (same keys)."),
    ("query_params", "Query Parameter", "map", "Query string parameters."),
    ("headers", "Header", "map", "Extra request headers."),
    ("response_type", "Response Type", "choice", "How to read the answer: json, text or binary."),
    ("timeout", "Timeout", "number", "Seconds to wait for the answer."),
    (
        "retry_delay_ms",
        "Retry Delay (ms)",
        "integer",
        "Pause between retries in milliseconds, unless exponential backoff is on.",
    ),
    (
        "retry_on_all_errors",
        "Retry On All Errors",
        "bool",
        "Retry any error status (429, 4xx too), not only 5xx and network failures.",
    ),
    ("max_retry_count", "Max Retry Count", "integer", "How many times to retry; 0 for never."),
    (
        "use_exponential_backoff",
        "Use Exponential Backoff",
        "bool",
        "Wait longer after each failure; overrides the fixed retry delay.",
    ),
)

_RAW_CHOICES = {
    "method": ("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"),
    "response_type": ("json", "text", "binary"),
}


def _raw_request() -> ActionSpec:
    sig = inspect.signature(GongClient.request)
    inputs = []
    for key, label, kind, text in _RAW_INPUTS:
        param = sig.parameters[key]
        default = None if param.default is inspect.Parameter.empty else param.default
        inputs.append(
            InputSpec(
                key, label, kind, required=key == "url", default=default, help=text, choices=_RAW_CHOICES.get(key, ())
            )
        )
    return ActionSpec(
        key="raw-request",
        name="Raw Request",
        description="Send any HTTP request to the connection's Gong host, signed with its "
        "credentials; for endpoints the other actions do not cover.",
        method="request",
        inputs=tuple(inputs),
        http_method="*",
        path="*",
        scope=None,
        read_only=False,
        destructive=True,
        idempotent=False,
        paged=False,
    )


RAW_REQUEST = _raw_request()

#: By key, in alphabetical order. ``list-calls-extensive`` is ours, not the spec's.
ACTIONS: Mapping[str, ActionSpec] = MappingProxyType(
    dict(
        sorted(
            (a.key, a)
            for a in (
                *(_action(e, in_spec=e.name != "list_calls_extensive") for e in ENDPOINTS.values()),
                RAW_REQUEST,
            )
        )
    )
)


def get_action(key: str) -> ActionSpec:
    """The action by key (``list-calls``), client method (``list_calls``) or spec name."""
    if key in ACTIONS:
        return ACTIONS[key]
    for action in ACTIONS.values():
        if key in (action.method, action.name):
            return action
    from ..client import ValidationError

    raise ValidationError("action", "unknown", f"no action {key!r}; see `gong actions`")


# --------------------------------------------------------------------------- connections, trigger

CONNECTIONS: Mapping[str, ConnectionSpec] = MappingProxyType(
    {
        "api-key": ConnectionSpec(
            "api-key",
            "API Key",
            "An access key and secret made in Gong's API settings, sent as HTTP Basic to the company's API base URL.",
            "api_key",
            (
                InputSpec(
                    "base_url",
                    "Base URL",
                    "text",
                    default=DEFAULT_BASE_URL,
                    help="The API base URL Gong shows next to the key.",
                    wire="GONG_BASE_URL",
                ),
                InputSpec(
                    "access_key", "Access Key", "text", required=True, help="The access key.", wire="GONG_ACCESS_KEY"
                ),
                InputSpec(
                    "access_key_secret",
                    "Access Key Secret",
                    "text",
                    required=True,
                    help="The access key's secret; never shown again by Gong.",
                    wire="GONG_ACCESS_KEY_SECRET",
                    secret=True,
                ),
            ),
        ),
        "oauth2": ConnectionSpec(
            "oauth2",
            "OAuth 2.0",
            "Authorization-code flow of a Gong OAuth integration; tokens refresh by "
            "themselves and the API host comes from the token.",
            "oauth2",
            (
                InputSpec(
                    "scopes",
                    "Scopes",
                    "text",
                    default=DEFAULT_SCOPES,
                    help="Space-separated scopes to ask the user for.",
                ),
                InputSpec("client_id", "API Key", "text", required=True, help="Client id of the Gong integration."),
                InputSpec(
                    "client_secret",
                    "API Secret",
                    "text",
                    required=True,
                    help="Client secret of the Gong integration.",
                    secret=True,
                ),
                InputSpec(
                    "oauth_base_url",
                    "OAuth Base URL",
                    "text",
                    default=DEFAULT_OAUTH_BASE_URL,
                    help="Where Gong's authorize and token endpoints live.",
                ),
            ),
        ),
    }
)

TRIGGERS: Mapping[str, TriggerSpec] = MappingProxyType(
    {
        "process-automation": TriggerSpec(
            "process-automation",
            "Process Automation Trigger",
            "Receives the webhooks Gong's automation rules send when a call matches; each "
            "is verified, stored and handed to your handlers (see `gong trigger serve`).",
            (
                InputSpec(
                    "automation_rules",
                    "Automation Rules",
                    "list",
                    help="The Gong automation rules whose webhooks to accept "
                    "(their names; verification keys are set on the receiver).",
                ),
            ),
        ),
    }
)

assert {a.method for a in ACTIONS.values()} - {"request"} == set(ENDPOINTS), "every endpoint needs an action"
