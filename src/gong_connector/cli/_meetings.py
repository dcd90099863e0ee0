"""``gong meetings`` and ``gong events``: Gong meetings, and engagement events for the
activity timeline. The main inputs are options; every other input goes in --input."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from ..actions import run_action
from ._actions import InputOpt, InputsFileOpt, date_help, input_help, read_inputs
from ._calls import given
from ._commands import help_of
from ._common import emit, gong_command, make_client, moment, window

meetings_app = typer.Typer(help=help_of("meetings"), no_args_is_help=True, add_completion=False)
events_app = typer.Typer(help=help_of("events"), no_args_is_help=True, add_completion=False)

StartOpt = Annotated[
    str | None, typer.Option("--start", show_default=False, help=date_help("create-meeting", "start_time"))
]
EndOpt = Annotated[str | None, typer.Option("--end", show_default=False, help=date_help("create-meeting", "end_time"))]
OrganizerOpt = Annotated[
    str | None, typer.Option("--organizer", show_default=False, help=input_help("create-meeting", "organizer_email"))
]
InviteeOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--invitee", show_default=False, help=input_help("create-meeting", "invitees", "Repeat --invitee per invitee.")
    ),
]
TitleOpt = Annotated[
    str | None, typer.Option("--title", show_default=False, help=input_help("create-meeting", "title"))
]
ExternalIdOpt = Annotated[
    str | None, typer.Option("--external-id", show_default=False, help=input_help("create-meeting", "external_id"))
]


def _meeting(
    values: dict[str, Any],
    start: str | None,
    end: str | None,
    organizer: str | None,
    invitee: list[str] | None,
    title: str | None,
    external_id: str | None,
) -> None:
    start, end = window(("--start", start), ("--end", end))
    values.update(
        given(
            start_time=start,
            end_time=end,
            organizer_email=organizer,
            invitees=invitee or None,
            title=title,
            external_id=external_id,
        )
    )


MEETING_NAMES = {
    "start_time": "--start",
    "end_time": "--end",
    "organizer_email": "--organizer",
    "invitees": "--invitee",
    "title": "--title",
    "external_id": "--external-id",
    "meeting_id": "MEETING_ID",
}


@meetings_app.command("create")
@gong_command(names=MEETING_NAMES)
def create_meeting(
    start: StartOpt = None,
    end: EndOpt = None,
    organizer: OrganizerOpt = None,
    invitee: InviteeOpt = None,
    title: TitleOpt = None,
    external_id: ExternalIdOpt = None,
    inputs: InputOpt = None,
    inputs_file: InputsFileOpt = None,
) -> None:
    """Create a Gong meeting."""
    values = read_inputs("create-meeting", inputs, inputs_file)
    _meeting(values, start, end, organizer, invitee, title, external_id)
    with make_client() as client:
        emit(run_action(client, "create-meeting", values).output, title="Meeting")


@meetings_app.command("update")
@gong_command(names=MEETING_NAMES)
def update_meeting(
    meeting_id: Annotated[str, typer.Argument(help=input_help("update-meeting", "meeting_id"))],
    start: StartOpt = None,
    end: EndOpt = None,
    organizer: OrganizerOpt = None,
    invitee: InviteeOpt = None,
    title: TitleOpt = None,
    external_id: ExternalIdOpt = None,
    inputs: InputOpt = None,
    inputs_file: InputsFileOpt = None,
) -> None:
    """Replace a meeting's details (Gong wants every required field again)."""
    values = read_inputs("update-meeting", inputs, inputs_file)
    _meeting(values, start, end, organizer, invitee, title, external_id)
    values["meeting_id"] = meeting_id
    with make_client() as client:
        emit(run_action(client, "update-meeting", values).output, title="Meeting")


@meetings_app.command("delete")
@gong_command(names=MEETING_NAMES)
def delete_meeting(
    meeting_id: Annotated[str, typer.Argument(help=input_help("update-meeting", "meeting_id"))],
    organizer: OrganizerOpt = None,
) -> None:
    """Delete a Gong meeting."""
    values = given(meeting_id=meeting_id, organizer_email=organizer)
    with make_client() as client:
        emit(run_action(client, "delete-meeting", values).output, title="Deleted")


