"""Suite-wide settings."""

from __future__ import annotations

import gc
import os
import ssl
from typing import Any

import pytest


def pytest_xdist_auto_num_workers(config: pytest.Config) -> int:
    """One worker more than there are cores: many tests wait on a subprocess, a socket or
    PostgreSQL, and the extra worker keeps the cores busy meanwhile."""
    return len(os.sched_getaffinity(0)) + 1 if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1) + 1


#: Tests between freezes of what is alive (see below).
_FREEZE_EVERY = 200
_ran = 0


def pytest_configure(config: pytest.Config) -> None:
    """No cycle collection while the test modules are imported: all they make lives on.
    (Not in xdist's controller, which collects nothing and would never turn it back on.)"""
    if "PYTEST_XDIST_WORKER" in os.environ or not getattr(config.option, "numprocesses", None):
        gc.disable()


def pytest_collection_finish(session: pytest.Session) -> None:
    """What the tests import lives as long as the session: frozen (after a collection, so no
    garbage is kept), the collector's full passes stop walking it; they took about a tenth
    of the suite's CPU. Modules imported by the tests themselves are frozen every few
    hundred tests."""
    gc.collect()
    gc.freeze()
    gc.enable()


def pytest_runtest_teardown(item: pytest.Item) -> None:
    global _ran
    _ran += 1
    if _ran % _FREEZE_EVERY == 0:
        gc.collect()
        gc.freeze()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Tests marked ``long`` first: started last, one of them keeps a worker busy for
    seconds after the others have run out of tests."""
    items.sort(key=lambda item: item.get_closest_marker("long") is None)


def _build_cli_commands_once() -> None:
    """typer's ``CliRunner`` turns the app into a click command on every ``invoke``, and each
    option then builds its own pydantic ``TypeAdapter``: about 5 ms an invocation, which a
    ``gong`` process pays once. The in-process CLI tests invoke it several hundred times, so
    each worker builds the command once per app (lazily loaded groups stay loaded)."""
    import functools

    import typer.main
    import typer.testing

    typer.testing._get_command = functools.cache(typer.main.get_command)  # type: ignore[attr-defined]


def _share_the_default_tls_context() -> None:
    """httpx loads the CA bundle for every client made without ``verify=`` (about 30 ms),
    though the tests only speak plain HTTP on loopback. Clients the tests make themselves
    share one default context, as the package's own clients do (``gong_connector._tls``)."""
    import httpx._transports.default as transport

    from gong_connector._tls import shared_ssl_context

    make = transport.create_ssl_context

    def create(verify: Any = True, cert: Any = None, trust_env: bool = True) -> ssl.SSLContext:
        if verify is True and cert is None:
            return shared_ssl_context()
        return make(verify=verify, cert=cert, trust_env=trust_env)

    transport.create_ssl_context = create


_build_cli_commands_once()
_share_the_default_tls_context()
