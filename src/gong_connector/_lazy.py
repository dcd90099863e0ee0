"""Package attributes imported on first use (PEP 562).

The root package, the emulator and the MCP server keep their imports for the moment a name
is used: ``import gong_connector`` stays free (the pytest plugin loads it in every session
of every project that installs us), and ``gong mcp`` checks its options before the MCP SDK.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from typing import Any

__all__ = ["lazy_attributes"]


def lazy_attributes(
    package: str,
    where: Mapping[str, str],
    namespace: dict[str, Any],
    *,
    before_import: Callable[[str], None] | None = None,
) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """The package's ``__getattr__`` and ``__dir__``: each name in ``where`` comes from the
    submodule it names, imported (after ``before_import(submodule)``) when first asked for,
    then kept in ``namespace``."""

    def __getattr__(name: str) -> Any:
        module = where.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        if before_import is not None:
            before_import(module)
        value = getattr(importlib.import_module(f".{module}", package), name)
        namespace[name] = value
        return value

    def __dir__() -> list[str]:
        return list(namespace["__all__"])

    return __getattr__, __dir__
