"""Running an action by key with a dict of inputs: what the CLI and an MCP server share.

Inputs are checked against the registry (unknown keys, required ones, defaults), then the
client method runs them, and its own checks name the field and rule of anything else.
List actions return one page and its cursor; ``iter_action`` walks every page lazily.
"""

from __future__ import annotations

import base64
from collections.abc import AsyncIterator, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from ..client import AsyncGongClient, GongClient, Page, RawResponse, ValidationError
from ..client._media import ProgressCallback
from ..client._models import GongModel
from ._registry import ActionSpec, InputSpec, get_action, suggest

__all__ = [
    "ActionResult",
    "aiter_action",
    "arun_action",
    "check_inputs",
    "iter_action",
    "merge_text_inputs",
    "parse_input_text",
    "run_action",
    "to_jsonable",
]


@dataclass(frozen=True)
class ActionResult:
    """What an action returned, as JSON-ready data; ``cursor`` is set for list actions
    with more pages (pass it back as the ``cursor`` input)."""

    action: ActionSpec
    output: Any
    cursor: str | None = None


def to_jsonable(value: Any) -> Any:
    """Models to Gong's JSON exactly as Gong sent it (unknown fields, number types and
    date-time text untouched), bytes to base64, containers recursively."""
    if isinstance(value, GongModel):
        return value.raw
    if isinstance(value, RawResponse):
        return {"statusCode": value.status_code, "headers": dict(value.headers), "data": to_jsonable(value.data)}
    if isinstance(value, bytes):
        return base64.b64encode(value).decode("ascii")
    if isinstance(value, Mapping):
        return {str(k): to_jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [to_jsonable(v) for v in value]
    return value


def _page_output(page: Page[Any]) -> dict[str, Any]:
    return {
        "items": [to_jsonable(i) for i in page.items],
        "cursor": page.cursor,
        "totalRecords": page.records.total_records if page.records else None,
        "requestId": page.request_id,
    }


def unknown_input(action: ActionSpec, key: str) -> ValidationError:
    """An input the action does not have: the closest one, and all of them."""
    hint = suggest(key, action.input_keys)
    inputs = ", ".join(action.input_keys) or "none"
    return ValidationError(key, "unknown", f"is not an input of {action.key}{hint} (inputs: {inputs})")


def check_inputs(action: ActionSpec, inputs: Mapping[str, Any] | None) -> dict[str, Any]:
    """Keyword arguments for the client method: known keys only, defaults filled in,
    required ones present. Values are checked by the client itself."""
    if inputs is None:
        inputs = {}
    if not isinstance(inputs, Mapping):
        raise ValidationError("inputs", "object", "must be an object of input values")
    known = set(action.input_keys)
    for key in inputs:
        if key not in known:
            raise unknown_input(action, str(key))
    kwargs: dict[str, Any] = {}
    for spec in action.inputs:
        value = inputs.get(spec.key)
        if value is None:
            value = spec.default
        if value is None:
            if spec.required:
                raise ValidationError(spec.key, "required", "is required")
            continue
        kwargs[spec.key] = _check_shape(spec, value)
    return kwargs


#: Raw-request inputs whose kind check is a pure shape check. The raw request's own checks
#: are looser on purpose for Python callers (a method in lower case, a list of query pairs).
_SHAPE_KINDS = frozenset({"map", "integer", "bool"})


def _check_shape(spec: InputSpec, value: Any) -> Any:
    """Shape checks for the inputs the client takes loosely (raw request ones)."""
    if spec.location == "local" and spec.type in _SHAPE_KINDS:
        spec.kind.check(spec.key, value)
    return value


def _prepare(
    key: str, inputs: Mapping[str, Any] | None, progress: ProgressCallback | None = None, *, paged_only: bool = False
) -> tuple[ActionSpec, dict[str, Any]]:
    """The action and the client method's keyword arguments: shared by the four runners."""
    action = get_action(key)
    if paged_only and not action.paged:
        raise ValidationError("action", "paged", f"{action.key} is not a list action")
    kwargs = check_inputs(action, inputs)
    if progress is not None and "media" in kwargs:
        kwargs["progress"] = progress
    return action, kwargs


def run_action(
    client: GongClient,
    key: str,
    inputs: Mapping[str, Any] | None = None,
    *,
    progress: ProgressCallback | None = None,
) -> ActionResult:
    """Run one action; list actions return one page (``output["items"]``) and its cursor."""
    action, kwargs = _prepare(key, inputs, progress)
    method = getattr(client, action.method)
    if action.paged:
        page = method(**kwargs).first_page()
        return ActionResult(action, _page_output(page), page.cursor)
    return ActionResult(action, to_jsonable(method(**kwargs)))


def iter_action(client: GongClient, key: str, inputs: Mapping[str, Any] | None = None) -> Iterator[dict[str, Any]]:
    """Every item of a list action across all pages, one page in memory at a time."""
    action, kwargs = _prepare(key, inputs, paged_only=True)
    for item in getattr(client, action.method)(**kwargs):
        yield to_jsonable(item)


async def arun_action(
    client: AsyncGongClient,
    key: str,
    inputs: Mapping[str, Any] | None = None,
    *,
    progress: ProgressCallback | None = None,
) -> ActionResult:
    """``run_action`` for the async client."""
    action, kwargs = _prepare(key, inputs, progress)
    method = getattr(client, action.method)
    if action.paged:
        page = await method(**kwargs).first_page()
        return ActionResult(action, _page_output(page), page.cursor)
    return ActionResult(action, to_jsonable(await method(**kwargs)))


async def aiter_action(
    client: AsyncGongClient, key: str, inputs: Mapping[str, Any] | None = None
) -> AsyncIterator[dict[str, Any]]:
    """``iter_action`` for the async client."""
    action, kwargs = _prepare(key, inputs, paged_only=True)
    async for item in getattr(client, action.method)(**kwargs):
        yield to_jsonable(item)


def parse_input_text(spec: InputSpec, text: str) -> Any:
    """One input typed as text (``--input key=value``), read by its kind: JSON for objects
    and lists (a comma-separated list also works for id lists), numbers, booleans."""
    return spec.kind.parse_text(spec.key, text)


def merge_text_inputs(action: ActionSpec, pairs: list[str]) -> dict[str, Any]:
    """``key=value`` strings as typed inputs; repeating a list input adds to the list."""
    values: dict[str, Any] = {}
    for pair in pairs:
        key, sep, text = pair.partition("=")
        key = key.strip().replace("-", "_")
        if not sep or not key:
            raise ValidationError("--input", "key_value", f"{pair!r} is not key=value")
        if key not in action.input_keys:
            raise unknown_input(action, key)
        spec = action.input(key)
        value = parse_input_text(spec, text)
        if key in values and spec.kind.many:
            old = values[key] if isinstance(values[key], list) else [values[key]]
            values[key] = old + (value if isinstance(value, list) else [value])
        else:
            values[key] = value
    return values
