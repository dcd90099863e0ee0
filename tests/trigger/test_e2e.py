"""End to end: a rule in the emulator, a call that gets media and is processed, Gong's signed
webhook into the trigger served by uvicorn on loopback, and a handler that fetches the
call's transcript with the typed client. The emulator's clock moves; nothing sleeps."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from gong_connector import ApiKeyConnection, GongClient
from gong_connector._tls import shared_ssl_context
from gong_connector.emulator import Emulator
from gong_connector.trigger import Event, Trigger, TriggerServer, WebhookVerifier

DELAY = 60


@pytest.fixture
def emu(gong_emulator_factory: Callable[..., Emulator]) -> Emulator:
    return gong_emulator_factory(processing_delay=DELAY, calls=5, users=3)


@pytest.fixture
def api(emu: Emulator) -> Iterator[httpx.Client]:
    with httpx.Client(
        base_url=emu.base_url, auth=(emu.access_key, emu.access_key_secret), timeout=30, verify=shared_ssl_context()
    ) as c:
        yield c


def create_call(api: httpx.Client, *, media_url: bool) -> str:
    user = api.get("/v2/users").json()["users"][0]
    body: dict[str, Any] = {
        "clientUniqueId": "crm-e2e-1",
        "actualStart": "2026-11-20T10:00:00Z",
        "title": "Globex | Review",
        "direction": "Outbound",
        "primaryUser": user["id"],
        "duration": 600,
        "parties": [
            {"userId": user["id"], "emailAddress": user["emailAddress"]},
            {"emailAddress": "buyer@globex.example", "name": "Bo Buyer"},
        ],
    }
    if media_url:
        body["downloadMediaUrl"] = "https://media.example/recordings/1.mp3"
    response = api.post("/v2/calls", json=body)
    assert response.status_code in (200, 201), response.text
    call_id = str(response.json()["callId"])
    if not media_url:
        upload = api.put(
            f"/v2/calls/{call_id}/media", files={"mediaFile": ("call.mp3", b"ID3" + b"\0" * 500, "audio/mpeg")}
        )
        assert upload.status_code == 200, upload.text
    return call_id


class TranscriptFetcher:
    """The handler under test: fetches the transcript of each call it is given."""

    def __init__(self, emu: Emulator) -> None:
        self.connection = ApiKeyConnection(emu.access_key, emu.access_key_secret, emu.base_url)
        self.transcripts: dict[str, list[str]] = {}
        self.done = threading.Event()

    def __call__(self, event: Event) -> None:
        with GongClient(self.connection) as gong:
            transcripts = list(gong.get_call_transcripts(call_ids=[event.call_id]))
        self.transcripts[event.call_id] = [s.text or "" for t in transcripts for m in t.transcript for s in m.sentences]
        self.done.set()


@pytest.mark.parametrize("auth,media_url", [("jwt", True), ("jwt", False), ("url_key", False)])
def test_rule_to_webhook_to_handler_to_transcript(
    emu: Emulator, api: httpx.Client, tmp_path: Path, auth: str, media_url: bool
) -> None:
    if auth == "jwt":
        verifier = WebhookVerifier(public_key=emu.webhook_public_key)  # bare base64, as Gong shows it
        query = "rule=Deal%20reviews"
    else:
        verifier = WebhookVerifier(url_key="k3y-from-the-rule-url")
        query = "rule=Deal%20reviews&key=k3y-from-the-rule-url"
    trigger = Trigger(verifier, inbox=f"sqlite:///{tmp_path / 'inbox.db'}")
    fetcher = TranscriptFetcher(emu)
    trigger.on_call("Deal reviews")(fetcher)
    other_rule: list[Event] = []
    trigger.on_call("Something else")(other_rule.append)

    with TriggerServer(trigger) as server:
        emu.add_automation_rule("Deal reviews", f"{server.url}/gong?{query}", auth=auth)
        call_id = create_call(api, media_url=media_url)
        emu.advance_clock(DELAY)
        assert fetcher.done.wait(15), emu.webhook_deliveries(wait=0)
    # Leaving the server waits for the worker to record the outcome.

    assert fetcher.transcripts[call_id], "the handler got a non-empty transcript"
    deliveries = emu.webhook_deliveries()
    assert [(d["callId"], d["status"]) for d in deliveries] == [(call_id, 200)]
    (event,) = trigger.inbox.events()
    assert (event.rule, event.call_id, event.status, event.attempts) == ("Deal reviews", call_id, "done", 1)
    assert other_rule == []
    trigger.inbox.close()


def test_receiver_down_then_up_gets_gongs_retry_stored_once(
    gong_emulator_factory: Callable[..., Emulator], tmp_path: Path
) -> None:
    """A 503 from a failing inbox makes Gong retry; the retry is stored, once."""
    emu = gong_emulator_factory(processing_delay=DELAY, calls=5, users=3)
    trigger = Trigger(WebhookVerifier(public_key=emu.webhook_public_key), inbox=f"sqlite:///{tmp_path / 'i.db'}")
    real_accept = trigger.inbox.accept_many
    failures = [1]

    def flaky_accept(deliveries: Any) -> Any:
        if failures and failures.pop():
            raise OSError("disk full")
        return real_accept(deliveries)

    trigger.inbox.accept_many = flaky_accept  # type: ignore[method-assign]
    with (
        TriggerServer(trigger) as server,
        httpx.Client(base_url=emu.base_url, auth=(emu.access_key, emu.access_key_secret)) as api,
    ):
        emu.add_automation_rule("r", f"{server.url}/?rule=r")
        call_id = create_call(api, media_url=True)
        emu.advance_clock(DELAY)
        deliveries = emu.webhook_deliveries()
    assert [d["status"] for d in deliveries] == [503, 200]
    (event,) = trigger.inbox.events()
    assert (event.call_id, event.deliveries, event.status) == (call_id, 1, "pending")  # no handlers: kept
    trigger.inbox.close()


def test_example_runs_end_to_end(tmp_path: Path) -> None:
    """examples/trigger_app.py --demo: emulator, rule, call, webhook, handler, transcript."""
    import subprocess
    import sys

    example = Path(__file__).resolve().parents[2] / "examples" / "trigger_app.py"
    result = subprocess.run(
        [sys.executable, str(example), "--demo", "--db", f"sqlite:///{tmp_path / 'ex.db'}"],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    assert "-> done" in result.stdout
    assert "sentences, first:" in result.stderr
