"""What every ``gong`` command shares: connection and output options, the client, output
as a table, JSON or JSON Lines, and errors as one line with a meaningful exit code.

Commands declare only their own arguments; ``@gong_command`` adds the shared options to
their signature (so Typer shows them in each command's ``--help``), and runs the body
under one error handler, so no command prints a traceback unless ``--debug``.
"""

from __future__ import annotations

import functools
import inspect
import json
import os
import sys
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from enum import IntEnum
from typing import Annotated, Any, TypeVar, get_type_hints

import typer
from rich.console import Console
from rich.progress import Progress, SpinnerColumn, TextColumn
from rich.table import Table

from ..client import (
    AuthenticationError,
    DailyBudgetExceededError,
    GongClient,
    GongError,
    NotFoundError,
    OAuthStateError,
    PermissionDeniedError,
    RateLimiter,
    RateLimitError,
    ValidationError,
)
from ._config import ConnectionOptions, CredentialsError, make_connection

__all__ = ["ExitCode", "Output", "State", "emit", "emit_items", "fail", "gong_command", "state"]

F = TypeVar("F", bound=Callable[..., Any])


class ExitCode(IntEnum):
    """Documented in docs/cli.md; scripts may rely on them."""

    OK = 0
    FAILURE = 1  # Gong or the network failed (5xx, conflict, transport), or anything else
    USAGE = 2  # bad command line or input: nothing was sent
    AUTH = 3  # no credentials, rejected credentials, or a missing scope
    NOT_FOUND = 4
    RATE_LIMITED = 5  # 429 from Gong, or the client's daily budget is spent
    INTERRUPTED = 130


@dataclass
class State:
    """Options of the current invocation (root options, then the command's)."""

    connection: ConnectionOptions = field(default_factory=ConnectionOptions)
    json: bool = False
    jsonl: bool = False
    table: bool = False
    debug: bool = False


_state = State()
out = Console(soft_wrap=True)
err = Console(stderr=True, highlight=False, soft_wrap=True)


def state() -> State:
    return _state


def reset_state(**changes: Any) -> None:
    global _state
    _state = State(**changes)


# --------------------------------------------------------------------------- errors


def exit_code_for(exc: BaseException) -> ExitCode:
    if isinstance(exc, ValidationError | typer.TyperException):
        return ExitCode.USAGE
    if isinstance(exc, AuthenticationError | PermissionDeniedError | OAuthStateError | CredentialsError):
        return ExitCode.AUTH
    if isinstance(exc, NotFoundError):
        return ExitCode.NOT_FOUND
    if isinstance(exc, RateLimitError | DailyBudgetExceededError):
        return ExitCode.RATE_LIMITED
    return ExitCode.FAILURE


def describe(exc: BaseException) -> str:
    """One line: the field and rule for bad input, Gong's message and request id for API
    errors. Our exceptions never hold credentials, so their text is safe to print."""
    if isinstance(exc, ValidationError):
        return f"{exc.field}: {exc.message} [{exc.rule}]"
    if isinstance(exc, PermissionDeniedError):
        scope = exc.missing_scope or exc.required_scope
        return f"{exc} — the credentials lack the {scope} scope" if scope else str(exc)
    if isinstance(exc, RateLimitError) and exc.retry_after is not None:
        return f"{exc} — retry after {exc.retry_after:g}s"
    if isinstance(exc, GongError):
        return str(exc)
    return f"{type(exc).__name__}: {exc} (run with --debug for the traceback)"


def fail(message: str, code: ExitCode = ExitCode.USAGE) -> typer.Exit:
    err.print(f"[red]error:[/red] {message}", markup=True, highlight=False)
    return typer.Exit(int(code))


@contextmanager
def handle_errors() -> Iterator[None]:
    try:
        yield
    except (typer.Exit, typer.Abort, typer.TyperException):
        raise
    except KeyboardInterrupt:
        raise fail("interrupted", ExitCode.INTERRUPTED) from None
    except BrokenPipeError:
        # The reader went away (`gong calls list --jsonl | head`): stop quietly, and point
        # stdout at /dev/null so the interpreter's final flush does not complain.
        _silence_stdout()
        raise typer.Exit(int(ExitCode.OK)) from None
    except Exception as exc:
        if _state.debug:
            raise
        raise fail(_escape(describe(exc)), exit_code_for(exc)) from None


