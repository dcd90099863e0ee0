"""What every ``gong`` command shares: connection and output options, the client, output
as a table, JSON or JSON Lines, and errors as one line with a meaningful exit code.

Commands declare only their own arguments; ``@gong_command`` adds the shared options to
their signature (so Typer shows them in each command's ``--help``), and runs the body
under one error handler, so no command prints a traceback unless ``--debug`` (which shows
it and still exits with the same code).
"""

from __future__ import annotations

import functools
import inspect
import json
import os
import re
import sys
import traceback
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from enum import IntEnum
from typing import TYPE_CHECKING, Annotated, Any, TypeVar, get_type_hints

import typer
from rich.console import Console
from rich.progress import Progress, SpinnerColumn, TextColumn
from rich.table import Table
from rich.text import Text

from ..connections import DEFAULT_BASE_URL, ApiKeyConnection, Connection
from ..errors import (
    AuthenticationError,
    DailyBudgetExceededError,
    GongError,
    NotFoundError,
    OAuthStateError,
    PermissionDeniedError,
    RateLimitError,
    StoreError,
    ValidationError,
)
from ._config import ConnectionOptions, CredentialsError, resolve_connection

if TYPE_CHECKING:  # the client is imported when a command makes one (trigger, emulator and mcp do not)
    from ..client import GongClient, RateLimiter

__all__ = [
    "ExitCode",
    "Output",
    "State",
    "emit",
    "emit_items",
    "fail",
    "gong_command",
    "make_client",
    "moment",
    "print_table",
    "resolved_connection",
    "state",
    "window",
]

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
    #: Input key -> the option or argument it came from, so errors name what was typed.
    names: dict[str, str] = field(default_factory=dict)


_state = State()
out = Console(soft_wrap=True)
err = Console(stderr=True, highlight=False, soft_wrap=True)
_noted: set[str] = set()


def state() -> State:
    return _state


def reset_state(**changes: Any) -> None:
    """A new invocation: its options, and its notices not said yet."""
    global _state
    _state = State(**changes)
    _noted.clear()


def note(text: str, *, key: str | None = None) -> None:
    """A one-line notice on stderr, at most once per process for the same ``key``."""
    if key is not None:
        if key in _noted:
            return
        _noted.add(key)
    err.print(Text(f"note: {text}", style="dim"))


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
    if isinstance(exc, KeyboardInterrupt):
        return ExitCode.INTERRUPTED
    return ExitCode.FAILURE


_FIELD = re.compile(r"([A-Za-z_]+)(.*)", re.S)


def _field_name(name: str) -> str:
    """The option or argument an input came from (``from_date_time`` -> ``--from``)."""
    found = _FIELD.fullmatch(name)
    if found is None:
        return name
    return _state.names.get(found[1], found[1]) + found[2]


def describe(exc: BaseException) -> str:
    """One line: the option and rule for bad input, Gong's message and request id for API
    errors, the database's first line for database errors. Our exceptions never hold
    credentials, so their text is safe to print."""
    if isinstance(exc, ValidationError):
        return f"{_field_name(exc.field)}: {exc.message} [{exc.rule}]"
    if isinstance(exc, PermissionDeniedError):
        scope = exc.missing_scope or exc.required_scope
        return f"{exc} — the credentials lack the {scope} scope" if scope else str(exc)
    if isinstance(exc, RateLimitError) and exc.retry_after is not None:
        return f"{exc} — retry after {exc.retry_after:g}s"
    if isinstance(exc, StoreError):
        return f"database: {exc}"
    if isinstance(exc, GongError):
        return str(exc)
    if type(exc).__module__.startswith("sqlalchemy"):
        reason = str(getattr(exc, "orig", None) or exc).strip().splitlines() or [type(exc).__name__]
        return f"database: {reason[0]}"
    return f"{type(exc).__name__}: {exc} (run with --debug for the traceback)"


def fail(message: str, code: ExitCode | int = ExitCode.USAGE) -> typer.Exit:
    """Print ``error: message`` (plain text: brackets are shown, never read as markup)."""
    line = Text("error:", style="red")
    line.append(f" {message}", style="default")
    err.print(line)
    return typer.Exit(int(code))


@contextmanager
def handle_errors(suffix: Callable[[BaseException], str] | None = None) -> Iterator[None]:
    """Every failure as one line and its exit code; ``--debug`` adds the traceback first.

    ``suffix`` may add a sentence for some errors (the sync: "rows so far are kept")."""
    try:
        yield
    except (typer.Exit, typer.Abort, typer.TyperException):
        raise
    except KeyboardInterrupt:
        extra = suffix(KeyboardInterrupt()) if suffix else ""
        raise fail("interrupted" + extra, ExitCode.INTERRUPTED) from None
    except BrokenPipeError:
        # The reader went away (`gong calls list --jsonl | head`): stop quietly, and point
        # stdout at /dev/null so the interpreter's final flush does not complain.
        _silence_stdout()
        raise typer.Exit(int(ExitCode.OK)) from None
    except Exception as exc:
        if _state.debug:
            sys.stderr.write("".join(traceback.format_exception(exc)))
        raise fail(describe(exc) + (suffix(exc) if suffix else ""), exit_code_for(exc)) from None


