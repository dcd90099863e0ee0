"""Every error class, raised from real emulator answers (or, for the client-side ones,
before anything is sent)."""

from __future__ import annotations

from typing import Any

import pytest

from gong_connector import (
    APIError,
    ApiKeyConnection,
    AuthenticationError,
    BadRequestError,
    CursorExpiredError,
    DailyBudget,
    DailyBudgetExceededError,
    GongError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    RetryPolicy,
    ServerError,
    TransportError,
    UnreadableResponseError,
)
from gong_connector.client._base import parse_retry_after
from gong_connector.emulator import Emulator, Faults, RateLimit

from .conftest import Facade, api_requests, build_client, close_client, make_connection

WINDOW = {"from_date_time": "2026-11-01T00:00:00Z", "to_date_time": "2026-11-20T00:00:00Z"}


def test_error_tree() -> None:
    for cls in (
        AuthenticationError,
        PermissionDeniedError,
        NotFoundError,
        RateLimitError,
        ServerError,
        BadRequestError,
        CursorExpiredError,
    ):
        assert issubclass(cls, APIError) and issubclass(cls, GongError)
    assert issubclass(TransportError, GongError) and not issubclass(TransportError, APIError)
    assert issubclass(DailyBudgetExceededError, GongError)


def test_bad_api_key_is_authentication_error(portal: Any, mode: str, scratch_emu: Emulator) -> None:
    conn = ApiKeyConnection(scratch_emu.access_key, "wrong-secret-value", scratch_emu.base_url)
    api = build_client(mode, conn, portal)
    try:
        with pytest.raises(AuthenticationError) as info:
            api.list_workspaces().to_list()
    finally:
        close_client(api)
    err = info.value
    assert err.status == 401 and err.request_id and err.errors
    assert "wrong-secret-value" not in str(err) and "wrong-secret-value" not in repr(err)


def test_missing_scope_is_permission_denied_naming_it(portal: Any, mode: str, scratch_emu: Emulator) -> None:
    conn = make_connection(scratch_emu, "oauth", scopes=["api:calls:read:basic"])
    api = build_client(mode, conn, portal)
    try:
        with pytest.raises(PermissionDeniedError) as info:
            api.list_users().to_list()
    finally:
        close_client(api)
    assert info.value.status == 403
    assert info.value.missing_scope == "api:users:read"
    assert info.value.required_scope == "api:users:read"


def test_bad_request_keeps_gong_messages(ro_api: Facade, shared_emu: Emulator) -> None:
    # (A window Gong finds too long is no longer an error: the pager cuts it; see test_windows.)
    # An unknown workspace: an empty list where Gong's document leaves it at that, a 400 with
    # Gong's words where the emulator refuses it (the guessed reference_checks, under strict).
    if not shared_emu.config.reference_checks:
        assert ro_api.list_calls(workspace_id="123").to_list() == []
        return
    with pytest.raises(BadRequestError) as info:
        ro_api.list_calls(workspace_id="123").to_list()
    assert info.value.status == 400 and info.value.errors and info.value.request_id
    assert "123" in " ".join(info.value.errors)


def test_expired_cursor(make_api: Any, scratch_emu: Emulator) -> None:
    api = make_api(scratch_emu)
    first = api.list_calls_extensive().first_page()
    assert first.cursor
    scratch_emu.advance_clock(24 * 3600)
    with pytest.raises(CursorExpiredError) as info:
        api.list_calls_extensive(cursor=first.cursor).first_page()
    assert isinstance(info.value, BadRequestError)


def test_not_found(ro_api: Facade) -> None:
    with pytest.raises(NotFoundError) as info:
        ro_api.get_user(user_id="1")
    assert info.value.status == 404
    assert info.value.path == "/v2/users/1" and info.value.method == "GET"


def test_server_error_after_retries_run_out(make_api: Any, scratch_emu: Emulator) -> None:
    api = make_api(scratch_emu, retry=RetryPolicy(max_retries=2))
    scratch_emu.set_faults(Faults(fail_next=["500", "503", "502"]))
    with pytest.raises(ServerError) as info:
        api.list_workspaces().to_list()
    assert info.value.status == 502
    assert [r["status"] for r in api_requests(scratch_emu)] == [500, 503, 502]
    assert len(api.sleeps.calls) == 2


