"""MCP tools read from the action registry: one tool per action, nothing written again.

Names, descriptions, input and output schemas and the behaviour hints all come from
``ACTIONS``; the only additions are the transcript tool's ``format`` and ``max_chars``
inputs, which exist because a whole transcript page does not fit in a model's context.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

import mcp_types as types

from ..actions import ACTIONS, ActionSpec, input_schema, output_schema
from ._files import FileAccess
from ._lists import list_note

__all__ = [
    "DEFAULT_MAX_CHARS",
    "LIST_INPUTS",
    "MAX_MAX_CHARS",
    "MIN_MAX_CHARS",
    "TOOL_ACTIONS",
    "TRANSCRIPT_ACTION",
    "TRANSCRIPT_INPUTS",
    "build_tools",
    "extra_inputs",
    "file_inputs",
    "find_action",
    "tool_name",
]

#: The action whose tool can answer in compact text, bounded and resumable.
TRANSCRIPT_ACTION = "get-call-transcripts"

DEFAULT_MAX_CHARS = 20_000
MIN_MAX_CHARS = 200
MAX_MAX_CHARS = 500_000

#: Inputs the transcript tool has on top of the registry's (JSON Schema properties).
TRANSCRIPT_INPUTS: Mapping[str, dict[str, Any]] = MappingProxyType(
    {
        "format": {
            "type": "string",
            "enum": ["text", "json"],
            "default": "text",
            "title": "Format",
            "description": "text: one line per speaker turn (mm:ss, speaker name, what was said), "
            "cut at max_chars and resumed with the returned cursor. json: Gong's page of "
            "transcripts as is, refused when longer than max_chars.",
        },
        "max_chars": {
            "type": "integer",
            "minimum": MIN_MAX_CHARS,
            "maximum": MAX_MAX_CHARS,
            "default": DEFAULT_MAX_CHARS,
            "title": "Max Chars",
            "description": "Most characters of transcript to return in one call.",
        },
    }
)

#: Inputs every other list tool has on top of the registry's: its answer is bounded too.
LIST_INPUTS: Mapping[str, dict[str, Any]] = MappingProxyType(
    {
        "max_chars": {
            "type": "integer",
            "minimum": MIN_MAX_CHARS,
            "maximum": MAX_MAX_CHARS,
            "default": DEFAULT_MAX_CHARS,
            "title": "Max Chars",
            "description": "Most characters of JSON to return in one call; the rest comes with the returned cursor.",
        },
    }
)

_TRANSCRIPT_NOTE = (
    " As text (the default), returns at most max_chars characters and, when more is left, "
    "a cursor: call again with only that cursor (and the same max_chars, if you like) to "
    "continue where the text stopped. Speaker names come from the calls' parties."
)


def tool_name(action: ActionSpec) -> str:
    """The action key with ``-`` as ``_``: some clients turn tools into functions, so names
    stay identifiers (and match the client methods); MCP itself would accept ``-``."""
    return action.key.replace("-", "_")


#: Tool name to action, in the registry's order.
TOOL_ACTIONS: Mapping[str, ActionSpec] = MappingProxyType({tool_name(a): a for a in ACTIONS.values()})


def find_action(name: str) -> ActionSpec | None:
    """The action behind a tool name; the action key itself is accepted too."""
    return TOOL_ACTIONS.get(name) or ACTIONS.get(name)


def extra_inputs(action: ActionSpec) -> Mapping[str, dict[str, Any]]:
    """The inputs a tool has beyond the action's: the bounds of its answer."""
    if action.key == TRANSCRIPT_ACTION:
        return TRANSCRIPT_INPUTS
    return LIST_INPUTS if action.paged else MappingProxyType({})


def file_inputs(action: ActionSpec) -> tuple[str, ...]:
    """Inputs naming a local file the server would read (and send to Gong)."""
    return tuple(i.key for i in action.inputs if i.type == "file")


def tool_input_schema(action: ActionSpec) -> dict[str, Any]:
    schema = input_schema(action)
    schema["properties"].update({k: dict(v) for k, v in extra_inputs(action).items()})
    return schema


def tool_output_schema(action: ActionSpec) -> dict[str, Any] | None:
    """The registry's output schema; none for the transcript tool, whose text answer has
    another shape. A bare ``$ref`` gets ``type: object`` (MCP wants an object at the root,
    and every referenced model is one)."""
    if action.key == TRANSCRIPT_ACTION:
        return None
    schema = output_schema(action)
    schema.setdefault("type", "object")
    return schema


def _tool(action: ActionSpec, files: FileAccess) -> types.Tool:
    description = action.description
    if action.key == TRANSCRIPT_ACTION:
        description += _TRANSCRIPT_NOTE
    elif action.paged:
        description += list_note(DEFAULT_MAX_CHARS)
    if file_inputs(action):
        description += f" Local files ({', '.join(file_inputs(action))}): absolute paths; {files.rule}."
    return types.Tool(
        name=tool_name(action),
        title=action.name,
        description=description,
        input_schema=tool_input_schema(action),
        output_schema=tool_output_schema(action),
        annotations=types.ToolAnnotations(
            title=action.name,
            read_only_hint=action.read_only,
            destructive_hint=action.destructive,
            idempotent_hint=action.idempotent,
            open_world_hint=True,
        ),
    )


def build_tools(files: FileAccess | None = None) -> list[types.Tool]:
    """Every registered action as an MCP tool; file tools say which files may be read."""
    return [_tool(a, files or FileAccess()) for a in ACTIONS.values()]