def _silence_stdout() -> None:
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):  # no real file descriptor (tests)
        pass


# --------------------------------------------------------------------------- dates


_WHEN_FORMS = "a date-time with an offset (2026-10-01T09:00:00+02:00), a date (2026-10-01) or an age (30d)"


def moment(option: str, text: str | None, *, now: datetime | None = None) -> str | None:
    """A date typed on the command line, as Gong wants it; one reader for every date option.

    Accepts a date-time with an offset, a plain date (midnight UTC) or an age before now
    (``30d``, ``36h``); anything else is a ``ValidationError`` naming ``option``."""
    if text is None:
        return None
    from ..client._kinds import canonical_datetime, read_when

    try:
        return canonical_datetime(read_when(option, text, now or datetime.now(UTC)))
    except ValidationError as exc:
        raise ValidationError(option, exc.rule, f"{text!r} is not {_WHEN_FORMS}") from None


def window(
    start: tuple[str, str | None], end: tuple[str, str | None], *, now: datetime | None = None
) -> tuple[str | None, str | None]:
    """Two date options as a window, refused before sending when the end is not later."""
    now = now or datetime.now(UTC)
    first, last = moment(*start, now=now), moment(*end, now=now)
    if first is not None and last is not None and datetime.fromisoformat(last) <= datetime.fromisoformat(first):
        raise ValidationError(end[0], "window", f"must be later than {start[0]} ({last} is not after {first})")
    return first, last


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
                help=f"Gong API base URL (default {DEFAULT_BASE_URL}).",
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
        Annotated[
            bool,
            typer.Option(
                "--debug", help="Show tracebacks and request logs (exit codes stay the same).", rich_help_panel="Output"
            ),
        ],
        False,
    ),
}
_OUTPUT: dict[str, tuple[Any, Any]] = {
    "as_json": (
        Annotated[bool, typer.Option("--json", help="JSON output (the default when piped).", rich_help_panel="Output")],
        False,
    ),
    "as_jsonl": (
        Annotated[
            bool,
            typer.Option(
                "--jsonl", help="JSON Lines: one object per line (lists stream across pages).", rich_help_panel="Output"
            ),
        ],
        False,
    ),
    "as_table": (
        Annotated[bool, typer.Option("--table", help="A table even when piped.", rich_help_panel="Output")],
        False,
    ),
}
_LIST: dict[str, tuple[Any, Any]] = {
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
_CONNECTION_FIELDS = ("profile", "base_url", "access_key", "access_key_secret")
_CONTEXT = "gong_context"


def _apply_connection(ctx: Any, values: dict[str, Any]) -> None:
    """The command's connection options over the root's: a value typed after the command
    wins; one from the environment only fills what the root options left unset."""
    conn = _state.connection
    for name in _CONNECTION_FIELDS:
        value = values.pop(name, None)
        if value is None:
            continue
        source = ctx.get_parameter_source(name) if ctx is not None else None
        from_env = source is not None and source.name == "ENVIRONMENT"
        if from_env and getattr(conn, name) is not None:
            continue
        setattr(conn, name, value)


def gong_command(
    *,
    connection: bool = True,
    output: bool = True,
    listing: bool = False,
    names: Mapping[str, str] | None = None,
) -> Callable[[F], F]:
    """Add the shared options to a command and run it under the error handler.

    A listing command receives ``limit`` as a keyword argument (``None`` for no limit).
    ``names`` maps the action inputs the command fills to its options, for error messages.
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
        added.append(inspect.Parameter(_CONTEXT, inspect.Parameter.KEYWORD_ONLY, annotation=typer.Context))

        @functools.wraps(func)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            s = _state
            ctx = kwargs.pop(_CONTEXT, None)
            if connection:  # otherwise these names are the command's own
                _apply_connection(ctx, kwargs)
            s.debug = kwargs.pop("debug", False) or s.debug
            s.json = kwargs.pop("as_json", False) or s.json
            s.table = kwargs.pop("as_table", False) or s.table
            s.jsonl = kwargs.pop("as_jsonl", False) or s.jsonl
            s.names = dict(names or {})
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


def rate_limiter(text: str | None, option: str = "GONG_RATE_LIMIT") -> RateLimiter | None:
    """``off``, ``3``, ``3/s`` or ``180/min`` as a limiter; None when ``text`` is empty."""
    from ..client import RateLimiter

    value = (text or "").strip().lower()
    if not value:
        return None
    if value in ("off", "none", "0"):
        return RateLimiter.off()
    number, _, unit = value.partition("/")
    per = {"": 1.0, "s": 1.0, "sec": 1.0, "m": 60.0, "min": 60.0}.get(unit)
    try:
        rate = float(number) / per if per else -1.0
    except ValueError:
        rate = -1.0
    if rate <= 0:
        raise ValidationError(option, "rate", f"{text!r} is not a rate like 3/s or 180/min, or off")
    return RateLimiter(rate)


def resolved_connection() -> Connection:
    """The connection the options, environment and profiles give (see docs/cli.md).

    When nothing named an API host, the default is said once: a company's host is often
    not ``api.gong.io``, and a silent default makes a wrong host look like a wrong key."""
    conn, defaulted = resolve_connection(_state.connection)
    if defaulted and isinstance(conn, ApiKeyConnection):
        note(
            f"GONG_BASE_URL is not set: using {DEFAULT_BASE_URL}. If Gong shows another API base URL "
            "next to your key (like https://us-12345.api.gong.io), set GONG_BASE_URL or pass --base-url.",
            key="base-url",
        )
    return conn


def max_retries(text: str | None, option: str = "GONG_MAX_RETRIES") -> int | None:
    """A count of retries from ``text``; None when it is empty."""
    value = (text or "").strip()
    if not value:
        return None
    if not value.isdigit() or int(value) > 100:
        raise ValidationError(option, "count", f"{text!r} is not a number of retries from 0 to 100")
    return int(value)


def make_client(*, rate: str | None = None, rate_option: str = "--rate-limit", **overrides: Any) -> GongClient:
    """A client on the resolved connection: every command gets its client here.

    The pace is ``rate`` (a command's own option) if given, else ``GONG_RATE_LIMIT``
    (``off`` against a local emulator), else Gong's 3/s. ``GONG_MAX_RETRIES`` caps the
    retries of each request (a script that would rather fail fast sets 0). ``overrides``
    go to the client (the sync's retry policy and request counter)."""
    from ..client import GongClient, RetryPolicy

    conn = resolved_connection()
    limiter = rate_limiter(rate, rate_option) if rate else rate_limiter(os.environ.get("GONG_RATE_LIMIT"))
    retries = max_retries(os.environ.get("GONG_MAX_RETRIES"))
    if limiter is not None:
        overrides["rate_limiter"] = limiter
    if retries is not None:
        base = overrides.get("retry") or RetryPolicy()
        overrides["retry"] = replace(base, max_retries=retries)
    return GongClient(conn, **overrides)


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
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


_ID = re.compile(r"\d{10,20}")
#: Below this a wrapped column is no longer readable; narrower terminals drop columns.
_MIN_TEXT = 10


def print_table(
    rows: Sequence[Mapping[str, Any]] | Sequence[Sequence[Any]],
    columns: Sequence[str],
    *,
    title: str | None = None,
    show_header: bool = True,
    console: Console | None = None,
) -> list[str]:
    """A table whose cells are text, never markup; ids (10 to 20 digits) are never cut
    or wrapped. Columns that do not fit the terminal are left out, last first, and named
    on stderr; returns their names."""
    console = console or out
    grid = [[_cell(r.get(c)) for c in columns] if isinstance(r, Mapping) else [_cell(v) for v in r] for r in rows]
    budget = console.width - 1
    kept: list[tuple[int, str, bool]] = []
    dropped: list[str] = []
    for index, name in enumerate(columns):
        values = [row[index] for row in grid]
        is_id = any(values) and all(not v or _ID.fullmatch(v) for v in values)
        natural = max([len(name) if show_header else 0, *(len(v) for v in values)])
        need = (natural if is_id else min(natural, _MIN_TEXT)) + 3
        if kept and need > budget:
            dropped.append(name)
            continue
        budget -= need
        kept.append((index, name, is_id))
    table = Table(title=Text(title) if title else None, show_header=show_header)
    for index, name, is_id in kept:
        if is_id:
            width = max(len(row[index]) for row in grid)
            table.add_column(Text(name), no_wrap=True, min_width=width)
        else:
            table.add_column(Text(name), overflow="fold")
    for row in grid:
        table.add_row(*(Text(row[index]) for index, _name, _is_id in kept))
    console.print(table)
    if dropped:
        err.print(Text(f"not shown for the terminal's width: {', '.join(dropped)} (--json shows all)", style="dim"))
    return dropped


def emit(data: Any, *, title: str | None = None) -> None:
    """One result: JSON (one line with --jsonl), or a two-column table of its fields."""
    mode = output_mode()
    if mode != Output.TABLE:
        sys.stdout.write(json.dumps(data, indent=None if mode == Output.JSONL else 2, ensure_ascii=False) + "\n")
        return
    if not isinstance(data, dict):
        out.print(Text(_cell(data)))
        return
    print_table([(key, value) for key, value in data.items()], ("field", "value"), title=title, show_header=False)


def _columns(first: Mapping[str, Any], preferred: tuple[str, ...]) -> list[str]:
    cols = [c for c in preferred if c in first]
    if not cols:
        cols = [k for k, v in first.items() if not isinstance(v, dict | list)][:6]
    return cols


def emit_items(
    items: Iterable[Mapping[str, Any]],
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
    rows: list[Mapping[str, Any]] = []
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
        cols = _columns(rows[0], columns) if rows else list(columns)
        print_table(rows, cols, title=title)
        err.print(Text(f"{count} item(s)", style="dim"))
    return count
