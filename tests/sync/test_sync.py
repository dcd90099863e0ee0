"""The sync against a rate-limited emulator: exact, incremental, and with the fewest requests."""

from __future__ import annotations

import math
from datetime import UTC, date, datetime, timedelta
from typing import Any

import sqlalchemy as sa

from gong_connector import GongClient
from gong_connector.emulator import Emulator
from gong_connector.emulator._dataset import CallRecord, transcript
from gong_connector.sync import LOG_TYPES, PAGE_SIZE, Store, sync

from .conftest import count_paths, run, snapshot
from .test_coaching import coaching_minimum


def minimum_requests(emu: Emulator) -> int:
    """The fewest requests Gong allows for the whole data set: full pages everywhere."""
    d = emu.backend.data

    def pages(n: int) -> int:
        return max(1, math.ceil(n / emu.config.page_size))

    return (
        1
        + pages(len(d.users))
        + pages(d.n_calls)
        + math.ceil(d.n_calls / PAGE_SIZE)
        + 1
        + len(d.folders)
        + len(LOG_TYPES) * pages(d.n_logs)
    )


def test_full_sync_is_exactly_the_emulators_data(emu: Emulator, client: GongClient, db_url: str) -> None:
    now = emu.backend.clock.now_dt()
    result = run(emu, client, db_url)
    d = emu.backend.data
    store = Store(db_url)
    counts = store.counts()
    assert counts["workspaces"] == len(d.workspaces)
    assert counts["users"] == len(d.users)
    assert counts["calls"] == d.n_calls
    assert counts["transcripts"] == d.n_calls
    assert counts["library_folders"] == len(d.folders)
    assert counts["library_folder_calls"] == sum(len(f.calls) for f in d.folders)
    assert counts["logs"] == len(LOG_TYPES) * d.n_logs
    t = store.t

    def served_transcript(rec: CallRecord) -> list[dict[str, Any]]:
        return transcript(rec, int(rec.meta["duration"]), emu.config.max_transcript_sentences)

    with store.engine.connect() as conn:
        calls = {r.id: r for r in conn.execute(sa.select(t("calls")))}
        parties: dict[str, set[str]] = {}
        for r in conn.execute(sa.select(t("call_parties"))):
            parties.setdefault(r.call_id, set()).add(r.party_id)
        sentences = dict(
            conn.execute(
                sa.select(t("transcript_sentences").c.call_id, sa.func.count()).group_by(
                    t("transcript_sentences").c.call_id
                )
            ).all()
        )
        first = conn.execute(
            sa.select(t("transcript_sentences")).where(t("transcript_sentences").c.sentence_index == 0).limit(1)
        ).one()
        users = {r.id: r for r in conn.execute(sa.select(t("users")))}
    for i in range(d.n_calls):
        rec = d.call(i)
        row = calls[rec.id]
        assert row.title == rec.meta["title"]
        assert row.started == datetime.fromisoformat(rec.meta["started"])
        assert row.workspace_id == rec.meta["workspaceId"]
        assert row.duration == rec.meta["duration"]
        assert parties[rec.id] == {p.party_id for p in rec.parties}
        assert row.content and row.content.get("brief")
        expected = sum(len(m["sentences"]) for m in served_transcript(rec))
        assert sentences.get(rec.id, 0) == expected
    rec = d.call(d.call_index(first.call_id) or 0)
    mono = served_transcript(rec)[0]
    assert (first.speaker_id, first.topic, first.text) == (
        mono["speakerId"],
        mono["topic"],
        mono["sentences"][0]["text"],
    )
    for u in d.users:
        assert users[u["id"]].email_address == u["emailAddress"]
    first = min(r.started for r in calls.values())
    store.close()
    # Fewest requests: every page full, transcripts 100 calls per request, no retries; the
    # coaching streams as tests/sync/test_coaching.py counts them.
    coaching = coaching_minimum(
        emu, (first - timedelta(days=1)).date(), (now - timedelta(hours=12)).date(), date(1999, 12, 31)
    )
    assert result.requests == minimum_requests(emu) + sum(coaching.values())
    assert len([r for r in emu.requests() if r["path"].startswith("/v2")]) == result.requests


def test_second_run_without_changes_asks_only_what_it_must(emu: Emulator, client: GongClient, db_url: str) -> None:
    run(emu, client, db_url)
    before = snapshot(db_url)
    emu.clear_requests()
    now = emu.backend.clock.now_dt()
    result = run(emu, client, db_url)
    paths = count_paths(emu.requests())
    # Full listings (no change feed in Gong), one look-back page of calls, one page per log
    # type; no transcripts and no folder contents (their folders' ``updated`` is unchanged);
    # the stats of the look-back's days.
    last_day = (now - timedelta(hours=12)).date()
    coaching = coaching_minimum(emu, last_day - timedelta(days=2), last_day, (now - timedelta(days=3)).date())
    assert paths == {
        "/v2/workspaces": 1,
        "/v2/users": 2,
        "/v2/calls/extensive": 1,
        "/v2/library/folders": 1,
        "/v2/logs": len(LOG_TYPES),
        "/v2/settings/scorecards": 1,
        "/v2/settings/trackers": 1,
        "/v2/stats/activity/scorecards": coaching["answered_scorecards"],
        "/v2/stats/activity/day-by-day": coaching["daily_activity"],
        "/v2/stats/interaction": coaching["interaction_stats"],
    }
    assert result.requests == sum(paths.values())
    assert snapshot(db_url) == before


