"""``gong calls`` and ``gong media``: list, read, create calls and upload their recordings.

Every command runs its action through the registry (``run_action``/``iter_action``), so
the checks and output are the ones ``gong run`` and the manifest describe.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping
from itertools import islice
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
from rich.table import Table
from rich.text import Text

from ..actions import clock, iter_action, label_calls, run_action
from ..client import ContentSelector, GongClient, PermissionDeniedError
from ._actions import InputOpt, InputsFileOpt, date_help, input_help, read_inputs
from ._commands import help_of
from ._common import (
    Output,
    emit,
    emit_items,
    err,
    gong_command,
    make_client,
    moment,
    note,
    out,
    output_mode,
    window,
)

calls_app = typer.Typer(help=help_of("calls"), no_args_is_help=True, add_completion=False)
media_app = typer.Typer(help=help_of("media"), no_args_is_help=True, add_completion=False)

FromOpt = Annotated[
    str | None, typer.Option("--from", show_default=False, help=date_help("list-calls", "from_date_time"))
]
ToOpt = Annotated[str | None, typer.Option("--to", show_default=False, help=date_help("list-calls", "to_date_time"))]
WorkspaceOpt = Annotated[
    str | None, typer.Option("--workspace", show_default=False, help=input_help("list-calls", "workspace_id"))
]

#: Errors about these inputs name the options they came from.
WINDOW_NAMES = {"from_date_time": "--from", "to_date_time": "--to", "workspace_id": "--workspace"}

CALL_COLUMNS = ("id", "started", "title", "direction", "duration", "primaryUserId")


def given(**values: Any) -> dict[str, Any]:
    """Keyword values that were actually passed (None and empty lists left out)."""
    return {k: v for k, v in values.items() if v is not None and v != []}


@calls_app.command("list")
@gong_command(listing=True, names=WINDOW_NAMES)
def list_calls(
    from_: FromOpt = None,
    to: ToOpt = None,
    workspace: WorkspaceOpt = None,
    limit: int | None = None,
) -> None:
    """Calls that started in [--from, --to), across all pages."""
    start, end = window(("--from", from_), ("--to", to))
    values = given(from_date_time=start, to_date_time=end, workspace_id=workspace)
    with make_client() as client:
        emit_items(iter_action(client, "list-calls", values), limit=limit, columns=CALL_COLUMNS, title="Calls")


@calls_app.command("get")
@gong_command(names={"call_id": "CALL_ID"})
def get_call(call_id: Annotated[str, typer.Argument(help=input_help("get-call", "call_id"))]) -> None:
    """One call."""
    with make_client() as client:
        emit(run_action(client, "get-call", {"call_id": call_id}).output, title="Call")


@calls_app.command("transcript")
@gong_command(listing=True, names={**WINDOW_NAMES, "call_ids": "CALL_IDS"})
def transcript(
    call_ids: Annotated[
        list[str] | None, typer.Argument(help="Call ids; leave out to use the window.", show_default=False)
    ] = None,
    from_: FromOpt = None,
    to: ToOpt = None,
    workspace: WorkspaceOpt = None,
    limit: int | None = None,
) -> None:
    """Transcripts of the given calls (or of the calls in a window), across all pages.

    On a terminal: who said what, when (mm:ss from the start of the call), with speaker
    names from the calls' parties. Piped, or with --json/--jsonl: Gong's JSON.
    """
    start, end = window(("--from", from_), ("--to", to))
    values = given(call_ids=call_ids or None, from_date_time=start, to_date_time=end, workspace_id=workspace)
    with make_client() as client:
        items = iter_action(client, "get-call-transcripts", values)
        if output_mode() == Output.TABLE:
            shown = show_transcripts(client, items, limit=limit)
            err.print(Text(f"{shown} transcript(s)", style="dim"))
            return
        emit_items(items, limit=limit, columns=("callId",), title="Transcripts")


# --------------------------------------------------------------------------- transcripts, readable

#: Transcripts whose speaker names are looked up in one request.
_NAMES_BATCH = 20


def _speakers(client: GongClient, call_ids: list[str]) -> tuple[dict[str, str], dict[str, str]]:
    """Speaker id to name and call id to a heading, from the calls' parties (one request).

    Without the extensive scope the transcript is still shown, with speaker ids."""
    if not call_ids:
        return {}, {}
    selector = ContentSelector(exposed_fields={"parties": True})
    try:
        return label_calls(client.list_calls_extensive(call_ids=call_ids, content_selector=selector))
    except PermissionDeniedError:
        note("speaker names need the api:calls:read:extensive scope; showing speaker ids", key="speakers")
        return {}, {}


def _turns(item: Mapping[str, Any], names: Mapping[str, str]) -> Iterator[tuple[str, str, str]]:
    """(time, speaker, text) per speaker turn, stamped with the turn's first sentence."""
    for turn in item.get("transcript") or ():
        if not isinstance(turn, Mapping):
            continue
        sentences = [s for s in turn.get("sentences") or () if isinstance(s, Mapping)]
        text = " ".join(" ".join(str(s.get("text") or "").split()) for s in sentences).strip()
        if not text:
            continue
        speaker_id = str(turn.get("speakerId") or "")
        speaker = names.get(speaker_id) or f"Speaker {speaker_id or '?'}"
        yield clock(sentences[0].get("start")), speaker, text


def show_transcripts(client: GongClient, items: Iterable[Mapping[str, Any]], *, limit: int | None = None) -> int:
    """Transcripts for people: a heading per call, then one line per speaker turn."""
    shown = 0
    source = iter(items if limit is None else islice(items, limit))
    while batch := list(islice(source, _NAMES_BATCH)):
        ids = [str(t["callId"]) for t in batch if t.get("callId")]
        names, headings = _speakers(client, ids)
        for item in batch:
            call_id = str(item.get("callId") or "(no id)")
            if shown:
                out.print()
            out.print(Text(headings.get(call_id, f"Call {call_id}"), style="bold"))
            table = Table(box=None, show_header=False, padding=(0, 1), pad_edge=False)
            table.add_column("time", no_wrap=True, style="dim")
            table.add_column("speaker", no_wrap=True, style="cyan", max_width=24)
            table.add_column("text", ratio=1)
            rows = list(_turns(item, names))
            for when, speaker, text in rows:
                table.add_row(Text(when), Text(speaker), Text(text))
            out.print(table if rows else Text("(no transcript)", style="dim"))
            shown += 1
    return shown


def _party(text: str) -> Any:
    """A party as JSON, or the shorthand of a Gong user id or an e-mail address."""
    stripped = text.strip()
    if stripped.startswith("{"):
        return json.loads(stripped)
    if stripped.isdigit():
        return {"userId": stripped}
    return {"emailAddress": stripped}


CREATE_NAMES = {
    "client_unique_id": "--client-unique-id",
    "primary_user": "--primary-user",
    "parties": "--party",
    "direction": "--direction",
    "actual_start": "--actual-start",
    "title": "--title",
    "media": "--media",
    "download_media_url": "--download-media-url",
}


@calls_app.command("create")
@gong_command(names=CREATE_NAMES)
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
        str | None, typer.Option(show_default=False, help=date_help("create-call", "actual_start"))
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
            actual_start=moment("--actual-start", actual_start),
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
@gong_command(names={"call_id": "CALL_ID", "media": "FILE", "file_name": "--file-name"})
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
