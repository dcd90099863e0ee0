"""Credentials, rate limits and robustness: what Gong answers before any endpoint logic."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from gong_connector._tls import shared_ssl_context
from gong_connector.emulator import Emulator, RateLimit

from .conftest import assert_gong_error, basic_client


class TestBasicAuth:
    def test_missing_credentials(self, gong_emulator: Emulator) -> None:
        response = httpx.get(gong_emulator.base_url + "/v2/calls")
        body = assert_gong_error(response, 401, "Validate credentials failed")
        assert response.headers["WWW-Authenticate"] == 'Basic realm="Gong.io API"'
        assert body["requestId"]

    @pytest.mark.parametrize("auth", [("emulator-access-key", "wrong"), ("wrong", "x"), ("", "")])
    def test_wrong_credentials(self, gong_emulator: Emulator, auth: tuple[str, str]) -> None:
        assert_gong_error(httpx.get(gong_emulator.base_url + "/v2/users", auth=auth, verify=shared_ssl_context()), 401)

    @pytest.mark.parametrize("header", ["Basic !!!", "Basic " + "a" * 10, "Bearer unknown-token", "Token x"])
    def test_malformed_authorization(self, gong_emulator: Emulator, header: str) -> None:
        response = httpx.get(
            gong_emulator.base_url + "/v2/users", headers={"Authorization": header}, verify=shared_ssl_context()
        )
        assert_gong_error(response, 401)

    def test_unknown_path(self, gong_emulator: Emulator, api: httpx.Client) -> None:
        assert_gong_error(httpx.get(gong_emulator.base_url + "/v2/nothing-here"), 401)
        assert_gong_error(api.get("/v2/nothing-here"), 404)
        assert_gong_error(api.delete("/v2/calls"), 405)

    def test_secret_is_not_in_repr(self, gong_emulator: Emulator) -> None:
        assert gong_emulator.access_key_secret not in repr(gong_emulator)
        assert gong_emulator.access_key_secret not in repr(gong_emulator.config)


class TestRateLimit:
    def test_three_per_second_then_429(self, gong_emulator_factory: Any) -> None:
        emu = gong_emulator_factory(rate_limit=RateLimit(per_second=3, per_day=None))
        with httpx.Client(base_url=emu.base_url, auth=(emu.access_key, emu.access_key_secret)) as c:
            assert [c.get("/v2/workspaces").status_code for _ in range(3)] == [200] * 3
            limited = c.get("/v2/workspaces")
            assert_gong_error(limited, 429)
            assert int(limited.headers["Retry-After"]) >= 1
            emu.advance_clock(1.0)
            assert c.get("/v2/workspaces").status_code == 200

    def test_daily_limit(self, gong_emulator_factory: Any) -> None:
        emu = gong_emulator_factory(rate_limit=RateLimit(per_second=None, per_day=5))
        with httpx.Client(base_url=emu.base_url, auth=(emu.access_key, emu.access_key_secret)) as c:
            assert all(c.get("/v2/workspaces").status_code == 200 for _ in range(5))
            limited = c.get("/v2/workspaces")
            assert_gong_error(limited, 429)
            assert 1 <= int(limited.headers["Retry-After"]) <= 86_400
            emu.advance_clock(int(limited.headers["Retry-After"]))
            assert c.get("/v2/workspaces").status_code == 200

    def test_limit_is_per_company_not_per_connection(self, gong_emulator_factory: Any) -> None:
        emu = gong_emulator_factory(rate_limit=RateLimit(per_second=3, per_day=None))
        token = emu.issue_token()["access_token"]
        with (
            httpx.Client(base_url=emu.base_url, auth=(emu.access_key, emu.access_key_secret)) as basic,
            httpx.Client(base_url=emu.base_url, headers={"Authorization": f"Bearer {token}"}) as bearer,
        ):
            codes = [
                basic.get("/v2/workspaces").status_code,
                bearer.get("/v2/workspaces").status_code,
                basic.get("/v2/workspaces").status_code,
                bearer.get("/v2/workspaces").status_code,
            ]
        assert codes == [200, 200, 200, 429]

    def test_unauthenticated_requests_do_not_count(self, gong_emulator_factory: Any) -> None:
        emu = gong_emulator_factory(rate_limit=RateLimit(per_second=3, per_day=None))
        for _ in range(5):
            httpx.get(emu.base_url + "/v2/workspaces", verify=shared_ssl_context())
        with httpx.Client(base_url=emu.base_url, auth=(emu.access_key, emu.access_key_secret)) as c:
            assert c.get("/v2/workspaces").status_code == 200

    def test_arrivals_are_counted_while_a_page_is_being_built(self, gong_emulator_factory: Any) -> None:
        """With a per-second limit, a request that arrives while another is in its handler is
        counted (here: answered 429) at once, not after that handler: pages are built off the
        event loop. The test holds the emulator's lock, so the first page cannot finish."""
        emu = gong_emulator_factory(rate_limit=RateLimit(per_second=1, per_day=None))
        limiter = emu.backend.rate_limiter
        first: list[httpx.Response] = []
        with basic_client(emu) as a, basic_client(emu) as b:
            with emu.backend.lock:
                waiting = threading.Thread(target=lambda: first.append(a.get("/v2/users")))
                waiting.start()
                deadline = time.monotonic() + 30
                while limiter.used_today == 0 and time.monotonic() < deadline:  # until it is counted
                    time.sleep(0.001)
                second = b.get("/v2/workspaces")
                assert not first
            waiting.join(timeout=30)
        assert_gong_error(second, 429)
        assert [r.status_code for r in first] == [200]

    def test_rate_limit_parse(self) -> None:
        assert RateLimit.parse("off").per_second is None
        assert RateLimit.parse("3/s").per_second == 3
        assert RateLimit.parse("180/min").per_second == 3
        with pytest.raises(ValueError, match="rate limit"):
            RateLimit.parse("fast")