def test_new_calls_are_fetched_alone(emu: Emulator, client: GongClient, db_url: str) -> None:
    run(emu, client, db_url)
    old = emu.backend.data.n_calls
    new = emu.add_calls(7)
    emu.clear_requests()
    run(emu, client, db_url, streams="calls,transcripts")
    paths = count_paths(emu.requests())
    assert paths == {"/v2/calls/extensive": 1, "/v2/calls/transcript": 1}
    store = Store(db_url)
    t = store.t
    with store.engine.connect() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(t("calls"))).scalar() == old + 7
        got = set(
            conn.execute(
                sa.select(t("transcripts").c.call_id).where(
                    t("transcripts").c.call_id.in_(new), t("transcripts").c.sentences > 0
                )
            ).scalars()
        )
    store.close()
    assert got == set(new)


def test_calls_processed_late_are_not_lost(emu: Emulator, client: GongClient, db_url: str) -> None:
    run(emu, client, db_url, streams="calls,transcripts")
    old = emu.backend.data.n_calls
    late = emu.add_calls(3, processing_delay=3 * 3600)  # recorded now, visible in 3 hours
    run(emu, client, db_url, streams="calls,transcripts")
    store = Store(db_url)
    assert store.counts()["calls"] == old
    emu.advance_clock(3 * 3600 + 60)
    run(emu, client, db_url, streams="calls,transcripts")
    counts = store.counts()
    assert counts["calls"] == old + 3 and counts["transcripts"] == old + 3
    with store.engine.connect() as conn:
        t = store.t("calls")
        assert set(conn.execute(sa.select(t.c.id).where(t.c.id.in_(late))).scalars()) == set(late)
    store.close()


def test_window_cut_into_pieces_gives_the_same_rows(emu: Emulator, client: GongClient, tmp_path: object) -> None:
    whole, parts = f"sqlite:///{tmp_path}/whole.db", f"sqlite:///{tmp_path}/parts.db"
    run(emu, client, whole, streams="calls")
    run(emu, client, parts, streams="calls", call_window=timedelta(days=30))
    assert snapshot(whole) == snapshot(parts)


def test_since_limits_the_first_sync(emu: Emulator, client: GongClient, tmp_path: object) -> None:
    db = f"sqlite:///{tmp_path}/since.db"
    since = emu.backend.clock.now_dt() - timedelta(days=30)
    run(emu, client, db, streams="calls", since=since)
    store = Store(db)
    with store.engine.connect() as conn:
        t = store.t("calls")
        oldest = conn.execute(sa.select(sa.func.min(t.c.scheduled))).scalar_one()
        n = conn.execute(sa.select(sa.func.count()).select_from(t)).scalar_one()
    store.close()
    assert oldest >= since.replace(microsecond=0) - timedelta(days=1) and 0 < n < emu.backend.data.n_calls


def test_full_refresh_reads_everything_again(emu: Emulator, client: GongClient, tmp_path: object) -> None:
    db = f"sqlite:///{tmp_path}/fr.db"
    first = run(emu, client, db, streams="calls,logs")
    again = run(emu, client, db, streams="calls,logs", full_refresh=True)
    assert again.requests == first.requests


def test_table_prefix_keeps_syncs_apart(emu: Emulator, client: GongClient, tmp_path: object) -> None:
    db = f"sqlite:///{tmp_path}/p.db"
    run(emu, client, db, streams="workspaces", table_prefix="a_")
    run(emu, client, db, streams="users", table_prefix="b_")
    assert Store(db, table_prefix="a_").counts()["workspaces"] == 3
    assert Store(db, table_prefix="b_").counts()["workspaces"] == 0


def test_sync_builds_its_own_client_from_the_environment(emu: Emulator, tmp_path: object, monkeypatch: object) -> None:
    import pytest

    mp = monkeypatch
    assert isinstance(mp, pytest.MonkeyPatch)
    for k, v in emu.env().items():
        mp.setenv(k, v)
    result = sync(f"sqlite:///{tmp_path}/env.db", streams="workspaces,users", clock=lambda: datetime.now(UTC))
    assert result.streams["users"].records == len(emu.backend.data.users)
    assert result.http_requests == result.requests == 3
