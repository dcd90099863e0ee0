"""The action registry: every action, the trigger and both connections, as data.

Actions are not listed here: each is declared once in the client (see
``client/_define.py``), and this module only collects them by key, so the CLI, the
manifest and the MCP server read the very declarations the client sends requests from.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from types import MappingProxyType

from ..client import GongClient
from ..client._define import Action, Input, declared_actions
from ..client._kinds import STRINGS, TEXT
from ..client._raw import RAW_REQUEST
from ..connections import DEFAULT_BASE_URL, DEFAULT_OAUTH_BASE_URL, DEFAULT_SCOPES
from ..errors import ValidationError

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
    "suggest",
]

#: The registry's names for the client's declaration types.
ActionSpec = Action
InputSpec = Input


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


#: By key, in alphabetical order.
ACTIONS: Mapping[str, ActionSpec] = MappingProxyType(
    dict(sorted((a.key, a) for a in declared_actions(GongClient).values()))
)


def suggest(word: str, choices: Iterable[str]) -> str:
    """`` did you mean X?`` for the closest choice, or nothing when none is close."""
    originals = {c.lower(): c for c in choices}
    close = difflib.get_close_matches(word.lower(), list(originals), n=1, cutoff=0.6)
    return f"; did you mean {originals[close[0]]}?" if close else ""


def get_action(key: str) -> ActionSpec:
    """The action by key (``list-calls``), client method (``list_calls``) or display name."""
    if key in ACTIONS:
        return ACTIONS[key]
    for action in ACTIONS.values():
        if key in (action.method, action.name):
            return action
    normalized = key.strip().lower().replace("_", "-").replace(" ", "-")
    if normalized in ACTIONS:
        return ACTIONS[normalized]
    hint = suggest(normalized, ACTIONS) or suggest(key, [a.name for a in ACTIONS.values()])
    raise ValidationError("action", "unknown", f"no action {key!r}{hint} (`gong actions` lists them)")


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
                    TEXT,
                    default=DEFAULT_BASE_URL,
                    help="The API base URL Gong shows next to the key.",
                    wire="GONG_BASE_URL",
                ),
                InputSpec(
                    "access_key", "Access Key", TEXT, required=True, help="The access key.", wire="GONG_ACCESS_KEY"
                ),
                InputSpec(
                    "access_key_secret",
                    "Access Key Secret",
                    TEXT,
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
                    TEXT,
                    default=DEFAULT_SCOPES,
                    help="Space-separated scopes to ask the user for.",
                ),
                InputSpec("client_id", "API Key", TEXT, required=True, help="Client id of the Gong integration."),
                InputSpec(
                    "client_secret",
                    "API Secret",
                    TEXT,
                    required=True,
                    help="Client secret of the Gong integration.",
                    secret=True,
                ),
                InputSpec(
                    "oauth_base_url",
                    "OAuth Base URL",
                    TEXT,
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
                    STRINGS,
                    help="The Gong automation rules whose webhooks to accept "
                    "(their names; verification keys are set on the receiver).",
                ),
            ),
        ),
    }
)