def test_a_page_that_is_not_json_is_an_error_not_an_empty_page(make_api: Any, scratch_emu: Emulator) -> None:
    """A proxy's page with status 200 where Gong's JSON should be: read as an empty page it
    would end a listing early (and a sync would store less, and a reconcile delete more)."""
    api = make_api(scratch_emu)
    first = api.list_calls().first_page()
    assert first.cursor and first.items
    scratch_emu.set_faults(Faults(fail_next=["html"]))
    with pytest.raises(UnreadableResponseError) as info:
        api.list_calls(cursor=first.cursor).first_page()
    assert isinstance(info.value, APIError) and info.value.status == 200
    assert "not JSON (text/html" in str(info.value) and info.value.path == "/v2/calls"
    scratch_emu.set_faults(Faults(fail_next=["html"]))
    with pytest.raises(UnreadableResponseError):  # and a single object too
        api.get_call(call_id=first.items[0].id)


@pytest.mark.parametrize(
    ("header", "seconds"),
    [
        *[("7", 7.0), ("-3", 0.0), ("soon", None), ("1.5e400", None), ("nan", None), ("", None)],
        *[("Wed, 21 Oct 2015 07:28:00 GMT", 0.0), ("Wed, 21 Oct 2015 07:28:00", 0.0), ("Mon, 99 Foo 2015", None)],
    ],
)
def test_an_unreadable_retry_after_is_no_wait_not_a_crash(header: str, seconds: float | None) -> None:
    assert parse_retry_after(header) == seconds


def test_rate_limit_error_carries_retry_after(make_api: Any, scratch_emu: Emulator) -> None:
    api = make_api(scratch_emu, retry=RetryPolicy.none())
    scratch_emu.set_faults(Faults(fail_next=["429"], retry_after=7))
    with pytest.raises(RateLimitError) as info:
        api.get_call(call_id="1")
    assert info.value.status == 429 and info.value.retry_after == 7


def test_transport_error_when_connection_drops(make_api: Any, scratch_emu: Emulator) -> None:
    api = make_api(scratch_emu, retry=RetryPolicy.none())
    scratch_emu.set_faults(Faults(fail_next=["drop"]))
    with pytest.raises(TransportError) as info:
        api.list_workspaces().to_list()
    assert info.value.path == "/v2/workspaces"


def test_transport_error_when_nothing_listens(portal: Any, mode: str) -> None:
    conn = ApiKeyConnection("key", "secret-value", "http://127.0.0.1:9")
    api = build_client(mode, conn, portal, retry=RetryPolicy(max_retries=2))
    try:
        with pytest.raises(TransportError):
            api.list_workspaces().to_list()
    finally:
        close_client(api)
    assert len(api.sleeps.calls) == 2  # connect errors are retried, then reported


def test_daily_budget_fails_clearly_without_sending(make_api: Any, scratch_emu: Emulator) -> None:
    budget = DailyBudget(per_day=3)
    api = make_api(scratch_emu, daily_budget=budget)
    for _ in range(3):
        api.list_workspaces().to_list()
    with pytest.raises(DailyBudgetExceededError) as info:
        api.list_workspaces().to_list()
    assert info.value.limit == 3 and "budget" in str(info.value)
    assert len(api_requests(scratch_emu)) == 3
    assert budget.remaining == 0


def test_daily_budget_resets_next_day() -> None:
    now = [86_400.0 * 100 + 10]
    budget = DailyBudget(per_day=1, clock=lambda: now[0])
    budget.consume()
    with pytest.raises(DailyBudgetExceededError) as info:
        budget.consume()
    assert info.value.resets_at == 86_400.0 * 101
    now[0] = 86_400.0 * 101
    budget.consume()


def test_server_side_daily_limit_is_a_rate_limit_error(make_api: Any, gong_emulator_factory: Any) -> None:
    emu = gong_emulator_factory(rate_limit=RateLimit(per_second=100, per_day=2))
    api = make_api(emu, retry=RetryPolicy.none())
    api.list_workspaces().to_list()
    api.list_workspaces().to_list()
    with pytest.raises(RateLimitError):
        api.list_workspaces().to_list()


def test_other_error_statuses_are_plain_api_errors(ro_api: Facade) -> None:
    with pytest.raises(APIError) as info:
        ro_api.request("/v2/calls", method="PATCH")
    assert type(info.value) is APIError and info.value.status == 405
    assert info.value.errors and info.value.request_id
