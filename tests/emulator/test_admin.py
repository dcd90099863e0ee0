"""The emulator's admin API (``/_emulator/...``): state, reset, request log, faults, clock,
rate limits, added calls and media, driven over HTTP on loopback.
"""

from __future__ import annotations

import math
import socket
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from gong_connector._tls import shared_ssl_context
from gong_connector.emulator import Emulator, RateLimit

from .conftest import assert_gong_error, basic_client

SMALL = {"calls": 40, "users": 8, "workspaces": 2}


@pytest.fixture
def emu(gong_emulator_factory: Callable[..., Emulator]) -> Emulator:
    return gong_emulator_factory(**SMALL)


@pytest.fixture
def admin(emu: Emulator) -> Iterator[httpx.Client]:
    """The admin API needs no credentials (it is the emulator's own, not Gong's)."""
    with httpx.Client(base_url=f"{emu.base_url}/_emulator", timeout=30, verify=shared_ssl_context()) as client:
        yield client


def all_calls(api: httpx.Client, **params: str) -> list[dict[str, Any]]:
    calls: list[dict[str, Any]] = []
    cursor: str | None = None
    while True:
        response = api.get("/v2/calls", params={**params, **({"cursor": cursor} if cursor else {})})
        if response.status_code == 404:  # Gong's empty result
            return calls
        assert response.status_code == 200, response.text
        calls += response.json()["calls"]
        cursor = response.json()["records"].get("cursor")
        if not cursor:
            return calls


# ----- health, state, reset ----------------------------------------------------------------------


def test_health(admin: httpx.Client) -> None:
    """A readiness probe for scripts that start the emulator."""
    response = admin.get("/health")
    assert response.status_code == 200 and response.json() == {"ok": True}


def test_state_summarises_the_company(admin: httpx.Client, api: httpx.Client) -> None:
    """The state endpoint reports the generated company and what the API changed."""
    state = admin.get("/state").json()
    assert state["seed"] == 42
    assert state["generatedCalls"] == 40 and state["users"] == 8 and state["workspaces"] == 2
    assert state["createdCalls"] == 0 and state["clockFrozen"] is True
    assert state["rateLimit"] == {"perSecond": None, "perDay": None}
    admin.post("/calls", json={"count": 2})
    assert admin.get("/state").json()["createdCalls"] == 2


def snapshot(api: httpx.Client) -> tuple[Any, ...]:
    return (all_calls(api), api.get("/v2/users").json()["users"], api.get("/v2/workspaces").json()["workspaces"])


def test_reset_same_seed_same_data_other_seed_other_data(admin: httpx.Client, api: httpx.Client) -> None:
    """Data are a function of the seed: reset to a seed reproduces it exactly."""
    assert admin.post("/reset", json={"seed": 7}).json()["seed"] == 7
    first = snapshot(api)
    assert admin.post("/reset", json={"seed": 8}).json()["seed"] == 8
    other = snapshot(api)
    assert admin.post("/reset", json={"seed": 7}).status_code == 200
    again = snapshot(api)
    assert again == first
    assert other[0] != first[0] and other[1] != first[1]
    assert {c["id"] for c in other[0]}.isdisjoint({c["id"] for c in first[0]})


def test_reset_changes_sizes_and_drops_api_changes(emu: Emulator, admin: httpx.Client, api: httpx.Client) -> None:
    """Reset regenerates the company: created calls, request log, faults, tokens, the daily
    count and webhook rules are gone (it is the reset every path uses; see test_reset.py)."""
    added = admin.post("/calls", json={"count": 2}).json()["callIds"]
    assert admin.post("/automation-rules", json={"name": "r", "url": "http://127.0.0.1:9/"}).status_code == 201
    token = emu.issue_token()["access_token"]
    admin.post("/faults", json={"errorRate": 1.0})
    state = admin.post("/reset", json={"calls": 10, "users": 4}).json()
    assert state["generatedCalls"] == 10 and state["users"] == 4 and state["createdCalls"] == 0
    assert admin.get("/requests").json()["requests"] == []
    assert admin.get("/faults").json()["faults"]["error_rate"] == 0.0
    assert state["requestsToday"] == 0
    assert admin.get("/automation-rules").json()["rules"] == []
    calls = all_calls(api)
    assert len(calls) == 10 and not {c["id"] for c in calls} & set(added)
    with httpx.Client(base_url=emu.base_url, headers={"Authorization": f"Bearer {token}"}) as bearer:
        assert_gong_error(bearer.get("/v2/calls"), 401)


