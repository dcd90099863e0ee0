"""The receiver for ``PUT /v2/calls/{id}/media``: multipart streamed to disk, never held whole.

A recording may be 1.5 GB. The body is parsed as it arrives; the ``mediaFile`` part goes to a
``.partial`` file and into a SHA-256 as it streams, and only a complete, non-empty part
within the size cap is renamed into place.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from python_multipart.multipart import MultipartParser, parse_options_header
from starlette.requests import Request

from ._created import TOO_BIG, MediaInfo
from ._errors import GongHTTPError, bad_request

FIELD = b"mediaFile"


def multipart_boundary(request: Request) -> bytes:
    ctype, params = parse_options_header(request.headers.get("content-type", ""))
    boundary = params.get(b"boundary")
    if ctype != b"multipart/form-data" or not boundary:
        raise bad_request("The request must be multipart/form-data with the file in field mediaFile")
    return bytes(boundary)


@dataclass
class _MediaPart:
    """Parser callbacks: collect part headers, write the first ``mediaFile`` part's bytes."""

    partial: Path
    limit: int
    headers: dict[bytes, bytes] = field(default_factory=dict)
    header_field: bytes = b""
    header_value: bytes = b""
    out: IO[bytes] | None = None
    size: int = 0
    found: bool = False
    #: The ``mediaFile`` part ended with a boundary (a body cut short inside it did not).
    ended: bool = False
    too_big: bool = False
    filename: str | None = None
    content_type: str | None = None
    digest: hashlib._Hash = field(default_factory=hashlib.sha256)

    def on_header_field(self, data: bytes, start: int, end: int) -> None:
        self.header_field += data[start:end]

    def on_header_value(self, data: bytes, start: int, end: int) -> None:
        self.header_value += data[start:end]

    def on_header_end(self) -> None:
        self.headers[self.header_field.lower()] = self.header_value
        self.header_field, self.header_value = b"", b""

    def on_headers_finished(self) -> None:
        _, disposition = parse_options_header(self.headers.get(b"content-disposition", b""))
        if disposition.get(b"name") == FIELD and not self.found:
            self.found = True
            self.filename = disposition.get(b"filename", b"").decode(errors="replace") or None
            kind = self.headers.get(b"content-type", b"").decode("ascii", errors="replace")
            # Served back as a header by the admin API: one printable line, or none.
            self.content_type = kind if kind.isprintable() and "\ufffd" not in kind and kind else None
            self.out = self.partial.open("wb")

    def on_part_data(self, data: bytes, start: int, end: int) -> None:
        if self.out is None or self.too_big:
            return
        chunk = data[start:end]
        self.size += len(chunk)
        if self.size > self.limit:
            self.too_big = True
            return
        self.out.write(chunk)
        self.digest.update(chunk)

    def on_part_end(self) -> None:
        if self.out is not None:
            self.ended = True
        self.close()
        self.headers = {}

    def close(self) -> None:
        if self.out is not None:
            self.out.close()
            self.out = None


async def receive_media(
    request: Request, call_id: str, target: Path, limit: int, *, allow_empty: bool = False
) -> MediaInfo:
    """Store the request's ``mediaFile`` part at ``target``; 400 or 413 (nothing kept) otherwise."""
    boundary = multipart_boundary(request)
    partial = target.with_suffix(".partial")
    part = _MediaPart(partial, limit)
    try:
        parser = MultipartParser(
            boundary,
            {
                "on_header_field": part.on_header_field,
                "on_header_value": part.on_header_value,
                "on_header_end": part.on_header_end,
                "on_headers_finished": part.on_headers_finished,
                "on_part_data": part.on_part_data,
                "on_part_end": part.on_part_end,
            },
        )
    except ValueError:  # a boundary the parser refuses (too long)
        raise bad_request("Malformed multipart body") from None
    try:
        async for chunk in request.stream():
            parser.write(chunk)
            if part.too_big:
                break
        parser.finalize()
    except Exception as exc:
        partial.unlink(missing_ok=True)
        if isinstance(exc, GongHTTPError):
            raise
        if part.too_big:
            raise GongHTTPError(413, TOO_BIG) from None
        raise bad_request("Malformed multipart body") from None
    finally:
        part.close()
    if part.too_big:
        partial.unlink(missing_ok=True)
        raise GongHTTPError(413, TOO_BIG)
    if not part.found:
        partial.unlink(missing_ok=True)
        raise bad_request("mediaFile is required: send the recording in multipart field mediaFile")
    if not part.ended:  # the body stopped inside the file: a recording cut short
        partial.unlink(missing_ok=True)
        raise bad_request("Malformed multipart body")
    if part.size == 0 and not allow_empty:
        partial.unlink(missing_ok=True)
        raise bad_request("mediaFile is empty")
    partial.replace(target)
    return MediaInfo(
        call_id=call_id,
        path=target,
        size=part.size,
        sha256=part.digest.hexdigest(),
        filename=part.filename,
        content_type=part.content_type,
    )
