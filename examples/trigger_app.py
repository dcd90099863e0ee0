"""Gong Process Automation trigger inside your own Starlette app.

Two rules in Gong call one receiver, each with its own ``rule`` query parameter::

    https://hooks.example.com/gong?rule=Deal%20reviews     (signed JWT header)
    https://hooks.example.com/gong?rule=Churn%20risk

Run it against Gong (key and URL from the rule's page)::

    GONG_WEBHOOK_PUBLIC_KEY=MIIBIjANBgkq... GONG_TRIGGER_PUBLIC_URL=https://hooks.example.com/gong \\
    GONG_ACCESS_KEY=... GONG_ACCESS_KEY_SECRET=... python examples/trigger_app.py

or with no Gong account, against the local emulator, end to end::

    python examples/trigger_app.py --demo

The same handlers also run under the CLI:
``gong trigger serve --handlers examples.trigger_app:handlers --public-key ...``.
"""

from __future__ import annotations

import argparse
import logging
import os
import threading
from typing import Any

import httpx
import uvicorn
from starlette.applications import Starlette
from starlette.responses import PlainTextResponse
from starlette.routing import Route

from gong_connector import GongClient
from gong_connector.trigger import Event, HandlerRegistry, Trigger, TriggerServer, WebhookVerifier

log = logging.getLogger("example")
handlers = HandlerRegistry()
transcribed = threading.Event()  # for the demo: set once a transcript was fetched


@handlers.on_call("Deal reviews")
def fetch_transcript(event: Event) -> None:
    """Runs from the inbox, at least once per call: fetch the transcript Gong just made."""
    meta = event.call_data["metaData"]
    with GongClient.from_env() as gong:
        transcripts = list(gong.get_call_transcripts(call_ids=[event.call_id]))
    sentences = [s.text for t in transcripts for m in t.transcript for s in m.sentences]
    log.info(
        "call %s %r: %d sentences, first: %r",
        event.call_id,
        meta.get("title"),
        len(sentences),
        sentences[0] if sentences else None,
    )
    transcribed.set()


@handlers.on_call()
def audit(event: Event) -> None:
    """Every rule's calls, tests included (``event.is_test``)."""
    log.info(
        "rule %r sent call %s (delivery %d, attempt %d)", event.rule, event.call_id, event.deliveries, event.attempts
    )


def build_trigger(public_key: str, public_url: str | None, db: str) -> Trigger:
    trigger = Trigger(WebhookVerifier(public_key=public_key), inbox=db, public_url=public_url)
    trigger.handlers.extend(handlers)
    return trigger


def build_app(trigger: Trigger) -> Starlette:
    """Your app, with the trigger routed at /gong; its lifespan runs the trigger's worker."""

    async def home(_: Any) -> PlainTextResponse:
        return PlainTextResponse("my app")

    return Starlette(routes=[Route("/", home), Route("/gong", trigger, methods=["POST"])], lifespan=trigger.lifespan)


def demo(db: str) -> None:
    """The whole path on the emulator: rule, call with media, processing, webhook, handler."""
    from gong_connector.emulator import Emulator, EmulatorConfig, RateLimit

    with Emulator(
        EmulatorConfig(rate_limit=RateLimit.off(), processing_delay=60, frozen_clock=True, calls=5, users=3)
    ) as gong:
        os.environ.update(gong.env())  # GongClient.from_env() in the handler reads these
        trigger = build_trigger(gong.webhook_public_key, None, db)
        with TriggerServer(build_app(trigger)) as server:  # uvicorn in a thread, on a free port
            gong.add_automation_rule("Deal reviews", f"{server.url}/gong?rule=Deal%20reviews")
            with httpx.Client(base_url=gong.base_url, auth=(gong.access_key, gong.access_key_secret)) as api:
                user = api.get("/v2/users").json()["users"][0]
                created = api.post(
                    "/v2/calls",
                    json={
                        "clientUniqueId": "example-1",
                        "actualStart": "2026-11-20T10:00:00Z",
                        "title": "Globex | Deal review",
                        "direction": "Outbound",
                        "primaryUser": user["id"],
                        "parties": [{"userId": user["id"]}],
                        "downloadMediaUrl": "https://media.example/1.mp3",
                    },
                )
                created.raise_for_status()
            gong.advance_clock(60)  # Gong processes the call; the rule fires
            if not transcribed.wait(15):
                raise SystemExit("no transcript fetched")
        for event in trigger.inbox.events():
            print(f"event {event.id}: rule {event.rule!r} call {event.call_id} -> {event.status}")


def main() -> None:
    parser = argparse.ArgumentParser(description="A Starlette app with the Gong trigger mounted at /gong.")
    parser.add_argument("--demo", action="store_true", help="run end to end against the local emulator")
    parser.add_argument("--db", default=os.environ.get("GONG_TRIGGER_DB", "sqlite:///gong-trigger.db"))
    parser.add_argument("--port", type=int, default=8000)
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    logging.getLogger("httpx").setLevel(logging.WARNING)
    if args.demo:
        demo(args.db)
        return
    trigger = build_trigger(os.environ["GONG_WEBHOOK_PUBLIC_KEY"], os.environ.get("GONG_TRIGGER_PUBLIC_URL"), args.db)
    # access_log off: request lines carry the query string, where a URL key would be.
    uvicorn.run(build_app(trigger), host="127.0.0.1", port=args.port, access_log=False)


if __name__ == "__main__":
    main()