# --------------------------------------------------------------------------- events

SystemOpt = Annotated[
    str | None,
    typer.Option("--reporting-system", show_default=False, help=input_help("report-custom-action", "reporting_system")),
]
WhenOpt = Annotated[
    str | None,
    typer.Option("--timestamp", show_default=False, help=date_help("report-custom-action", "event_timestamp")),
]
EventIdOpt = Annotated[
    str | None, typer.Option("--event-id", show_default=False, help=input_help("report-custom-action", "event_id"))
]
ContentIdOpt = Annotated[
    str | None, typer.Option("--content-id", show_default=False, help=input_help("report-custom-action", "content_id"))
]
ContentUrlOpt = Annotated[
    str | None,
    typer.Option("--content-url", show_default=False, help=input_help("report-custom-action", "content_url")),
]
ContentTitleOpt = Annotated[
    str | None,
    typer.Option("--content-title", show_default=False, help=input_help("report-custom-action", "content_title")),
]
ActionNameOpt = Annotated[
    str | None,
    typer.Option("--action-name", show_default=False, help=input_help("report-custom-action", "action_name")),
]


EVENT_NAMES = {
    "reporting_system": "--reporting-system",
    "event_timestamp": "--timestamp",
    "event_id": "--event-id",
    "content_id": "--content-id",
    "content_url": "--content-url",
    "content_title": "--content-title",
    "action_name": "--action-name",
}


def _event(key: str, inputs: list[str] | None, inputs_file: Any, **values: Any) -> None:
    merged = read_inputs(key, inputs, inputs_file)
    values["event_timestamp"] = moment("--timestamp", values.get("event_timestamp"))
    merged.update(given(**values))
    with make_client() as client:
        emit(run_action(client, key, merged).output, title="Reported")


@events_app.command("action")
@gong_command(names=EVENT_NAMES)
def event_action(
    reporting_system: SystemOpt = None,
    timestamp: WhenOpt = None,
    event_id: EventIdOpt = None,
    content_id: ContentIdOpt = None,
    content_url: ContentUrlOpt = None,
    content_title: ContentTitleOpt = None,
    action_name: ActionNameOpt = None,
    inputs: InputOpt = None,
    inputs_file: InputsFileOpt = None,
) -> None:
    """Report an action a prospect took on content (e.g. signed a contract)."""
    _event(
        "report-custom-action",
        inputs,
        inputs_file,
        reporting_system=reporting_system,
        event_timestamp=timestamp,
        event_id=event_id,
        content_id=content_id,
        content_url=content_url,
        content_title=content_title,
        action_name=action_name,
    )


@events_app.command("shared")
@gong_command(names=EVENT_NAMES)
def event_shared(
    reporting_system: SystemOpt = None,
    timestamp: WhenOpt = None,
    event_id: EventIdOpt = None,
    content_id: ContentIdOpt = None,
    content_url: ContentUrlOpt = None,
    content_title: ContentTitleOpt = None,
    inputs: InputOpt = None,
    inputs_file: InputsFileOpt = None,
) -> None:
    """Report that a user shared content with external people."""
    _event(
        "report-content-shared",
        inputs,
        inputs_file,
        reporting_system=reporting_system,
        event_timestamp=timestamp,
        event_id=event_id,
        content_id=content_id,
        content_url=content_url,
        content_title=content_title,
    )


@events_app.command("viewed")
@gong_command(names=EVENT_NAMES)
def event_viewed(
    reporting_system: SystemOpt = None,
    timestamp: WhenOpt = None,
    event_id: EventIdOpt = None,
    content_id: ContentIdOpt = None,
    content_url: ContentUrlOpt = None,
    content_title: ContentTitleOpt = None,
    inputs: InputOpt = None,
    inputs_file: InputsFileOpt = None,
) -> None:
    """Report that an external person viewed content."""
    _event(
        "report-content-viewed",
        inputs,
        inputs_file,
        reporting_system=reporting_system,
        event_timestamp=timestamp,
        event_id=event_id,
        content_id=content_id,
        content_url=content_url,
        content_title=content_title,
    )
