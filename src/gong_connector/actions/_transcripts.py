"""Transcripts for reading: ``mm:ss`` stamps, call headings and speaker names.

The command line (a terminal view) and the MCP server (compact text) label transcripts the
same way; only how they fetch the calls' parties differs (blocking or async), so the
labelling is here, once.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from ..client import ExtensiveCall

__all__ = ["clock", "label_calls"]


def clock(ms: object) -> str:
    """``mm:ss`` from milliseconds; minutes go past 59 rather than adding hours."""
    seconds = max(0, int(ms) // 1000) if isinstance(ms, int | float) and not isinstance(ms, bool) else 0
    return f"{seconds // 60:02d}:{seconds % 60:02d}"


def label_calls(calls: Iterable[ExtensiveCall]) -> tuple[dict[str, str], dict[str, str]]:
    """Speaker id to name (from each call's parties) and call id to a heading
    (``Call ID · title · start``), from calls listed with ``exposedFields.parties``."""
    names: dict[str, str] = {}
    headings: dict[str, str] = {}
    for call in calls:
        meta = call.meta_data
        if meta is None or meta.id is None:
            continue
        parts = [f"Call {meta.id}"]
        if meta.title:
            parts.append(" ".join(meta.title.split()))
        if isinstance(meta.started, datetime):
            parts.append(meta.started.isoformat(sep=" ", timespec="minutes"))
        elif meta.started:
            parts.append(str(meta.started))
        headings[meta.id] = " · ".join(parts)
        for party in call.parties or ():
            name = party.name or party.email_address
            if party.speaker_id and name:
                names[party.speaker_id] = name
    return names, headings
