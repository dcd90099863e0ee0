"""What an authentic body must be before it is stored: UTF-8 JSON in Gong's shape that fits
the table and reads back the same way.

Every refusal is a ``MalformedPayloadError`` (400) naming the problem: the sender can fix it
and should not retry it. Checking here, not in the database, is what keeps a permanent
problem (a call id too long for its column) from being answered as a transient 503.
"""

from __future__ import annotations

import json
from typing import Any

from ..errors import MalformedPayloadError

__all__ = ["MAX_DEPTH", "check_text", "parse_payload", "read_delivery"]

#: Gong's call data nests about six levels; anything far deeper is not from Gong, and a
#: handler parsing it again on a deeper stack must not fail where the receiver did not.
MAX_DEPTH = 64


def parse_payload(body: bytes) -> tuple[str, dict[str, Any]]:
    """The body as text and as a JSON object. JSON between systems is UTF-8 (RFC 8259):
    UTF-16 and a byte order mark are refused rather than stored in a form that does not read back."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise MalformedPayloadError("body is not UTF-8 (JSON must be sent as UTF-8)") from None
    if "\x00" in text:  # UTF-16 text of ASCII characters is valid UTF-8, with a NUL in every other byte
        raise MalformedPayloadError("body holds NUL bytes (UTF-16?): JSON must be sent as UTF-8")
    if text.startswith("\ufeff"):
        raise MalformedPayloadError("body starts with a byte order mark; send UTF-8 JSON without one")
    try:
        payload = json.loads(text)
    except RecursionError:
        raise MalformedPayloadError(f"body nests deeper than {MAX_DEPTH} levels") from None
    except ValueError:
        raise MalformedPayloadError("body is not JSON") from None
    if not isinstance(payload, dict):
        raise MalformedPayloadError("body is not a JSON object")
    # Nesting needs brackets: a body with few of them cannot be too deep, and is not walked.
    if text.count("{") + text.count("[") > MAX_DEPTH and _deeper_than(payload, MAX_DEPTH):
        raise MalformedPayloadError(f"body nests deeper than {MAX_DEPTH} levels")
    return text, payload


def _deeper_than(value: Any, limit: int) -> bool:
    """Whether containers nest more than ``limit`` deep; iterative, so depth cannot hurt it."""
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > limit:
            return True
        children = node.values() if isinstance(node, dict) else node
        stack.extend((c, depth + 1) for c in children if isinstance(c, dict | list))
    return False


def check_text(name: str, value: str, max_chars: int) -> str:
    """A name that fits its column and any database: at most ``max_chars``, printable."""
    if len(value) > max_chars:
        raise MalformedPayloadError(f"{name} is longer than {max_chars} characters")
    if not value.isprintable():
        raise MalformedPayloadError(f"{name} holds control or unpaired surrogate characters")
    return value


def read_delivery(payload: dict[str, Any], *, max_call_id_chars: int) -> tuple[str, bool]:
    """The call id and the isTest flag, of the types Gong sends: what identifies a delivery."""
    call_data = payload.get("callData")
    if not isinstance(call_data, dict):
        raise MalformedPayloadError("payload has no callData object")
    meta = call_data.get("metaData")
    if not isinstance(meta, dict):
        raise MalformedPayloadError("payload has no callData.metaData object")
    call_id = meta.get("id")
    if isinstance(call_id, bool) or not isinstance(call_id, str | int) or call_id == "":
        raise MalformedPayloadError("callData.metaData.id is not a non-empty string or integer")
    is_test = payload.get("isTest", False)
    if not isinstance(is_test, bool):
        raise MalformedPayloadError("isTest is not a JSON boolean")
    return check_text("callData.metaData.id", str(call_id), max_call_id_chars), is_test
