"""The house rules of docs/architecture.md, checked: no import cycles, layers import downwards.

Imports are read from the source (module level only; imports inside functions and under
``TYPE_CHECKING`` are deliberate late bindings and do not make a cycle at import time).
"""

from __future__ import annotations

import ast
import functools
import re
import subprocess
import sys
from collections.abc import Mapping, Set
from pathlib import Path

import pytest

import gong_connector

ROOT = Path(gong_connector.__file__).parent
PACKAGE = "gong_connector"

#: Bottom modules every part may use: the version, the check that names a missing extra, the
#: one TLS context and the lazy package attributes.
ANYONE = ("_version", "_extras", "_tls", "_lazy")

#: What each part may import from the package (besides itself and ``ANYONE``).
ALLOWED: dict[str, set[str]] = {
    "errors": set(),
    "_extras": {"errors"},
    "_version": set(),
    "_tls": set(),
    "_httpx_cli": set(),
    "_lazy": set(),
    "_serving": {"errors"},
    "connections": {"errors"},
    "_backoff": set(),
    "client": {"errors", "connections", "_backoff"},
    "actions": {"errors", "client", "connections"},
    "emulator": {"_serving", "errors", "_extras"},
    "db": {"errors"},
    "sync": {"errors", "client", "connections", "db"},
    "trigger": {"errors", "db", "_serving", "_backoff"},
    "mcp_server": {"errors", "client", "connections", "actions", "_serving"},
    "dlt": {"errors", "client", "connections", "sync", "db"},
    "cli": {
        "errors",
        "client",
        "connections",
        "actions",
        "emulator",
        "sync",
        "trigger",
        "mcp_server",
        "db",
        "_serving",
    },
}


def _module_name(path: Path) -> str:
    rel = path.relative_to(ROOT.parent).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _top_level_imports(tree: ast.Module) -> list[ast.Import | ast.ImportFrom]:
    found: list[ast.Import | ast.ImportFrom] = []

    def walk(body: list[ast.stmt]) -> None:
        for node in body:
            if isinstance(node, ast.Import | ast.ImportFrom):
                found.append(node)
            elif isinstance(node, ast.If) and not _is_type_checking(node):
                walk(node.body)
                walk(node.orelse)
            elif isinstance(node, ast.Try):
                walk(node.body)
                for handler in node.handlers:
                    walk(handler.body)
                walk(node.orelse)
                walk(node.finalbody)

    walk(tree.body)
    return found


def _resolve(module: str, is_package: bool, node: ast.ImportFrom) -> list[str]:
    if node.level == 0:
        base = node.module or ""
    else:
        parts = module.split(".")
        if not is_package:
            parts = parts[:-1]
        parts = parts[: len(parts) - (node.level - 1)]
        base = ".".join([*parts, node.module] if node.module else parts)
    if not base.startswith(PACKAGE):
        return []
    # ``from pkg import name`` may name a submodule: count it when one exists.
    targets = [base]
    for alias in node.names:
        candidate = f"{base}.{alias.name}"
        if _path_of(candidate) is not None:
            targets.append(candidate)
    return targets


def _path_of(module: str) -> Path | None:
    rel = Path(*module.split(".")[1:])
    for path in (ROOT / rel / "__init__.py", (ROOT / rel).with_suffix(".py")):
        if path.exists():
            return path
    return None


@functools.cache
def import_graph() -> dict[str, frozenset[str]]:
    """Parsed once per session: every layer test reads the same sources."""
    graph: dict[str, frozenset[str]] = {}
    for path in sorted(ROOT.rglob("*.py")):
        module = _module_name(path)
        tree = ast.parse(path.read_text(encoding="utf-8"))
        deps: set[str] = set()
        for node in _top_level_imports(tree):
            if isinstance(node, ast.Import):
                deps.update(a.name for a in node.names if a.name.startswith(PACKAGE))
            else:
                deps.update(_resolve(module, path.name == "__init__.py", node))
        deps.discard(module)
        graph[module] = frozenset(deps)
    return graph


