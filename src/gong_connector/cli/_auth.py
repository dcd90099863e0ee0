"""``gong auth`` (OAuth login, status, logout) and ``gong profiles`` (saved connections).

``auth login`` runs the authorization-code flow on a loopback redirect: it opens the
browser (or prints the URL with --no-browser), receives the code on
``http://127.0.0.1:PORT/callback``, lets the connection check the ``state`` and trade the
code, and stores the token with mode 0600. Secrets are never printed.
"""

from __future__ import annotations

import html
import queue
import sys
import threading
import webbrowser
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Annotated, Any
from urllib.parse import urlsplit

import typer
from rich.text import Text

from ..client import ValidationError
from ..connections import DEFAULT_OAUTH_BASE_URL, DEFAULT_SCOPES, ApiKeyConnection, OAuthConnection
from ..errors import AuthenticationError, CredentialsError, OAuthStateError
from ._commands import help_of
from ._common import (
    ExitCode,
    emit,
    emit_items,
    err,
    fail,
    gong_command,
    make_client,
    resolved_connection,
    state,
)
from ._config import (
    config_path,
    delete_profile,
    load_config,
    oauth_connection,
    resolve_profile,
    save_profile,
    set_default_profile,
    token_path,
)

auth_app = typer.Typer(help=help_of("auth"), no_args_is_help=True, add_completion=False)
profiles_app = typer.Typer(help=help_of("profiles"), no_args_is_help=True, add_completion=False)

_PAGE = """<!doctype html><meta charset="utf-8"><title>gong-connector</title>
<body style="font-family:sans-serif;margin:3em"><h1 id="result">{title}</h1><p>{text}</p>"""


class _Callback(BaseHTTPRequestHandler):
    """Receives the one redirect, finishes the flow, tells the browser how it went."""

    server: _CallbackServer

    def do_GET(self) -> None:
        if urlsplit(self.path).path != "/callback":
            self.send_error(404)
            return
        url = f"{self.server.redirect_uri}?{urlsplit(self.path).query}"
        error: BaseException | None = None
        try:
            self.server.connection.complete(url)
        except OAuthStateError:
            # Not the redirect of this sign-in (a stale tab, or another program or page that
            # found the port): refuse it and keep waiting, or anyone could end the sign-in.
            self._answer(400, "Not this sign-in", "This link does not belong to the sign-in in progress.")
            self.server.foreign += 1
            return
        except Exception as exc:  # reported by the waiting command, not lost in this thread
            error = exc
        if error is None:
            self._answer(200, "Signed in", "You can close this window and return to the terminal.")
        else:
            self._answer(400, "Sign-in failed", str(error))
        self.server.results.put(error)

    def _answer(self, status: int, title: str, text: str) -> None:
        body = _PAGE.format(title=title, text=html.escape(text)).encode()
        self.send_response(status)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:  # the query holds the code
        return


class _CallbackServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, port: int) -> None:
        super().__init__(("127.0.0.1", port), _Callback)
        self.results: queue.Queue[BaseException | None] = queue.Queue()
        #: Callbacks refused because they did not carry this sign-in's state.
        self.foreign = 0
        self.redirect_uri = f"http://127.0.0.1:{self.server_address[1]}/callback"
        self.connection: OAuthConnection


