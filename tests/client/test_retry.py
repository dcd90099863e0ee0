"""Retries under injected faults: which requests are repeated, after which delays.

Sleeps are recorded by the injected sleep, never waited out.
"""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from gong_connector import RateLimitError, RetryPolicy, ServerError, TransportError
from gong_connector.client import (
    AnyErrorRetry,
    ExponentialBackoff,
    FixedDelay,
    RetryContext,
)
from gong_connector.emulator import Emulator, Faults

from .conftest import api_requests

NO_JITTER = RetryPolicy(backoff=ExponentialBackoff(base=0.5, factor=2.0, jitter=0.0))
MEETING = {
    "start_time": "2026-12-01T10:00:00Z",
    "end_time": "2026-12-01T10:30:00Z",
    "invitees": ["buyer@customer.example"],
}


def statuses(emu: Emulator) -> list[int | None]:
    return [r["status"] for r in api_requests(emu)]


def test_get_survives_503_429_and_a_dropped_connection(make_api: Any, scratch_emu: Emulator) -> None:
    api = make_api(scratch_emu, retry=NO_JITTER)
    scratch_emu.set_faults(Faults(fail_next=["503", "429", "drop"], retry_after=2))
    workspaces = api.list_workspaces().to_list()
    assert workspaces
    assert api.sleeps.calls == [0.5, 2, 2.0]  # backoff, Retry-After, backoff
    assert statuses(scratch_emu)[:2] == [503, 429] and statuses(scratch_emu)[-1] == 200


def test_read_only_posts_are_retried(make_api: Any, scratch_emu: Emulator) -> None:
    api = make_api(scratch_emu, retry=NO_JITTER)
    scratch_emu.set_faults(Faults(fail_next=["500"]))
    assert api.list_calls_extensive().first_page().items
    scratch_emu.set_faults(Faults(fail_next=["502"]))
    ids = [c.meta_data.id for c in api.list_calls_extensive().first_page().items[:2]]
    assert api.get_call_transcripts(call_ids=ids).to_list()
    assert statuses(scratch_emu).count(200) == 3


def test_create_call_is_retried_because_gong_deduplicates(make_api: Any, scratch_emu: Emulator) -> None:
    api = make_api(scratch_emu, retry=NO_JITTER)
    user = api.list_users().first_page().items[0]
    scratch_emu.set_faults(Faults(fail_next=["503"]))
    created = api.create_call(
        client_unique_id=f"retry-{uuid.uuid4()}",
        primary_user=user.id,
        parties=[{"user_id": user.id}],
        direction="Inbound",
        actual_start="2026-11-01T10:00:00Z",
    )
    assert created.call_id
    posts = [r["status"] for r in api_requests(scratch_emu) if r["path"] == "/v2/calls"]
    assert posts == [503, 200]


def test_unsafe_post_is_not_retried_after_a_5xx(make_api: Any, scratch_emu: Emulator) -> None:
    api = make_api(scratch_emu, retry=NO_JITTER)
    organizer = api.list_users().first_page().items[0].email_address
    scratch_emu.clear_requests()
    scratch_emu.set_faults(Faults(fail_next=["503"]))
    with pytest.raises(ServerError):
        api.create_meeting(organizer_email=organizer, **MEETING)
    assert statuses(scratch_emu) == [503]
    assert api.sleeps.calls == []


def test_unsafe_post_is_not_retried_after_a_drop(make_api: Any, scratch_emu: Emulator) -> None:
    api = make_api(scratch_emu, retry=NO_JITTER)
    scratch_emu.set_faults(Faults(fail_next=["drop"]))
    with pytest.raises(TransportError):
        api.erase_email_data(email_address="someone@customer.example")
    assert api.sleeps.calls == []


def test_unsafe_post_is_retried_after_a_429(make_api: Any, scratch_emu: Emulator) -> None:
    api = make_api(scratch_emu, retry=NO_JITTER)
    organizer = api.list_users().first_page().items[0].email_address
    scratch_emu.clear_requests()
    scratch_emu.set_faults(Faults(fail_next=["429"], retry_after=3))
    assert api.create_meeting(organizer_email=organizer, **MEETING).meeting_id
    assert statuses(scratch_emu) == [429, 200]
    assert api.sleeps.calls == [3]


