"""Answers the real Gong could give that the emulator's own data never holds: text no
database stores, a transcript sent twice, a time without an offset. Each is stored, never a
crash that would stop every later run at the same record."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import httpx
import sqlalchemy as sa

from gong_connector import GongClient
from gong_connector.client import CallTranscript, LibraryCall
from gong_connector.emulator import Emulator
from gong_connector.sync import Batch, Store
from gong_connector.sync._streams import _when, folder_call_row, one_per_call, transcript_rows

from .conftest import run

#: A NUL (PostgreSQL stores none in text or JSON) and half a surrogate pair (no driver
#: encodes one: an emoji cut in half, sent as a ``\\ud83d`` escape).
ODD = "Kickoff\x00 with Ana \ud83d"
MENDED = "Kickoff\ufffd with Ana \ufffd"


def test_text_no_database_stores_is_kept_with_replacement_characters(
    emu: Emulator, client: GongClient, db_url: str
) -> None:
    host = emu.backend.data.users[0]["id"]
    body = {
        "clientUniqueId": "odd-text",
        "actualStart": "2026-01-05T10:00:00Z",
        "direction": "Outbound",
        "primaryUser": host,
        "parties": [{"userId": host}, {"emailAddress": "guest@customer.example", "name": ODD}],
        "title": ODD,
        "downloadMediaUrl": "https://media.example/odd.mp3",
    }
    # As JSON escapes (\u0000, \ud83d), the way another program could have given them to Gong.
    with httpx.Client(base_url=emu.base_url, auth=(emu.access_key, emu.access_key_secret)) as api:
        created = api.post("/v2/calls", content=json.dumps(body), headers={"Content-Type": "application/json"})
    call_id = created.json()["callId"]
    emu.advance_clock(emu.config.processing_delay)
    run(emu, client, db_url, streams="calls", since="2026-01-01")
    store = Store(db_url)
    try:
        calls, parties = store.t("calls"), store.t("call_parties")
        with store.engine.connect() as conn:
            title = conn.execute(sa.select(calls.c.title).where(calls.c.id == call_id)).scalar_one()
            names = set(conn.execute(sa.select(parties.c.name).where(parties.c.call_id == call_id)).scalars())
    finally:
        store.close()
    assert title == MENDED and MENDED in names


def _transcript(call_id: str, *texts: str) -> CallTranscript:
    sentences = [{"start": 1000 * n, "end": 1000 * n + 900, "text": t} for n, t in enumerate(texts)]
    return CallTranscript.from_item({"callId": call_id, "transcript": [{"speakerId": "1", "sentences": sentences}]})


def test_a_transcript_sent_twice_is_stored_once(db_url: str) -> None:
    """On one page or the next: the last one given is the call's transcript."""
    batch = Batch()
    found = [_transcript("7", "first"), _transcript("8", "other"), _transcript("7", "again", "and more")]
    for t in one_per_call(found):
        transcript_rows(t, batch)
    batch.replace.append(("transcript_sentences", "call_id", ["7", "8"]))
    store = Store(db_url)
    try:
        store.write(batch)
        sentences = store.t("transcript_sentences")
        with store.engine.connect() as conn:
            rows = conn.execute(
                sa.select(sentences.c.call_id, sentences.c.text).order_by(
                    sentences.c.call_id, sentences.c.sentence_index
                )
            ).all()
    finally:
        store.close()
    assert [tuple(r) for r in rows] == [("7", "again"), ("7", "and more"), ("8", "other")]


def test_a_time_without_an_offset_is_read_as_utc() -> None:
    naive: Any = datetime(2026, 1, 5, 11, 0)
    assert _when(naive) == datetime(2026, 1, 5, 11, 0, tzinfo=UTC)
    assert _when("next Tuesday") is None


def test_snippet_bounds_sent_as_text_or_with_a_fraction_are_whole_seconds() -> None:
    clip = LibraryCall.from_item({"id": "5", "snippet": {"fromSec": "30.5", "toSec": 95.9}})
    row = folder_call_row("9", 0, clip)
    assert (row["snippet_from_sec"], row["snippet_to_sec"]) == (30, 95)
    odd = folder_call_row("9", 1, LibraryCall.from_item({"id": "5", "snippet": {"fromSec": "soon", "toSec": True}}))
    assert (odd["snippet_from_sec"], odd["snippet_to_sec"]) == (None, None)


def test_a_folder_holding_two_clips_of_one_call_keeps_both(emu: Emulator, client: GongClient, db_url: str) -> None:
    """Gong's library lets a folder hold several clips of one call: each is a row."""
    folder = next(f for f in emu.backend.data.folders if f.calls)
    call_id = emu.backend.data.call_ids.encode(folder.calls[0]["index"])
    emu.add_to_folder(folder.id, call_id, "the pricing part again")
    run(emu, client, db_url, streams="library")
    store = Store(db_url)
    try:
        clips = store.t("library_folder_calls")
        with store.engine.connect() as conn:
            rows = conn.execute(
                sa.select(clips.c.position, clips.c.note)
                .where(clips.c.folder_id == folder.id, clips.c.call_id == call_id)
                .order_by(clips.c.position)
            ).all()
    finally:
        store.close()
    assert len(rows) == 2 and rows[-1].note == "the pricing part again"
