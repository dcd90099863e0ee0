"""``gong demo``: the quickstart's main job, on an embedded emulator."""

from __future__ import annotations

from typing import Annotated, Any

import httpx
import typer
from rich.console import Console
from rich.table import Table

from ..emulator import Emulator, EmulatorConfig, RateLimit


def demo(
    seed: Annotated[int, typer.Option(help="Seed of the emulator's data.")] = 42,
    calls: Annotated[int, typer.Option(help="How many calls to show.", min=1, max=50)] = 5,
) -> None:
    """Start an emulator with demo data and fetch calls, users and a transcript over HTTP."""
    console = Console()
    config = EmulatorConfig(seed=seed, rate_limit=RateLimit.parse("3/s"))
    with Emulator(config) as emulator:
        console.print(f"[bold]Gong emulator[/bold] running at {emulator.base_url} (Gong's 3 requests/s limit on)")
        with httpx.Client(base_url=emulator.base_url, auth=(emulator.access_key, emulator.access_key_secret),
                          timeout=30) as http:
            def get(method: str, path: str, **kw: Any) -> dict[str, Any]:
                for _ in range(10):
                    response = http.request(method, path, **kw)
                    if response.status_code != 429:
                        break
                    import time

                    time.sleep(float(response.headers.get("Retry-After", "1")))
                response.raise_for_status()
                result: dict[str, Any] = response.json()
                return result

            listing = get("GET", "/v2/calls")
            table = Table(title=f"Calls ({listing['records']['totalRecords']} in all, first {calls})")
            for column in ("id", "started", "title", "direction", "duration"):
                table.add_column(column)
            for call in listing["calls"][:calls]:
                table.add_row(call["id"], call["started"], call["title"], call["direction"],
                              f"{call['duration'] // 60} min")
            console.print(table)

            users = get("GET", "/v2/users")
            table = Table(title=f"Users ({users['records']['totalRecords']} in all, first 5)")
            for column in ("id", "name", "email", "title"):
                table.add_column(column)
            for user in users["users"][:5]:
                table.add_row(user["id"], f"{user['firstName']} {user['lastName']}", user["emailAddress"],
                              user["title"] or "")
            console.print(table)

            first = listing["calls"][0]
            transcripts = get("POST", "/v2/calls/transcript", json={"filter": {"callIds": [first["id"]]}})
            extensive = get("POST", "/v2/calls/extensive", json={
                "filter": {"callIds": [first["id"]]}, "contentSelector": {"exposedFields": {"parties": True}}})
            speakers = {p["speakerId"]: p["name"] for p in extensive["calls"][0].get("parties", [])}
            console.print(f"\n[bold]Transcript of[/bold] {first['title']} ({first['id']}), first lines:")
            shown = 0
            for monologue in transcripts["callTranscripts"][0]["transcript"]:
                for sentence in monologue["sentences"]:
                    seconds = sentence["start"] // 1000
                    who = speakers.get(monologue["speakerId"], monologue["speakerId"])
                    console.print(f"  [dim]{seconds // 60:02d}:{seconds % 60:02d}[/dim] [cyan]{who}[/cyan]: "
                                  f"{sentence['text']}")
                    shown += 1
                    if shown >= 8:
                        break
                if shown >= 8:
                    break
    console.print("\nNext: run [bold]gong emulator serve[/bold] for a long-running local Gong.")