@auth_app.command("login")
@gong_command(connection=False, output=False)
def login(
    profile: Annotated[
        str, typer.Option("--profile", envvar="GONG_PROFILE", help="Profile to save the login under.")
    ] = "default",
    client_id: Annotated[
        str | None,
        typer.Option(
            envvar="GONG_CLIENT_ID",
            show_default=False,
            help="Client id of your Gong OAuth integration (or the profile's).",
        ),
    ] = None,
    client_secret: Annotated[
        str | None,
        typer.Option(
            envvar="GONG_CLIENT_SECRET",
            show_default=False,
            help="Client secret of the integration; prefer the environment variable.",
        ),
    ] = None,
    oauth_base_url: Annotated[
        str | None,
        typer.Option(
            envvar="GONG_OAUTH_BASE_URL",
            show_default=False,
            help=f"Where Gong's authorize page lives (default {DEFAULT_OAUTH_BASE_URL}).",
        ),
    ] = None,
    scopes: Annotated[
        str | None, typer.Option(show_default=False, help=f"Space-separated scopes (default: {DEFAULT_SCOPES}).")
    ] = None,
    port: Annotated[
        int,
        typer.Option(
            min=0,
            max=65535,
            help="Loopback port for the redirect; 0 picks a free one. The "
            "integration must allow http://127.0.0.1:PORT/callback.",
        ),
    ] = 0,
    no_browser: Annotated[
        bool, typer.Option("--no-browser", help="Print the URL instead of opening a browser.")
    ] = False,
    timeout: Annotated[float, typer.Option(min=1, help="Seconds to wait for the browser to come back.")] = 300.0,
) -> None:
    """Sign in with OAuth in the browser and save the token under a profile."""
    existing = load_config().get("profiles", {}).get(profile, {})
    if existing and existing.get("kind") != "oauth":
        existing = {}
    settings = {
        "kind": "oauth",
        "client_id": client_id or existing.get("client_id"),
        "client_secret": client_secret or existing.get("client_secret"),
        "oauth_base_url": oauth_base_url or existing.get("oauth_base_url") or DEFAULT_OAUTH_BASE_URL,
        "scopes": scopes or existing.get("scopes") or DEFAULT_SCOPES,
    }
    missing = [
        f"--{k.replace('_', '-')} (or GONG_{k.upper()})" for k in ("client_id", "client_secret") if not settings[k]
    ]
    if missing:
        raise fail(" and ".join(missing) + (" are" if len(missing) > 1 else " is") + " required", ExitCode.USAGE)
    try:
        server = _CallbackServer(port)
    except OSError as exc:
        raise fail(f"cannot listen on 127.0.0.1:{port}: {exc.strerror}", ExitCode.FAILURE) from None
    with server:
        connection = oauth_connection(profile, settings, redirect_uri=server.redirect_uri)
        server.connection = connection
        url, _issued = connection.authorization_url()
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        err.print(Text("Open this URL in a browser to authorize gong-connector:"))
        err.print(Text(url), soft_wrap=True)
        err.file.flush()
        if not no_browser:
            webbrowser.open(url)
        try:
            error = server.results.get(timeout=timeout)
        except queue.Empty:
            ignored = f" ({server.foreign} request(s) not from this sign-in were refused)" if server.foreign else ""
            raise fail(f"no answer from the browser within {timeout:g}s{ignored}", ExitCode.AUTH) from None
        finally:
            server.shutdown()
    if error is not None:
        raise error
    save_profile(profile, settings, make_default=not load_config().get("default_profile"))
    token = connection.token
    granted = token.scope if token else ""
    err.print(Text(f"Signed in; profile {profile!r} saved in {config_path()}"))
    typer.echo(f"scopes: {granted or settings['scopes']}")


@auth_app.command("status")
@gong_command()
def status(
    offline: Annotated[bool, typer.Option("--offline", help="Do not test the credentials with a request.")] = False,
) -> None:
    """Which credentials are in use, with which scopes, and whether Gong accepts them."""
    opts = state().connection
    name, _profile = resolve_profile(opts)
    connection = resolved_connection()
    info: dict[str, Any] = {"profile": name, "baseUrl": connection.base_url}
    if isinstance(connection, ApiKeyConnection):
        key = connection.access_key
        info.update(kind="api_key", accessKey=(key[:4] + "…") if len(key) > 8 else "…")
    elif isinstance(connection, OAuthConnection):
        token = connection.token
        info.update(
            kind="oauth",
            clientId=connection.client_id,
            scopes=sorted(token.scopes) if token else [],
            expiresAt=_when(token.expires_at) if token else None,
            refreshable=bool(token and token.refresh_token),
            tokenFile=str(token_path(name)) if name else None,
        )
    if not offline:
        granted = set(info.get("scopes") or STATUS_CHECKS)  # an access key may do everything
        check = next((c for c in STATUS_CHECKS if c in granted), None)
        if check is None:
            info["accepted"] = None
            info["checkedWith"] = f"nothing: the token has none of the scopes {', '.join(STATUS_CHECKS)}"
        else:
            path, listing = STATUS_CHECKS[check]
            with make_client() as client:
                page = getattr(client, listing)().first_page()
            info["accepted"] = True
            info["checkedWith"] = f"GET {path}"
            if listing == "list_workspaces":
                info["workspaces"] = len(page.items)
    emit(info, title="Gong connection")


#: The request ``auth status`` tests credentials with: the first one their scopes allow (an
#: OAuth token may hold a few scopes only, and a scope Gong refuses says nothing of the token).
STATUS_CHECKS = {
    "api:workspaces:read": ("/v2/workspaces", "list_workspaces"),
    "api:users:read": ("/v2/users", "list_users"),
    "api:calls:read:basic": ("/v2/calls", "list_calls"),
}


def _when(seconds: float | None) -> str | None:
    if seconds is None:
        return None
    return datetime.fromtimestamp(seconds, UTC).isoformat(timespec="seconds")


@auth_app.command("logout")
@gong_command(connection=False, output=False)
def logout(
    profile: Annotated[
        str, typer.Option("--profile", envvar="GONG_PROFILE", help="Profile whose token to forget.")
    ] = "default",
) -> None:
    """Forget a profile's OAuth token (the profile's settings stay)."""
    path = token_path(profile)
    existed = path.exists()
    path.unlink(missing_ok=True)
    typer.echo(f"token of {profile!r} removed" if existed else f"no token for {profile!r}")


