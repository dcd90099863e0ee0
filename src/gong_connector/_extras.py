"""Which optional extra each part of the package needs, checked when the part is imported.

``pip install gong-connector`` brings the client only; the CLI, emulator, trigger, sync
and MCP server each come with an extra. Importing a part without its extra raises
``MissingExtraError`` (an ``ImportError``) that names the extra to install, instead of a
bare "No module named ...".
"""

from __future__ import annotations

import importlib.util

from .errors import MissingExtraError

__all__ = ["require"]


def require(feature: str, extra: str, *modules: str) -> None:
    """Raise ``MissingExtraError`` unless every module can be imported."""
    for name in modules:
        if importlib.util.find_spec(name) is None:
            raise MissingExtraError(feature, extra, name)