def _part(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


def _find_cycle(graph: Mapping[str, Set[str]]) -> list[str] | None:
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for dep in sorted(graph.get(node, ())):
            if dep not in graph:
                continue
            if state.get(dep) == 1:
                return [*stack[stack.index(dep) :], dep]
            if dep not in state and (cycle := visit(dep)):
                return cycle
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state and (cycle := visit(node)):
            return cycle
    return None


def _without_ancestor_edges(graph: Mapping[str, Set[str]]) -> dict[str, set[str]]:
    """Python runs a package's ``__init__`` before any of its modules, so a module naming
    its own package (``from . import x``) is not a cycle; nor is a module importing the
    root package for ``__version__`` (the root imports nothing eagerly)."""
    return {m: {d for d in deps if not m.startswith(d + ".")} for m, deps in graph.items()}


def test_no_module_import_cycles() -> None:
    cycle = _find_cycle(_without_ancestor_edges(import_graph()))
    assert cycle is None, "import cycle: " + " -> ".join(cycle or [])


def test_no_package_import_cycles() -> None:
    parts: dict[str, set[str]] = {}
    for module, deps in import_graph().items():
        src = _part(module)
        if not src:
            continue
        parts.setdefault(src, set()).update(p for d in deps if (p := _part(d)) and p != src)
    cycle = _find_cycle(parts)
    assert cycle is None, "package cycle: " + " -> ".join(cycle or [])


@pytest.mark.parametrize("part", sorted(ALLOWED))
def test_layers_import_downwards(part: str) -> None:
    graph = import_graph()
    wrong: dict[str, set[str]] = {}
    for module, deps in graph.items():
        if _part(module) != part:
            continue
        bad = {d for d in deps if (p := _part(d)) and p not in (part, *ANYONE) and p not in ALLOWED[part]}
        if bad:
            wrong[module] = bad
    assert not wrong, f"{part} may import only {sorted(ALLOWED[part])}: {wrong}"


def test_every_part_has_a_rule() -> None:
    parts = {_part(m) for m in import_graph()} - {""}
    assert parts <= set(ALLOWED) | {"py"}, f"add a layering rule for {sorted(parts - set(ALLOWED))}"


def test_importing_the_package_or_the_pytest_plugin_loads_no_client() -> None:
    """A project that installs us gets our pytest plugin in every session: it must stay light."""
    code = (
        "import sys, gong_connector, gong_connector.emulator.pytest_plugin, gong_connector.errors\n"
        "heavy = [m for m in ('gong_connector.client', 'gong_connector.connections', 'pydantic', 'httpx',"
        " 'starlette', 'uvicorn') if m in sys.modules]\n"
        "print(','.join(heavy))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_the_client_does_not_import_httpxs_command_line() -> None:
    """httpx imports its own CLI (click, rich, pygments) when they are installed, as they are
    here; the package defers it until something uses it, and then it is the real one."""
    code = (
        "import sys, gong_connector.client, httpx\n"
        "print(','.join(m for m in ('click', 'rich', 'pygments') if m in sys.modules))\n"
        "print(callable(httpx.main), callable(sys.modules['httpx._main'].print_help))\n"
        "print(sys.modules['httpx._main'].__file__.endswith('_main.py'))\n"
        "print(all(m in sys.modules for m in ('click', 'rich', 'pygments')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.splitlines() == ["", "True True", "True", "True"]


def test_every_file_the_architecture_page_names_exists() -> None:
    """The page is where a newcomer learns which file to edit: a renamed file must not leave it
    pointing at nothing."""
    repo = ROOT.parents[1]
    page = repo / "docs" / "architecture.md"
    if not page.is_file():
        pytest.skip("docs/ is not beside an installed (non-editable) package")
    named = set(re.findall(r"`((?:\w+/)*\w+\.py|(?:\w+/)+)`", page.read_text()))
    assert len(named) > 30, "the page names the files to edit"
    missing = sorted(
        name
        for name in named
        if not ((ROOT / name).exists() or (repo / name).exists() or ("/" not in name and any(ROOT.rglob(name))))
    )
    assert not missing, f"docs/architecture.md names files that are not there: {missing}"
