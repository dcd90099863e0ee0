"""Same seed, same answers: every read of the operations added with the whole API is a pure
function of the settings; another seed gives another company."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta
from typing import Any
from zoneinfo import ZoneInfo

import httpx

from gong_connector.emulator import Emulator
from gong_connector.emulator._ids import new_request_id

from .conftest import basic_client

SMALL = {"calls": 150, "users": 10, "workspaces": 2}
Factory = Callable[..., Emulator]
JSON = dict[str, Any]


def without_request_id(response: httpx.Response) -> Any:
    assert response.status_code == 200, response.text
    body = response.json()
    body.pop("requestId", None)
    return body


def snapshot(emu: Emulator) -> JSON:
    """What a client reads from every operation that reads, cursors left out (they are signed per run)."""
    end = emu.config.anchor.astimezone(ZoneInfo("America/Los_Angeles")).date() + timedelta(days=1)
    window = {"filter": {"fromDate": str(end - timedelta(days=30)), "toDate": str(end)}}
    seen: JSON = {}
    with basic_client(emu) as api:
        users = api.get("/v2/users").json()["users"]
        manager = next(u for u in users if u["managerId"])["managerId"]
        workspace = api.get("/v2/workspaces").json()["workspaces"][0]["id"]
        calls = [c["id"] for c in api.get("/v2/calls").json()["calls"]]
        crm = api.get("/v2/crm/integrations").json()["integrations"][0]["integrationId"]
        reads: dict[str, httpx.Response] = {
            "users extensive": api.post("/v2/users/extensive", json={"filter": {}}),
            "settings history": api.get(f"/v2/users/{users[3]['id']}/settings-history"),
            "scorecards": api.get("/v2/settings/scorecards"),
            "trackers": api.get("/v2/settings/trackers"),
            "answered": api.post("/v2/stats/activity/scorecards", json={"filter": {}}),
            "day by day": api.post("/v2/stats/activity/day-by-day", json=window),
            "aggregate": api.post("/v2/stats/activity/aggregate", json=window),
            "by period": api.post(
                "/v2/stats/activity/aggregate-by-period", json={**window, "aggregationPeriod": "WEEK"}
            ),
            "interaction": api.post("/v2/stats/interaction", json=window),
            "coaching": api.get(
                "/v2/coaching",
                params={
                    "workspace-id": workspace,
                    "manager-id": manager,
                    "from": "2000-01-01T00:00:00Z",
                    "to": "2100-01-01T00:00:00Z",
                },
            ),
            "associations": api.get("/v2/calls/manual-crm-associations"),
            "access": api.post("/v2/calls/users-access", json={"filter": {"callIds": calls}}),
            "crm": api.get("/v2/crm/integrations"),
            "schema": api.get("/v2/crm/entity-schema", params={"integrationId": crm}),
            "flows": api.get("/v2/flows", params={"flowOwnerEmail": users[5]["emailAddress"]}),
            "profiles": api.get("/v2/all-permission-profiles", params={"workspaceId": workspace}),
            "status": api.post("/v2/meetings/integration/status", json={"emails": [u["emailAddress"] for u in users]}),
        }
        for name, response in reads.items():
            body = without_request_id(response)
            body.get("records", {}).pop("cursor", None)
            seen[name] = body
        profile = seen["profiles"]["profiles"][0]["id"]
        seen["profile users"] = without_request_id(
            api.get("/v2/permission-profile/users", params={"profileId": profile})
        )
    return seen


def test_same_seed_same_answers_other_seed_other_answers(gong_emulator_factory: Factory) -> None:
    one, two = snapshot(gong_emulator_factory(**SMALL)), snapshot(gong_emulator_factory(**SMALL))
    other = snapshot(gong_emulator_factory(**SMALL, seed=7))
    assert one == two
    differ = {name for name in one if one[name] != other[name]}
    # The seed changes everything generated; only fixed settings read alike.
    assert differ >= set(one) - {"status", "crm", "schema"}


def test_request_ids_are_random_19_letters_and_digits() -> None:
    """The one thing in an answer that is not a function of the settings (Gong's form)."""
    ids = [new_request_id() for _ in range(2000)]
    assert all(re.fullmatch(r"[a-z0-9]{19}", i) for i in ids)
    assert len(set(ids)) == len(ids)
    assert set("".join(ids)) == set("abcdefghijklmnopqrstuvwxyz0123456789")
