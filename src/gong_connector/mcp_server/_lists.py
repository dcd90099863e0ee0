"""List tools' answers, bounded in size and resumed by a cursor, as transcripts are.

One Gong page can be far larger than a model's context (100 extensive calls with their
exposed fields). A page longer than ``max_chars`` is answered with the items that fit and
a cursor naming the Gong page (by the Gong cursor that fetched it) and the first item
left; the server keeps no state, and a page that fits is answered as Gong sent it, with
Gong's own cursor.
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass
from typing import Any

from ..actions import ActionSpec, arun_action
from ..client import AsyncGongClient, ValidationError

__all__ = ["ListPosition", "bounded_page", "list_note"]

_PREFIX = "l1."


def _compact(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


@dataclass(frozen=True)
class ListPosition:
    """Where a cut page resumes: the action, its inputs, the page and the first item left."""

    action: str
    inputs: dict[str, Any]
    page: str | None
    offset: int

    def encode(self) -> str:
        data = {"a": self.action, "f": self.inputs, "p": self.page, "o": self.offset}
        raw = json.dumps(data, sort_keys=True, separators=(",", ":")).encode()
        return _PREFIX + base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")

    @classmethod
    def decode(cls, cursor: str, action: str) -> ListPosition:
        bad = ValidationError("cursor", "invalid", f"is not a cursor this server returned for {action}")
        body = cursor[len(_PREFIX) :]
        try:
            data = json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
        except (binascii.Error, ValueError):
            raise bad from None
        if not isinstance(data, dict) or data.get("a") != action:
            raise bad
        inputs, page, offset = data.get("f"), data.get("p"), data.get("o")
        if (
            not isinstance(inputs, dict)
            or not (page is None or isinstance(page, str))
            or not isinstance(offset, int)
            or isinstance(offset, bool)
            or offset < 1
        ):
            raise bad
        return cls(action, inputs, page, offset)

    @staticmethod
    def is_ours(cursor: object) -> bool:
        return isinstance(cursor, str) and cursor.startswith(_PREFIX)


def _resume(action: ActionSpec, arguments: dict[str, Any]) -> tuple[dict[str, Any], int]:
    """The inputs to fetch with and the first item to answer: from our cursor if given
    (its inputs win; a different one given with it is an error naming that input)."""
    cursor = arguments.get("cursor")
    if not ListPosition.is_ours(cursor):
        return arguments, 0
    assert isinstance(cursor, str)
    position = ListPosition.decode(cursor, action.key)
    for key, value in arguments.items():
        if key != "cursor" and position.inputs.get(key) != value:
            raise ValidationError(
                key, "cursor_filter", "differs from the inputs the cursor was made for; pass the cursor alone"
            )
    inputs = dict(position.inputs)
    if position.page is not None:
        inputs["cursor"] = position.page
    return inputs, position.offset


async def bounded_page(
    client: AsyncGongClient, action: ActionSpec, arguments: dict[str, Any], max_chars: int
) -> dict[str, Any]:
    """One page of a list action, at most ``max_chars`` of compact JSON (one item more if a
    single item is longer, so each call moves forward)."""
    inputs, offset = _resume(action, arguments)
    result = await arun_action(client, action.key, inputs)
    output: dict[str, Any] = dict(result.output)
    items: list[Any] = list(output["items"])[offset:]
    page = inputs.get("cursor")
    rest = {k: v for k, v in inputs.items() if k != "cursor"}
    whole = {**output, "items": items}
    if len(_compact(whole)) <= max_chars:
        return whole
    # Room for the envelope and a cursor of ours, then items while they fit.
    probe = ListPosition(action.key, rest, page, offset + len(items)).encode()
    budget = max_chars - len(_compact({**output, "items": [], "cursor": probe}))
    kept = 0
    for item in items:
        size = len(_compact(item)) + (1 if kept else 0)
        if kept and size > budget:
            break
        budget -= size
        kept += 1
    cursor = ListPosition(action.key, rest, page, offset + kept).encode()
    return {**output, "items": items[:kept], "cursor": cursor}


def list_note(max_chars_default: int) -> str:
    """The sentence list tools add to their description."""
    return (
        f" Answers at most max_chars characters of JSON (default {max_chars_default}): when a page is "
        "longer, the items that fit and a cursor; pass the cursor alone to continue."
    )
