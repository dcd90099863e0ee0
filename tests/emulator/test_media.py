"""Add call media: ``PUT /v2/calls/{id}/media``, multipart/form-data with the file in ``mediaFile``.

Uploads go over real HTTP; the stored file is read back through the admin API
(``GET /_emulator/media/{id}``, header ``X-Media-SHA256``).
"""

from __future__ import annotations

import base64
import hashlib
import os
import resource
import socket
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest

from gong_connector.emulator import Emulator, RateLimit

from .conftest import assert_gong_error, basic_client


@pytest.fixture(scope="module")
def emu() -> Iterator[Emulator]:
    """One emulator for the module: each test uploads to a call of its own."""
    with Emulator(rate_limit=RateLimit.off(), frozen_clock=True, calls=20, users=5, workspaces=1) as emulator:
        yield emulator


def create_call(api: httpx.Client, *, media_url: bool = False) -> str:
    """A call created through the API, waiting for its media (no downloadMediaUrl)."""
    user = api.get("/v2/users").json()["users"][0]
    body: dict[str, Any] = {
        "clientUniqueId": f"upload-{uuid.uuid4()}",
        "actualStart": "2026-11-20T10:00:00Z",
        "direction": "Inbound",
        "primaryUser": user["id"],
        "parties": [{"userId": user["id"]}],
    }
    if media_url:
        body["downloadMediaUrl"] = "https://media.example/r.mp3"
    response = api.post("/v2/calls", json=body)
    assert response.status_code in (200, 201), response.text
    return str(response.json()["callId"])


def upload(
    api: httpx.Client,
    call_id: str,
    data: bytes,
    *,
    field: str = "mediaFile",
    filename: str = "call.mp3",
    content_type: str = "audio/mpeg",
) -> httpx.Response:
    return api.put(f"/v2/calls/{call_id}/media", files={field: (filename, data, content_type)})


# ----- success -----------------------------------------------------------------------------------


def test_upload_stores_the_file_and_answers_call_id_and_url(emu: Emulator, api: httpx.Client) -> None:
    """Success answers {requestId, callId, url}; the stored bytes are exactly those sent."""
    call_id = create_call(api)
    files_before = emu.backend.state_summary()["mediaFiles"]
    data = os.urandom(100_000)
    response = upload(api, call_id, data)
    assert response.status_code == 200, response.text
    body = response.json()
    assert set(body) == {"requestId", "callId", "url"}
    assert body["callId"] == call_id and body["requestId"]
    assert call_id in body["url"]

    with httpx.Client(base_url=emu.base_url) as admin:
        stored = admin.get(f"/_emulator/media/{call_id}")
    assert stored.status_code == 200
    assert stored.headers["X-Media-SHA256"] == hashlib.sha256(data).hexdigest()
    assert stored.content == data and len(stored.content) == len(data)
    assert stored.headers["content-type"].startswith("audio/mpeg")
    assert emu.backend.state_summary()["mediaFiles"] == files_before + 1


def test_upload_with_other_form_fields_keeps_only_media_file(api: httpx.Client, emu: Emulator) -> None:
    """Other multipart fields next to mediaFile are ignored; mediaFile is what is stored."""
    call_id = create_call(api)
    data = b"RIFF" + os.urandom(5000)
    response = api.put(
        f"/v2/calls/{call_id}/media", data={"note": "x" * 3000}, files={"mediaFile": ("c.wav", data, "audio/wav")}
    )
    assert response.status_code == 200, response.text
    with httpx.Client(base_url=emu.base_url) as admin:
        stored = admin.get(f"/_emulator/media/{call_id}")
    assert stored.content == data


def test_upload_makes_the_call_visible_after_processing(emu: Emulator, api: httpx.Client) -> None:
    """A created call is listed only once its media arrived and Gong processed it."""
    call_id = create_call(api)
    emu.advance_clock(emu.config.processing_delay)
    assert_gong_error(api.post("/v2/calls/extensive", json={"filter": {"callIds": [call_id]}}), 404)
    assert upload(api, call_id, b"\x01" * 1000).status_code == 200
    emu.advance_clock(emu.config.processing_delay)
    listed = api.post("/v2/calls/extensive", json={"filter": {"callIds": [call_id]}})
    assert listed.status_code == 200
    assert [c["metaData"]["id"] for c in listed.json()["calls"]] == [call_id]


# ----- errors ------------------------------------------------------------------------------------


def test_unknown_call_is_404(api: httpx.Client) -> None:
    """Media for a call id that does not exist: 404."""
    assert_gong_error(upload(api, "1234567890123456789", b"x" * 10), 404)