CALL = {"clientUniqueId": "a", "actualStart": "2026-01-01T00:00:00Z", "direction": "Inbound", "primaryUser": "1"}

BAD_REQUESTS = [
    ("GET", "/v2/calls", {"params": {"fromDateTime": "\x00"}}),
    ("GET", "/v2/calls", {"params": {"cursor": "a" * 5000}}),
    ("GET", "/v2/calls/" + "9" * 40, {}),
    ("POST", "/v2/calls", {"content": b"\xff\xfe", "headers": {"Content-Type": "application/json"}}),
    ("POST", "/v2/calls", {"json": {"clientUniqueId": 5, "parties": "x"}}),
    (
        "POST",
        "/v2/calls",
        {
            "json": {
                "clientUniqueId": "a",
                "actualStart": "2026-01-01T00:00:00Z",
                "direction": "Inbound",
                "primaryUser": "1",
                "parties": [1, 2],
            }
        },
    ),
    ("POST", "/v2/calls/extensive", {"json": {"filter": [], "contentSelector": []}}),
    ("POST", "/v2/calls/extensive", {"json": {"filter": {"primaryUserIds": "x"}}}),
    ("POST", "/v2/calls/extensive", {"json": {"filter": {}, "contentSelector": {"exposedFields": []}}}),
    ("POST", "/v2/calls/transcript", {"json": {"filter": {"callIds": [None]}}}),
    ("POST", "/v2/calls/transcript", {"json": {"filter": {"toDateTime": 12}}}),
    ("PUT", "/v2/calls/1/media", {"content": b"x"}),
    ("PUT", "/v2/meetings/1", {"json": {"startTime": []}}),
    ("DELETE", "/v2/meetings/1", {"content": b"[]", "headers": {"Content-Type": "application/json"}}),
    ("PUT", "/v2/customer-engagement/action", {"json": {"reportingSystem": {"a": 1}}}),
    ("PUT", "/v2/customer-engagement/content/shared", {"json": {"contentProperties": "x"}}),
    ("GET", "/v2/logs", {"params": {"logType": "AccessLog", "fromDateTime": "2020-01-01T00:00:00Z", "cursor": "x.y"}}),
    ("GET", "/v2/users", {"params": {"cursor": "%%%"}}),
    ("GET", "/v2/data-privacy/data-for-phone-number", {"params": {"phoneNumber": "+" + "1" * 50}}),
    # Bodies Python's JSON reader refuses in other ways than a syntax error.
    ("POST", "/v2/calls/extensive", {"content": b"[" * 100_000 + b"]" * 100_000}),
    ("POST", "/v2/calls/extensive", {"content": b'{"filter": ' + b"1" * 5000 + b"}"}),
    # Values of the right JSON type but no use.
    ("POST", "/v2/calls", {"json": {**CALL, "languageCode": ["en-US"]}}),
    ("POST", "/v2/calls", {"content": b'{"duration": 1e309, "clientUniqueId": "a"}'}),
    ("POST", "/v2/calls", {"json": {**CALL, "parties": [{"userId": "1", "partyId": ["p"]}]}}),
    # A window the emulator cannot list day by day.
    ("POST", "/v2/stats/activity/day-by-day", {"json": {"filter": {"fromDate": "0001-01-01", "toDate": "9999-12-31"}}}),
]


@pytest.mark.parametrize(("method", "path", "kwargs"), BAD_REQUESTS)
def test_bad_requests_get_gong_errors_never_500(
    gong_emulator_factory: Callable[..., Emulator], method: str, path: str, kwargs: dict[str, Any]
) -> None:
    """Strict: some of these (a 51-digit phone number) are refused only under rules Gong does not document."""
    with basic_client(gong_emulator_factory(strict=True)) as api:
        response = api.request(method, path, **kwargs)
    assert 400 <= response.status_code < 500, response.text
    body = response.json()
    assert body["requestId"] and body["errors"]


def test_per_second_window_runs_on_real_time_even_with_a_frozen_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    """A client that paces itself in real time must get through a frozen emulator."""
    from gong_connector.emulator import _clock
    from gong_connector.emulator._limits import RateLimiter

    real = [1000.0]
    monkeypatch.setattr(_clock.time, "monotonic", lambda: real[0])
    clock = _clock.Clock(frozen=True)
    limiter = RateLimiter(RateLimit(per_second=3, per_day=None), clock)
    assert [limiter.acquire() for _ in range(3)] == [None] * 3
    assert limiter.acquire() == 1
    real[0] += 1.0  # a second of wall time passes; the emulator's date does not
    assert limiter.acquire() is None
    frozen_at = clock.now()
    assert [limiter.acquire() for _ in range(2)] == [None, None]
    assert limiter.acquire() == 1
    clock.advance(1.0)  # tests can still jump the window
    assert limiter.acquire() is None
    assert clock.now() == frozen_at + 1.0


def test_an_emulator_bug_is_a_500_that_leaves_the_connection_usable(
    gong_emulator_factory: Callable[..., Emulator], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Answered in Gong's shape, and not re-raised to the server, which would drop the
    keep-alive connection under the client's next request."""
    emu = gong_emulator_factory()

    def broken() -> list[Any]:
        raise RuntimeError("a bug")

    with basic_client(emu) as api:
        assert api.get("/v2/users").status_code == 200  # the connection is open
        monkeypatch.setattr(emu.backend, "list_workspaces", broken)
        failed = api.get("/v2/workspaces")
        assert failed.status_code == 500 and failed.json()["errors"]
        assert api.get("/v2/users").status_code == 200  # on the same connection