def test_reset_from_the_context_manager_matches_admin_reset(
    emu: Emulator, admin: httpx.Client, api: httpx.Client
) -> None:
    """``emu.reset(seed=...)`` and ``POST /_emulator/reset`` give the same company."""
    emu.reset(seed=11)
    direct = snapshot(api)
    admin.post("/reset", json={"seed": 11})
    assert snapshot(api) == direct


# ----- the request log ------------------------------------------------------------------------------


def test_request_log_records_v2_requests_and_can_be_cleared(
    emu: Emulator, admin: httpx.Client, api: httpx.Client
) -> None:
    """Every /v2 request is logged with method, path, query and status; DELETE empties the log."""
    api.get("/v2/calls", params={"workspaceId": "x1"})
    api.get("/v2/workspaces")
    with httpx.Client(base_url=emu.base_url) as anonymous:
        anonymous.get("/v2/users")
    admin.get("/state")  # admin requests are not Gong's: not logged
    log = admin.get("/requests").json()["requests"]
    assert [(r["method"], r["path"], r["status"]) for r in log] == [
        ("GET", "/v2/calls", 400),
        ("GET", "/v2/workspaces", 200),
        ("GET", "/v2/users", 401),
    ]
    assert log[0]["query"] == {"workspaceId": "x1"}
    assert all(isinstance(r["at"], float) for r in log)
    assert emu.requests() == log

    assert admin.delete("/requests").status_code == 200
    assert admin.get("/requests").json()["requests"] == []
    assert emu.requests() == []


# ----- faults ------------------------------------------------------------------------------------


def test_fail_next_gives_503_then_429_then_a_dropped_connection(admin: httpx.Client, api: httpx.Client) -> None:
    """Queued faults hit the next /v2 requests in order, in Gong's wire format, then stop."""
    response = admin.post("/faults", json={"failNext": ["503", "429", "drop"], "retryAfter": 7})
    assert response.status_code == 200
    assert response.json()["faults"]["fail_next"] == ["503", "429", "drop"]

    assert_gong_error(api.get("/v2/workspaces"), 503)
    limited = api.get("/v2/workspaces")
    assert_gong_error(limited, 429)
    assert limited.headers["Retry-After"] == "7"
    with pytest.raises(httpx.TransportError):
        api.get("/v2/workspaces")
    assert api.get("/v2/workspaces").status_code == 200

    state = admin.get("/faults").json()
    assert state["injected"] == 3 and state["faults"]["fail_next"] == []


def test_the_html_fault_is_a_200_with_a_maintenance_page(admin: httpx.Client, api: httpx.Client) -> None:
    """What a proxy may put where Gong's JSON should be: clients must not read it as empty."""
    assert admin.post("/faults", json={"failNext": ["html"]}).status_code == 200
    page = api.get("/v2/users")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert "Maintenance" in page.text
    assert api.get("/v2/users").json()["users"]


def test_faults_do_not_touch_the_admin_api_or_oauth(emu: Emulator, admin: httpx.Client, api: httpx.Client) -> None:
    """Faults are for /v2 only: the admin API and the OAuth endpoints keep answering."""
    admin.post("/faults", json={"failNext": ["503"]})
    assert admin.get("/health").status_code == 200
    client = emu.oauth_client
    with httpx.Client(base_url=emu.base_url) as browser:
        page = browser.get(
            "/oauth2/authorize",
            params={
                "client_id": client.client_id,
                "response_type": "code",
                "scope": "api:users:read",
                "redirect_uri": "http://127.0.0.1:9/cb",
            },
        )
        token = browser.post(
            "/oauth2/generate-customer-token",
            auth=(client.client_id, "wrong"),
            params={"grant_type": "refresh_token", "refresh_token": "x"},
        )
    assert page.status_code == 200 and token.status_code == 401
    assert admin.get("/faults").json()["faults"]["fail_next"] == ["503"]  # still queued for /v2
    assert_gong_error(api.get("/v2/workspaces"), 503)


def _statuses(api: httpx.Client, n: int) -> list[int | str]:
    out: list[int | str] = []
    for _ in range(n):
        try:
            out.append(api.get("/v2/workspaces").status_code)
        except httpx.TransportError:
            out.append("drop")
    return out


def test_error_rate_with_seed_is_reproducible(admin: httpx.Client, api: httpx.Client) -> None:
    """errorRate picks failing requests at random, reproducibly for a given seed."""
    config = {"errorRate": 0.4, "errorStatuses": [502, 503], "rateLimitRate": 0.2, "dropRate": 0.1, "seed": 5}
    admin.post("/faults", json=config)
    first = _statuses(api, 16)
    admin.post("/faults", json=config)
    assert _statuses(api, 16) == first
    assert set(first) <= {200, 502, 503, 429, "drop"}
    assert {200, 429} <= set(first) and set(first) & {502, 503}

    admin.post("/faults", json={**config, "seed": 6})
    assert _statuses(api, 16) != first


