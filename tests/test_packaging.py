"""What ``pip install gong-connector`` brings, and what each extra adds.

The base install is the client alone. Every other part names the extra it needs when that
extra is missing. Missing packages are simulated in a fresh interpreter by hiding them
from the import system (the same view a fresh virtual environment without them gives);
.ci/run also installs the base package alone in a new virtual environment and imports it.
"""

from __future__ import annotations

import importlib.metadata
import re
import subprocess
import sys
import textwrap

import pytest

#: sniffio is for httpcore's sake: without it, every async lock httpcore makes is a failed
#: import (tests/client/test_transport.py).
CLIENT_NEEDS = {"httpx", "pydantic", "anyio", "sniffio"}
EXTRAS = {"cli", "emulator", "trigger", "sync", "postgres", "mcp", "all", "dev"}
OPTIONAL = (
    "typer",
    "rich",
    "click",
    "starlette",
    "uvicorn",
    "multipart",
    "python_multipart",
    "jwt",
    "cryptography",
    "sqlalchemy",
    "alembic",
    "mcp",
    "psycopg",
)

_HIDE = """
import sys
HIDDEN = set({hidden!r})

class Hide:
    def __init__(self, inner):
        self.inner = inner

    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in HIDDEN:
            return None
        find = getattr(self.inner, "find_spec", None)
        return find(name, path, target) if find else None

    def __getattr__(self, attr):
        return getattr(self.inner, attr)

sys.meta_path[:] = [Hide(f) for f in sys.meta_path]
"""


def run_without(hidden: tuple[str, ...], code: str, *argv: str) -> subprocess.CompletedProcess[str]:
    script = _HIDE.format(hidden=sorted(hidden)) + textwrap.dedent(code)
    return subprocess.run(
        [sys.executable, "-c", script, *argv], capture_output=True, text=True, timeout=60, check=False
    )


def _requirements() -> tuple[set[str], dict[str, set[str]]]:
    base: set[str] = set()
    extras: dict[str, set[str]] = {}
    for line in importlib.metadata.requires("gong-connector") or []:
        name = re.split(r"[\s\[<>=;]", line, maxsplit=1)[0].lower()
        found = re.search(r"extra == ['\"]([^'\"]+)['\"]", line)
        if found:
            extras.setdefault(found.group(1), set()).add(name)
        else:
            base.add(name)
    return base, extras


def test_the_base_install_is_the_client_alone() -> None:
    base, extras = _requirements()
    assert base == CLIENT_NEEDS
    assert set(extras) >= EXTRAS
    assert {"typer", "rich"} <= extras["cli"]
    assert {"starlette", "uvicorn", "pyjwt"} <= extras["emulator"]
    assert {"sqlalchemy", "alembic"} <= extras["sync"] and {"sqlalchemy", "alembic"} <= extras["trigger"]
    assert "mcp" in extras["mcp"] and "psycopg" in extras["postgres"]


def test_the_client_imports_and_works_without_any_extra() -> None:
    result = run_without(
        OPTIONAL,
        """
        import gong_connector
        from gong_connector import GongClient, ApiKeyConnection, ValidationError
        from gong_connector.client import ENDPOINTS
        client = GongClient(ApiKeyConnection("k", "s", "http://127.0.0.1:9"))
        try:
            client.get_call(call_id="12ab")
        except ValidationError as exc:
            print("checked:", exc.field)
        heavy = [m for m in ("typer", "starlette", "sqlalchemy", "mcp") if m in sys.modules]
        print(len(ENDPOINTS), heavy)
        """,
    )
    assert result.returncode == 0, result.stderr
    assert "checked: call_id" in result.stdout and "[]" in result.stdout


@pytest.mark.parametrize(
    ("argv", "hidden", "extra"),
    [
        (("--help",), ("typer",), "cli"),
        (("emulator", "serve", "--port", "0"), ("starlette", "uvicorn"), "emulator"),
        (("demo",), ("starlette",), "emulator"),
        (("sync", "--db", "x.db"), ("sqlalchemy",), "sync"),
        (("trigger", "events", "list"), ("jwt",), "trigger"),
        (("mcp",), ("mcp",), "mcp"),
    ],
    ids=["cli", "emulator", "demo", "sync", "trigger", "mcp"],
)
def test_a_command_without_its_extra_names_it(argv: tuple[str, ...], hidden: tuple[str, ...], extra: str) -> None:
    result = run_without(
        hidden, "from gong_connector.cli import main\nsys.argv = ['gong', *sys.argv[1:]]\nmain()", *argv
    )
    assert result.returncode == 1, (result.stdout, result.stderr)
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    assert f"pip install 'gong-connector[{extra}]'" in lines[0]  # brackets survive the console markup
    assert "Traceback" not in result.stderr


def test_the_everyday_commands_need_only_the_cli_extra() -> None:
    hidden = tuple(m for m in OPTIONAL if m not in ("typer", "rich"))  # typer 0.29 carries its own click
    result = run_without(
        hidden, "from gong_connector.cli import main\nsys.argv = ['gong', 'calls', 'list', '--help']\nmain()"
    )
    assert result.returncode == 0, result.stderr
    assert "--from" in result.stdout


@pytest.mark.parametrize(
    ("module", "hidden", "extra"),
    [
        ("gong_connector.sync", ("sqlalchemy",), "sync"),
        ("gong_connector.trigger", ("starlette",), "trigger"),
        ("gong_connector.mcp_server", ("mcp",), "mcp"),
    ],
)
def test_importing_a_part_without_its_extra_names_it(module: str, hidden: tuple[str, ...], extra: str) -> None:
    code = f"""
        from gong_connector.errors import MissingExtraError
        try:
            import {module}
        except MissingExtraError as exc:
            print(exc)
        """
    result = run_without(hidden, code)
    assert f"pip install 'gong-connector[{extra}]'" in result.stdout, (result.stdout, result.stderr)


def test_the_emulator_without_its_extra_names_it() -> None:
    code = """
        from gong_connector.errors import MissingExtraError
        import gong_connector.emulator as emulator
        try:
            emulator.Emulator
        except MissingExtraError as exc:
            print(exc)
        """
    result = run_without(("uvicorn",), code)
    assert "pip install 'gong-connector[emulator]'" in result.stdout, (result.stdout, result.stderr)
