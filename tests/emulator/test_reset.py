"""One reset: ``Emulator.reset()``, ``Emulator.fresh()`` and ``POST /_emulator/reset`` leave the
same state, and it is the state of a new emulator with the same settings.

Everything is observed from outside (the API, the OAuth token endpoint, the admin API and the
media directory), after a test has changed every part of the state there is.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from gong_connector._tls import shared_ssl_context
from gong_connector.emulator import Emulator, EmulatorConfig, Faults, RateLimit

from .conftest import basic_client

SMALL = {"calls": 120, "users": 8, "workspaces": 2}  # more calls than a page: a cursor
DIGITAL = {
    "eventId": "d1",
    "timestamp": "2026-02-01T10:00:00Z",
    "eventType": "page viewed",
    "content": {"contentTitle": "Pricing"},
    "person": {"email": "buyer@example.com"},
}

RESETS: dict[str, Callable[[Emulator], None]] = {
    "Emulator.reset": lambda emu: emu.reset(),
    "Emulator.fresh": lambda emu: emu.fresh(),
    "POST /_emulator/reset": lambda emu: httpx.post(f"{emu.base_url}/_emulator/reset", json={}).raise_for_status(),
}


@dataclass
class Leftovers:
    """What a test could still hold after the reset: ids, a cursor, OAuth secrets."""

    created_call: str
    uploaded_call: str
    meeting: str
    erased_email: str
    cursor: str
    access_token: str
    refresh_token: str
    code: str
    access_call: str
    prospect: str


def change_everything(emu: Emulator) -> Leftovers:
    with basic_client(emu) as api:
        user = api.get("/v2/users").json()["users"][1]
        cursor = api.get("/v2/calls").json()["records"]["cursor"]
        access_call = api.get("/v2/calls").json()["calls"][3]["id"]
        access = {"callAccessList": [{"callId": access_call, "userIds": [user["id"]]}]}
        assert api.put("/v2/calls/users-access", json=access).status_code == 200
        crm = api.get("/v2/crm/integrations").json()["integrations"][0]["integrationId"]
        where = {"integrationId": crm, "objectType": "LEAD"}
        fields = api.get("/v2/crm/entity-schema", params=where).json()["objectTypeToSelectedFields"]["LEAD"]
        extra = {"uniqueName": "source", "label": "Source", "type": "STRING"}
        assert api.post("/v2/crm/entity-schema", params=where, json=[*fields, extra]).status_code == 201
        deleting = api.delete("/v2/crm/integrations", params={"integrationId": crm, "clientRequestId": "gone"})
        assert deleting.status_code == 201
        flows = api.get("/v2/flows", params={"flowOwnerEmail": user["emailAddress"]}).json()["flows"]
        flow = next(f["id"] for f in flows if not f["exclusive"])
        data = emu.backend.data
        prospect = next(
            c.crm_id
            for c in map(data.contact, reversed(range(data.n_contacts)))
            if not api.post("/v2/flows/prospects", json={"crmProspectsIds": [c.crm_id]}).json()["prospectsAssigned"]
        )
        assign = {"crmProspectsIds": [prospect], "flowId": flow, "flowInstanceOwnerEmail": user["emailAddress"]}
        assert api.post("/v2/flows/prospects/assign", json=assign).json()["prospectsAssigned"]
        workspace = api.get("/v2/workspaces").json()["workspaces"][0]["id"]
        profile = {"name": "Temp", "libraryFolderAccess": {"permissionLevel": "all"}}
        assert api.post("/v2/permission-profile", params={"workspaceId": workspace}, json=profile).status_code == 200
        seeded = api.get("/v2/all-permission-profiles", params={"workspaceId": workspace}).json()["profiles"][0]
        renamed = api.put("/v2/permission-profile", params={"profileId": seeded["id"]}, json={"name": "Owners"})
        assert renamed.status_code == 200
        assert api.post("/v2/digital-interaction", json=DIGITAL).status_code == 200
        origins = {"integrationTypeSettings": [{"integrationType": "DIALER", "allowedOrigin": "https://a.example"}]}
        assert api.post("/v2/integration-settings", json=origins).status_code == 200
        emu.add_automation_rule("everything", "http://127.0.0.1:9/hook")  # deliveries fail and are logged
        call = {
            "actualStart": "2026-01-05T10:00:00Z",
            "direction": "Outbound",
            "primaryUser": user["id"],
            "parties": [{"userId": user["id"]}, {"emailAddress": "buyer@example.com"}],
        }
        created = api.post("/v2/calls", json={**call, "clientUniqueId": "a", "downloadMediaUrl": "https://m/a"})
        uploaded = api.post("/v2/calls", json={**call, "clientUniqueId": "b"}).json()["callId"]
        put = api.put(f"/v2/calls/{uploaded}/media", files={"mediaFile": ("b.mp3", b"x" * 100, "audio/mpeg")})
        assert put.status_code == 200, put.text
        meeting = api.post(
            "/v2/meetings",
            json={
                "startTime": "2026-02-01T10:00:00Z",
                "endTime": "2026-02-01T11:00:00Z",
                "organizerEmail": user["emailAddress"],
                "invitees": [{"email": "buyer@example.com"}],
            },
        ).json()["meetingId"]
        event = {"reportingSystem": "crm", "eventTimestamp": "2026-02-01T10:00:00Z", "eventId": "e1"}
        assert api.put("/v2/customer-engagement/action", json=event).status_code == 200
        extensive = api.post(
            "/v2/calls/extensive", json={"filter": {}, "contentSelector": {"exposedFields": {"parties": True}}}
        )
        outsider = next(
            p["emailAddress"]
            for c in extensive.json()["calls"]
            for p in c["parties"]
            if p["affiliation"] == "External" and p["emailAddress"]
        )
        erased = api.post("/v2/data-privacy/erase-data-for-email-address", params={"emailAddress": outsider})
        assert erased.status_code == 200
        folders = api.get("/v2/library/folders").json()["folders"]
        emu.advance_clock(emu.config.processing_delay + 1)  # processed: listed, webhooks sent
        emu.add_to_folder(folders[0]["id"], created.json()["callId"], "kept?")
        assert emu.webhook_deliveries(wait=10)
    token = emu.issue_token()
    code = emu.approve()
    with httpx.Client(base_url=emu.base_url, verify=shared_ssl_context()) as raw:
        token_url = "/oauth2/generate-customer-token"
        client = emu.oauth_client
        first = emu.issue_token()["refresh_token"]
        used = raw.post(
            token_url,
            params={"grant_type": "refresh_token", "refresh_token": first},
            auth=(client.client_id, client.client_secret),
        )
        assert used.status_code == 200
    emu.set_rate_limit(RateLimit(per_second=1000, per_day=5000))
    emu.set_faults(Faults(fail_next=["503"]))
    with basic_client(emu) as api:
        assert api.get("/v2/workspaces").status_code == 503  # one fault injected
    emu.set_faults(Faults(error_rate=1.0))
    emu.advance_clock(7200)
    return Leftovers(
        created_call=created.json()["callId"],
        uploaded_call=uploaded,
        meeting=meeting,
        erased_email=outsider,
        cursor=cursor,
        access_token=token["access_token"],
        refresh_token=first,
        code=code,
        access_call=access_call,
        prospect=prospect,
    )


def observe(emu: Emulator, left: Leftovers) -> dict[str, Any]:
    """The state as a client and a test see it; the same for every emulator of these settings."""
    seen: dict[str, Any] = {}
    with httpx.Client(base_url=f"{emu.base_url}/_emulator", verify=shared_ssl_context()) as admin:
        seen["requests"] = admin.get("/requests").json()  # first: observing adds requests
        state = admin.get("/state").json()
        del state["clock"]  # checked below, against real time
        seen["state"] = state
        clock = admin.get("/clock").json()
        seen["clock near real time"] = abs(clock["now"] - time.time()) < 60
        seen["clock frozen"] = clock["frozen"]
        seen["faults"] = admin.get("/faults").json()
        seen["rules"] = admin.get("/automation-rules").json()
        seen["deliveries"] = admin.get("/webhooks/deliveries").json()
    media_dir = emu.config.media_dir
    assert media_dir is not None
    seen["media files"] = sorted(p.name for p in media_dir.iterdir())
    with basic_client(emu) as api:
        seen["workspaces"] = [api.get("/v2/workspaces").status_code for _ in range(4)]  # no fault, no limit
        seen["calls"] = [c["id"] for c in api.get("/v2/calls").json()["calls"]]
        seen["created call"] = api.get(f"/v2/calls/{left.created_call}").status_code
        seen["uploaded call"] = api.get(f"/v2/calls/{left.uploaded_call}").status_code
        seen["old cursor"] = api.get("/v2/calls", params={"cursor": left.cursor}).json()["errors"]
        for name, email in (("buyer", "buyer@example.com"), ("erased", left.erased_email)):
            found = api.get("/v2/data-privacy/data-for-email-address", params={"emailAddress": email})
            seen[name] = found.json() | {"requestId": None}
        folders = api.get("/v2/library/folders").json()["folders"]
        first = api.get("/v2/library/folder-content", params={"folderId": folders[0]["id"]}).json()
        seen["folder"] = first | {"requestId": None}
        seen["meeting"] = api.delete(f"/v2/meetings/{left.meeting}").status_code
        access = api.post("/v2/calls/users-access", json={"filter": {"callIds": [left.access_call]}})
        seen["access"] = access.json()["callAccessList"]
        integrations = api.get("/v2/crm/integrations").json()["integrations"]
        seen["crm"] = integrations
        status = {"integrationId": integrations[0]["integrationId"], "clientRequestId": "gone"}
        seen["crm request"] = api.get("/v2/crm/request-status", params=status).status_code
        where = {"integrationId": integrations[0]["integrationId"], "objectType": "LEAD"}
        seen["crm schema"] = api.get("/v2/crm/entity-schema", params=where).json()["objectTypeToSelectedFields"]
        flows = api.post("/v2/flows/prospects", json={"crmProspectsIds": [left.prospect]})
        seen["flows"] = flows.json()["prospectsAssigned"]
        workspace = api.get("/v2/workspaces").json()["workspaces"][0]["id"]
        listed = api.get("/v2/all-permission-profiles", params={"workspaceId": workspace}).json()["profiles"]
        seen["profiles"] = [p["name"] for p in listed]
        seen["digital again"] = api.post("/v2/digital-interaction", json=DIGITAL).status_code
        event = {"reportingSystem": "crm", "eventTimestamp": "2026-02-01T10:00:00Z", "eventId": "e1"}
        seen["event again"] = api.put("/v2/customer-engagement/action", json=event).status_code
    with httpx.Client(base_url=emu.base_url, verify=shared_ssl_context()) as raw:
        bearer = {"Authorization": f"Bearer {left.access_token}"}
        seen["old access token"] = raw.get("/v2/users", headers=bearer).status_code
        client = (emu.oauth_client.client_id, emu.oauth_client.client_secret)
        token_url = "/oauth2/generate-customer-token"
        refresh = raw.post(
            token_url, params={"grant_type": "refresh_token", "refresh_token": left.refresh_token}, auth=client
        )
        seen["old refresh token"] = refresh.json()
        code = raw.post(
            token_url,
            params={"grant_type": "authorization_code", "code": left.code, "redirect_uri": "http://127.0.0.1/callback"},
            auth=client,
        )
        seen["old code"] = code.json()
    return seen


@pytest.mark.parametrize("reset", list(RESETS))
def test_every_reset_leaves_the_state_of_a_new_emulator(
    gong_emulator_factory: Callable[..., Emulator], reset: str
) -> None:
    used = gong_emulator_factory(**SMALL)
    left = change_everything(used)
    RESETS[reset](used)
    after = observe(used, left)

    settings = EmulatorConfig(**SMALL, rate_limit=RateLimit.off(), frozen_clock=True)
    with Emulator(settings, webhook_retry_delays=(0.05, 0.1)) as new:  # as the fixtures make them
        assert after == observe(new, left)
    # What "the state of a new emulator" means here, spelled out:
    assert after["requests"] == {"requests": []}
    assert after["rules"] == {"rules": []} and after["deliveries"] == {"deliveries": []}
    assert after["faults"]["injected"] == 0 and after["faults"]["faults"]["error_rate"] == 0.0
    assert after["state"]["createdCalls"] == 0 and after["state"]["mediaFiles"] == 0
    assert after["state"]["requestsToday"] == 0 and after["state"]["rateLimit"] == {"perSecond": None, "perDay": None}
    assert after["clock near real time"] and after["clock frozen"] is True
    assert after["media files"] == []
    assert after["workspaces"] == [200] * 4
    assert after["created call"] == after["uploaded call"] == 404
    assert after["old cursor"] == ["cursor is invalid"]
    assert after["buyer"]["calls"] == [] and after["buyer"]["customerEngagement"] == []
    assert after["erased"]["calls"] and after["erased"]["customerData"]
    assert after["meeting"] == 404 and after["event again"] == 200
    assert after["state"]["callsWithAccessChanged"] == 0
    assert len(after["crm"]) == 1 and after["crm request"] == 400
    assert "source" not in {f["uniqueName"] for f in after["crm schema"]["LEAD"]}
    assert after["flows"] == [] and after["state"]["prospectsAssignedThroughTheApi"] == 0
    assert after["profiles"] == ["Administrator", "Manager", "Read Only", "Sales Rep"]
    assert after["digital again"] == 200 and after["state"]["integrationSettings"] == {}
    assert after["old access token"] == 401
    assert after["old refresh token"]["error"] == "invalid_grant"
    assert after["old code"]["error"] == "invalid_grant"


def test_reset_paths_agree_on_settings_changes(gong_emulator_factory: Callable[..., Emulator]) -> None:
    """``reset(seed=...)`` in Python and over HTTP make the same company; later resets keep it."""
    one, two = gong_emulator_factory(**SMALL), gong_emulator_factory(**SMALL)
    one.reset(seed=5, calls=12)
    httpx.post(f"{two.base_url}/_emulator/reset", json={"seed": 5, "calls": 12}).raise_for_status()
    one.reset()
    httpx.post(f"{two.base_url}/_emulator/reset", json={}).raise_for_status()
    with basic_client(one) as a, basic_client(two) as b:
        assert a.get("/v2/calls").json()["calls"] == b.get("/v2/calls").json()["calls"]
        assert a.get("/v2/calls").json()["records"]["totalRecords"] == 12
    one.fresh()  # back to the settings it started with
    with basic_client(one) as a:
        assert a.get("/v2/calls").json()["records"]["totalRecords"] == SMALL["calls"]
