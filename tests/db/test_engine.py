"""Opening a database from ``--db``: URLs, SQLite's pragmas and file mode, and one-line errors."""

from __future__ import annotations

import stat
import sys
from pathlib import Path

import pytest
import sqlalchemy as sa

from gong_connector.db import BUSY_TIMEOUT_MS, normalize_url, open_engine
from gong_connector.errors import MissingExtraError, StoreError, SyncInputError


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("gong.db", "sqlite:///gong.db"),
        ("sqlite:///gong.db", "sqlite:///gong.db"),
        ("postgresql://u:pw@h:5433/db", "postgresql+psycopg://u:pw@h:5433/db"),
        ("postgres://u@h/db", "postgresql+psycopg://u@h/db"),
        ("postgresql+psycopg://u@h/db", "postgresql+psycopg://u@h/db"),
        ("  sqlite:///:memory:  ", "sqlite:///:memory:"),
    ],
)
def test_urls(given: str, expected: str) -> None:
    assert normalize_url(given) == sa.make_url(expected)


@pytest.mark.parametrize(
    ("given", "message"),
    [
        ("", "--db: is empty"),
        ("mysql://u@h/db", "--db: unsupported database 'mysql'"),
        ("/nonexistent-dir/x.db", "--db: directory '/nonexistent-dir' does not exist"),
        ("sqlite:////nonexistent-dir/x.db", "--db: directory '/nonexistent-dir' does not exist"),
    ],
)
def test_bad_urls_are_input_errors(given: str, message: str) -> None:
    with pytest.raises(SyncInputError) as caught:
        normalize_url(given)
    assert str(caught.value).startswith(message)


def test_a_new_sqlite_file_is_private_and_in_wal_mode(tmp_path: Path) -> None:
    engine = open_engine(str(tmp_path / "new.db"))
    with engine.begin() as conn:
        conn.execute(sa.text("create table t (x integer)"))
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 1  # NORMAL
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == BUSY_TIMEOUT_MS
    files = sorted(tmp_path.iterdir())
    assert [f.name for f in files] == ["new.db", "new.db-shm", "new.db-wal"]
    for f in files:
        assert stat.S_IMODE(f.stat().st_mode) == 0o600, f.name
    engine.dispose()


def test_durable_means_synchronous_full_and_no_memory(tmp_path: Path) -> None:
    engine = open_engine(f"sqlite:///{tmp_path / 'inbox.db'}", durable=True)
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
    engine.dispose()
    with pytest.raises(SyncInputError, match="not :memory:"):
        open_engine("sqlite:///:memory:", durable=True)
    open_engine("sqlite:///:memory:").dispose()  # the sync may use one


def test_an_existing_file_keeps_its_mode(tmp_path: Path) -> None:
    path = tmp_path / "shared.db"
    path.touch(mode=0o640)
    path.chmod(0o640)
    open_engine(str(path)).dispose()
    assert stat.S_IMODE(path.stat().st_mode) == 0o640


def test_must_exist_refuses_to_create_a_file(tmp_path: Path) -> None:
    path = tmp_path / "missing.db"
    with pytest.raises(StoreError) as caught:
        open_engine(str(path), must_exist=True)
    assert str(caught.value) == f"no database at {path}"
    assert list(tmp_path.iterdir()) == []


def test_postgresql_without_psycopg_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "psycopg", None)
    with pytest.raises(MissingExtraError) as caught:
        open_engine("postgresql://postgres@127.0.0.1/test")
    assert caught.value.extra == "postgres"
    assert "pip install 'gong-connector[postgres]'" in str(caught.value)


def test_an_unreachable_database_is_one_line() -> None:
    with pytest.raises(StoreError) as caught:
        open_engine("postgresql://postgres@127.0.0.1:1/none")
    message = str(caught.value)
    assert message.startswith("cannot connect: ") and "\n" not in message
    assert caught.value.__cause__ is None and caught.value.__suppress_context__