def test_random_fault_storm_is_absorbed(make_api: Any, scratch_emu: Emulator) -> None:
    api = make_api(scratch_emu, retry=RetryPolicy(max_retries=10))
    scratch_emu.set_faults(Faults(error_rate=0.3, drop_rate=0.1, seed=7))
    for _ in range(15):
        assert api.list_workspaces().to_list()
    assert any(s is not None and s >= 500 for s in statuses(scratch_emu))


def test_retry_after_above_the_cap_is_not_waited(make_api: Any, scratch_emu: Emulator) -> None:
    api = make_api(scratch_emu, retry=RetryPolicy(max_retry_after=5))
    scratch_emu.set_faults(Faults(fail_next=["429"], retry_after=60))
    with pytest.raises(RateLimitError) as info:
        api.list_workspaces().to_list()
    assert info.value.retry_after == 60 and api.sleeps.calls == []


# ----------------------------------------------------------------------------- raw request


def test_raw_request_defaults_do_not_retry(make_api: Any, scratch_emu: Emulator) -> None:
    api = make_api(scratch_emu)
    scratch_emu.set_faults(Faults(fail_next=["503"]))
    with pytest.raises(ServerError):
        api.request("/v2/workspaces")
    assert statuses(scratch_emu) == [503]


def test_raw_request_fixed_delay_retries(make_api: Any, scratch_emu: Emulator) -> None:
    api = make_api(scratch_emu)
    scratch_emu.set_faults(Faults(fail_next=["503", "drop"]))
    response = api.request("/v2/workspaces", max_retry_count=2, retry_delay_ms=250)
    assert response.status_code == 200 and response.data["workspaces"]
    assert api.sleeps.calls == [0.25, 0.25]


def test_raw_request_429_needs_retry_on_all_errors(make_api: Any, scratch_emu: Emulator) -> None:
    api = make_api(scratch_emu)
    scratch_emu.set_faults(Faults(fail_next=["429"], retry_after=1))
    with pytest.raises(RateLimitError):
        api.request("/v2/workspaces", max_retry_count=3)
    scratch_emu.set_faults(Faults(fail_next=["429"], retry_after=1))
    ok = api.request("/v2/workspaces", max_retry_count=3, retry_on_all_errors=True)
    assert ok.status_code == 200 and api.sleeps.calls == [1]


def test_raw_request_exponential_backoff_ignores_fixed_delay(make_api: Any, scratch_emu: Emulator) -> None:
    api = make_api(scratch_emu)
    scratch_emu.set_faults(Faults(fail_next=["500", "500", "500"]))
    ok = api.request("/v2/workspaces", max_retry_count=3, retry_delay_ms=10_000, use_exponential_backoff=True)
    assert ok.status_code == 200
    assert len(api.sleeps.calls) == 3 and all(s < 10 for s in api.sleeps.calls)


# ----------------------------------------------------------------------------- the policy


def test_policy_is_data() -> None:
    policy = RetryPolicy(max_retries=3, backoff=ExponentialBackoff(base=1, jitter=0))
    assert policy.next_delay(RetryContext(0, True, status=503)) == 1
    assert policy.next_delay(RetryContext(2, True, status=503)) == 4
    assert policy.next_delay(RetryContext(3, True, status=503)) is None
    assert policy.next_delay(RetryContext(0, False, status=503)) is None
    assert policy.next_delay(RetryContext(0, False, status=429, retry_after=9)) == 9
    assert policy.next_delay(RetryContext(0, False, error="connect")) == 1
    assert policy.next_delay(RetryContext(0, False, error="transport")) is None
    assert policy.next_delay(RetryContext(0, True, error="transport")) == 1
    assert policy.next_delay(RetryContext(0, True, status=404)) is None
    assert RetryPolicy.none().next_delay(RetryContext(0, True, status=503)) is None
    everything = RetryPolicy(handlers=(AnyErrorRetry(),), backoff=FixedDelay(0.1))
    assert everything.next_delay(RetryContext(0, False, status=404)) == 0.1


def test_backoff_jitter_stays_within_bounds() -> None:
    backoff = ExponentialBackoff(base=1, factor=2, max_delay=8, jitter=0.5)
    for attempt, ceiling in [(0, 1), (1, 2), (2, 4), (3, 8), (10, 8)]:
        assert backoff.delay(attempt, lambda: 0.0) == ceiling
        assert backoff.delay(attempt, lambda: 0.999) == pytest.approx(ceiling * 0.5005)
