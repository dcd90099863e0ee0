"""Root of the ``gong`` command: the root options, and every command loaded on first use.

Root options (``gong --json --profile x calls list``) and the same options after a command
(``gong calls list --json``) both work; the command's win. Commands are listed in
``_commands.py`` and imported only when run, so ``gong --help`` imports none of them, and
a command whose extra is not installed says which one to install.
"""

from __future__ import annotations

import importlib
import sys
from typing import TYPE_CHECKING, Annotated, Any

import typer
from typer.core import TyperCommand, TyperGroup, TyperOption

from .._version import __version__
from ._commands import COMMANDS, ROOT_HELP, ROOT_OPTIONS, Entry

if TYPE_CHECKING:
    from typer._click.exceptions import ClickException, UsageError

__all__ = ["app", "main"]


def _load(name: str, entry: Entry) -> Any:
    try:
        module = importlib.import_module(f"gong_connector.cli.{entry.module}")
    except ModuleNotFoundError as exc:
        missing = exc.name or ""
        if missing.split(".")[0] == "gong_connector":
            raise
        from ..errors import MissingExtraError

        raise MissingExtraError(f"gong {name}", entry.extra, missing) from None
    target = getattr(module, entry.attr)
    command: Any
    if isinstance(target, typer.Typer):
        command = typer.main.get_group(target)
    else:
        single = typer.Typer(add_completion=False)
        single.command(name, cls=getattr(target, "command_class", None))(target)
        command = typer.main.get_command(single)
    command.name = name
    command.short_help = entry.help
    command.rich_help_panel = entry.panel
    return command


class LazyGroup(TyperGroup):
    """Lists commands from the index; imports one only to run it (or show its own help)."""

    _listing = False

    def list_commands(self, ctx: Any) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        entry = COMMANDS.get(cmd_name)
        if entry is None:
            return None
        if self._listing:  # drawing `gong --help`: the index's line is enough
            stub = TyperCommand(cmd_name, help=entry.help, short_help=entry.help)
            stub.rich_help_panel = entry.panel
            return stub
        try:
            return _load(cmd_name, entry)
        except Exception as exc:
            from ..errors import GongError

            if not isinstance(exc, GongError):
                raise
            from ._common import fail

            raise fail(str(exc), 1) from None

    def format_help(self, ctx: Any, formatter: Any) -> None:
        self._listing = True
        try:
            super().format_help(ctx, formatter)
        finally:
            self._listing = False


def _flag_type(self: TyperOption, ctx: Any) -> str | None:
    """No ``<bool>`` after a flag in the help: it takes no value (typer 0.29 shows one)."""
    if self.is_flag and not self.count:
        return None
    return _value_type(self, ctx)


_value_type = TyperOption.display_type_rich
TyperOption.display_type_rich = _flag_type  # type: ignore[method-assign]


def _version(value: bool) -> None:
    if value:
        typer.echo(f"gong-connector {__version__}")
        raise typer.Exit()


app = typer.Typer(
    name="gong",
    cls=LazyGroup,
    help=ROOT_HELP,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=True,
)


@app.callback()
def _root(
    profile: Annotated[
        str | None, typer.Option("--profile", show_default=False, help=ROOT_OPTIONS["--profile"][1])
    ] = None,
    base_url: Annotated[
        str | None,
        typer.Option("--base-url", show_default=False, help=ROOT_OPTIONS["--base-url"][1]),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help=ROOT_OPTIONS["--json"][1])] = False,
    as_jsonl: Annotated[bool, typer.Option("--jsonl", help=ROOT_OPTIONS["--jsonl"][1])] = False,
    as_table: Annotated[bool, typer.Option("--table", help=ROOT_OPTIONS["--table"][1])] = False,
    debug: Annotated[bool, typer.Option("--debug", help=ROOT_OPTIONS["--debug"][1])] = False,
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help=ROOT_OPTIONS["--version"][1]),
    ] = False,
) -> None:
    """gong-connector's command line."""
    from ._common import reset_state, state

    reset_state(json=as_json, jsonl=as_jsonl, table=as_table, debug=debug)
    state().connection.profile = profile
    state().connection.base_url = base_url


def main(argv: list[str] | None = None) -> int:
    """Run ``gong``; returns the exit code. A usage error (a bad option value, a missing
    option, an unknown command) is one ``error:`` line on stderr with exit code 2, like every
    other error, instead of typer's boxed usage text."""
    click_error, usage_error = _click_errors()
    try:
        result = app(args=argv if argv is not None else sys.argv[1:], standalone_mode=False, prog_name="gong")
    except usage_error as exc:
        message = exc.format_message()
        if not message:  # a group run without its command: its help was shown
            return int(exc.exit_code)
        where = exc.ctx.command_path if exc.ctx is not None else "gong"
        sys.stderr.write(f"error: {message} (see '{where} --help')\n")
        return 2
    except click_error as exc:
        sys.stderr.write(f"error: {exc.format_message()}\n")
        return int(exc.exit_code)
    except typer.Abort:
        sys.stderr.write("error: aborted\n")
        return 1
    return result if isinstance(result, int) else 0  # an int is typer.Exit's code


def _click_errors() -> tuple[type[ClickException], type[UsageError]]:
    """Click's error classes: typer 0.20 and later carry their own copy of click."""
    try:
        from typer._click import exceptions
    except ImportError:  # an older typer, on click itself
        from click import exceptions  # type: ignore[no-redef]
    return exceptions.ClickException, exceptions.UsageError
