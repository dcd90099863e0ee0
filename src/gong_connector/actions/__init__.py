"""The action registry and manifest: every Gong action as data, runnable by key.

The CLI (``gong run``), the manifest (``gong manifest``) and an MCP server share this:
per action a key, a display name, a description, typed inputs with JSON Schemas, hints
(read-only, destructive, paged) and ``run_action`` to execute it.
"""

from ._manifest import MANIFEST_VERSION, action_manifest, build_manifest
from ._registry import (
    ACTIONS,
    CONNECTIONS,
    RAW_REQUEST,
    TRIGGERS,
    ActionSpec,
    ConnectionSpec,
    InputSpec,
    TriggerSpec,
    get_action,
)
from ._run import (
    ActionResult,
    aiter_action,
    arun_action,
    check_inputs,
    iter_action,
    merge_text_inputs,
    parse_input_text,
    run_action,
    to_jsonable,
)
from ._schema import input_schema, output_schema, schema_for_input
from ._transcripts import clock, label_calls

__all__ = [
    "ACTIONS",
    "CONNECTIONS",
    "MANIFEST_VERSION",
    "RAW_REQUEST",
    "TRIGGERS",
    "ActionResult",
    "ActionSpec",
    "ConnectionSpec",
    "InputSpec",
    "TriggerSpec",
    "action_manifest",
    "aiter_action",
    "arun_action",
    "build_manifest",
    "check_inputs",
    "clock",
    "get_action",
    "input_schema",
    "iter_action",
    "label_calls",
    "merge_text_inputs",
    "output_schema",
    "parse_input_text",
    "run_action",
    "schema_for_input",
    "to_jsonable",
]
