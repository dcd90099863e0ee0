"""The examples in examples/ run as documented."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_quickstart_runs_against_the_emulator_without_credentials() -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GONG_")}
    result = subprocess.run(
        [sys.executable, str(ROOT / "examples" / "quickstart.py")],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "local emulator" in result.stdout
    assert result.stdout.count("|") >= 3  # three call titles "Account | Kind"
    assert "s] " in result.stdout  # transcript lines
