"""File inputs read only under the directories the user allows (none by default),
checked after symlinks and ``..`` are resolved; anything else is a tool error naming
the rule, and nothing is uploaded."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from mcp.client import Client
from mcp.client.stdio import StdioServerParameters

from gong_connector.emulator import Emulator, EmulatorConfig, RateLimit
from gong_connector.mcp_server import FileAccess

from ..actions.cases import World, make_world
from .conftest import GONG, in_process


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    config = EmulatorConfig(seed=13, calls=30, users=6, rate_limit=RateLimit.off(), frozen_clock=True)
    with Emulator(config) as emulator:
        yield make_world(emulator, tmp_path_factory.mktemp("world"))


@pytest.fixture
def dirs(tmp_path: Path) -> tuple[Path, Path]:
    """An allowed directory with a recording, and a private one with a secret."""
    allowed, private = tmp_path / "recordings", tmp_path / "config"
    allowed.mkdir()
    private.mkdir()
    (allowed / "call.mp3").write_bytes(b"ID3" + b"\x00" * 2000)
    (private / "config.toml").write_text('access_key_secret = "s3cret"\n')
    (allowed / "link.mp3").symlink_to(private / "config.toml")
    return allowed, private


def _uploads(emu: Emulator) -> list[dict[str, Any]]:
    return [r for r in emu.requests() if r["path"].endswith("/media")]


async def _media(client: Client, world: World, path: str) -> Any:
    return await client.call_tool("add_call_media", {"call_id": world.new_call(), "media": path})


async def test_no_file_is_read_by_default(world: World, dirs: tuple[Path, Path]) -> None:
    allowed, _private = dirs
    world.emu.clear_requests()
    async with in_process(world.emu) as client:
        result = await _media(client, world, str(allowed / "call.mp3"))
    assert result.is_error
    error = result.structured_content["error"]
    assert (error["field"], error["rule"]) == ("media", "files_not_allowed")
    assert "--allow-files" in error["message"]
    assert _uploads(world.emu) == []


async def test_only_files_under_the_allowed_directories(world: World, dirs: tuple[Path, Path]) -> None:
    allowed, private = dirs
    files = FileAccess.under([allowed])
    world.emu.clear_requests()
    async with in_process(world.emu, files) as client:
        ok = await _media(client, world, str(allowed / "call.mp3"))
        assert not ok.is_error, ok.content
        assert len(_uploads(world.emu)) == 1
        refused = {
            "climbs out": str(allowed / ".." / "config" / "config.toml"),
            "relative": os.path.relpath(private / "config.toml"),
            "outside": str(private / "config.toml"),
            "symlink out": str(allowed / "link.mp3"),
            "missing outside": str(private / "nothing.toml"),
        }
        rules = {}
        for what, path in refused.items():
            result = await _media(client, world, path)
            assert result.is_error, what
            error = result.structured_content["error"]
            assert error["field"] == "media", what
            rules[what] = error["rule"]
            assert "s3cret" not in str(result.content)
        missing = await _media(client, world, str(allowed / "nothing.mp3"))
        assert missing.structured_content["error"]["rule"] == "file"
    assert rules == {
        "climbs out": "outside_allowed_dirs",
        "relative": "absolute_path",
        "outside": "outside_allowed_dirs",
        "symlink out": "outside_allowed_dirs",
        "missing outside": "outside_allowed_dirs",
    }
    assert len(_uploads(world.emu)) == 1  # only the allowed one went to Gong


async def test_the_tool_says_which_files_it_may_read(world: World, dirs: tuple[Path, Path]) -> None:
    allowed, _private = dirs
    async with in_process(world.emu, FileAccess.under([allowed])) as client:
        tools = {t.name: t for t in (await client.list_tools()).tools}
    assert str(allowed.resolve()) in (tools["add_call_media"].description or "")
    assert str(allowed.resolve()) in (tools["create_call"].description or "")


async def test_gong_mcp_allow_files(world: World, dirs: tuple[Path, Path], tmp_path: Path) -> None:
    """The command: the connector's own config stays home; an allowed file goes up."""
    allowed, private = dirs
    env = {**world.emu.env(), "GONG_CONFIG_DIR": str(private), "GONG_RATE_LIMIT": "off"}
    world.emu.clear_requests()
    params = StdioServerParameters(command=GONG, args=["mcp", "--allow-files", str(allowed)], env=env)
    async with Client(params) as client:
        secret = await _media(client, world, str(private / "config.toml"))
        assert secret.is_error and secret.structured_content["error"]["rule"] == "outside_allowed_dirs"
        fine = await _media(client, world, str(allowed / "call.mp3"))
        assert not fine.is_error
    assert len(_uploads(world.emu)) == 1


def unreachable_gong(config_dir: Path) -> dict[str, str]:
    """An environment with credentials for a Gong nobody serves: ``gong mcp`` starts, sends nothing."""
    return {
        "PATH": os.environ["PATH"],
        "GONG_CONFIG_DIR": str(config_dir),
        "GONG_ACCESS_KEY": "k",
        "GONG_ACCESS_KEY_SECRET": "s",
        "GONG_BASE_URL": "http://127.0.0.1:9",
    }


