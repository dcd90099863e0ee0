"""``gong users``, ``gong workspaces``, ``gong library``, ``gong logs`` and ``gong privacy``."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from ..actions import iter_action, run_action
from ..client import ValidationError
from ._actions import input_help
from ._calls import WINDOW_NAMES, FromOpt, ToOpt, WorkspaceOpt, given
from ._commands import help_of
from ._common import ExitCode, emit, emit_items, err, fail, gong_command, make_client, window

users_app = typer.Typer(help=help_of("users"), no_args_is_help=True, add_completion=False)
workspaces_app = typer.Typer(help=help_of("workspaces"), no_args_is_help=True, add_completion=False)
library_app = typer.Typer(help=help_of("library"), no_args_is_help=True, add_completion=False)
privacy_app = typer.Typer(help=help_of("privacy"), no_args_is_help=True, add_completion=False)

USER_COLUMNS = ("id", "emailAddress", "firstName", "lastName", "title", "active")


@users_app.command("list")
@gong_command(listing=True, names={"include_avatars": "--include-avatars"})
def list_users(
    include_avatars: Annotated[
        bool, typer.Option("--include-avatars", help=input_help("list-users", "include_avatars"))
    ] = False,
    limit: int | None = None,
) -> None:
    """All users, across all pages."""
    with make_client() as client:
        emit_items(
            iter_action(client, "list-users", {"include_avatars": include_avatars}),
            limit=limit,
            columns=USER_COLUMNS,
            title="Users",
        )


@users_app.command("get")
@gong_command(names={"user_id": "USER_ID"})
def get_user(user_id: Annotated[str, typer.Argument(help=input_help("get-user", "user_id"))]) -> None:
    """One user."""
    with make_client() as client:
        emit(run_action(client, "get-user", {"user_id": user_id}).output, title="User")


@workspaces_app.command("list")
@gong_command(listing=True)
def list_workspaces(limit: int | None = None) -> None:
    """All workspaces."""
    with make_client() as client:
        emit_items(
            iter_action(client, "list-workspaces"),
            limit=limit,
            columns=("id", "name", "description"),
            title="Workspaces",
        )


@library_app.command("folders")
@gong_command(listing=True, names=WINDOW_NAMES)
def library_folders(workspace: WorkspaceOpt = None, limit: int | None = None) -> None:
    """Public library folders."""
    with make_client() as client:
        emit_items(
            iter_action(client, "list-library-folders", given(workspace_id=workspace)),
            limit=limit,
            columns=("id", "name", "parentFolderId"),
            title="Folders",
        )


@library_app.command("calls")
@gong_command(listing=True, names={"folder_id": "FOLDER_ID"})
def library_calls(
    folder_id: Annotated[str, typer.Argument(help=input_help("list-folder-calls", "folder_id"))],
    limit: int | None = None,
) -> None:
    """Calls saved in a library folder."""
    with make_client() as client:
        emit_items(
            iter_action(client, "list-folder-calls", {"folder_id": folder_id}),
            limit=limit,
            columns=("id", "title", "addedBy", "created"),
            title="Calls",
        )


@gong_command(listing=True, names={**WINDOW_NAMES, "log_type": "--type"})
def logs(
    log_type: Annotated[
        str,
        typer.Option(
            "--type",
            help=input_help(
                "get-logs",
                "log_type",
                "AccessLog, UserActivityLog, UserCallPlay, ExternallySharedCallAccess or ExternallySharedCallPlay.",
            ),
        ),
    ],
    from_: FromOpt = None,
    to: ToOpt = None,
    limit: int | None = None,
) -> None:
    """Audit log entries of one type in [--from, --to), across all pages."""
    start, end = window(("--from", from_), ("--to", to))
    values = given(log_type=log_type, from_date_time=start, to_date_time=end)
    with make_client() as client:
        emit_items(
            iter_action(client, "get-logs", values),
            limit=limit,
            columns=("eventTime", "userEmailAddress", "userFullName"),
            title="Logs",
        )


EmailOpt = Annotated[
    str | None, typer.Option("--email", show_default=False, help=input_help("list-email-references", "email_address"))
]
PhoneOpt = Annotated[
    str | None, typer.Option("--phone", show_default=False, help=input_help("list-phone-references", "phone_number"))
]


def _one_of(email: str | None, phone: str | None) -> tuple[str, str]:
    if (email is None) == (phone is None):
        raise ValidationError("--email/--phone", "exactly_one", "give exactly one of them")
    return ("email", email) if email is not None else ("phone", phone or "")


PRIVACY_NAMES = {"email_address": "--email", "phone_number": "--phone"}


@privacy_app.command("references")
@gong_command(names=PRIVACY_NAMES)
def references(email: EmailOpt = None, phone: PhoneOpt = None) -> None:
    """What Gong holds that references an e-mail address or a phone number."""
    kind, value = _one_of(email, phone)
    with make_client() as client:
        if kind == "email":
            result = run_action(client, "list-email-references", {"email_address": value})
        else:
            result = run_action(client, "list-phone-references", {"phone_number": value})
    emit(result.output, title="References")


@privacy_app.command("erase")
@gong_command(names=PRIVACY_NAMES)
def erase(
    email: EmailOpt = None,
    phone: PhoneOpt = None,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation.")] = False,
) -> None:
    """Erase what references an e-mail address or phone number (asks unless --yes).

    Irreversible: Gong deletes the calls, e-mails, leads and contacts concerned.
    """
    kind, value = _one_of(email, phone)
    key = "erase-email-data" if kind == "email" else "erase-phone-data"
    field = "email_address" if kind == "email" else "phone_number"
    if not yes:
        try:
            confirmed = typer.confirm(
                f"Erase everything Gong holds that references {value}? This cannot be undone",
                err=True,
            )
        except typer.Abort:
            confirmed = False
        if not sys.stdin.isatty():
            err.print()  # the answer was not echoed: end the prompt's line
        if not confirmed:
            raise fail("not confirmed; nothing was erased (pass --yes to skip the question)", ExitCode.USAGE)
    with make_client() as client:
        emit(run_action(client, key, {field: value}).output, title="Erase requested")
