"""The CLI in-process (typer's CliRunner) against one emulator per module.

Every invocation gets the emulator's credentials through the environment, its own config
directory (``GONG_CONFIG_DIR``, so the real home is never read or written) and no client
pacing (``GONG_RATE_LIMIT=off``).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result
from typer.testing import CliRunner

from gong_connector.cli import app
from gong_connector.emulator import Emulator, EmulatorConfig, RateLimit

from ..actions.cases import World, make_world

#: Variables a developer's shell may hold that would change what the CLI does.
CLEARED = ("GONG_PROFILE", "GONG_CLIENT_ID", "GONG_CLIENT_SECRET", "GONG_OAUTH_BASE_URL", "XDG_CONFIG_HOME", "BROWSER")


@pytest.fixture(scope="module")
def emu() -> Iterator[Emulator]:
    config = EmulatorConfig(seed=5, calls=250, users=12, rate_limit=RateLimit.off(), frozen_clock=True)
    with Emulator(config) as emulator:
        yield emulator


@pytest.fixture(scope="module")
def world(emu: Emulator, tmp_path_factory: pytest.TempPathFactory) -> World:
    return make_world(emu, tmp_path_factory.mktemp("world"))


@pytest.fixture
def config_dir(tmp_path: Path) -> Path:
    return tmp_path / "config"


def env_for(emu: Emulator | None, config_dir: Path, **extra: str | None) -> dict[str, str | None]:
    env: dict[str, str | None] = {k: None for k in CLEARED}
    env.update({"GONG_BASE_URL": None, "GONG_ACCESS_KEY": None, "GONG_ACCESS_KEY_SECRET": None})
    if emu is not None:
        env.update(emu.env())
    env.update({"GONG_CONFIG_DIR": str(config_dir), "GONG_RATE_LIMIT": "off", "COLUMNS": "200", "NO_COLOR": "1"})
    env.update(extra)
    return env


class Cli:
    """Runs ``gong ...`` in-process and reads its JSON."""

    def __init__(self, emu: Emulator | None, config_dir: Path) -> None:
        self.emu = emu
        self.config_dir = config_dir
        self.runner = CliRunner()

    def __call__(self, *args: str, input: str | None = None, **env: str | None) -> Result:
        if self.emu is not None:
            self.emu.clear_requests()
        return self.runner.invoke(app, list(args), env=env_for(self.emu, self.config_dir, **env), input=input)

    def ok(self, *args: str, **kw: Any) -> Any:
        result = self(*args, **kw)
        assert result.exit_code == 0, (args, result.stdout, result.stderr)
        assert "Traceback" not in result.stderr
        return json.loads(result.stdout) if result.stdout.strip() else None

    def fails(self, code: int, *args: str, **kw: Any) -> str:
        """Runs and checks the exit code; returns stderr, which must be one error line."""
        result = self(*args, **kw)
        assert result.exit_code == code, (args, result.exit_code, result.stdout, result.stderr)
        assert "Traceback" not in result.stderr + result.stdout
        if code != 2 or "error:" in result.stderr:
            lines = [line for line in result.stderr.splitlines() if line.strip()]
            assert lines and lines[-1].startswith("error: "), result.stderr
        return result.stderr

    def api_requests(self) -> list[dict[str, Any]]:
        assert self.emu is not None
        return [r for r in self.emu.requests() if r["path"].startswith("/v2")]


@pytest.fixture
def cli(emu: Emulator, world: World, config_dir: Path) -> Cli:
    return Cli(emu, config_dir)


@pytest.fixture
def make_cli(config_dir: Path) -> Callable[[Emulator | None], Cli]:
    return lambda emu: Cli(emu, config_dir)