def _silence_stdout() -> None:
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):  # no real file descriptor (tests)
        pass


def _escape(text: str) -> str:
    return text.replace("[", r"\[")


# --------------------------------------------------------------------------- shared options

_COMMON: dict[str, tuple[Any, Any]] = {
    "profile": (
        Annotated[
            str | None,
            typer.Option(
                "--profile",
                envvar="GONG_PROFILE",
                show_default=False,
                help="Named profile from the config file.",
                rich_help_panel="Connection",
            ),
        ],
        None,
    ),
    "base_url": (
        Annotated[
            str | None,
            typer.Option(
                "--base-url",
                envvar="GONG_BASE_URL",
                show_default=False,
                help="Gong API base URL (default https://api.gong.io).",
                rich_help_panel="Connection",
            ),
        ],
        None,
    ),
    "access_key": (
        Annotated[
            str | None,
            typer.Option(
                "--access-key",
                envvar="GONG_ACCESS_KEY",
                show_default=False,
                help="API access key.",
                rich_help_panel="Connection",
            ),
        ],
        None,
    ),
    "access_key_secret": (
        Annotated[
            str | None,
            typer.Option(
                "--access-key-secret",
                envvar="GONG_ACCESS_KEY_SECRET",
                show_default=False,
                show_envvar=True,
                help="API access key secret (prefer the environment variable).",
                rich_help_panel="Connection",
            ),
        ],
        None,
    ),
    "debug": (
        Annotated[bool, typer.Option("--debug", help="Show tracebacks and request logs.", rich_help_panel="Output")],
        False,
    ),
}
_OUTPUT: dict[str, tuple[Any, Any]] = {
    "as_json": (
        Annotated[bool, typer.Option("--json", help="JSON output (the default when piped).", rich_help_panel="Output")],
        False,
    ),
    "as_table": (
        Annotated[bool, typer.Option("--table", help="A table even when piped.", rich_help_panel="Output")],
        False,
    ),
}
_LIST: dict[str, tuple[Any, Any]] = {
    "as_jsonl": (
        Annotated[
            bool,
            typer.Option(
                "--jsonl", help="One JSON object per line, streamed across all pages.", rich_help_panel="Output"
            ),
        ],
        False,
    ),
    "limit": (
        Annotated[
            int | None,
            typer.Option(
                "--limit", min=1, show_default=False, help="Stop after this many items.", rich_help_panel="Output"
            ),
        ],
        None,
    ),
}


def gong_command(*, connection: bool = True, output: bool = True, listing: bool = False) -> Callable[[F], F]:
    """Add the shared options to a command and run it under the error handler.

    A listing command receives ``limit`` as a keyword argument (``None`` for no limit).
    """

    def decorate(func: F) -> F:
        extra: dict[str, tuple[Any, Any]] = {}
        if connection:
            extra.update(_COMMON)
        else:
            extra["debug"] = _COMMON["debug"]
        if output:
            extra.update(_OUTPUT)
        if listing:
            extra.update(_LIST)
        hints = get_type_hints(func, include_extras=True)
        sig = inspect.signature(func)
        own = [
            p.replace(annotation=hints.get(p.name, p.annotation)) for p in sig.parameters.values() if p.name != "limit"
        ]
        added = [
            inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, default=default, annotation=annotation)
            for name, (annotation, default) in extra.items()
        ]

        @functools.wraps(func)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            s = _state
            conn = s.connection
            for name in ("profile", "base_url", "access_key", "access_key_secret"):
                if connection:  # otherwise these names are the command's own
                    value = kwargs.pop(name, None)
                    if value is not None:
                        setattr(conn, name, value)
            s.debug = kwargs.pop("debug", False) or s.debug
            s.json = kwargs.pop("as_json", False) or s.json
            s.table = kwargs.pop("as_table", False) or s.table
            s.jsonl = kwargs.pop("as_jsonl", False) or s.jsonl
            if s.debug:
                import logging

                logging.basicConfig(level=logging.DEBUG, stream=sys.stderr)
            with handle_errors():
                return func(*args, **kwargs)

        params = [*own, *added]
        wrapper.__signature__ = inspect.Signature(params)  # type: ignore[attr-defined]
        wrapper.__annotations__ = {p.name: p.annotation for p in params}
        del wrapper.__wrapped__
        return wrapper  # type: ignore[return-value]

    return decorate


