"""The first ten minutes: `gong emulator serve` prints what a shell can eval (and
--env-file writes it), the README's ids exist in the default emulator data, and
`gong demo` shows the newest calls first with whole ids."""

from __future__ import annotations

import os
import re
import shlex
import signal
import stat
import subprocess
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from gong_connector.emulator import Emulator
from gong_connector.trigger import load_public_key

from ._terminal import GONG
from .conftest import CLEARED, Cli

ROOT = Path(__file__).resolve().parents[2]


def _serve(tmp_path: Path, *args: str) -> tuple[list[str], str]:
    """Start `gong emulator serve`, read its stdout up to the last comment, stop it."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("GONG_") and k not in CLEARED}
    proc = subprocess.Popen(
        [GONG, "emulator", "serve", "--port", "0", "--calls", "20", "--users", "5", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**env, "GONG_CONFIG_DIR": str(tmp_path / "config")},
    )
    assert proc.stdout is not None
    lines: list[str] = []
    try:
        while not (lines and lines[-1].startswith("# data:")):
            line = proc.stdout.readline()
            assert line, "the emulator exited early"
            lines.append(line.rstrip("\n"))
        return lines, _use(lines, tmp_path)
    finally:
        proc.send_signal(signal.SIGINT)
        proc.wait(timeout=15)


def _use(lines: list[str], tmp_path: Path) -> str:
    """Run `gong users list` in a shell that evals the printed lines."""
    script = "\n".join(lines) + "\ngong users list --limit 2"
    env = {k: v for k, v in os.environ.items() if not k.startswith("GONG_") and k not in CLEARED}
    env.update(PATH=f"{Path(GONG).parent}:{os.environ['PATH']}", GONG_CONFIG_DIR=str(tmp_path / "config"))
    done = subprocess.run(["bash", "-c", 'eval "$(cat)"'], input=script, capture_output=True, text=True, env=env)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_serve_prints_lines_a_shell_can_eval(tmp_path: Path) -> None:
    env_file = tmp_path / "gong.env"
    lines, used = _serve(tmp_path, "--rate-limit", "off", "--env-file", str(env_file))
    assert all(line.startswith(("export ", "# ")) for line in lines), lines
    exported = dict(shlex.split(line)[1].split("=", 1) for line in lines if line.startswith("export "))
    assert set(exported) >= {"GONG_BASE_URL", "GONG_ACCESS_KEY", "GONG_ACCESS_KEY_SECRET", "GONG_WEBHOOK_PUBLIC_KEY"}
    load_public_key(exported["GONG_WEBHOOK_PUBLIC_KEY"])  # the trigger can verify with it
    assert exported["GONG_RATE_LIMIT"] == "off"
    assert '"id"' in used  # a shell that evaluated them reached the emulator
    assert stat.S_IMODE(env_file.stat().st_mode) == 0o600
    assert env_file.read_text().splitlines() == [line for line in lines if line.startswith("export ")]


def test_serve_refuses_an_env_file_in_a_missing_directory(config_dir: Path, tmp_path: Path) -> None:
    stderr = Cli(None, config_dir).fails(2, "emulator", "serve", "--env-file", str(tmp_path / "no" / "gong.env"))
    assert "--env-file: directory" in stderr


def test_the_readme_ids_exist_in_the_default_emulator_data(
    gong_emulator_factory: Callable[..., Emulator], config_dir: Path
) -> None:
    cli = Cli(gong_emulator_factory(), config_dir)  # the default seed, calls and users
    readme = (ROOT / "README.md").read_text()
    call_ids = re.findall(r"call_id=(\d+)", readme)
    assert call_ids
    for call_id in call_ids:
        assert cli.ok("run", "get-call", "--input", f"call_id={call_id}")["id"] == call_id
    for user_id in set(re.findall(r"user_id=(\d+)", (ROOT / "docs" / "cli.md").read_text())):
        assert cli.ok("users", "get", user_id)["id"] == user_id


def test_demo_shows_the_newest_calls_first_with_whole_ids(config_dir: Path) -> None:
    from gong_connector.emulator import EmulatorConfig, RateLimit

    result = Cli(None, config_dir)("demo", "--calls", "4", COLUMNS="80")
    assert result.exit_code == 0, result.stderr
    shown = result.stdout[: result.stdout.index("Users (")]
    ids = re.findall(r"│ (\d{19}) │", shown)
    with Emulator(EmulatorConfig(seed=42, rate_limit=RateLimit.off())) as emu:  # the demo's data
        every = Cli(emu, config_dir).ok("calls", "list", "--from", "2000-01-01", "--to", "2100-01-01")
    newest = sorted(every, key=lambda c: datetime.fromisoformat(c["started"]), reverse=True)[:4]
    assert ids == [c["id"] for c in newest]