def test_malformed_call_id_is_400(api: httpx.Client) -> None:
    """Call ids are numeric strings; anything else is a bad request."""
    assert_gong_error(upload(api, "not-a-number", b"x" * 10), 400)


@pytest.fixture(scope="module")
def checked() -> Iterator[Emulator]:
    """With ``media_upload_checks``: the refusals below are our guesses, not Gong's documentation."""
    settings = {"rate_limit": RateLimit.off(), "frozen_clock": True, "calls": 20, "users": 5}
    with Emulator(**settings, media_upload_checks=True) as emulator:
        yield emulator


@pytest.fixture
def checked_api(checked: Emulator) -> Iterator[httpx.Client]:
    with basic_client(checked) as client:
        yield client


def test_generated_call_already_has_media_400(checked_api: httpx.Client) -> None:
    """Media can be added only to calls created through the API, which have none yet."""
    api = checked_api
    call_id = api.get("/v2/calls").json()["calls"][0]["id"]
    assert_gong_error(upload(api, call_id, b"x" * 10), 400)


def test_call_created_with_download_url_rejects_upload(api: httpx.Client) -> None:
    """With downloadMediaUrl Gong fetches the media itself: no upload on top."""
    call_id = create_call(api, media_url=True)
    assert_gong_error(upload(api, call_id, b"x" * 10), 400)


def test_second_upload_is_400_and_keeps_the_first(checked: Emulator, checked_api: httpx.Client) -> None:
    """A call takes media once; a second upload is refused and changes nothing."""
    api = checked_api
    call_id = create_call(api)
    first = b"first" * 100
    assert upload(api, call_id, first).status_code == 200
    assert_gong_error(upload(api, call_id, b"second" * 100), 400)
    with httpx.Client(base_url=checked.base_url) as admin:
        assert admin.get(f"/_emulator/media/{call_id}").content == first


def test_missing_media_file_field_is_400(api: httpx.Client) -> None:
    """The file must be in multipart field mediaFile."""
    call_id = create_call(api)
    assert_gong_error(upload(api, call_id, b"x" * 100, field="file"), 400, "mediaFile")
    # the call still accepts a proper upload afterwards
    assert upload(api, call_id, b"x" * 100).status_code == 200


def test_empty_media_file_is_400(checked_api: httpx.Client) -> None:
    """An empty mediaFile is refused."""
    call_id = create_call(checked_api)
    assert_gong_error(upload(checked_api, call_id, b""), 400)


@pytest.mark.parametrize(
    ("content", "content_type"),
    [
        (b"raw bytes", "application/octet-stream"),
        (b'{"mediaFile": "x"}', "application/json"),
        (b"mediaFile=x", "application/x-www-form-urlencoded"),
        (b"--x\r\n", "multipart/form-data"),  # no boundary
    ],
)
def test_not_multipart_is_400(api: httpx.Client, content: bytes, content_type: str) -> None:
    """The body must be multipart/form-data (with a boundary)."""
    call_id = create_call(api)
    response = api.put(f"/v2/calls/{call_id}/media", content=content, headers={"Content-Type": content_type})
    assert_gong_error(response, 400)


def test_unauthenticated_upload_is_401(emu: Emulator, api: httpx.Client) -> None:
    """Uploads need credentials like every /v2 call."""
    call_id = create_call(api)
    with httpx.Client(base_url=emu.base_url) as anonymous:
        response = anonymous.put(f"/v2/calls/{call_id}/media", files={"mediaFile": ("c.mp3", b"x", "audio/mpeg")})
    assert_gong_error(response, 401)


# ----- size limit -----------------------------------------------------------------------------


@pytest.fixture
def small(gong_emulator_factory: Callable[..., Emulator]) -> Emulator:
    return gong_emulator_factory(calls=5, users=3, workspaces=1, max_media_bytes=1000)


def test_too_large_is_413_and_nothing_is_stored(small: Emulator) -> None:
    """Over the size limit (Gong: 1.5 GB; here 1000 bytes): 413 with Gong's error body."""
    with basic_client(small) as api:
        call_id = create_call(api)
        assert_gong_error(upload(api, call_id, os.urandom(2000)), 413)
        # nothing kept: the call can still take a file within the limit
        assert upload(api, call_id, b"y" * 1000).status_code == 200
    with httpx.Client(base_url=small.base_url) as admin:
        assert admin.get(f"/_emulator/media/{call_id}").content == b"y" * 1000
    assert list(small.config.media_dir.glob("*.partial")) == []  # type: ignore[union-attr]


