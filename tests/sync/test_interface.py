"""The Python iterators, the command line, input errors and the progress estimate."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest
from rich.console import Console
from typer.testing import CliRunner

from gong_connector import GongClient
from gong_connector.cli import app
from gong_connector.emulator import Emulator
from gong_connector.sync import (
    STREAMS,
    RichProgress,
    Store,
    SyncInputError,
    estimate_seconds,
    iter_records,
    parse_duration,
    parse_since,
    parse_streams,
    sync,
)

from .conftest import run, snapshot


def test_iterators_yield_the_rows_the_sync_writes(emu: Emulator, client: GongClient, tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path}/it.db"
    run(emu, client, db, streams="calls,workspaces")
    calls = [r for r in iter_records("calls", client) if r.table == "calls"]
    assert len(calls) == emu.backend.data.n_calls and {r.stream for r in calls} == {"calls"}
    stored = {row[0] for row in snapshot(db)["gong_calls"]}
    assert {r.row["id"] for r in calls} == stored
    assert [r.row for r in iter_records("workspaces", client)] == [
        dict(zip(("id", "name", "description"), row, strict=True)) for row in snapshot(db)["gong_workspaces"]
    ]


def test_transcript_iterator_batches_many_calls_per_request(emu: Emulator, client: GongClient) -> None:
    ids = [emu.backend.data.call_ids.encode(i) for i in range(emu.backend.data.n_calls)]
    assert 100 < len(ids) <= 200
    emu.clear_requests()
    rows = list(iter_records("transcripts", client, call_ids=ids))
    assert [r["path"] for r in emu.requests()] == ["/v2/calls/transcript"] * 2
    assert {r.row["call_id"] for r in rows if r.table == "transcripts"} == set(ids)
    sentence = next(r.row for r in rows if r.table == "transcript_sentences")
    assert {"speaker_id", "topic", "text", "start_ms", "end_ms"} <= set(sentence)


def test_log_iterator_covers_a_window(emu: Emulator, client: GongClient) -> None:
    until = emu.backend.data.start_ts + 10 * 86_400
    from datetime import UTC, datetime

    rows = list(iter_records("logs", client, since="2000-01-01", until=datetime.fromtimestamp(until, UTC)))
    assert rows and all(r.row["event_time"].timestamp() < until for r in rows)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--db", "/nonexistent-dir/x.db"], "--db: directory '/nonexistent-dir' does not exist"),
        (["--db", "mysql://u@h/db"], "--db: unsupported database 'mysql'"),
        (["--db", "postgresql+psycopg://postgres@127.0.0.1:1/none"], "--db: cannot connect"),
        (["--streams", "calls,meetings"], "--streams: unknown stream 'meetings'"),
        (["--since", "last tuesday"], "--since: 'last tuesday' is not a date"),
        (["--since", "2999-01-01"], "--since: 2999-01-01 is not in the past"),
        (["--lookback", "two days"], "--lookback: 'two days' is not a duration"),
        (["--rate-limit", "fast"], "--rate-limit: 'fast' is not a rate"),
    ],
)
def test_bad_input_is_one_line_naming_it_and_writes_nothing(
    emu: Emulator, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: list[str], message: str
) -> None:
    for k, v in emu.env().items():
        monkeypatch.setenv(k, v)
    monkeypatch.chdir(tmp_path)
    emu.clear_requests()
    db = ["--db", str(tmp_path / "out.db")] if "--db" not in args else []
    result = CliRunner().invoke(app, ["sync", *db, *args])
    assert result.exit_code == 2, result.output
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error: " + message), result.output
    assert list(tmp_path.iterdir()) == [] and emu.requests() == []


def test_missing_credentials_are_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for k in ("GONG_ACCESS_KEY", "GONG_ACCESS_KEY_SECRET", "GONG_BASE_URL", "GONG_PROFILE"):
        monkeypatch.delenv(k, raising=False)
    monkeypatch.setenv("GONG_CONFIG_DIR", str(tmp_path / "config"))
    result = CliRunner().invoke(app, ["sync", "--db", str(tmp_path / "x.db")])
    # Exit 3 (authentication), as every command: the sync takes its client from the CLI's one place.
    assert result.exit_code == 3 and "error: no Gong credentials" in result.output
    assert not (tmp_path / "x.db").exists()


def test_cli_syncs_from_the_environment_and_summarises(
    emu: Emulator, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for k, v in emu.env().items():
        monkeypatch.setenv(k, v)
    db = tmp_path / "cli.db"
    args = ["sync", "--db", str(db), "--streams", "workspaces", "-s", "users", "--rate-limit", "1000", "--quiet"]
    result = CliRunner().invoke(app, [*args, "--table"])
    assert result.exit_code == 0, result.output
    users = len(emu.backend.data.users)
    assert "users" in result.output and str(users) in result.output
    assert "3 requests (3 HTTP requests with retries)" in result.output
    piped = CliRunner().invoke(app, args)  # not a terminal: the summary as JSON
    assert piped.exit_code == 0, piped.output
    assert {s["stream"]: s["rows"] for s in json.loads(piped.stdout)["streams"]} == {"workspaces": 3, "users": users}
    assert Store(str(db)).counts()["users"] == users


def test_cli_emulator_demo(tmp_path: Path) -> None:
    db = tmp_path / "demo.db"
    result = CliRunner().invoke(
        app, ["sync", "--emulator", "--db", str(db), "--rate-limit", "1000", "--streams", "workspaces,users,library"]
    )
    assert result.exit_code == 0, result.output
    assert "library" in result.output and "requests" in result.output
    assert Store(str(db)).counts()["library_folders"] > 0


def test_sync_function_checks_inputs_before_writing(tmp_path: Path, client: GongClient) -> None:
    db = f"sqlite:///{tmp_path}/f.db"
    for kwargs in ({"streams": ["nope"]}, {"since": "soon"}, {"lookback": "-1d"}, {"transcript_batch": 0}):
        with pytest.raises(SyncInputError):
            sync(db, client=client, **kwargs)  # type: ignore[arg-type]
    assert not (tmp_path / "f.db").exists()


def test_input_parsers() -> None:
    from datetime import UTC, datetime

    now = datetime(2026, 1, 31, 12, tzinfo=UTC)
    assert parse_since("30d", now) == now - timedelta(days=30)
    assert parse_since("2025-12-01", now) == datetime(2025, 12, 1, tzinfo=UTC)
    assert parse_since("2025-12-01T08:00:00+02:00", now) == datetime(2025, 12, 1, 6, tzinfo=UTC)
    assert parse_duration("36h", "--lookback", timedelta(0)) == timedelta(hours=36)
    assert parse_duration("0", "--lookback", timedelta(1)) == timedelta(0)
    assert parse_streams("logs, calls", STREAMS) == ("calls", "logs")
    assert parse_streams(["all"], STREAMS) == tuple(STREAMS)
    with pytest.raises(SyncInputError, match="--streams: no stream given"):
        parse_streams(",", STREAMS)


def test_estimate_knows_the_rate_limit() -> None:
    # 30 requests left: a fast start (10/s observed) must not promise 3 s at Gong's 3/s.
    assert estimate_seconds(30, 10.0, 3.0) == 10.0
    assert estimate_seconds(30, 1.5, 3.0) == 20.0
    assert estimate_seconds(30, None, 3.0) == 10.0
    assert estimate_seconds(0, None, 3.0) == 0.0
    assert estimate_seconds(5, None, None) is None


def test_rich_progress_draws_each_stream(emu: Emulator, client: GongClient, tmp_path: Path) -> None:
    console = Console(record=True, width=120, force_terminal=False)
    with RichProgress(3.0, console=console) as progress:
        run(emu, client, f"sqlite:///{tmp_path}/p.db", streams="users,logs", progress=progress)
    text = console.export_text()
    assert "users" in text and "logs" in text and "2/2" in text and "15/15" in text


def test_a_database_from_a_newer_release_is_one_line_and_left_alone(
    emu: Emulator, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sqlalchemy as sa

    for k, v in emu.env().items():
        monkeypatch.setenv(k, v)
    db = tmp_path / "newer.db"
    Store(str(db)).close()
    engine = sa.create_engine(f"sqlite:///{db}")
    with engine.begin() as conn:
        conn.execute(sa.text("update gong_sync_version set version_num = 'sync_9999'"))
    result = CliRunner().invoke(app, ["sync", "--db", str(db), "--streams", "workspaces", "--quiet"])
    assert result.exit_code == 1, result.output
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error: database: the sync tables"), result.output
    assert "'sync_9999'" in lines[0] and "upgrade gong-connector" in lines[0]
    with engine.connect() as conn:
        assert conn.execute(sa.text("select count(*) from gong_workspaces")).scalar_one() == 0
    engine.dispose()
