"""Root of the ``gong`` command: one sub-app per noun, composed here."""

from __future__ import annotations

import typer

from ._demo import demo
from ._emulator import emulator_app
from ._trigger import trigger_app

app = typer.Typer(
    name="gong",
    help="Gong from the command line: a local Gong emulator, and (soon) every Gong action.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
app.add_typer(emulator_app, name="emulator")
app.add_typer(trigger_app, name="trigger")
app.command("demo")(demo)


@app.callback()
def _root() -> None:
    """gong-connector's command line."""


def main() -> None:
    app()
