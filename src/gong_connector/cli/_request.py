"""``gong request METHOD PATH``: the raw-request action, for endpoints without a command."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from ..actions import RAW_REQUEST, parse_input_text, run_action
from ..client import ValidationError
from ._actions import input_help
from ._common import emit, gong_command, make_client


def _pairs(option: str, items: list[str] | None) -> dict[str, str]:
    result: dict[str, str] = {}
    for item in items or []:
        key, sep, value = item.partition("=")
        if not sep or not key:
            raise ValidationError(option, "key_value", f"{item!r} is not key=value")
        result[key] = value
    return result


PairsOpt = list[str] | None


@gong_command(
    names={
        "url": "PATH",
        "method": "METHOD",
        "data": "--data",
        "query_params": "--query",
        "headers": "--header",
        "form_data": "--form",
        "file_data": "--file",
        "response_type": "--response-type",
        "timeout": "--timeout",
        "max_retry_count": "--retries",
        "retry_delay_ms": "--retry-delay-ms",
    }
)
def request(
    method: Annotated[str, typer.Argument(help="GET, POST, PUT, PATCH, DELETE...")],
    path: Annotated[str, typer.Argument(help="Path on the API host, e.g. /v2/users.")],
    data: Annotated[
        str | None, typer.Option("--data", "-d", show_default=False, help=input_help("raw-request", "data"))
    ] = None,
    query: Annotated[
        PairsOpt,
        typer.Option(
            "--query",
            "-q",
            show_default=False,
            help=input_help("raw-request", "query_params", "As key=value; repeatable."),
        ),
    ] = None,
    header: Annotated[
        PairsOpt,
        typer.Option(
            "--header", "-H", show_default=False, help=input_help("raw-request", "headers", "As key=value; repeatable.")
        ),
    ] = None,
    form: Annotated[
        PairsOpt,
        typer.Option(
            "--form", show_default=False, help=input_help("raw-request", "form_data", "As key=value; repeatable.")
        ),
    ] = None,
    file: Annotated[
        PairsOpt,
        typer.Option(
            "--file", show_default=False, help=input_help("raw-request", "file_data", "As name=PATH; repeatable.")
        ),
    ] = None,
    response_type: Annotated[
        str, typer.Option(help=input_help("raw-request", "response_type", "Binary is printed as base64."))
    ] = "json",
    timeout: Annotated[
        float | None, typer.Option(show_default=False, help=input_help("raw-request", "timeout"))
    ] = None,
    retries: Annotated[int, typer.Option(min=0, help=input_help("raw-request", "max_retry_count"))] = 0,
    retry_delay_ms: Annotated[int, typer.Option(min=0, help=input_help("raw-request", "retry_delay_ms"))] = 0,
    retry_all: Annotated[bool, typer.Option(help=input_help("raw-request", "retry_on_all_errors"))] = False,
    backoff: Annotated[bool, typer.Option(help=input_help("raw-request", "use_exponential_backoff"))] = False,
) -> None:
    """Send any request to the connection's Gong host, signed with its credentials."""
    inputs: dict[str, Any] = {
        "url": path,
        "method": method.upper(),
        "response_type": response_type,
        "max_retry_count": retries,
        "retry_delay_ms": retry_delay_ms,
        "retry_on_all_errors": retry_all,
        "use_exponential_backoff": backoff,
    }
    if data is not None:
        inputs["data"] = parse_input_text(RAW_REQUEST.input("data"), data)
    if query:
        inputs["query_params"] = _pairs("--query", query)
    if header:
        inputs["headers"] = _pairs("--header", header)
    if form:
        inputs["form_data"] = _pairs("--form", form)
    if file:
        files = _pairs("--file", file)
        contents: dict[str, Any] = {}
        for name, where in files.items():
            try:
                contents[name] = Path(where).read_bytes()
            except OSError as exc:
                raise ValidationError("--file", "file", f"cannot read {where}: {exc.strerror}") from None
        inputs["file_data"] = contents
        inputs["file_data_file_names"] = {n: Path(p).name for n, p in files.items()}
    if timeout is not None:
        inputs["timeout"] = timeout
    with make_client() as client:
        emit(run_action(client, "raw-request", inputs).output, title=f"{method.upper()} {path}")
