"""Reading whatever Gong sends: nulls, missing ids, unknown enums, odd dates, extra fields
and one malformed item per page never fail a page.

The answers come from a hand-written ASGI app served over real HTTP on loopback: the
emulator only ever sends well-formed data, and the point here is what it never sends.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import datetime
from typing import Any

import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from gong_connector import ApiKeyConnection, AsyncGongClient, GongClient, MemoryTokenStore, OAuthConnection, OAuthToken
from gong_connector._serving import SocketServer
from gong_connector.client import Call, RateLimiter, RetryPolicy

GOOD = {"id": "7782342274025937895", "title": "Discovery", "started": "2026-10-01T10:00:00Z", "duration": 600}
NULLS: dict[str, Any] = {
    "id": "1000000000000000001",
    **{
        k: None
        for k in (
            "url",
            "title",
            "scheduled",
            "started",
            "duration",
            "primaryUserId",
            "direction",
            "system",
            "scope",
            "media",
            "language",
            "workspaceId",
            "isPrivate",
            "customData",
        )
    },
}
ODD = {
    "id": 7782342274025937896,  # a number, beyond 2**53
    "direction": "Telepathy",  # an enum value we do not know
    "started": "last Tuesday",  # not ISO-8601
    "duration": "600",  # a number sent as text
    "isPrivate": "yes",  # not a boolean
    "brandNewField": {"nested": [1, 2]},
}
MISSING_ID = {"title": "no id at all"}
MALFORMED: list[Any] = ["garbage", None, {"id": {"not": "an id"}, "title": "id is an object"}]


def _calls(request: Request) -> JSONResponse:
    cursor = request.query_params.get("cursor")
    if cursor is None:
        items = [GOOD, NULLS, MALFORMED[0], ODD]
        return JSONResponse({"requestId": "r1", "records": {"totalRecords": 9, "cursor": "p2"}, "calls": items})
    return JSONResponse({"requestId": "r2", "records": {"totalRecords": 9}, "calls": [MISSING_ID, MALFORMED[2], GOOD]})


async def _extensive(request: Request) -> JSONResponse:
    items = [
        {"metaData": GOOD, "parties": None, "context": None, "content": None},
        {"metaData": None, "parties": [{"id": "p1", "name": None, "speakerId": 5}]},
        None,
        {"parties": "not a list", "metaData": {"id": "2", "started": "2026-13-45T99:00:00Z"}},
    ]
    return JSONResponse({"requestId": "e1", "records": None, "calls": items})


async def _transcripts(request: Request) -> JSONResponse:
    items = [
        {"callId": "1", "transcript": None},
        {"callId": "2", "transcript": [{"speakerId": None, "topic": None, "sentences": None}]},
        {"callId": "3", "transcript": [{"speakerId": "s", "sentences": [{"start": 0, "end": 10, "text": "hi"}, 7]}]},
        42,
    ]
    return JSONResponse({"requestId": "t1", "callTranscripts": items})


def _users(request: Request) -> JSONResponse:
    users = [
        {"id": 1234, "created": "not a date", "settings": None, "emailAliases": None, "active": None},
        {"id": "5", "settings": {"emailsImported": "maybe"}, "spokenLanguages": "en"},
        [],
    ]
    return JSONResponse({"requestId": "u1", "users": users})


def _user(request: Request) -> JSONResponse:
    return JSONResponse({"requestId": "u2", "user": {"id": None, "created": 5}})


def _workspaces(request: Request) -> JSONResponse:
    return JSONResponse({"requestId": "w1", "workspaces": None})


TOKEN_CALLS: list[dict[str, str]] = []


async def _token(request: Request) -> JSONResponse:
    TOKEN_CALLS.append(dict(request.query_params))
    # A refresh answer that leaves out the refresh token and the regional API host.
    return JSONResponse({"access_token": f"access-{len(TOKEN_CALLS)}", "expires_in": 3600, "token_type": "bearer"})


def _me(request: Request) -> JSONResponse:
    auth = request.headers.get("authorization", "")
    return JSONResponse({"requestId": "m", "workspaces": [{"id": "1", "name": auth}]})


APP = Starlette(
    routes=[
        Route("/v2/calls", _calls),
        Route("/v2/calls/extensive", _extensive, methods=["POST"]),
        Route("/v2/calls/transcript", _transcripts, methods=["POST"]),
        Route("/v2/users", _users),
        Route("/v2/users/{id}", _user),
        Route("/v2/workspaces", _me),
        Route("/empty/v2/workspaces", _workspaces),
        Route("/oauth2/generate-customer-token", _token, methods=["POST"]),
    ]
)


@pytest.fixture(scope="module")
def odd_gong() -> Iterator[str]:
    with SocketServer(APP, name="odd-gong") as server:
        yield server.url


def _client(url: str) -> GongClient:
    return GongClient(ApiKeyConnection("key", "secret", url), rate_limiter=RateLimiter.off(), retry=RetryPolicy.none())


def test_a_page_with_odd_and_malformed_items_yields_them_all(odd_gong: str, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, "gong_connector.client"), _client(odd_gong) as gong:
        calls = gong.list_calls().to_list()
    assert len(calls) == 7  # every item of both pages, the bad ones included
    good, nulls, garbage, odd, missing, bad_id, good_again = calls
    assert good.id == GOOD["id"] and good.started == datetime.fromisoformat("2026-10-01T10:00:00+00:00")
    assert good.error is None and good.problems() == [] and good_again == good
    assert nulls.error is None and nulls.title is None and nulls.started is None and nulls.is_private is None
    assert odd.id == "7782342274025937896"  # exact, not through a float
    assert odd.direction == "Telepathy" and odd.started == "last Tuesday" and odd.duration == 600.0
    assert odd.is_private is None and odd.model_extra == {"brandNewField": {"nested": [1, 2]}}
    assert any("is_private" in p for p in odd.problems()) and any("started" in p for p in odd.problems())
    assert missing.error is None and missing.id is None and missing.title == "no id at all"
    # The malformed ones come through with their JSON and the reason.
    assert garbage.raw == "garbage" and garbage.error and garbage.id is None
    assert bad_id.raw == MALFORMED[2] and bad_id.error and "id" in bad_id.error
    assert bad_id.title == "id is an object"
    warned = [r.getMessage() for r in caplog.records if "malformed" in r.getMessage()]
    assert len(warned) == 2 and all("/v2/calls" in w for w in warned)


def test_null_sections_lists_and_nested_items(odd_gong: str) -> None:
    with _client(odd_gong) as gong:
        page = gong.list_calls_extensive().first_page()
        transcripts = gong.get_call_transcripts(call_ids=["1"]).to_list()
    assert page.records is None and page.cursor is None
    first, no_meta, null_item, odd = page.items
    assert first.meta_data is not None and first.meta_data.id == GOOD["id"]
    assert first.parties is None and first.content is None and first.error is None
    assert no_meta.meta_data is None and no_meta.error is None
    assert no_meta.parties is not None and no_meta.parties[0].speaker_id == "5"
    assert null_item.error is not None and null_item.raw is None
    assert odd.parties is None and odd.meta_data is not None
    assert odd.meta_data.started == "2026-13-45T99:00:00Z"  # kept as Gong sent it
    one, two, three, bad = transcripts
    assert one.transcript == [] and two.transcript[0].sentences == [] and two.transcript[0].speaker_id is None
    assert [s.text for s in three.transcript[0].sentences] == ["hi"]  # the non-object sentence is left out
    assert any("sentences" in p for p in three.problems())
    assert bad.error is not None and bad.raw == 42


def test_users_and_single_results(odd_gong: str) -> None:
    with _client(odd_gong) as gong:
        first, second, bad = gong.list_users().to_list()
        lonely = gong.get_user(user_id="1")
    assert first.id == "1234" and first.created == "not a date" and first.settings is None
    assert first.email_aliases is None and first.active is None
    assert second.settings is not None and second.settings.emails_imported is None
    assert second.spoken_languages is None
    assert bad.error is not None
    assert lonely.id is None and lonely.created is None and any("created" in p for p in lonely.problems())


def test_a_null_item_list_is_an_empty_page(odd_gong: str) -> None:
    with _client(odd_gong + "/empty") as gong:
        assert gong.list_workspaces().to_list() == []


async def test_the_async_client_reads_the_same_way(odd_gong: str) -> None:
    async with AsyncGongClient(
        ApiKeyConnection("key", "secret", odd_gong), rate_limiter=RateLimiter.off(), retry=RetryPolicy.none()
    ) as gong:
        calls = await gong.list_calls().to_list()
    assert [c.error is not None for c in calls] == [False, False, True, False, False, True, False]


def test_models_built_in_code_and_from_json() -> None:
    raw = {"id": 1, "title": "t"}
    call = Call.model_validate(raw)
    assert call.raw is raw and call.id == "1"
    assert Call(id="5", started=datetime(2026, 1, 1)).to_wire() == {"id": "5", "started": "2026-01-01T00:00:00"}
    schema = Call.model_json_schema()
    assert schema["properties"]["id"]["type"] == ["string", "integer", "null"]  # ids may come as numbers
    assert schema["properties"]["title"]["type"] == ["string", "null"] and schema["additionalProperties"] is True


def test_oauth_refresh_keeps_the_host_and_refresh_token_gong_left_out(odd_gong: str) -> None:
    TOKEN_CALLS.clear()
    token = OAuthToken(
        access_token="old-access",
        refresh_token="the-refresh-token",
        expires_at=0.0,  # expired: the next request refreshes first
        scope="api:workspaces:read",
        api_base_url=odd_gong,
    )
    store = MemoryTokenStore()
    conn = OAuthConnection("client", "client-secret", oauth_base_url=odd_gong, token=token, token_store=store)
    with GongClient(conn, rate_limiter=RateLimiter.off(), retry=RetryPolicy.none()) as gong:
        first = gong.list_workspaces().to_list()[0]
        conn.refresh()  # a second refresh must still have a refresh token to send
        second = gong.list_workspaces().to_list()[0]
    assert first.name == "Bearer access-1" and second.name == "Bearer access-2"
    assert [c["refresh_token"] for c in TOKEN_CALLS] == ["the-refresh-token", "the-refresh-token"]
    kept = store.load()
    assert kept is not None and kept.api_base_url == odd_gong and kept.refresh_token == "the-refresh-token"
    assert kept.scope == "api:workspaces:read"