def test_delete_faults_clears_them(admin: httpx.Client, api: httpx.Client) -> None:
    """DELETE /_emulator/faults turns every fault off, queued ones included."""
    admin.post("/faults", json={"errorRate": 1.0, "failNext": ["500"]})
    assert_gong_error(api.get("/v2/workspaces"), 500)
    assert api.get("/v2/workspaces").status_code >= 500
    cleared = admin.delete("/faults").json()["faults"]
    assert cleared["error_rate"] == 0.0 and cleared["fail_next"] == []
    assert _statuses(api, 5) == [200] * 5


def test_set_faults_from_python(emu: Emulator, api: httpx.Client) -> None:
    """The same faults from the test controls: ``emu.set_faults`` / ``emu.clear_faults``."""
    from gong_connector.emulator import Faults

    emu.set_faults(Faults(fail_next=["502"]))
    assert_gong_error(api.get("/v2/workspaces"), 502)
    emu.set_faults(Faults(error_rate=1.0, error_statuses=(500,)))
    emu.clear_faults()
    assert api.get("/v2/workspaces").status_code == 200


# ----- the clock -------------------------------------------------------------------------------


def test_clock_advance_and_freeze(admin: httpx.Client) -> None:
    """The emulator clock moves only when told (frozen) and jumps by exactly the advance."""
    start = admin.get("/clock").json()
    assert start["frozen"] is True
    assert admin.get("/clock").json()["now"] == start["now"]
    moved = admin.post("/clock", json={"advance": 3600}).json()
    assert moved["now"] == start["now"] + 3600 and moved["frozen"] is True

    running = admin.post("/clock", json={"freeze": False}).json()
    assert running["frozen"] is False and running["now"] >= moved["now"]
    frozen = admin.post("/clock", json={"freeze": True}).json()
    assert frozen["frozen"] is True
    assert admin.get("/clock").json()["now"] == frozen["now"]


def test_clock_advance_processes_added_calls(admin: httpx.Client, api: httpx.Client) -> None:
    """Calls appear only once processed; moving the clock through the admin API processes them."""
    before = len(all_calls(api))
    ids = admin.post("/calls", json={"count": 2, "processingDelay": 300}).json()["callIds"]
    assert len(all_calls(api)) == before
    admin.post("/clock", json={"advance": 299})
    assert len(all_calls(api)) == before
    admin.post("/clock", json={"advance": 1})
    assert {c["id"] for c in all_calls(api)} >= set(ids)
    assert api.get(f"/v2/calls/{ids[0]}").json()["call"]["id"] == ids[0]


def test_unprocessed_call_is_not_found_by_id(admin: httpx.Client, api: httpx.Client) -> None:
    """Calls are visible to the API only once processed: GET /v2/calls/{id} too (404 before)."""
    call_id = admin.post("/calls", json={"count": 1, "processingDelay": 300}).json()["callIds"][0]
    assert_gong_error(api.get(f"/v2/calls/{call_id}"), 404)


# ----- rate limits -------------------------------------------------------------------------------


def test_default_rate_limit_is_three_per_second(gong_emulator_factory: Callable[..., Emulator]) -> None:
    """Gong allows 3 requests per second per company; the 4th gets 429 with Retry-After."""
    emu = gong_emulator_factory(rate_limit=RateLimit(), **SMALL)
    with basic_client(emu) as api:
        assert [api.get("/v2/workspaces").status_code for _ in range(3)] == [200] * 3
        limited = api.get("/v2/workspaces")
        assert_gong_error(limited, 429)
        assert int(limited.headers["Retry-After"]) >= 1
        emu.advance_clock(1)
        assert api.get("/v2/workspaces").status_code == 200


def test_rate_limit_per_second_from_admin_api(emu: Emulator, admin: httpx.Client, api: httpx.Client) -> None:
    """POST /_emulator/rate-limit sets the per-second limit; 429s carry Retry-After."""
    assert admin.post("/rate-limit", json={"perSecond": 1}).json() == {"perSecond": 1, "perDay": None}
    assert admin.get("/state").json()["rateLimit"] == {"perSecond": 1.0, "perDay": None}
    assert api.get("/v2/workspaces").status_code == 200
    limited = api.get("/v2/workspaces")
    assert_gong_error(limited, 429)
    assert limited.headers["Retry-After"] == "1"
    emu.advance_clock(1)
    assert api.get("/v2/workspaces").status_code == 200


