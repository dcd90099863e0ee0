"""JSON Schemas for action inputs and outputs, generated from the registry and the models.

Nothing here is written by hand per action: input schemas come from each input's kind
(the same object that checks the value in the client); output schemas from the response
models' ``model_json_schema()``. A form builder, a validator and an MCP server read these.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol

from ..client._models import GongModel
from ._registry import ActionSpec, InputSpec

__all__ = ["DRAFT", "input_schema", "output_schema", "schema_for_input"]

DRAFT = "https://json-schema.org/draft/2020-12/schema"
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
    schema = model.model_json_schema(by_alias=True, mode=mode)
    defs.update(schema.pop("$defs", {}))
    name = model.__name__
    defs[name] = schema
    return {"$ref": f"#/$defs/{name}"}


def schema_for_input(spec: InputSpec, defs: dict[str, Any]) -> dict[str, Any]:
    """The JSON Schema of one input: its kind's, with the input's title, help and example."""
    schema = spec.kind.schema(defs)
    if "$ref" in schema:
        schema = {"allOf": [schema]}
    schema["title"] = spec.label
    if spec.help:
        schema["description"] = spec.help
    if spec.default is not None:
        schema["default"] = spec.default
    if spec.example is not None:
        schema["examples"] = [spec.example]
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
    body: dict[str, Any]
    if action.builder is not None:  # raw request
        body = {
            "type": "object",
            "properties": {
                "statusCode": {"type": "integer"},
                "headers": _STRING_MAP,
                "data": {"description": "JSON value, text, or base64 for binary answers."},
            },
            "required": ["statusCode", "headers", "data"],
        }
    elif action.paging is not None:
        body = {
            "type": "object",
            "properties": {
                "items": {"type": "array", "items": _model_ref(action.paging.item_model, defs, "serialization")},
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
        body = _model_ref(action.response_model, defs, "serialization")
    schema = {"$schema": DRAFT, "title": f"{action.name} output", **body}
    if defs:
        schema["$defs"] = defs
    return schema
