"""The index of ``gong``'s commands: where each lives, its one-line help, the extra it needs.

``gong --help`` is drawn from this table alone, and a command's module is imported only
when that command runs, so the CLI starts fast and works with only the extras installed
that the command at hand needs.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["COMMANDS", "ROOT_HELP", "ROOT_OPTIONS", "Entry", "help_of", "print_root_help"]

ROOT_HELP = (
    "Gong from the command line: every Gong action, OAuth login, a local Gong emulator and the "
    "webhook trigger. Exit codes: 0 ok, 1 failure, 2 usage/validation, 3 authentication, "
    "4 not found, 5 rate limited."
)

#: The root options' help (the typer app uses these texts; so does the fast ``gong --help``).
ROOT_OPTIONS: dict[str, tuple[str, str]] = {
    "--profile": ("NAME", "Named profile from the config file."),
    "--base-url": ("URL", "Gong API base URL (default https://api.gong.io)."),
    "--json": ("", "JSON output (the default when piped)."),
    "--jsonl": ("", "JSON Lines: one object per line."),
    "--table": ("", "Tables even when piped."),
    "--debug": ("", "Show tracebacks (exit codes stay the same)."),
    "--version": ("", "Print the version and exit."),
    "--install-completion": ("", "Install completion for the current shell."),
    "--show-completion": ("", "Show completion for the current shell, to copy it or customize the installation."),
    "--help": ("", "Show this message and exit."),
}


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


def print_root_help() -> None:
    """``gong --help`` from this index alone: the command asked most often, answered without
    loading the CLI framework (about a tenth of the time)."""
    import shutil
    import textwrap

    width = min(100, shutil.get_terminal_size((80, 24)).columns)
    lines = ["Usage: gong [OPTIONS] COMMAND [ARGS]...", ""]
    lines += textwrap.wrap(ROOT_HELP, width, initial_indent="  ", subsequent_indent="  ")
    lines += ["", "Options:"]
    for flag, (meta, text) in ROOT_OPTIONS.items():
        lines.append(_row(f"{flag} {meta}".strip(), text, width))
    panels: dict[str, list[str]] = {}
    for name, entry in COMMANDS.items():
        panels.setdefault(entry.panel, []).append(_row(name, entry.help, width))
    for panel, rows in panels.items():
        lines += ["", f"{panel}:", *rows]
    lines += ["", "Run gong COMMAND --help for a command's options."]
    print("\n".join(lines))


def _row(left: str, text: str, width: int) -> str:
    import textwrap

    indent = 24
    head = f"  {left}".ljust(indent)
    if len(head) > indent:
        head += "\n" + " " * indent
    body = textwrap.wrap(text, max(20, width - indent)) or [""]
    return head + ("\n" + " " * indent).join(body)
