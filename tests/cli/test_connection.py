"""Where requests go and what is said when they get no answer: the host, the reason and
what to check, at once for what retrying cannot fix; the default host said once; root
--base-url, --version, completion and help."""

from __future__ import annotations

import os
import socket
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from gong_connector import __version__
from gong_connector.emulator import Emulator, Faults

from ._terminal import GONG
from .conftest import CLEARED, Cli


class Listener:
    """A TCP port that accepts connections, counts them and answers garbage (not TLS)."""

    def __init__(self) -> None:
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self.accepted = 0
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.accepted += 1
            with conn:
                conn.recv(1024)
                conn.sendall(b"HTTP/1.1 200 OK\r\nnot a TLS server\r\n\r\n")

    def close(self) -> None:
        self.sock.close()


@pytest.fixture
def listener() -> Iterator[Listener]:
    server = Listener()
    yield server
    server.close()


def test_tls_to_a_plain_port_fails_at_once_naming_host_and_reason(cli: Cli, listener: Listener) -> None:
    stderr = cli.fails(1, "users", "list", GONG_BASE_URL=f"https://127.0.0.1:{listener.port}")
    assert f"could not reach Gong at 127.0.0.1:{listener.port}: TLS failed" in stderr
    assert "check that the base URL" in stderr
    assert listener.accepted == 1  # not retried: trying again cannot fix it


def test_a_refused_connection_says_where_and_what_to_check(cli: Cli) -> None:
    # One retry (not the default four, seconds of backoff): the message comes after the last.
    stderr = cli.fails(1, "users", "list", GONG_BASE_URL="http://127.0.0.1:9", GONG_MAX_RETRIES="1")
    assert "could not reach Gong at 127.0.0.1:9: connection refused" in stderr
    assert "is anything listening there?" in stderr and "GONG_BASE_URL" in stderr
    assert len(stderr.strip().splitlines()) == 1


def test_max_retries_caps_the_attempts_of_every_command(cli: Cli, emu: Emulator) -> None:
    emu.set_faults(Faults(fail_next=["503", "503"]))
    try:
        assert "HTTP 503" in cli.fails(1, "users", "list", GONG_MAX_RETRIES="0")
        assert [r["status"] for r in emu.requests()] == [503]
    finally:
        emu.clear_faults()


@pytest.mark.parametrize("value", ["-1", "two", "101", "1.5"])
def test_a_bad_max_retries_is_refused_before_any_request(cli: Cli, emu: Emulator, value: str) -> None:
    stderr = cli.fails(2, "users", "list", GONG_MAX_RETRIES=value)
    assert "GONG_MAX_RETRIES" in stderr and repr(value) in stderr
    assert emu.requests() == []


def test_the_default_host_is_said_once(config_dir: Path) -> None:
    bare = Cli(None, config_dir)
    result = bare("auth", "status", "--offline", "--table", GONG_ACCESS_KEY="key-1", GONG_ACCESS_KEY_SECRET="s")
    assert result.exit_code == 0, result.stderr
    assert result.stderr.count("GONG_BASE_URL is not set: using https://api.gong.io") == 1
    assert "https://api.gong.io" in result.stdout
    named = bare(
        "auth", "status", "--offline", GONG_ACCESS_KEY="k", GONG_ACCESS_KEY_SECRET="s", GONG_BASE_URL="http://x.test"
    )
    assert named.exit_code == 0 and "not set" not in named.stderr


def test_root_base_url_beats_the_environment(cli: Cli, emu: Emulator) -> None:
    users = cli.ok("--base-url", emu.base_url, "users", "list", GONG_BASE_URL="http://127.0.0.1:9")
    assert len(users) == 12
    # After the command, a typed value wins over the root one.
    assert cli.ok("--base-url", "http://127.0.0.1:9", "users", "list", "--base-url", emu.base_url)


def test_version_help_and_completion(cli: Cli, tmp_path: Path) -> None:
    assert cli("--version").stdout.strip() == f"gong-connector {__version__}"
    for args in (("calls", "list", "--help"), ("run", "--help"), ("--help",)):
        shown = cli(*args, COLUMNS="120").stdout
        assert "--json" in shown and "<bool>" not in shown, args
    env = {k: v for k, v in os.environ.items() if not k.startswith("GONG_") and k not in CLEARED}
    env.update(HOME=str(tmp_path), SHELL="/bin/bash")
    # As a user types it, in bash (the shell is detected from the parent process; the
    # trailing ``exit`` keeps bash from exec-ing gong in its own place).
    installed = subprocess.run(
        ["bash", "-c", f"{GONG} --install-completion; exit $?"], env=env, capture_output=True, text=True
    )
    assert installed.returncode == 0, installed.stderr
    assert "gong" in (tmp_path / ".bashrc").read_text()
    completed = subprocess.run(
        [GONG],
        env={**env, "_GONG_COMPLETE": "complete_bash", "COMP_WORDS": "gong us", "COMP_CWORD": "1"},
        capture_output=True,
        text=True,
    )
    assert "users" in completed.stdout.split()
