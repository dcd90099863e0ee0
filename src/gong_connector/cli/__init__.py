"""The ``gong`` command line (the ``cli`` extra: typer and rich)."""

from __future__ import annotations

import importlib.util
import sys
from typing import Any

__all__ = ["app", "main"]

_NEEDS = ("typer", "rich")


def main() -> None:
    """The ``gong`` entry point; says which extra to install when the CLI's are missing."""
    missing = next((name for name in _NEEDS if importlib.util.find_spec(name) is None), None)
    if missing is not None:
        from ..errors import MissingExtraError

        sys.stderr.write(f"error: {MissingExtraError('the gong command', 'cli', missing)}\n")
        raise SystemExit(1)
    if sys.argv[1:] == ["--help"]:
        from ._commands import print_root_help

        print_root_help()
        return
    if sys.argv[1:] == ["--version"]:
        from .._version import __version__

        print(f"gong-connector {__version__}")
        return
    from ._app import main as run

    raise SystemExit(run())


def __getattr__(name: str) -> Any:
    if name == "app":
        from ._app import app

        return app
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
