"""``/healthz`` and Prometheus' ``/metrics``, over real HTTP."""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from gong_connector.errors import StoreError
from gong_connector.trigger import Event, Trigger, TriggerServer

from .conftest import GongSigner, payload


def metric(text: str, name: str) -> float:
    found = re.search(rf"^{re.escape(name)} (\S+)$", text, re.M)
    assert found, f"{name} not in metrics"
    return float(found.group(1))


def test_healthz_follows_the_inbox(make_trigger: Callable[..., Trigger], monkeypatch: pytest.MonkeyPatch) -> None:
    trigger = make_trigger()
    with TriggerServer(trigger) as server, httpx.Client(base_url=server.url, timeout=10) as client:
        assert client.get("/healthz").json() == {"status": "ok"}
        assert client.post("/healthz").status_code == 405

        def down() -> None:
            raise StoreError("cannot connect: connection refused")

        monkeypatch.setattr(trigger.inbox, "ping", down)
        trigger.probe.expire()  # past the one-second cache
        response = client.get("/healthz")
    assert response.status_code == 503 and response.json() == {"status": "inbox unavailable"}


def test_metrics_count_what_happened(
    make_trigger: Callable[..., Trigger], gong_signer: GongSigner, db_url: str
) -> None:
    trigger = make_trigger(db_url)
    ran = threading.Event()

    @trigger.on_call()
    def handler(event: Event) -> None:
        if event.call_id == "2":
            ran.set()

    with TriggerServer(trigger) as server, httpx.Client(base_url=server.url, timeout=10) as client:
        url = f"{server.url}/?rule=r"
        for call_id in ("1", "1", "2"):
            body = payload(call_id)
            assert (
                client.post(url, content=body, headers={"Authorization": gong_signer.token(url, body)}).status_code
                == 200
            )
        assert client.post(url, content=b"{}").status_code == 401
        body = b"[]"
        assert (
            client.post(url, content=body, headers={"Authorization": gong_signer.token(url, body)}).status_code == 400
        )
        assert ran.wait(10)
        text = ""
        for _ in range(100):  # the worker records the attempt just after the handler returns
            trigger.probe.expire()
            response = client.get("/metrics")
            text = response.text
            if metric(text, "gong_trigger_handler_seconds_count") >= 2:
                break
            ran.wait(0.05)
    assert response.headers["content-type"].startswith("text/plain; version=0.0.4")
    assert metric(text, "gong_trigger_events_accepted_total") == 3
    assert metric(text, "gong_trigger_events_duplicate_total") == 1
    assert metric(text, 'gong_trigger_requests_rejected_total{reason="unauthorized"}') == 1
    assert metric(text, 'gong_trigger_requests_rejected_total{reason="malformed"}') == 1
    assert metric(text, "gong_trigger_handler_seconds_count") == 2
    assert metric(text, 'gong_trigger_handler_seconds_bucket{le="+Inf"}') == 2
    assert metric(text, "gong_trigger_events_dead") == 0
    statuses = ("pending", "running", "done")
    assert sum(metric(text, f'gong_trigger_events{{status="{s}"}}') for s in statuses) == 2
    assert metric(text, "gong_trigger_inbox_up") == 1
    assert all(
        line.startswith("#") or re.fullmatch(r"[a-z_]+(\{[^}]*\})? [0-9.e+-]+", line) for line in text.splitlines()
    )


def test_metrics_say_when_the_inbox_is_down(
    make_trigger: Callable[..., Trigger], monkeypatch: pytest.MonkeyPatch
) -> None:
    trigger = make_trigger()

    def down() -> Any:
        raise StoreError("cannot connect")

    monkeypatch.setattr(trigger.inbox, "counts", down)
    with TriggerServer(trigger) as server, httpx.Client(base_url=server.url, timeout=10) as client:
        text = client.get("/metrics").text
    assert metric(text, "gong_trigger_inbox_up") == 0 and "gong_trigger_events_pending" not in text
