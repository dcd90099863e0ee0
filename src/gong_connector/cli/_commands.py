"""The index of ``gong``'s commands: where each lives, its one-line help, the extra it needs.

``gong --help`` is drawn from this table alone, and a command's module is imported only
when that command runs, so the CLI starts fast and works with only the extras installed
that the command at hand needs.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["COMMANDS", "Entry", "help_of"]


@dataclass(frozen=True)
class Entry:
    module: str  # in gong_connector.cli
    attr: str  # a Typer sub-app, or a command function
    help: str
    #: The optional extra the command needs besides ``cli`` (named in the error if missing).
    extra: str = "cli"
    panel: str = "Gong"


COMMANDS: dict[str, Entry] = {
    "calls": Entry("_calls", "calls_app", "Calls: list, get, transcripts, create."),
    "media": Entry("_calls", "media_app", "Call recordings: upload."),
    "meetings": Entry("_meetings", "meetings_app", "Gong meetings: create, update, delete."),
    "events": Entry("_meetings", "events_app", "Engagement events on Gong's timeline: action, shared, viewed."),
    "users": Entry("_directory", "users_app", "Users: list, get."),
    "workspaces": Entry("_directory", "workspaces_app", "Workspaces: list."),
    "library": Entry("_directory", "library_app", "The public call library: folders, calls in a folder."),
    "logs": Entry("_directory", "logs", "Audit log entries of one type in a time window."),
    "privacy": Entry("_directory", "privacy_app", "Data privacy: find or erase what references a person."),
    "request": Entry("_request", "request", "Send any request to Gong's API, signed with the connection."),
    "actions": Entry("_actions", "actions", "List every action by key.", panel="Actions"),
    "run": Entry("_actions", "run", "Run any action by key with inputs.", panel="Actions"),
    "manifest": Entry("_actions", "manifest", "Print the action manifest (JSON Schemas).", panel="Actions"),
    "auth": Entry("_auth", "auth_app", "Sign in with OAuth and check the credentials in use.", panel="Setup"),
    "profiles": Entry("_auth", "profiles_app", "Named connections in the config file.", panel="Setup"),
    "sync": Entry("_sync", "sync", "Copy Gong into SQLite or PostgreSQL, incrementally.", "sync", "Tools"),
    "trigger": Entry(
        "_trigger", "trigger_app", "Gong Process Automation webhooks: verified, stored, handled.", "trigger", "Tools"
    ),
    "mcp": Entry("_mcp", "mcp", "Serve every Gong action as an MCP tool for AI agents.", "mcp", "Tools"),
    "emulator": Entry("_emulator", "emulator_app", "A local Gong API v2 for tests and demos.", "emulator", "Tools"),
    "demo": Entry("_demo", "demo", "Fetch calls, users and a transcript from a local emulator.", "emulator", "Tools"),
}


def help_of(name: str) -> str:
    """A command's one-line help, for its Typer sub-app (written once, here)."""
    return COMMANDS[name].help
