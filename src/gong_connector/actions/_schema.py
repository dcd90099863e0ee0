"""JSON Schemas for action inputs and outputs, generated from the registry and the models.

Nothing here is written by hand per action: input schemas come from each input's kind
(the endpoint table's) and its pydantic model; output schemas from the response models'
``model_json_schema()``. A form builder, a validator and an MCP server all read these.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol

from ..client._models import GongModel
from ..client._validation import DIRECTIONS, LANGUAGE_CODES
from ._registry import ActionSpec, InputSpec

__all__ = ["DRAFT", "input_schema", "output_schema", "schema_for_input"]

DRAFT = "https://json-schema.org/draft/2020-12/schema"
_ID = {"type": "string", "pattern": "^[0-9]{1,20}$"}
_STRING_MAP = {"type": "object", "additionalProperties": {"type": "string"}}


class HasInputs(Protocol):
    """An action, connection or trigger: anything with a name and inputs."""

    @property
    def name(self) -> str: ...

    @property
    def inputs(self) -> Sequence[InputSpec]: ...


def _model_ref(model: type[GongModel] | None, defs: dict[str, Any], mode: str) -> dict[str, Any]:
    """Put ``model``'s schema (and its nested ones) in ``defs``; return a ``$ref`` to it."""
    assert model is not None, "model inputs name their model in the endpoint table"
    schema = model.model_json_schema(by_alias=True, mode=mode)  # type: ignore[arg-type]
    defs.update(schema.pop("$defs", {}))
    name = model.__name__
    defs[name] = schema
    return {"$ref": f"#/$defs/{name}"}


def schema_for_input(spec: InputSpec, defs: dict[str, Any]) -> dict[str, Any]:
    """The JSON Schema of one input, from its kind."""
    schema: dict[str, Any]
    match spec.type:
        case "text":
            schema = {"type": "string"}
            if spec.max_length is not None:
                schema["maxLength"] = spec.max_length
        case "datetime":
            schema = {"type": "string", "format": "date-time"}
        case "id":
            schema = dict(_ID)
        case "ids":
            schema = {"type": "array", "items": dict(_ID), "minItems": 1}
        case "email":
            schema = {"type": "string", "format": "email"}
        case "phone":
            schema = {"type": "string", "pattern": r"^\s*\+"}
        case "language":
            schema = {"type": "string", "enum": sorted(LANGUAGE_CODES)}
        case "direction":
            schema = {"type": "string", "enum": list(DIRECTIONS)}
        case "choice":
            schema = {"type": "string", "enum": list(spec.choices)}
        case "bool":
            schema = {"type": "boolean"}
        case "number":
            schema = {"type": "number", "minimum": 0}
        case "integer":
            schema = {"type": "integer", "minimum": 0}
        case "model":
            schema = _model_ref(spec.model, defs, "validation")
        case "models":
            item = _model_ref(spec.model, defs, "validation")
            if spec.key == "invitees":  # an e-mail string stands for {"email": ...}
                item = {"anyOf": [{"type": "string", "format": "email"}, item]}
            schema = {"type": "array", "items": item}
        case "file":
            schema = {
                "type": "string",
                "contentMediaType": "application/octet-stream",
                "description": "Path of a local file.",
            }
        case "map":
            schema = dict(_STRING_MAP)
        case "list":
            schema = {"type": "array", "items": {"type": "string"}}
        case "json":
            schema = {}
        case other:  # pragma: no cover - the registry test keeps kinds in step
            raise AssertionError(f"no schema for input type {other}")
    if "$ref" in schema:
        schema = {"allOf": [schema]}
    schema["title"] = spec.label
    if spec.help:
        schema["description"] = spec.help
    if spec.default is not None:
        schema["default"] = spec.default
    return schema


def input_schema(action: HasInputs) -> dict[str, Any]:
    """The JSON Schema of an action's (or connection's) inputs, as one object."""
    defs: dict[str, Any] = {}
    props = {i.key: schema_for_input(i, defs) for i in action.inputs}
    schema: dict[str, Any] = {
        "$schema": DRAFT,
        "title": f"{action.name} inputs",
        "type": "object",
        "properties": props,
        "required": [i.key for i in action.inputs if i.required],
        "additionalProperties": False,
    }
    if defs:
        schema["$defs"] = defs
    return schema


def output_schema(action: ActionSpec) -> dict[str, Any]:
    """The JSON Schema of what ``run_action`` returns for this action."""
    defs: dict[str, Any] = {}
    ep = action.endpoint
    body: dict[str, Any]
    if ep is None:  # raw request
        body = {
            "type": "object",
            "properties": {
                "statusCode": {"type": "integer"},
                "headers": _STRING_MAP,
                "data": {"description": "JSON value, text, or base64 for binary answers."},
            },
            "required": ["statusCode", "headers", "data"],
        }
    elif ep.paging is not None:
        body = {
            "type": "object",
            "properties": {
                "items": {"type": "array", "items": _model_ref(ep.paging.item_model, defs, "serialization")},
                "cursor": {
                    "type": ["string", "null"],
                    "description": "Pass back as the cursor input for the next page.",
                },
                "totalRecords": {"type": ["integer", "null"]},
                "requestId": {"type": ["string", "null"]},
            },
            "required": ["items", "cursor"],
        }
    else:
        model = ep.result_model if ep.result_model is not None else ep.response_model
        body = _model_ref(model, defs, "serialization")
    schema = {"$schema": DRAFT, "title": f"{action.name} output", **body}
    if defs:
        schema["$defs"] = defs
    return schema
