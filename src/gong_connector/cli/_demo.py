"""``gong demo``: the quickstart's main job, on an embedded emulator, through GongClient."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from ..client import GongClient, RetryPolicy
from ..connections import ApiKeyConnection
from ._common import gong_command


@gong_command(connection=False, output=False)
def demo(
    seed: Annotated[int, typer.Option(help="Seed of the emulator's data.")] = 42,
    calls: Annotated[int, typer.Option(help="How many calls to show.", min=1, max=50)] = 5,
) -> None:
    """Start an emulator with demo data and fetch calls, users and a transcript over HTTP."""
    from ..emulator import Emulator, EmulatorConfig, RateLimit  # only this command needs it

    console = Console()
    config = EmulatorConfig(seed=seed, rate_limit=RateLimit.parse("3/s"))
    with Emulator(config) as emulator:
        console.print(f"[bold]Gong emulator[/bold] running at {emulator.base_url} (Gong's 3 requests/s limit on)")
        connection = ApiKeyConnection(emulator.access_key, emulator.access_key_secret, emulator.base_url)
        # The client paces itself at Gong's 3/s and waits out any 429 it still gets.
        with GongClient(connection, retry=RetryPolicy(max_retries=10)) as client:
            # The extensive listing takes no date window (the basic one is capped at 90
            # days) and brings the parties, whose names label the transcript below.
            page = client.list_calls_extensive(content_selector={"exposed_fields": {"parties": True}}).first_page()
            total = page.records.total_records if page.records else len(page.items)
            table = Table(title=f"Calls ({total} in all, first {calls})")
            for column in ("id", "started", "title", "direction", "duration"):
                table.add_column(column)
            shown = [item for item in page.items if item.meta_data is not None and item.meta_data.id]
            for item in shown[:calls]:
                call = item.meta_data
                assert call is not None
                table.add_row(
                    call.id or "",
                    str(call.started or ""),
                    call.title or "",
                    call.direction or "",
                    f"{int(call.duration or 0) // 60} min",
                )
            console.print(table)

            users = client.list_users().first_page()
            total = users.records.total_records if users.records else len(users.items)
            table = Table(title=f"Users ({total} in all, first 5)")
            for column in ("id", "name", "email", "title"):
                table.add_column(column)
            for user in users.items[:5]:
                table.add_row(
                    user.id or "", f"{user.first_name} {user.last_name}", user.email_address or "", user.title or ""
                )
            console.print(table)

            first = shown[0]
            meta = first.meta_data
            assert meta is not None and meta.id is not None
            transcript = client.get_call_transcripts(call_ids=[meta.id]).first_page().items[0]
            speakers = {p.speaker_id: p.name for p in first.parties or [] if p.speaker_id}
            console.print(f"\n[bold]Transcript of[/bold] {meta.title} ({meta.id}), first lines:")
            lines = [(m.speaker_id, s) for m in transcript.transcript for s in m.sentences][:8]
            for speaker_id, sentence in lines:
                seconds = (sentence.start or 0) // 1000
                who = speakers.get(speaker_id, speaker_id) if speaker_id else "?"
                console.print(
                    f"  [dim]{seconds // 60:02d}:{seconds % 60:02d}[/dim] [cyan]{who}[/cyan]: {sentence.text}"
                )
    console.print("\nNext: run [bold]gong emulator serve[/bold] for a long-running local Gong.")
