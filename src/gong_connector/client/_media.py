"""Streaming multipart body for media uploads.

Gong takes recordings of up to 1.5 GB in one ``multipart/form-data`` field (``mediaFile``).
The body is produced chunk by chunk from the file, so memory stays flat whatever the size,
and it can be replayed (the file is re-read from its start), which retries and the OAuth
401-refresh need.
"""

from __future__ import annotations

import mimetypes
import os
import secrets
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path
from typing import IO, Any

import httpx

from ..errors import ValidationError
from ._kinds import MAX_MEDIA_BYTES

__all__ = ["MediaSource", "MediaUpload", "ProgressCallback"]

CHUNK_SIZE = 1024 * 1024
MediaSource = str | os.PathLike[str] | IO[bytes]
#: Called with (bytes sent so far, total bytes of the file).
ProgressCallback = Callable[[int, int], None]


def _quote(name: str) -> str:
    return name.replace("\\", "\\\\").replace('"', "%22").replace("\r", "").replace("\n", "")


class MediaUpload(httpx.SyncByteStream, httpx.AsyncByteStream):
    """A replayable multipart body holding one file field, read in fixed-size chunks."""

    def __init__(
        self,
        source: MediaSource,
        *,
        field: str = "mediaFile",
        file_name: str | None = None,
        progress: ProgressCallback | None = None,
        max_bytes: int = MAX_MEDIA_BYTES,
        param: str = "media",
    ) -> None:
        self._owned = False
        if isinstance(source, str | os.PathLike):
            path = Path(source)
            if not path.is_file():
                raise ValidationError(param, "file", f"no such file: {path}")
            self._file: IO[bytes] = path.open("rb")
            self._owned = True
            default_name = path.name
        elif hasattr(source, "read"):
            self._file = source
            default_name = Path(str(getattr(source, "name", "media"))).name or "media"
        else:
            raise ValidationError(param, "file", "must be a path or a binary file object")
        try:
            if not self._file.seekable():
                raise ValidationError(param, "seekable", "file object must be seekable")
            self._start = self._file.tell()
            self._size = self._file.seek(0, os.SEEK_END) - self._start
            self._file.seek(self._start)
        except (OSError, AttributeError):
            self.close()
            raise ValidationError(param, "seekable", "file object must be seekable") from None
        if self._size > max_bytes:
            self.close()
            raise ValidationError(param, "max_size", f"is {self._size} bytes; Gong accepts at most {max_bytes}")
        self.file_name = file_name or default_name
        content_type = mimetypes.guess_type(self.file_name)[0] or "application/octet-stream"
        boundary = secrets.token_hex(16)
        self.content_type = f"multipart/form-data; boundary={boundary}"
        self._head = (
            f"--{boundary}\r\n"
            f'Content-Disposition: form-data; name="{_quote(field)}"; '
            f'filename="{_quote(self.file_name)}"\r\n'
            f"Content-Type: {content_type}\r\n\r\n"
        ).encode()
        self._tail = f"\r\n--{boundary}--\r\n".encode()
        self._progress = progress

    @property
    def size(self) -> int:
        """Bytes of the file itself (not counting the multipart framing)."""
        return self._size

    @property
    def headers(self) -> dict[str, str]:
        length = len(self._head) + self._size + len(self._tail)
        return {"Content-Type": self.content_type, "Content-Length": str(length)}

    def _chunks(self) -> Iterator[bytes]:
        self._file.seek(self._start)
        yield self._head
        sent = 0
        if self._progress:
            self._progress(0, self._size)
        while sent < self._size:
            chunk = self._file.read(min(CHUNK_SIZE, self._size - sent))
            if not chunk:
                break
            sent += len(chunk)
            if self._progress:
                self._progress(sent, self._size)
            yield chunk
        yield self._tail

    def __iter__(self) -> Iterator[bytes]:
        return self._chunks()

    async def __aiter__(self) -> AsyncIterator[bytes]:
        # Local files read fast enough that a thread hop per chunk would cost more than it saves.
        for chunk in self._chunks():
            yield chunk

    def close(self) -> None:
        if self._owned:
            self._file.close()

    async def aclose(self) -> None:
        self.close()

    def __enter__(self) -> MediaUpload:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()