def test_daily_limit_retry_after_points_to_the_next_utc_day(
    emu: Emulator, admin: httpx.Client, api: httpx.Client
) -> None:
    """Over the daily quota, Retry-After is the wait until the quota resets (next UTC day)."""
    admin.post("/rate-limit", json={"perSecond": None, "perDay": 2, "resetDaily": True})
    assert [api.get("/v2/workspaces").status_code for _ in range(2)] == [200, 200]
    limited = api.get("/v2/workspaces")
    assert_gong_error(limited, 429)
    now = admin.get("/clock").json()["now"]
    midnight = (
        datetime.fromtimestamp(now, UTC).replace(hour=0, minute=0, second=0, microsecond=0) + timedelta(days=1)
    ).timestamp()
    assert int(limited.headers["Retry-After"]) == max(1, math.ceil(midnight - now))
    emu.advance_clock(midnight - now)
    assert api.get("/v2/workspaces").status_code == 200


def test_what_counts_against_the_daily_quota(emu: Emulator, admin: httpx.Client, api: httpx.Client) -> None:
    """Authenticated /v2 requests count (even a 403 or 404); 401s and rejected 429s do not."""
    admin.post("/rate-limit", json={"perSecond": None, "perDay": 3, "resetDaily": True})
    with httpx.Client(base_url=emu.base_url) as anonymous:
        for _ in range(4):
            assert_gong_error(anonymous.get("/v2/workspaces"), 401)
    assert admin.get("/state").json()["requestsToday"] == 0
    token = emu.issue_token(["api:users:read"])["access_token"]
    with httpx.Client(base_url=emu.base_url, headers={"Authorization": f"Bearer {token}"}) as bearer:
        assert_gong_error(bearer.get("/v2/workspaces"), 403)
    assert_gong_error(api.get("/v2/calls/1234567890123456789"), 404)
    assert api.get("/v2/workspaces").status_code == 200
    assert admin.get("/state").json()["requestsToday"] == 3
    assert_gong_error(api.get("/v2/workspaces"), 429)
    assert_gong_error(api.get("/v2/workspaces"), 429)
    assert admin.get("/state").json()["requestsToday"] == 3


def test_reset_daily_counter(admin: httpx.Client, api: httpx.Client) -> None:
    """resetDaily starts today's quota afresh."""
    admin.post("/rate-limit", json={"perDay": 1})
    assert api.get("/v2/workspaces").status_code == 200
    assert api.get("/v2/workspaces").status_code == 429
    admin.post("/rate-limit", json={"perDay": 1, "resetDaily": True})
    assert api.get("/v2/workspaces").status_code == 200


def test_rate_limit_off(admin: httpx.Client, api: httpx.Client) -> None:
    """null for both limits switches rate limiting off."""
    admin.post("/rate-limit", json={"perSecond": None, "perDay": None})
    assert _statuses(api, 8) == [200] * 8


@pytest.mark.parametrize("per_second", [0, -1])
def test_rate_limit_must_be_positive(admin: httpx.Client, api: httpx.Client, per_second: int) -> None:
    """A per-second limit that is not positive is refused (400), as --rate-limit refuses it."""
    response = admin.post("/rate-limit", json={"perSecond": per_second})
    assert response.status_code == 400 and response.json()["error"]
    assert api.get("/v2/workspaces").status_code == 200


def test_fail_next_with_an_unknown_outcome_is_refused(admin: httpx.Client, api: httpx.Client) -> None:
    """failNext takes status codes or "drop"; anything else is a bad admin request."""
    response = admin.post("/faults", json={"failNext": ["boom"]})
    assert response.status_code == 400 and response.json()["error"]
    assert api.get("/v2/workspaces").status_code == 200


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/rate-limit", b'{"perSecond": 1e309}'),
        ("/rate-limit", b'{"perSecond": "nan"}'),
        ("/clock", b'{"advance": 1e12}'),
        ("/clock", b'{"advance": "nan"}'),
        ("/faults", b'{"latencyMs": 1e309}'),
    ],
)
def test_admin_values_that_would_break_every_answer_are_refused(
    admin: httpx.Client, api: httpx.Client, path: str, body: bytes
) -> None:
    """An endless rate, a clock past the calendar: refused, and Gong's API keeps answering."""
    response = admin.post(path, content=body, headers={"Content-Type": "application/json"})
    assert response.status_code == 400 and response.json()["error"]
    assert api.get("/v2/workspaces").status_code == 200
    assert admin.get("/state").status_code == 200