# --------------------------------------------------------------------------- client


def make_client() -> GongClient:
    """A client on the resolved connection. ``GONG_RATE_LIMIT`` (requests per second, or
    ``off``) overrides Gong's default 3/s pacing, e.g. against a local emulator."""
    connection = make_connection(_state.connection)
    limit = os.environ.get("GONG_RATE_LIMIT", "").strip().lower()
    kwargs: dict[str, Any] = {}
    if limit == "off":
        kwargs["rate_limiter"] = RateLimiter.off()
    elif limit:
        try:
            kwargs["rate_limiter"] = RateLimiter(float(limit.removesuffix("/s")))
        except ValueError:
            raise ValidationError("GONG_RATE_LIMIT", "rate", "must be like 3/s or off") from None
    return GongClient(connection, **kwargs)


# --------------------------------------------------------------------------- output


class Output:
    TABLE = "table"
    JSON = "json"
    JSONL = "jsonl"


def output_mode() -> str:
    s = _state
    if s.jsonl:
        return Output.JSONL
    if s.json:
        return Output.JSON
    if s.table:
        return Output.TABLE
    return Output.TABLE if sys.stdout.isatty() else Output.JSON


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def emit(data: Any, *, title: str | None = None) -> None:
    """One result: JSON, or a two-column table of its fields."""
    mode = output_mode()
    if mode != Output.TABLE:
        sys.stdout.write(json.dumps(data, indent=None if mode == Output.JSONL else 2, ensure_ascii=False) + "\n")
        return
    if not isinstance(data, dict):
        out.print(_cell(data), markup=False, highlight=False)
        return
    table = Table(title=title, show_header=False)
    table.add_column("field", style="bold")
    table.add_column("value", overflow="fold")
    for key, value in data.items():
        table.add_row(key, _cell(value))
    out.print(table)


def _columns(first: dict[str, Any], preferred: tuple[str, ...]) -> list[str]:
    cols = [c for c in preferred if c in first]
    if not cols:
        cols = [k for k, v in first.items() if not isinstance(v, dict | list)][:6]
    return cols


def emit_items(
    items: Iterable[dict[str, Any]],
    *,
    limit: int | None = None,
    columns: tuple[str, ...] = (),
    title: str | None = None,
) -> int:
    """Items of a list across pages: a table, a JSON array or JSON Lines, streamed (one
    page in memory) for JSON; stops after ``limit``. Returns how many were written."""
    mode = output_mode()
    count = 0
    progress: Progress | None = None
    if err.is_terminal:
        progress = Progress(
            SpinnerColumn(),
            TextColumn("{task.description}"),
            console=err,
            transient=True,
            redirect_stdout=False,
            redirect_stderr=False,
        )
        progress.start()
        task = progress.add_task("fetching...", total=None)
    rows: list[dict[str, Any]] = []
    write = sys.stdout.write
    try:
        for item in items:
            if limit is not None and count >= limit:
                break
            if mode == Output.JSONL:
                write(json.dumps(item, ensure_ascii=False) + "\n")
                sys.stdout.flush()
            elif mode == Output.JSON:
                # "[" only once the first item is in: an error before it leaves stdout empty.
                write(("[\n  " if count == 0 else ",\n  ") + json.dumps(item, ensure_ascii=False))
            else:
                rows.append(item)
            count += 1
            if progress is not None:
                progress.update(task, description=f"fetched {count}")
        if mode == Output.JSON:
            write("\n]\n" if count else "[]\n")
    finally:
        if progress is not None:
            progress.stop()
    if mode == Output.TABLE:
        table = Table(title=title)
        cols = _columns(rows[0], columns) if rows else list(columns)
        for col in cols:
            table.add_column(col, overflow="fold")
        for row in rows:
            table.add_row(*(_cell(row.get(c)) for c in cols))
        out.print(table)
        err.print(f"{count} item(s)", style="dim")
    return count
