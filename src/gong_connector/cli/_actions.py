"""``gong actions``, ``gong manifest`` and ``gong run``: the registry from the command line."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.panel import Panel
from rich.table import Table
from rich.text import Text
from typer.core import TyperCommand

from ..actions import (
    ACTIONS,
    ActionSpec,
    InputSpec,
    build_manifest,
    get_action,
    iter_action,
    merge_text_inputs,
    run_action,
)
from ..client import ValidationError
from ._common import Output, emit, emit_items, fail, gong_command, make_client, output_mode


@gong_command(connection=False)
def actions() -> None:
    """List every action: key, name, and whether it reads, changes or deletes."""
    rows: list[dict[str, Any]] = [
        {"key": a.key, "name": a.name, "kind": _kind(a.read_only, a.destructive), "paged": a.paged, "scope": a.scope}
        for a in ACTIONS.values()
    ]
    emit_items(rows, columns=("key", "name", "kind", "scope"), title="Gong actions (run with `gong run KEY`)")


def _kind(read_only: bool, destructive: bool) -> str:
    return "read" if read_only else ("destructive" if destructive else "write")


@gong_command(connection=False)
def manifest(
    action: Annotated[str | None, typer.Argument(help="Only this action's entry.", show_default=False)] = None,
) -> None:
    """Print the registry as JSON: connections, trigger, actions with input/output schemas.

    A document, so JSON on a terminal too (--jsonl: on one line)."""
    data: Any = build_manifest()
    if action is not None:
        key = get_action(action).key
        data = next(a for a in data["actions"] if a["key"] == key)
    compact = output_mode() == Output.JSONL
    typer.echo(json.dumps(data, indent=None if compact else 2, ensure_ascii=False))


def input_help(action_key: str, input_key: str, note: str = "") -> str:
    """An option's help, taken from the action's declaration (plus what the CLI adds)."""
    return f"{get_action(action_key).input(input_key).help} {note}".strip()


#: What every date option accepts (read by ``_common.moment``).
WHEN_HELP = "A date-time with an offset (2026-10-01T09:00:00Z), a date (2026-10-01, midnight UTC) or an age (30d, 36h)."


def date_help(action_key: str, input_key: str) -> str:
    """A date option's help: the input's own words, and the forms the command line takes."""
    spec = get_action(action_key).input(input_key)
    return f"{spec.help.replace(spec.kind.hint, '').strip()} {WHEN_HELP}".strip()


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


def _example_text(value: Any) -> str:
    """An example value as it is typed after ``--input key=``."""
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def _default_text(spec: InputSpec) -> str:
    if spec.default is None:
        return ""
    if isinstance(spec.default, bool):
        return "true" if spec.default else "false"
    return _example_text(spec.default)


def action_help(action: ActionSpec, console: Console) -> None:
    """An action's inputs, read from its declaration: name, type, required, default, example."""
    table = Table(show_header=True, box=None, padding=(0, 1), expand=True, header_style="bold")
    table.add_column("input", no_wrap=True, style="bold cyan")
    table.add_column("type", no_wrap=True, style="yellow")
    table.add_column("required", no_wrap=True, style="red")
    table.add_column("description", ratio=1)
    for spec in action.inputs:
        about = Text(spec.help or spec.label)
        if spec.type == "datetime":
            about.append(" Here also a date (2026-10-01) or an age (30d).")
        if spec.choices:
            about.append(f" One of: {', '.join(spec.choices)}.")
        if spec.default is not None:
            about.append(f" [default: {_default_text(spec)}]", style="dim")
        if _example(spec) is not None:
            about.append(f" [example: {_example_text(_example(spec))}]", style="dim")
        table.add_row(Text(spec.key), Text(spec.type), Text("yes" if spec.required else ""), about)
    if not action.inputs:
        table.add_row(Text("(none)"), Text(""), Text(""), Text("This action takes no inputs."))
    console.print(Text(f" {action.key} ({action.name}): {action.description}"), soft_wrap=True)
    title = f"Inputs of {action.key}: --input KEY=VALUE"
    console.print(Panel(table, title=Text(title), title_align="left", border_style="dim"))
    shown = [s for s in action.inputs if s.required] or list(action.inputs[:1])
    example = " ".join(f"-i {s.key}={_example_text(_example(s))}" for s in shown if _example(s) is not None)
    console.print(Text(f" Example: gong run {action.key} {example}".rstrip()), soft_wrap=True)


def _example(spec: InputSpec) -> Any:
    """The input's example; none for the cursor, which only a previous page gives."""
    return None if spec.key == "cursor" else spec.example


class RunCommand(TyperCommand):
    """``gong run``, whose ``--help`` also lists the named action's inputs."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        ctx.meta["gong_run_action"] = self._action_in(ctx, args)
        return super().parse_args(ctx, args)

    def _action_in(self, ctx: Any, args: list[str]) -> str | None:
        """The first argument that is not an option or an option's value."""
        takes_value = {
            name
            for param in self.get_params(ctx)
            if param.param_type_name == "option" and not getattr(param, "is_flag", False)
            for name in param.opts
        }
        skip = False
        for arg in args:
            if skip:
                skip = False
            elif arg == "--":
                continue
            elif arg.startswith("-"):
                skip = arg in takes_value
            else:
                return arg
        return None

    def format_help(self, ctx: Any, formatter: Any) -> None:
        key = ctx.meta.get("gong_run_action")
        action = None
        if key is not None:
            try:
                action = get_action(key)
            except ValidationError as exc:
                raise fail(f"{exc.message}", 2) from None
        super().format_help(ctx, formatter)
        if action is not None:
            action_help(action, Console())


@gong_command(listing=True)
def run(
    action: Annotated[str, typer.Argument(metavar="ACTION", help="Action key (see `gong actions`).")],
    inputs: InputOpt = None,
    inputs_file: InputsFileOpt = None,
    all_pages: Annotated[
        bool, typer.Option("--all", help="For list actions: every item across all pages, not one page.")
    ] = False,
    limit: int | None = None,
) -> None:
    """Run any action by key with inputs; `gong run ACTION --help` lists its inputs.

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


run.command_class = RunCommand  # type: ignore[attr-defined]
