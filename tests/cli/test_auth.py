"""``gong auth login``: the OAuth flow end to end, as a real subprocess on a loopback
redirect; approved by plain HTTP, and by a real headless Chromium driven with Playwright."""

from __future__ import annotations

import html
import os
import queue
import re
import shutil
import stat
import subprocess
import sys
import threading
import tomllib
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest

from gong_connector.emulator import Emulator

from .conftest import CLEARED, Cli

GONG = shutil.which("gong", path=str(Path(sys.executable).parent)) or "gong"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCOPES = "api:users:read api:workspaces:read api:calls:read:basic"


class Login:
    """``gong auth login --no-browser`` running in the background; hands out its URL."""

    def __init__(self, emu: Emulator, config_dir: Path, profile: str = "oauth", scopes: str = SCOPES) -> None:
        env = {k: v for k, v in os.environ.items() if not k.startswith("GONG_") and k not in CLEARED}
        env.update(
            {
                "GONG_CONFIG_DIR": str(config_dir),
                "GONG_RATE_LIMIT": "off",
                "GONG_CLIENT_SECRET": emu.oauth_client.client_secret,
                "NO_COLOR": "1",
                "PYTHONUNBUFFERED": "1",
            }
        )
        self.proc = subprocess.Popen(
            [
                GONG,
                "auth",
                "login",
                "--no-browser",
                "--profile",
                profile,
                "--client-id",
                emu.oauth_client.client_id,
                "--oauth-base-url",
                emu.base_url,
                "--scopes",
                scopes,
                "--timeout",
                "60",
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        self.lines: queue.Queue[str] = queue.Queue()
        self.stderr: list[str] = []
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self) -> None:
        assert self.proc.stderr is not None
        for line in self.proc.stderr:
            self.stderr.append(line)
            self.lines.put(line.strip())

    def url(self) -> str:
        while True:
            line = self.lines.get(timeout=30)
            if "/oauth2/authorize?" in line:
                return line

    def finish(self) -> tuple[int, str, str]:
        assert self.proc.stdout is not None
        stdout = self.proc.stdout.read()
        code = self.proc.wait(timeout=60)
        self.reader.join(timeout=10)
        return code, stdout, "".join(self.stderr)

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()


@pytest.fixture
def login(emu: Emulator, config_dir: Path) -> Iterator[Callable[..., Login]]:
    started: list[Login] = []

    def start(profile: str = "oauth", scopes: str = SCOPES) -> Login:
        started.append(Login(emu, config_dir, profile, scopes))
        return started[-1]

    yield start
    for proc in started:
        proc.kill()


def _check_logged_in(emu: Emulator, config_dir: Path, make_cli: Callable[..., Cli], outputs: str) -> None:
    """The token is stored privately and works; no secret was printed."""
    token_file = config_dir / "tokens" / "oauth.json"
    assert stat.S_IMODE(token_file.stat().st_mode) == 0o600
    assert stat.S_IMODE((config_dir / "config.toml").stat().st_mode) == 0o600
    profile = tomllib.loads((config_dir / "config.toml").read_text())["profiles"]["oauth"]
    assert profile["kind"] == "oauth" and profile["client_id"] == emu.oauth_client.client_id
    cli = make_cli(None)  # nothing in the environment: the profile alone must do
    status = cli.ok("auth", "status", "--profile", "oauth")
    assert status["kind"] == "oauth" and status["accepted"] is True
    assert status["scopes"] == sorted(SCOPES.split())
    assert status["baseUrl"] == emu.base_url and status["refreshable"] is True
    users = cli.ok("users", "list", "--profile", "oauth")
    assert users and all(u["id"] for u in users)
    bearer = [r for r in emu.requests() if r["path"] == "/v2/users"]
    assert bearer and bearer[-1]["status"] == 200
    token = token_file.read_text()
    access = re.search(r'"access_token": "([^"]+)"', token)
    assert access is not None
    table = cli("auth", "status", "--profile", "oauth", "--table").stdout
    for secret in (access.group(1), emu.oauth_client.client_secret):
        assert secret not in outputs + str(status) + table


def test_login_approved_over_http(
    login: Callable[..., Login], emu: Emulator, config_dir: Path, make_cli: Callable[..., Cli]
) -> None:
    proc = login()
    url = proc.url()
    assert "state=" in url and "redirect_uri=http%3A%2F%2F127.0.0.1%3A" in url
    page = httpx.get(url)
    assert page.status_code == 200 and 'id="approve"' in page.text
    fields = {m[0]: html.unescape(m[1]) for m in re.findall(r'type="hidden" name="([^"]+)" value="([^"]*)"', page.text)}
    answer = httpx.post(
        f"{emu.base_url}/oauth2/authorize", data={**fields, "decision": "approve"}, follow_redirects=True
    )
    assert answer.status_code == 200 and "Signed in" in answer.text
    code, stdout, stderr = proc.finish()
    assert code == 0, stderr
    assert "Traceback" not in stderr and "saved" in stderr
    _check_logged_in(emu, config_dir, make_cli, stdout + stderr)


def _approve(emu: Emulator, url: str) -> None:
    page = httpx.get(url)
    fields = {m[0]: html.unescape(m[1]) for m in re.findall(r'type="hidden" name="([^"]+)" value="([^"]*)"', page.text)}
    httpx.post(f"{emu.base_url}/oauth2/authorize", data={**fields, "decision": "approve"}, follow_redirects=True)


def test_status_checks_with_a_request_the_tokens_scopes_allow(
    login: Callable[..., Login], emu: Emulator, make_cli: Callable[..., Cli]
) -> None:
    """A token without api:workspaces:read is still a good token: status asks for users."""
    proc = login(scopes="api:calls:read:basic api:users:read")
    _approve(emu, proc.url())
    assert proc.finish()[0] == 0
    emu.clear_requests()
    status = make_cli(None).ok("auth", "status", "--profile", "oauth")
    assert status["accepted"] is True and status["checkedWith"] == "GET /v2/users" and "workspaces" not in status
    assert [(r["path"], r["status"]) for r in emu.requests()] == [("/v2/users", 200)]


def test_login_refuses_a_foreign_state_and_waits_for_its_own(
    login: Callable[..., Login], emu: Emulator, config_dir: Path
) -> None:
    """A callback without this sign-in's state (a stolen code, a refusal anyone can send) is
    refused and changes nothing: the sign-in still ends with its own redirect."""
    proc = login()
    url = proc.url()
    redirect = httpx.URL(url).params["redirect_uri"]
    for params in ({"code": "stolen", "state": "not-ours"}, {"error": "access_denied"}, {"error": "x", "state": "y"}):
        answer = httpx.get(redirect, params=params)
        assert answer.status_code == 400 and "Not this sign-in" in answer.text
    assert not (config_dir / "tokens" / "oauth.json").exists()
    _approve(emu, url)
    code, _stdout, stderr = proc.finish()
    assert code == 0 and "Traceback" not in stderr
    assert (config_dir / "tokens" / "oauth.json").exists()


def test_login_denied(login: Callable[..., Login], emu: Emulator) -> None:
    proc = login()
    page = httpx.get(proc.url())
    fields = dict(re.findall(r'type="hidden" name="([^"]+)" value="([^"]*)"', page.text))
    fields = {k: html.unescape(v) for k, v in fields.items()}
    httpx.post(f"{emu.base_url}/oauth2/authorize", data={**fields, "decision": "deny"}, follow_redirects=True)
    code, _stdout, stderr = proc.finish()
    assert code == 3 and "access_denied" in stderr


def test_login_needs_client_credentials(make_cli: Callable[..., Cli]) -> None:
    both = make_cli(None).fails(2, "auth", "login", "--no-browser")
    assert "--client-id (or GONG_CLIENT_ID) and --client-secret (or GONG_CLIENT_SECRET) are required" in both
    secret = make_cli(None).fails(2, "auth", "login", "--no-browser", "--client-id", "app-1")
    assert "error: --client-secret (or GONG_CLIENT_SECRET) is required" in secret


def test_oauth_profile_without_token(
    make_cli: Callable[..., Cli], config_dir: Path, emu: Emulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    from gong_connector.cli._config import save_profile

    monkeypatch.setenv("GONG_CONFIG_DIR", str(config_dir))
    save_profile("oauth", {"kind": "oauth", "client_id": "c", "client_secret": "s", "oauth_base_url": emu.base_url})
    cli = make_cli(None)
    assert "gong auth login --profile oauth" in cli.fails(3, "users", "list")
    assert "no token for 'oauth'" in cli("auth", "logout", "--profile", "oauth").stdout


def _playwright() -> object:
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is missing (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("playwright is not installed (pip install -e '.[dev]')")
    return sync_playwright


@pytest.mark.long
def test_login_in_a_real_browser(
    login: Callable[..., Login], emu: Emulator, config_dir: Path, make_cli: Callable[..., Cli], tmp_path: Path
) -> None:
    sync_playwright = _playwright()
    proc = login()
    url = proc.url()
    with sync_playwright() as pw:  # type: ignore[operator]
        context = pw.chromium.launch_persistent_context(
            str(tmp_path / "chromium-profile"), executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        try:
            page = context.new_page()
            page.goto(url)
            assert "wants to access your Gong account" in page.text_content("h1")
            page.click("#approve")
            page.wait_for_selector("#result")
            assert page.text_content("#result") == "Signed in"
            assert page.url.startswith("http://127.0.0.1:") and "/callback?" in page.url
        finally:
            context.close()
    code, stdout, stderr = proc.finish()
    assert code == 0, stderr
    _check_logged_in(emu, config_dir, make_cli, stdout + stderr)
