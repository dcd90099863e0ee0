"""``gong calls`` and ``gong media``: list, read, create calls and upload their recordings.

Every command runs its action through the registry (``run_action``/``iter_action``), so
the checks and output are the ones ``gong run`` and the manifest describe.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.progress import (
    BarColumn,
    DownloadColumn,
    Progress,
    TimeRemainingColumn,
    TransferSpeedColumn,
)

from ..actions import iter_action, run_action
from ._actions import InputOpt, InputsFileOpt, input_help, read_inputs
from ._commands import help_of
from ._common import emit, emit_items, err, gong_command, make_client

calls_app = typer.Typer(help=help_of("calls"), no_args_is_help=True, add_completion=False)
media_app = typer.Typer(help=help_of("media"), no_args_is_help=True, add_completion=False)

FromOpt = Annotated[
    str | None,
    typer.Option("--from", show_default=False, help=input_help("list-calls", "from_date_time")),
]
ToOpt = Annotated[str | None, typer.Option("--to", show_default=False, help=input_help("list-calls", "to_date_time"))]
WorkspaceOpt = Annotated[
    str | None, typer.Option("--workspace", show_default=False, help=input_help("list-calls", "workspace_id"))
]

CALL_COLUMNS = ("id", "started", "title", "direction", "duration", "primaryUserId")


def given(**values: Any) -> dict[str, Any]:
    """Keyword values that were actually passed (None and empty lists left out)."""
    return {k: v for k, v in values.items() if v is not None and v != []}


@calls_app.command("list")
@gong_command(listing=True)
def list_calls(
    from_: FromOpt = None,
    to: ToOpt = None,
    workspace: WorkspaceOpt = None,
    limit: int | None = None,
) -> None:
    """Calls that started in [--from, --to), across all pages."""
    values = given(from_date_time=from_, to_date_time=to, workspace_id=workspace)
    with make_client() as client:
        emit_items(iter_action(client, "list-calls", values), limit=limit, columns=CALL_COLUMNS, title="Calls")


@calls_app.command("get")
@gong_command()
def get_call(call_id: Annotated[str, typer.Argument(help=input_help("get-call", "call_id"))]) -> None:
    """One call."""
    with make_client() as client:
        emit(run_action(client, "get-call", {"call_id": call_id}).output, title="Call")


@calls_app.command("transcript")
@gong_command(listing=True)
def transcript(
    call_ids: Annotated[
        list[str] | None, typer.Argument(help="Call ids; leave out to use the window.", show_default=False)
    ] = None,
    from_: FromOpt = None,
    to: ToOpt = None,
    workspace: WorkspaceOpt = None,
    limit: int | None = None,
) -> None:
    """Transcripts of the given calls (or of the calls in a window), across all pages."""
    values = given(call_ids=call_ids or None, from_date_time=from_, to_date_time=to, workspace_id=workspace)
    with make_client() as client:
        emit_items(
            iter_action(client, "get-call-transcripts", values), limit=limit, columns=("callId",), title="Transcripts"
        )


def _party(text: str) -> Any:
    """A party as JSON, or the shorthand of a Gong user id or an e-mail address."""
    stripped = text.strip()
    if stripped.startswith("{"):
        return json.loads(stripped)
    if stripped.isdigit():
        return {"userId": stripped}
    return {"emailAddress": stripped}


@calls_app.command("create")
@gong_command()
def create_call(
    client_unique_id: Annotated[
        str | None, typer.Option(show_default=False, help=input_help("create-call", "client_unique_id"))
    ] = None,
    primary_user: Annotated[
        str | None, typer.Option(show_default=False, help=input_help("create-call", "primary_user"))
    ] = None,
    party: Annotated[
        list[str] | None,
        typer.Option(
            show_default=False,
            help=input_help("create-call", "parties", "One per --party: a JSON object, a Gong user id or an e-mail."),
        ),
    ] = None,
    direction: Annotated[
        str | None, typer.Option(show_default=False, help=input_help("create-call", "direction"))
    ] = None,
    actual_start: Annotated[
        str | None, typer.Option(show_default=False, help=input_help("create-call", "actual_start"))
    ] = None,
    title: Annotated[str | None, typer.Option(show_default=False, help=input_help("create-call", "title"))] = None,
    media: Annotated[
        Path | None, typer.Option(show_default=False, dir_okay=False, help=input_help("create-call", "media"))
    ] = None,
    download_media_url: Annotated[
        str | None, typer.Option(show_default=False, help=input_help("create-call", "download_media_url"))
    ] = None,
    inputs: InputOpt = None,
    inputs_file: InputsFileOpt = None,
) -> None:
    """Register a call, and upload its recording with --media.

    Any other input of create-call goes in --input key=value.
    """
    values = read_inputs("create-call", inputs, inputs_file)
    parties = None
    if party:
        try:
            parties = [_party(p) for p in party]
        except json.JSONDecodeError as exc:
            from ..client import ValidationError

            raise ValidationError("--party", "json", f"must be JSON ({exc.msg})") from None
    values.update(
        given(
            client_unique_id=client_unique_id,
            primary_user=primary_user,
            parties=parties,
            direction=direction,
            actual_start=actual_start,
            title=title,
            media=str(media) if media else None,
            download_media_url=download_media_url,
        )
    )
    with make_client() as client, _upload_progress() as progress:
        result = run_action(client, "create-call", values, progress=progress)
    emit(result.output, title="Created call")


class _ProgressBar:
    """A rich progress bar on stderr fed by the client's ``progress(sent, total)``."""

    def __init__(self) -> None:
        self.progress = Progress(
            "[progress.description]{task.description}",
            BarColumn(),
            DownloadColumn(),
            TransferSpeedColumn(),
            TimeRemainingColumn(),
            console=err,
            disable=not err.is_terminal,
            redirect_stdout=False,
            redirect_stderr=False,
        )
        self.task: Any = None

    def __enter__(self) -> _ProgressBar:
        self.progress.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.progress.stop()

    def __call__(self, sent: int, total: int) -> None:
        if self.task is None:
            self.task = self.progress.add_task("uploading", total=total)
        self.progress.update(self.task, completed=sent)


def _upload_progress() -> _ProgressBar:
    return _ProgressBar()


@media_app.command("upload")
@gong_command()
def upload(
    call_id: Annotated[str, typer.Argument(help=input_help("add-call-media", "call_id"))],
    file: Annotated[Path, typer.Argument(help=input_help("add-call-media", "media"), dir_okay=False)],
    file_name: Annotated[
        str | None, typer.Option(show_default=False, help=input_help("add-call-media", "file_name"))
    ] = None,
) -> None:
    """Upload a call's recording, streamed from disk, with a progress bar."""
    values = given(call_id=call_id, media=str(file), file_name=file_name)
    with make_client() as client, _upload_progress() as progress:
        result = run_action(client, "add-call-media", values, progress=progress)
    emit(result.output, title="Uploaded")
