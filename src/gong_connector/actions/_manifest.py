"""The manifest: the whole registry as one JSON document a workflow host can read.

Each action carries its inputs (for drawing a form), a JSON Schema of the inputs (for
validating them) and of the output, and the hints an MCP server needs (read-only,
destructive, idempotent, paged).
"""

from __future__ import annotations

from typing import Any

from .._version import __version__
from ._registry import ACTIONS, CONNECTIONS, TRIGGERS, ActionSpec
from ._schema import input_schema, output_schema

__all__ = ["MANIFEST_VERSION", "action_manifest", "build_manifest"]

MANIFEST_VERSION = 1


def action_manifest(action: ActionSpec) -> dict[str, Any]:
    """One action's manifest entry."""
    return {
        "key": action.key,
        "name": action.name,
        "description": action.description,
        "inSpec": action.in_spec,
        "http": {"method": action.http_method, "path": action.path},
        "scope": action.scope,
        "readOnly": action.read_only,
        "destructive": action.destructive,
        "idempotent": action.idempotent,
        "paged": action.paged,
        "inputs": [i.to_dict() for i in action.inputs],
        "inputSchema": input_schema(action),
        "outputSchema": output_schema(action),
    }


def build_manifest() -> dict[str, Any]:
    """Connections, triggers and actions, each with its inputs and schemas."""
    return {
        "manifestVersion": MANIFEST_VERSION,
        "name": "gong-connector",
        "version": __version__,
        "description": "Gong's calls, users, meetings, engagement events, library, logs and "
        "data privacy, through its API v2.",
        "connections": [
            {
                "key": c.key,
                "name": c.name,
                "description": c.description,
                "kind": c.kind,
                "inputs": [i.to_dict() for i in c.inputs],
                "inputSchema": input_schema(c),
            }
            for c in CONNECTIONS.values()
        ],
        "triggers": [
            {
                "key": t.key,
                "name": t.name,
                "description": t.description,
                "inputs": [i.to_dict() for i in t.inputs],
                "inputSchema": input_schema(t),
            }
            for t in TRIGGERS.values()
        ],
        "actions": [action_manifest(a) for a in ACTIONS.values()],
    }