def test_declared_content_length_over_the_limit_is_refused_before_the_body(small: Emulator) -> None:
    """A Content-Length far over the limit is answered 413 at once, without reading the body."""
    with basic_client(small) as api:
        call_id = create_call(api)
    credentials = f"{small.access_key}:{small.access_key_secret}".encode()
    authorization = "Basic " + base64.b64encode(credentials).decode()
    head = (
        f"PUT /v2/calls/{call_id}/media HTTP/1.1\r\n"
        f"Host: 127.0.0.1:{small.port}\r\n"
        f"Authorization: {authorization}\r\n"
        "Content-Type: multipart/form-data; boundary=xyz\r\n"
        f"Content-Length: {50 * 1024 * 1024}\r\n\r\n"
    ).encode()
    with socket.create_connection(("127.0.0.1", small.port), timeout=10) as sock:
        sock.sendall(head)  # and no body at all
        answer = b""
        while b"\r\n\r\n" not in answer:
            chunk = sock.recv(65536)
            if not chunk:
                break
            answer += chunk
    status_line = answer.split(b"\r\n", 1)[0]
    assert status_line.startswith(b"HTTP/1.1 413"), answer[:300]


# ----- streaming: a large upload is never held in memory ----------------------------------------


BIG = 200 * 1024 * 1024
CHUNK = 1024 * 1024


def _multipart_stream(boundary: str, size: int) -> Iterator[bytes]:
    yield (
        f'--{boundary}\r\nContent-Disposition: form-data; name="mediaFile"; '
        f'filename="big.mp4"\r\nContent-Type: video/mp4\r\n\r\n'
    ).encode()
    block = bytes(range(256)) * (CHUNK // 256)
    for _ in range(size // CHUNK):
        yield block
    yield f"\r\n--{boundary}--\r\n".encode()


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


@pytest.mark.skipif(not os.path.isdir("/proc"), reason="ru_maxrss is in KiB on Linux only")
def test_large_upload_is_streamed_to_disk_not_buffered(emu: Emulator, api: httpx.Client) -> None:
    """A 200 MB upload is streamed to disk while hashed; the server never holds it in memory.

    The emulator runs in this process (a thread), so the process's peak RSS covers it.
    """
    call_id = create_call(api)
    boundary = uuid.uuid4().hex
    expected = hashlib.sha256()
    block = bytes(range(256)) * (CHUNK // 256)
    for _ in range(BIG // CHUNK):
        expected.update(block)
    before = _peak_rss_mb()
    response = api.put(
        f"/v2/calls/{call_id}/media",
        content=_multipart_stream(boundary, BIG),
        headers={"Content-Type": f"multipart/form-data; boundary={boundary}"},
        timeout=60,
    )
    grew = _peak_rss_mb() - before
    assert response.status_code == 200, response.text
    info = emu.backend.media[call_id]
    assert info.size == BIG
    assert info.sha256 == expected.hexdigest()
    assert info.path.stat().st_size == BIG
    assert grew < 50, f"peak memory grew by {grew:.0f} MB for a {BIG >> 20} MB upload"


def _raw_upload(api: httpx.Client, call_id: str, body: bytes, boundary: str) -> httpx.Response:
    headers = {"Content-Type": f"multipart/form-data; boundary={boundary}"}
    return api.put(f"/v2/calls/{call_id}/media", content=body, headers=headers)


def test_a_body_cut_short_inside_the_file_is_400_and_nothing_is_stored(emu: Emulator, api: httpx.Client) -> None:
    call_id = create_call(api)
    head = b'--xyz\r\nContent-Disposition: form-data; name="mediaFile"; filename="c.mp3"\r\n\r\n'
    assert_gong_error(_raw_upload(api, call_id, head + b"ID3 half a recording", "xyz"), 400, "Malformed multipart")
    assert call_id not in emu.backend.media


def test_a_boundary_the_parser_refuses_is_400(api: httpx.Client) -> None:
    call_id = create_call(api)
    boundary = "b" * 300
    body = f'--{boundary}\r\nContent-Disposition: form-data; name="mediaFile"\r\n\r\nx\r\n--{boundary}--\r\n'
    assert_gong_error(_raw_upload(api, call_id, body.encode(), boundary), 400, "Malformed multipart")


def test_a_part_type_no_header_can_carry_is_not_served_back(emu: Emulator, api: httpx.Client) -> None:
    call_id = create_call(api)
    body = (
        b'--xyz\r\nContent-Disposition: form-data; name="mediaFile"; filename="c.mp3"\r\n'
        b"Content-Type: audio/mpeg\x00\x01\r\n\r\nID3\r\n--xyz--\r\n"
    )
    assert _raw_upload(api, call_id, body, "xyz").status_code == 200
    with httpx.Client(base_url=f"{emu.base_url}/_emulator") as admin:
        served = admin.get(f"/media/{call_id}")
    assert served.status_code == 200 and served.content == b"ID3"