def test_allow_files_must_name_directories(tmp_path: Path) -> None:
    done = subprocess.run(
        [GONG, "mcp", "--allow-files", str(tmp_path / "nope")],
        input="",
        capture_output=True,
        text=True,
        timeout=30,
        env=unreachable_gong(tmp_path),
    )
    assert done.returncode == 2 and done.stderr.startswith("error: --allow-files:"), done.stderr


def test_a_missing_directory_is_refused_before_the_sdk_is_imported(tmp_path: Path) -> None:
    """Credentials and --allow-files are checked before the MCP SDK's import (most of a second)."""
    probe = (
        "import sys\nfrom gong_connector.cli import main\n"
        f"sys.argv = ['gong', 'mcp', '--allow-files', {str(tmp_path / 'nope')!r}]\n"
        "try:\n    main()\nexcept SystemExit as exit:\n    print('EXIT', exit.code)\n"
        "print('SDK', 'mcp' in sys.modules)"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=60, env=unreachable_gong(tmp_path)
    )
    assert done.stderr.startswith("error: --allow-files:"), done.stderr
    assert done.stdout.split("\n")[-3:] == ["EXIT 2", "SDK False", ""], done.stdout


async def test_a_link_inside_the_root_tells_nothing_about_files_outside(world: World, dirs: tuple[Path, Path]) -> None:
    """Through a link to a directory outside, an existing and a missing file get one answer."""
    allowed, private = dirs
    (allowed / "elsewhere").symlink_to(private)
    world.emu.clear_requests()
    async with in_process(world.emu, FileAccess.under([allowed])) as client:
        answers = {
            name: (await _media(client, world, str(allowed / "elsewhere" / name))).structured_content["error"]
            for name in ("config.toml", "nothing.toml")
        }
    assert answers["config.toml"] == {**answers["config.toml"], "rule": "outside_allowed_dirs"}
    assert answers["nothing.toml"]["rule"] == "outside_allowed_dirs"
    assert answers["config.toml"]["message"].replace("config", "nothing") == answers["nothing.toml"]["message"]
    assert _uploads(world.emu) == []


class _SwapAfterCheck(FileAccess):
    """What another process that can write under the root may do between the check and the read."""

    swap: Any = None

    def check(self, field: str, value: object) -> str:
        resolved = super().check(field, value)
        type(self).swap()
        return resolved


def _swaps(allowed: Path, private: Path) -> dict[str, Any]:
    def directory() -> None:  # the checked file's directory becomes a link to the private one
        (allowed / "inner").rename(allowed / "inner.old")
        (allowed / "inner").symlink_to(private)

    def file() -> None:  # the checked file becomes a link to the secret
        (allowed / "inner" / "config.toml").unlink()
        (allowed / "inner" / "config.toml").symlink_to(private / "config.toml")

    def fifo() -> None:  # a FIFO, whose open would wait for a writer
        (allowed / "inner" / "config.toml").unlink()
        os.mkfifo(allowed / "inner" / "config.toml")

    return {"directory": directory, "file": file, "fifo": fifo}


@pytest.mark.parametrize("swap", ["directory", "file", "fifo"])
async def test_what_is_read_is_what_was_checked(world: World, dirs: tuple[Path, Path], swap: str) -> None:
    allowed, private = dirs
    (allowed / "inner").mkdir()
    (allowed / "inner" / "config.toml").write_bytes(b"ID3 a recording")
    _SwapAfterCheck.swap = staticmethod(_swaps(allowed, private)[swap])
    racing = _SwapAfterCheck(FileAccess.under([allowed]).roots)
    world.emu.clear_requests()
    async with in_process(world.emu, racing) as client:
        result = await _media(client, world, str(allowed / "inner" / "config.toml"))
    assert result.is_error
    assert result.structured_content["error"]["rule"] == "file"
    assert "s3cret" not in str(result.content)
    assert _uploads(world.emu) == []


def test_an_opened_file_is_named_by_its_path(dirs: tuple[Path, Path]) -> None:
    allowed, _private = dirs
    with FileAccess.under([allowed]).open("media", str(allowed / "call.mp3")) as opened:
        assert opened.name == str((allowed / "call.mp3").resolve())
        assert opened.read(3) == b"ID3"


@pytest.mark.parametrize(
    ("path", "rule"),
    [
        ("{allowed}/a\x00.mp3", "path"),  # a NUL: no file system takes one
        ("{allowed}/\ud800.mp3", "path"),  # half a surrogate pair no file name can hold
        ("~no-such-user-here/x.mp3", "path"),  # the home of a user that does not exist
    ],
)
async def test_paths_no_file_system_takes_are_input_errors(
    world: World, dirs: tuple[Path, Path], path: str, rule: str
) -> None:
    allowed, _private = dirs
    world.emu.clear_requests()
    async with in_process(world.emu, FileAccess.under([allowed])) as client:
        result = await _media(client, world, path.format(allowed=allowed))
    error = result.structured_content["error"]
    assert result.is_error and (error["field"], error["rule"]) == ("media", rule)
    assert "Internal error" not in str(result.content)
    assert _uploads(world.emu) == []
