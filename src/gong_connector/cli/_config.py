"""Where the CLI keeps profiles and tokens, and how it picks a connection.

The directory is ``$GONG_CONFIG_DIR``, else ``$XDG_CONFIG_HOME/gong-connector``, else
``~/.config/gong-connector``. ``config.toml`` holds named profiles; OAuth tokens live in
``tokens/<profile>.json``. Both are written with mode 0600 because they hold secrets.
"""

from __future__ import annotations

import json
import os
import tempfile
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..connections import (
    DEFAULT_OAUTH_BASE_URL,
    DEFAULT_SCOPES,
    ApiKeyConnection,
    Connection,
    FileTokenStore,
    OAuthConnection,
)
from ..connections._token_store import make_private_dirs
from ..errors import CredentialsError, ValidationError

__all__ = [
    "ConnectionOptions",
    "CredentialsError",
    "config_dir",
    "config_path",
    "delete_profile",
    "load_config",
    "make_connection",
    "oauth_connection",
    "resolve_connection",
    "save_profile",
    "set_default_profile",
    "token_path",
]

_PROFILE_KEYS = (
    "kind",
    "base_url",
    "access_key",
    "access_key_secret",
    "client_id",
    "client_secret",
    "oauth_base_url",
    "scopes",
)


def config_dir() -> Path:
    override = os.environ.get("GONG_CONFIG_DIR")
    if override:
        return Path(override).expanduser()
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base).expanduser() / "gong-connector"


def config_path() -> Path:
    return config_dir() / "config.toml"


def token_path(profile: str) -> Path:
    return config_dir() / "tokens" / f"{profile}.json"


def load_config() -> dict[str, Any]:
    path = config_path()
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except FileNotFoundError:
        return {}
    except tomllib.TOMLDecodeError as exc:
        raise ValidationError("config", "toml", f"{path} is not valid TOML: {exc}") from None


def _toml(data: dict[str, Any]) -> str:
    """Our small config as TOML; JSON string escapes are valid TOML basic strings."""
    lines = []
    if data.get("default_profile"):
        lines.append(f"default_profile = {json.dumps(data['default_profile'])}")
    for name, profile in sorted(data.get("profiles", {}).items()):
        lines.append(f"\n[profiles.{json.dumps(name)}]")
        for key in _PROFILE_KEYS:
            if profile.get(key):
                lines.append(f"{key} = {json.dumps(str(profile[key]))}")
    return "\n".join(lines).lstrip("\n") + "\n"


def write_private(path: Path, text: str, *, make_parent: bool = False) -> None:
    """Write a file only its owner can read (it holds secrets), atomically: a crash leaves
    the old file or the new one. ``make_parent`` creates its directory, owner-only."""
    if make_parent:
        make_private_dirs(path.parent)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}-", dir=path.parent)
    try:
        os.fchmod(fd, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def save_profile(name: str, profile: dict[str, Any], *, make_default: bool = False) -> None:
    data = load_config()
    profiles = data.setdefault("profiles", {})
    profiles[name] = {k: v for k, v in profile.items() if k in _PROFILE_KEYS and v}
    if make_default or not data.get("default_profile"):
        data["default_profile"] = name
    write_private(config_path(), _toml(data), make_parent=True)


def set_default_profile(name: str) -> bool:
    """Make a saved profile the default; False when there is no such profile."""
    data = load_config()
    if name not in data.get("profiles", {}):
        return False
    data["default_profile"] = name
    write_private(config_path(), _toml(data), make_parent=True)
    return True


def delete_profile(name: str) -> bool:
    data = load_config()
    if name not in data.get("profiles", {}):
        return False
    del data["profiles"][name]
    if data.get("default_profile") == name:
        data.pop("default_profile")
    write_private(config_path(), _toml(data), make_parent=True)
    token_path(name).unlink(missing_ok=True)
    return True


@dataclass
class ConnectionOptions:
    """What the command line and environment say about the connection."""

    profile: str | None = None
    base_url: str | None = None
    access_key: str | None = None
    access_key_secret: str | None = field(default=None, repr=False)  # a secret: not in reprs


def oauth_connection(name: str, profile: dict[str, Any], **kwargs: Any) -> OAuthConnection:
    return OAuthConnection(
        str(profile.get("client_id") or ""),
        str(profile.get("client_secret") or ""),
        scopes=str(profile.get("scopes") or DEFAULT_SCOPES),
        oauth_base_url=str(profile.get("oauth_base_url") or DEFAULT_OAUTH_BASE_URL),
        token_store=FileTokenStore(token_path(name)),
        api_base_url=profile.get("base_url") or None,
        **kwargs,
    )


def _from_profile(name: str, profile: dict[str, Any], opts: ConnectionOptions) -> Connection:
    if profile.get("kind") == "oauth":
        conn = oauth_connection(name, profile)
        if conn.token is None:
            raise CredentialsError(f"profile {name!r} has no token yet: run `gong auth login --profile {name}`")
        return conn
    return ApiKeyConnection(
        opts.access_key or profile.get("access_key"),
        opts.access_key_secret or profile.get("access_key_secret"),
        opts.base_url or profile.get("base_url"),
    )


def resolve_profile(opts: ConnectionOptions) -> tuple[str | None, dict[str, Any] | None]:
    """The profile in use, if any: the named one, else the default when no key is given."""
    config = load_config()
    profiles: dict[str, Any] = config.get("profiles", {})
    if opts.profile:
        if opts.profile not in profiles:
            raise ValidationError("--profile", "unknown", f"no profile {opts.profile!r} in {config_path()}")
        return opts.profile, profiles[opts.profile]
    if opts.access_key or opts.access_key_secret:
        return None, None
    default = config.get("default_profile")
    if default and default in profiles:
        return str(default), profiles[default]
    return None, None


def make_connection(opts: ConnectionOptions) -> Connection:
    """A named profile wins; then flags and environment; then the default profile."""
    return resolve_connection(opts)[0]


def resolve_connection(opts: ConnectionOptions) -> tuple[Connection, bool]:
    """The connection, and whether its API host is the default because nothing named one
    (no --base-url, GONG_BASE_URL or profile base URL; OAuth gets its host from the token)."""
    name, profile = resolve_profile(opts)
    if name is not None and profile is not None:
        conn = _from_profile(name, profile, opts)
        named = opts.base_url or profile.get("base_url") or os.environ.get("GONG_BASE_URL")
        return conn, profile.get("kind") != "oauth" and not named
    if bool(opts.access_key) != bool(opts.access_key_secret):  # one half of a key
        if opts.access_key:
            missing = "an access key was given without its secret: set --access-key-secret or GONG_ACCESS_KEY_SECRET"
        else:
            missing = "an access key secret was given without its key: set --access-key or GONG_ACCESS_KEY"
        raise CredentialsError(missing + " too")
    if not (opts.access_key and opts.access_key_secret):
        raise CredentialsError(
            "no Gong credentials: pass --access-key and --access-key-secret, set "
            "GONG_ACCESS_KEY and GONG_ACCESS_KEY_SECRET, or use a profile "
            "(`gong profiles add`, `gong auth login`)"
        )
    named = opts.base_url or os.environ.get("GONG_BASE_URL")
    return ApiKeyConnection(opts.access_key, opts.access_key_secret, opts.base_url), not named
