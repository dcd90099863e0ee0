"""A date window Gong refuses as too long is listed in pieces, inside the pager.

Served by a hand-written Gong over real HTTP that refuses windows over 10 days, either
naming the limit or not (then the client halves until Gong accepts), on a GET listing
(window in the query) and a POST one (window in the body's filter).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from gong_connector import ApiKeyConnection, AsyncGongClient, GongClient, ValidationError
from gong_connector._serving import SocketServer
from gong_connector.actions import run_action
from gong_connector.client import RateLimiter, RetryPolicy

DAY0 = datetime(2000, 1, 1, tzinfo=UTC)
CALLS = [(f"{1000 + i}", DAY0 + timedelta(days=i, hours=12)) for i in range(60)]  # one call a day
LIMIT = timedelta(days=10)
DECADE = timedelta(days=3650)
PAGE = 3
SEEN: list[dict[str, Any]] = []


def _window(start: str | None, end: str | None, style: str) -> tuple[datetime | None, datetime | None, Any]:
    a = datetime.fromisoformat(start) if start else None
    b = datetime.fromisoformat(end) if end else None
    limit = DECADE if style == "decade" else LIMIT
    if a is not None and b is not None and b - a > limit:
        text = {
            "named": "The date range must not exceed 10 days",
            "decade": "The date range must not exceed 3650 days",
        }.get(style, "The requested period is too long")
        return a, b, JSONResponse({"requestId": "x", "errors": [text]}, status_code=400)
    return a, b, None


def _page(a: datetime | None, b: datetime | None, cursor: str | None, key: str) -> JSONResponse:
    matching = [(i, t) for i, t in CALLS if (a is None or t >= a) and (b is None or t < b)]
    if not matching:
        return JSONResponse({"requestId": "e", "errors": ["No calls found"]}, status_code=404)
    offset = int(cursor or 0)
    chunk = matching[offset : offset + PAGE]
    records: dict[str, Any] = {"totalRecords": len(matching)}
    if offset + PAGE < len(matching):
        records["cursor"] = str(offset + PAGE)
    items: list[Any] = [{"id": i, "started": t.isoformat()} for i, t in chunk]
    if key == "callTranscripts":
        items = [{"callId": i, "transcript": []} for i, _ in chunk]
    return JSONResponse({"requestId": "r", "records": records, key: items})


def _calls(request: Request) -> JSONResponse:
    q = request.query_params
    SEEN.append({"from": q.get("fromDateTime"), "to": q.get("toDateTime"), "cursor": q.get("cursor")})
    a, b, refusal = _window(q.get("fromDateTime"), q.get("toDateTime"), request.path_params["style"])
    return refusal or _page(a, b, q.get("cursor"), "calls")


async def _transcripts(request: Request) -> JSONResponse:
    body = await request.json()
    flt = body.get("filter", {})
    SEEN.append({"from": flt.get("fromDateTime"), "to": flt.get("toDateTime"), "cursor": body.get("cursor")})
    a, b, refusal = _window(flt.get("fromDateTime"), flt.get("toDateTime"), request.path_params["style"])
    return refusal or _page(a, b, body.get("cursor"), "callTranscripts")


APP = Starlette(
    routes=[
        Route("/{style}/v2/calls", _calls),
        Route("/{style}/v2/calls/transcript", _transcripts, methods=["POST"]),
    ]
)


@pytest.fixture(scope="module")
def strict_gong() -> Iterator[str]:
    with SocketServer(APP, name="strict-gong") as server:
        yield server.url


@pytest.fixture
def seen() -> list[dict[str, Any]]:
    SEEN.clear()
    return SEEN


def _client(url: str) -> GongClient:
    return GongClient(ApiKeyConnection("k", "s", url), rate_limiter=RateLimiter.off(), retry=RetryPolicy.none())


def _refused(seen: list[dict[str, Any]], limit: timedelta = LIMIT) -> list[dict[str, Any]]:
    return [s for s in seen if s["from"] and s["to"] and _span(s) > limit]


def _span(s: dict[str, Any]) -> timedelta:
    return datetime.fromisoformat(s["to"]) - datetime.fromisoformat(s["from"])


WHOLE = {"from_date_time": "2000-01-01T00:00:00Z", "to_date_time": "2001-01-01T00:00:00Z"}


@pytest.mark.parametrize("style", ["named", "unnamed"])
def test_a_refused_window_yields_every_call_in_order(strict_gong: str, seen: list[dict[str, Any]], style: str) -> None:
    with _client(f"{strict_gong}/{style}") as gong:
        calls = gong.list_calls(**WHOLE).to_list()
        assert [c.id for c in calls] == [i for i, _ in CALLS]  # all of them, oldest first
        refused_first = len(_refused(seen))
        seen.clear()
        again = gong.list_calls(**WHOLE).to_list()  # the limit is known now: cut up front
    assert [c.id for c in again] == [c.id for c in calls]
    assert _refused(seen) == []
    if style == "named":
        assert refused_first == 1  # the limit came with the refusal: one refusal in all
    else:
        assert 1 <= refused_first <= 6  # halving from a year down to 10 days or less
    requests = [(s["from"], s["to"], s["cursor"]) for s in seen]
    assert len(requests) == len(set(requests)), "no request was sent twice"


def test_a_window_gong_accepts_costs_no_extra_request(strict_gong: str, seen: list[dict[str, Any]]) -> None:
    with _client(f"{strict_gong}/named") as gong:
        calls = gong.list_calls(from_date_time="2000-01-02T00:00:00Z", to_date_time="2000-01-08T00:00:00Z").to_list()
    assert len(calls) == 6
    assert len(seen) == 2 and all(s["from"] == "2000-01-02T00:00:00Z" for s in seen)


def test_the_pager_stays_lazy_and_resumes_from_its_cursor(strict_gong: str, seen: list[dict[str, Any]]) -> None:
    with _client(f"{strict_gong}/named") as gong:
        pager = gong.list_calls(**WHOLE)
        assert seen == []  # nothing sent until iterated
        first = pager.first_page()
        assert len(seen) == 2  # the refusal, then the first piece's first page
        assert [c.id for c in first.items] == ["1000", "1001", "1002"] and first.cursor
        rest = gong.list_calls(**WHOLE, cursor=first.cursor).to_list()
    assert [c.id for c in first.items + rest] == [i for i, _ in CALLS]


def test_each_piece_says_up_to_when_the_listing_is_complete(strict_gong: str, seen: list[dict[str, Any]]) -> None:
    with _client(f"{strict_gong}/named") as gong:
        pages = list(
            gong.list_calls(from_date_time="2000-01-01T00:00:00Z", to_date_time="2000-02-01T00:00:00Z").pages()
        )
    marks = [p.complete_until for p in pages if p.complete_until is not None]
    assert marks == [DAY0 + timedelta(days=d) for d in (10, 20, 30, 31)]
    # Everything yielded before a mark started before it.
    yielded: list[datetime] = []
    for page in pages:
        yielded += [datetime.fromisoformat(str(c.raw["started"])) for c in page.items]
        if page.complete_until is not None:
            assert all(t < page.complete_until for t in yielded)


def test_a_far_end_is_cut_at_now_and_an_open_one_too(strict_gong: str, seen: list[dict[str, Any]]) -> None:
    with _client(f"{strict_gong}/decade") as gong:
        calls = gong.list_calls(from_date_time="2000-01-01T00:00:00Z", to_date_time="2099-01-01T00:00:00Z").to_list()
        assert len(calls) == len(CALLS)
        # One refusal, then pieces of ten years up to about now, not up to 2099.
        assert len(_refused(seen, DECADE)) == 1
        assert datetime.fromisoformat(seen[-1]["to"]) < datetime.now(UTC) + timedelta(days=2)
        seen.clear()
        calls = gong.list_calls(from_date_time="2000-01-01T00:00:00Z").to_list()  # limit known, no end
    assert len(calls) == len(CALLS) and _refused(seen, DECADE) == []
    assert seen[0]["to"] is not None  # the open end became "now" to cut the window


async def test_the_async_client_cuts_a_body_filter_window(strict_gong: str, seen: list[dict[str, Any]]) -> None:
    async with AsyncGongClient(
        ApiKeyConnection("k", "s", f"{strict_gong}/unnamed"), rate_limiter=RateLimiter.off(), retry=RetryPolicy.none()
    ) as gong:
        found = await gong.get_call_transcripts(**WHOLE).to_list()
    assert [t.call_id for t in found] == [i for i, _ in CALLS]
    requests = [(s["from"], s["to"], s["cursor"]) for s in seen]
    assert len(requests) == len(set(requests))


def test_actions_hand_back_a_cursor_that_resumes_the_pieces(strict_gong: str, seen: list[dict[str, Any]]) -> None:
    collected: list[str] = []
    with _client(f"{strict_gong}/named") as gong:
        cursor = None
        while True:
            result = run_action(gong, "list-calls", {**WHOLE, **({"cursor": cursor} if cursor else {})})
            collected += [c["id"] for c in result.output["items"]]
            cursor = result.cursor
            if cursor is None:
                break
    assert collected == [i for i, _ in CALLS]


def test_a_reversed_window_is_refused_before_sending(strict_gong: str, seen: list[dict[str, Any]]) -> None:
    with _client(f"{strict_gong}/named") as gong, pytest.raises(ValidationError) as info:
        gong.list_calls(from_date_time="2001-01-01T00:00:00Z", to_date_time="2000-01-01T00:00:00Z")
    assert info.value.field == "to_date_time" and seen == []
