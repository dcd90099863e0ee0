"""``Emulator.fresh``: what lets the fixtures reuse one server between tests."""

from __future__ import annotations

import httpx

from gong_connector.emulator import Emulator, Faults, RateLimit

from .conftest import assert_gong_error


def test_fresh_forgets_everything_a_test_did(gong_emulator: Emulator, api: httpx.Client) -> None:
    emu = gong_emulator
    user = emu.backend.data.users[3]
    created = api.post(
        "/v2/calls",
        json={
            "clientUniqueId": "x-1",
            "actualStart": "2026-01-01T10:00:00Z",
            "direction": "Inbound",
            "primaryUser": user["id"],
            "parties": [{"userId": user["id"]}],
            "downloadMediaUrl": "https://media.example/x.mp3",
        },
    ).json()["callId"]
    cursor = api.get("/v2/calls").json()["records"]["cursor"]
    token = emu.issue_token()["access_token"]
    emu.add_automation_rule("r", "http://127.0.0.1:9/hook")
    emu.set_faults(Faults(fail_next=["503"]))
    emu.set_rate_limit(RateLimit(per_second=1, per_day=None))
    start = emu.backend.clock.now()
    emu.advance_clock(3600)

    emu.fresh()

    assert emu.backend.created == {} and emu.requests() == []
    assert emu.http.webhooks.rules == {}
    assert emu.backend.clock.now() < start + 60
    assert emu.backend.rate_limiter.limit == RateLimit.off()
    assert [api.get("/v2/workspaces").status_code for _ in range(3)] == [200] * 3  # no fault, no limit
    assert_gong_error(api.get(f"/v2/calls/{created}"), 404)
    assert_gong_error(api.get("/v2/calls", params={"cursor": cursor}), 400, "cursor")
    assert_gong_error(httpx.get(emu.base_url + "/v2/users", headers={"Authorization": f"Bearer {token}"}), 401)
    # The same credentials and data as before.
    assert api.get("/v2/users").json()["users"][3]["id"] == user["id"]