# --------------------------------------------------------------------------- profiles


def _ask_secret() -> str:
    """The secret, asked for without echo on a terminal, else read as one line of stdin
    (``printf '%s\\n' "$SECRET" | gong profiles add ...``), without getpass's warning that
    the answer may be echoed: nothing is typed, so nothing is echoed."""
    missing = ValidationError(
        "access_key_secret", "required", "is required: type it when asked, or set GONG_ACCESS_KEY_SECRET"
    )
    if not sys.stdin.isatty():
        sys.stderr.write("Access key secret: ")
        secret = sys.stdin.readline().strip()
        sys.stderr.write("\n")
        if not secret:
            raise missing
        return secret
    try:
        return str(typer.prompt("Access key secret", hide_input=True, err=True))
    except typer.Abort:  # end of input: nobody to ask
        raise missing from None


@profiles_app.command("list")
@gong_command(connection=False)
def list_profiles() -> None:
    """Saved profiles (secrets left out); * marks the default."""
    config = load_config()
    default = config.get("default_profile")
    rows = []
    for name, p in sorted(config.get("profiles", {}).items()):
        rows.append(
            {
                "name": name,
                "default": name == default,
                "kind": p.get("kind", "api_key"),
                "baseUrl": p.get("base_url") or p.get("oauth_base_url"),
                "hasToken": token_path(name).exists() if p.get("kind") == "oauth" else None,
            }
        )
    emit_items(rows, columns=("name", "default", "kind", "baseUrl"), title=f"Profiles in {config_path()}")


@profiles_app.command("add")
@gong_command(connection=False, output=False)
def add_profile(
    name: Annotated[str, typer.Argument(help="Profile name.")],
    base_url: Annotated[
        str | None, typer.Option(envvar="GONG_BASE_URL", show_default=False, help="API base URL.")
    ] = None,
    access_key: Annotated[
        str | None, typer.Option(envvar="GONG_ACCESS_KEY", show_default=False, help="Access key.")
    ] = None,
    access_key_secret: Annotated[
        str | None,
        typer.Option(
            envvar="GONG_ACCESS_KEY_SECRET",
            show_default=False,
            help="Access key secret; leave it out to be asked for it (not echoed).",
        ),
    ] = None,
    default: Annotated[bool, typer.Option("--default", help="Make it the default.")] = False,
    check: Annotated[
        bool, typer.Option("--check/--no-check", help="Test the key with one request before saving it.")
    ] = True,
) -> None:
    """Save an API-key profile (the file is readable by you only), once Gong accepts it.

    Without --access-key-secret (or GONG_ACCESS_KEY_SECRET) the secret is asked for
    without echo, so it stays out of the shell's history and the process list.
    """
    base_url = base_url or state().connection.base_url
    if access_key and not access_key_secret:
        access_key_secret = _ask_secret()
    connection = ApiKeyConnection(access_key, access_key_secret or None, base_url)  # same checks as at use
    if check:
        opts = state().connection
        opts.profile, opts.base_url = None, base_url
        opts.access_key, opts.access_key_secret = access_key, access_key_secret
        with make_client() as client:
            try:
                client.list_workspaces().first_page()
            except AuthenticationError as exc:
                raise CredentialsError(
                    f"Gong refused the key (HTTP {exc.status}); profile {name!r} was not saved "
                    "(--no-check saves it anyway)"
                ) from None
    save_profile(
        name,
        {"kind": "api_key", "base_url": base_url, "access_key": access_key, "access_key_secret": access_key_secret},
        make_default=default,
    )
    checked = f" (Gong accepted it at {connection.base_url})" if check else ""
    typer.echo(f"profile {name!r} saved in {config_path()}{checked}")


@profiles_app.command("use")
@gong_command(connection=False, output=False)
def use_profile(name: Annotated[str, typer.Argument(help="Profile name.")]) -> None:
    """Make a saved profile the default."""
    if not set_default_profile(name):
        known = ", ".join(sorted(load_config().get("profiles", {}))) or "none yet: `gong profiles add`"
        raise fail(f"no profile {name!r} (profiles: {known})", ExitCode.USAGE)
    typer.echo(f"profile {name!r} is now the default")


@profiles_app.command("remove")
@gong_command(connection=False, output=False)
def remove_profile(name: Annotated[str, typer.Argument(help="Profile name.")]) -> None:
    """Delete a profile and its token."""
    if not delete_profile(name):
        raise fail(f"no profile {name!r}", ExitCode.USAGE)
    typer.echo(f"profile {name!r} removed")
