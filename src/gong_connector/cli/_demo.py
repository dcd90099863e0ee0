"""``gong demo``: the quickstart's main job, on an embedded emulator, through GongClient."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

import typer
from rich.text import Text

from ..actions import clock
from ..client import ContentSelector, ExtensiveCall, GongClient, RetryPolicy
from ..connections import ApiKeyConnection
from ._common import gong_command, out, print_table


def _started(call: ExtensiveCall) -> float:
    """When a call started, for sorting (unknown: oldest)."""
    meta = call.meta_data
    started = meta.started if meta is not None else None
    return started.timestamp() if isinstance(started, datetime) else float("-inf")


@gong_command(connection=False, output=False)
def demo(
    seed: Annotated[int, typer.Option(help="Seed of the emulator's data.")] = 42,
    calls: Annotated[int, typer.Option(help="How many calls to show.", min=1, max=50)] = 5,
) -> None:
    """Start an emulator with demo data and fetch calls, users and a transcript over HTTP."""
    from ..emulator import Emulator, EmulatorConfig, RateLimit  # only this command needs it

    config = EmulatorConfig(seed=seed, rate_limit=RateLimit.parse("3/s"))
    with Emulator(config) as emulator:
        out.print(Text.assemble(("Gong emulator", "bold"), f" running at {emulator.base_url} (Gong's 3 requests/s on)"))
        connection = ApiKeyConnection(emulator.access_key, emulator.access_key_secret, emulator.base_url)
        # The client paces itself at Gong's 3/s and waits out any 429 it still gets.
        with GongClient(connection, retry=RetryPolicy(max_retries=10)) as client:
            _show(client, calls)
    out.print(
        Text.assemble(
            "\nNext: ",
            ("gong emulator serve", "bold"),
            " for a long-running local Gong; it prints the variables to export.",
        )
    )


def _show(client: GongClient, count: int) -> None:
    # The extensive listing takes no date window (the basic one is capped at 90 days) and
    # brings the parties, whose names label the transcript below.
    selector = ContentSelector(exposed_fields={"parties": True})
    every = [c for c in client.list_calls_extensive(content_selector=selector) if c.meta_data and c.meta_data.id]
    newest = sorted(every, key=_started, reverse=True)[:count]
    rows: list[tuple[Any, ...]] = []
    for item in newest:
        call = item.meta_data
        assert call is not None
        started = call.started.isoformat(sep=" ", timespec="minutes") if isinstance(call.started, datetime) else ""
        rows.append((call.id, started, call.title, call.direction, f"{int(call.duration or 0) // 60} min"))
    title = f"Calls ({len(every)} in all, newest {len(rows)} first)"
    print_table(rows, ("id", "started", "title", "direction", "duration"), title=title)

    users = client.list_users().first_page()
    total = users.records.total_records if users.records else len(users.items)
    user_rows = [(u.id, f"{u.first_name} {u.last_name}", u.email_address, u.title) for u in users.items[:5]]
    print_table(user_rows, ("id", "name", "email", "title"), title=f"Users ({total} in all, first 5)")

    if not newest:
        return
    first = newest[0]
    meta = first.meta_data
    assert meta is not None and meta.id is not None
    transcript = client.get_call_transcripts(call_ids=[meta.id]).first_page().items
    speakers = {p.speaker_id: p.name for p in first.parties or [] if p.speaker_id and p.name}
    out.print(Text.assemble("\n", ("Transcript of", "bold"), f" {meta.title} ({meta.id}), first lines:"))
    lines = [(m.speaker_id, s) for t in transcript[:1] for m in t.transcript for s in m.sentences][:8]
    for speaker_id, sentence in lines:
        who = speakers.get(speaker_id, f"Speaker {speaker_id}") if speaker_id else "?"
        out.print(Text.assemble("  ", (clock(sentence.start), "dim"), " ", (who, "cyan"), f": {sentence.text}"))
