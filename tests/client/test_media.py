"""Media upload streams in constant memory and can be replayed for retries."""

from __future__ import annotations

import tracemalloc
from pathlib import Path
from typing import Any

from gong_connector import RetryPolicy
from gong_connector.client import MediaUpload
from gong_connector.emulator import Emulator, Faults

from .conftest import Facade, api_requests

SIZE = 64 * 1024 * 1024


def _sparse(path: Path, size: int) -> Path:
    with path.open("wb") as fh:
        fh.truncate(size)
    return path


def _call_id(api: Facade) -> str:
    user = api.list_users().first_page().items[0]
    created = api.create_call(
        client_unique_id="media-1",
        primary_user=user.id,
        parties=[{"user_id": user.id}],
        direction="Conference",
        actual_start="2026-11-01T10:00:00Z",
    )
    return str(created.call_id)


def test_upload_memory_stays_flat(api: Facade, tmp_path: Path) -> None:
    media = _sparse(tmp_path / "long.wav", SIZE)
    call_id = _call_id(api)
    tracemalloc.start()
    try:
        result = api.add_call_media(call_id=call_id, media=media)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert result.call_id == call_id
    assert peak < 8 * 1024 * 1024, f"peak {peak} bytes for a {SIZE}-byte file"


def test_upload_is_replayed_after_a_429(make_api: Any, gong_emulator: Emulator, tmp_path: Path) -> None:
    api = make_api(gong_emulator, retry=RetryPolicy(max_retries=2))
    call_id = _call_id(api)
    media = tmp_path / "a.mp3"
    media.write_bytes(bytes(range(256)) * 1000)
    progress: list[int] = []
    gong_emulator.set_faults(Faults(fail_next=["429"], retry_after=1))
    api.add_call_media(call_id=call_id, media=media, progress=lambda s, t: progress.append(s))
    puts = [r["status"] for r in api_requests(gong_emulator) if r["method"] == "PUT"]
    assert puts == [429, 200]
    assert progress.count(0) == 2 and progress[-1] == media.stat().st_size


def test_multipart_body_is_well_formed(tmp_path: Path) -> None:
    media = tmp_path / 'odd "name".mp4'
    media.write_bytes(b"abc")
    upload = MediaUpload(media)
    body = b"".join(upload)
    assert body == b"".join(upload)  # replayable
    assert int(upload.headers["Content-Length"]) == len(body)
    boundary = upload.content_type.split("boundary=")[1].encode()
    assert body.startswith(b"--" + boundary + b"\r\n")
    assert b'name="mediaFile"; filename="odd %22name%22.mp4"' in body
    assert b"Content-Type: video/mp4\r\n\r\nabc\r\n--" + boundary + b"--\r\n" in body
    upload.close()
