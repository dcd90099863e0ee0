"""httpx's own command line, imported only if something uses it.

``import httpx`` imports ``httpx._main``, its command-line client, whenever click, rich and
pygments are installed, as they are beside the ``cli``, ``emulator`` and ``trigger`` extras:
thirty-odd modules and about 60 ms at every start, none of which the connector uses
(encode/httpx#3547). Before httpx is first imported, a stand-in takes that module's place;
the first use of any of its names imports the real one, so ``httpx.main`` still works.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
import types
from typing import Any

__all__ = ["defer"]

_NAME = "httpx._main"


class _StandIn(types.ModuleType):
    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):  # the import system asks for __path__ and the like
            raise AttributeError(name)
        return getattr(_real(), name)


def _real() -> types.ModuleType:
    if isinstance(sys.modules.get(_NAME), _StandIn):
        del sys.modules[_NAME]
    return importlib.import_module(_NAME)


def _main(*args: Any, **kwargs: Any) -> Any:
    return _real().main(*args, **kwargs)


def defer() -> None:
    """Put the stand-in in place, unless httpx is already imported (then it is too late) or
    click is missing (then httpx's own import of its CLI fails at once, and it says so)."""
    if "httpx" in sys.modules or _NAME in sys.modules or importlib.util.find_spec("click") is None:
        return
    stand_in = _StandIn(_NAME, __doc__)
    stand_in.main = _main  # type: ignore[attr-defined]  # what httpx's __init__ imports from it
    sys.modules[_NAME] = stand_in
