"""``gong --help`` and ``gong --version`` answer from the command index, without loading the
CLI framework, and say what the framework would."""

from __future__ import annotations

import re
import subprocess
import sys

from typer.testing import CliRunner

from gong_connector.cli import app
from gong_connector.cli._commands import COMMANDS, ROOT_OPTIONS

CODE = "import sys; from gong_connector.cli import main; sys.argv = ['gong', *sys.argv[1:]]; main(); " + (
    "print('LOADED', sorted(m for m in ('typer', 'rich', 'httpx', 'pydantic') if m in sys.modules))"
)


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", CODE, *args], capture_output=True, text=True, timeout=60, check=True)


def test_root_help_lists_every_command_and_option_without_loading_typer() -> None:
    out = _run("--help").stdout
    assert "LOADED []" in out
    for name, entry in COMMANDS.items():
        assert re.search(rf"^  {re.escape(name)} +{re.escape(entry.help.split()[0])}", out, re.M), name
    for flag in ROOT_OPTIONS:
        assert re.search(rf"^  {re.escape(flag)}\b", out, re.M), flag


def test_it_matches_the_options_the_framework_has() -> None:
    framework = CliRunner().invoke(app, ["--help"], env={"COLUMNS": "200", "NO_COLOR": "1"}).stdout
    offered = set(re.findall(r"(--[a-z][a-z-]+)", framework))
    assert offered == set(ROOT_OPTIONS)


def test_version_without_loading_typer() -> None:
    out = _run("--version").stdout
    assert out.startswith("gong-connector ") and "LOADED []" in out


def test_commands_that_make_no_client_do_not_import_it() -> None:
    """The emulator and trigger commands start without the client's import (about 0.1 s)."""
    probe = (
        "import sys\nfrom gong_connector.cli import main\n"
        "for argv in (['emulator', 'serve', '--help'], ['trigger', 'worker', '--help']):\n"
        "    sys.argv = ['gong', *argv]\n"
        "    try:\n        main()\n    except SystemExit:\n        pass\n"
        "print('CLIENT', 'gong_connector.client' in sys.modules)"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60, check=True)
    assert "Usage: gong emulator serve" in done.stdout and "Usage: gong trigger worker" in done.stdout
    assert "CLIENT False" in done.stdout, done.stdout[-300:]