def test_an_authorize_page_with_a_malformed_redirect_uri_is_a_400(emu: Emulator) -> None:
    params = {"client_id": emu.oauth_client.client_id, "response_type": "code", "scope": "api:users:read"}
    with httpx.Client(base_url=emu.base_url) as web:
        answer = web.get("/oauth2/authorize", params={**params, "redirect_uri": "http://[::1/cb"})
    assert answer.status_code == 400


# ----- added calls and media -------------------------------------------------------------------


def test_added_calls_appear_in_list_calls(emu: Emulator, admin: httpx.Client, api: httpx.Client) -> None:
    """POST /_emulator/calls adds recorded calls that GET /v2/calls then lists."""
    before = {c["id"] for c in all_calls(api)}
    response = admin.post("/calls", json={"count": 3})
    assert response.status_code == 200
    ids = response.json()["callIds"]
    assert len(set(ids)) == 3 and all(i.isdigit() and i not in before for i in ids)
    after = {c["id"]: c for c in all_calls(api)}
    assert set(after) == before | set(ids)
    for call_id in ids:
        assert after[call_id]["primaryUserId"] and after[call_id]["title"]
    recent = all_calls(
        api, fromDateTime=(datetime.fromtimestamp(emu.backend.clock.now(), UTC) - timedelta(hours=1)).isoformat()
    )
    assert {c["id"] for c in recent} == set(ids)


def test_added_calls_in_a_workspace(admin: httpx.Client, api: httpx.Client) -> None:
    """Added calls can be put in a given workspace and are listed under it."""
    workspace = api.get("/v2/workspaces").json()["workspaces"][1]["id"]
    ids = admin.post("/calls", json={"count": 2, "workspaceId": workspace}).json()["callIds"]
    listed = {c["id"]: c for c in all_calls(api, workspaceId=workspace)}
    assert set(ids) <= set(listed)
    assert all(listed[i]["workspaceId"] == workspace for i in ids)


def test_add_calls_bad_body_is_400(admin: httpx.Client) -> None:
    """Admin errors come back as {"error": ...} with 400."""
    response = admin.post("/calls", json={"count": "many"})
    assert response.status_code == 400 and response.json()["error"]


def test_media_of_generated_call_is_audio(admin: httpx.Client, api: httpx.Client) -> None:
    """Generated calls have a recording: the admin API serves a playable WAV."""
    call_id = all_calls(api)[0]["id"]
    response = admin.get(f"/media/{call_id}")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("audio/wav")
    assert response.content[:4] == b"RIFF" and response.content[8:12] == b"WAVE"


def test_media_of_unknown_call_is_404(admin: httpx.Client) -> None:
    """No media for a call that does not exist."""
    assert admin.get("/media/1234567890123456789").status_code == 404


def test_admin_token_works_as_bearer(emu: Emulator, admin: httpx.Client) -> None:
    """POST /_emulator/oauth/token issues a token without the browser, limited to its scopes."""
    body = admin.post("/oauth/token", json={"scope": "api:users:read"}).json()
    assert body["token_type"] == "bearer" and body["scope"] == "api:users:read"
    headers = {"Authorization": f"Bearer {body['access_token']}"}
    with httpx.Client(base_url=emu.base_url, headers=headers) as bearer:
        assert bearer.get("/v2/users").status_code == 200
        assert_gong_error(bearer.get("/v2/workspaces"), 403, "api:workspaces:read")


def test_unknown_admin_endpoint_is_404(admin: httpx.Client) -> None:
    """Unknown admin routes are 404 {"error": ...}."""
    response = admin.get("/no-such-thing")
    assert response.status_code == 404 and response.json()["error"]


# ----- the server's connections ---------------------------------------------------------------


def test_accepted_connections_have_nagle_off(emu: Emulator, api: httpx.Client) -> None:
    """Responses are written without Nagle delay (TCP_NODELAY), as uvicorn's own bind does.

    Checked on the server side of a live keep-alive connection, not by timing it.
    """
    assert api.get("/v2/workspaces").status_code == 200
    server = emu._serving.server
    assert server is not None
    sockets = [conn.transport.get_extra_info("socket") for conn in server.server_state.connections]
    assert sockets
    assert all(s.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) for s in sockets)


@pytest.mark.parametrize("body", [b'{"filter": {"bogus": "half \\ud83d"}}', b'{"filter": {"bogus": 1e309}}'])
def test_what_a_request_carried_never_stops_the_request_log_from_rendering(
    admin: httpx.Client, api: httpx.Client, body: bytes
) -> None:
    api.post("/v2/calls/extensive", content=body, headers={"Content-Type": "application/json"})
    assert admin.get("/requests").status_code == 200
    assert api.get("/v2/workspaces").status_code == 200
