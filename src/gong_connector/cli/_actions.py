"""``gong actions``, ``gong manifest`` and ``gong run``: the registry from the command line."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from ..actions import (
    ACTIONS,
    build_manifest,
    get_action,
    iter_action,
    merge_text_inputs,
    run_action,
)
from ..client import ValidationError
from ._common import Output, emit, emit_items, gong_command, make_client, out, output_mode


@gong_command(connection=False)
def actions() -> None:
    """List every action: key, name, and whether it reads, changes or deletes."""
    rows: list[dict[str, Any]] = [
        {"key": a.key, "name": a.name, "kind": _kind(a.read_only, a.destructive), "paged": a.paged, "scope": a.scope}
        for a in ACTIONS.values()
    ]
    if output_mode() != Output.TABLE:
        emit(rows)
        return
    table = Table(title="Gong actions (run with `gong run KEY`)")
    for col in ("key", "name", "kind", "scope"):
        table.add_column(col)
    for row in rows:
        table.add_row(str(row["key"]), str(row["name"]), str(row["kind"]), str(row["scope"] or ""))
    out.print(table)


def _kind(read_only: bool, destructive: bool) -> str:
    return "read" if read_only else ("destructive" if destructive else "write")


@gong_command(connection=False, output=False)
def manifest(
    action: Annotated[str | None, typer.Argument(help="Only this action's entry.", show_default=False)] = None,
) -> None:
    """Print the registry as JSON: connections, trigger, actions with input/output schemas."""
    data: Any = build_manifest()
    if action is not None:
        key = get_action(action).key
        data = next(a for a in data["actions"] if a["key"] == key)
    typer.echo(json.dumps(data, indent=2, ensure_ascii=False))


def input_help(action_key: str, input_key: str, note: str = "") -> str:
    """An option's help, taken from the action's declaration (plus what the CLI adds)."""
    return f"{get_action(action_key).input(input_key).help} {note}".strip()


def read_inputs(action_key: str, pairs: list[str] | None, inputs_file: Path | None) -> dict[str, Any]:
    """Inputs from a JSON file (``-`` for stdin) overlaid with ``--input key=value``."""
    action = get_action(action_key)
    values: dict[str, Any] = {}
    if inputs_file is not None:
        try:
            text = (
                typer.get_text_stream("stdin").read()
                if str(inputs_file) == "-"
                else (inputs_file.read_text(encoding="utf-8"))
            )
            loaded = json.loads(text)
        except (OSError, json.JSONDecodeError) as exc:
            raise ValidationError("--inputs-file", "json", f"cannot read JSON: {exc}") from None
        if not isinstance(loaded, dict):
            raise ValidationError("--inputs-file", "object", "must hold a JSON object")
        values.update(loaded)
    values.update(merge_text_inputs(action, list(pairs or [])))
    return values


InputOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--input", "-i", show_default=False, help="An input as key=value (JSON for objects and lists); repeat for more."
    ),
]
InputsFileOpt = Annotated[
    Path | None,
    typer.Option(
        "--inputs-file",
        show_default=False,
        dir_okay=False,
        help="JSON object of inputs ('-' reads stdin); --input values override it.",
    ),
]


@gong_command(listing=True)
def run(
    action: Annotated[str, typer.Argument(help="Action key (see `gong actions`).")],
    inputs: InputOpt = None,
    inputs_file: InputsFileOpt = None,
    all_pages: Annotated[
        bool, typer.Option("--all", help="For list actions: every item across all pages, not one page.")
    ] = False,
    limit: int | None = None,
) -> None:
    """Run any action by key with inputs.

    List actions print one page and its cursor, unless --all, --jsonl or --limit streams
    every item across pages.
    """
    spec = get_action(action)
    values = read_inputs(spec.key, inputs, inputs_file)
    with make_client() as client:
        if spec.paged and (all_pages or output_mode() == Output.JSONL or limit is not None):
            emit_items(iter_action(client, spec.key, values), limit=limit, title=spec.name)
            return
        result = run_action(client, spec.key, values)
        emit(result.output, title=spec.name)
